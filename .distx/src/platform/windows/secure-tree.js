"use strict";
// The data dir's ACL, as a whole tree: judge a folder found there before install (every entry's owner and
// DACL), create it with the protected descriptor from the first moment, set that descriptor on every entry,
// and read each back. install calls `secure` after every step that creates files (keys, vault key, vault,
// install.json), so no file stays with what it was created with: on Windows a new file inherits the
// folder's entries anyway, under Wine it gets a DACL made from its Unix mode, which lets Everyone read.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.DataDirAcl = exports.DataDirAclError = void 0;
exports.listTree = listTree;
exports.untrustedDirFix = untrustedDirFix;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const acl_rule_1 = require("./acl-rule");
const file_security_1 = require("./file-security");
/** `root` and everything below it, folders before their contents. Links are refused: securing one would change what it points to. */
function listTree(root) {
    const out = [];
    const visit = (p) => {
        const st = fs.lstatSync(p);
        if (st.isSymbolicLink())
            throw new DataDirAclError(root, [{ path: p, problem: 'is a link (a symbolic link or junction): pwbridge does not follow links in its data dir', readOnly: false }], 'Remove the link');
        out.push({ path: p, dir: st.isDirectory() });
        if (st.isDirectory())
            for (const name of fs.readdirSync(p).sort())
                visit(path.join(p, name));
    };
    visit(root);
    return out;
}
class DataDirAclError extends Error {
    dir;
    problems;
    constructor(dir, problems, fix) {
        super(`${dir} is not private to SYSTEM, Administrators and the service account: ${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}. ${fix}`);
        this.dir = dir;
        this.problems = problems;
        this.name = 'DataDirAclError';
    }
}
exports.DataDirAclError = DataDirAclError;
/** The way out for a data dir found before install that lets others in: nothing of it is trusted. */
function untrustedDirFix(dir) {
    return 'Someone other than SYSTEM and the administrators may have put or read something in it. Move it away '
        + `(move "${dir}" "${dir}.untrusted"), run pwbridge install again (it creates the folder with an ACL for SYSTEM, Administrators and the `
        + 'service account only), and copy config.json back from it once you have read it';
}
class DataDirAcl {
    w;
    lookup;
    constructor(w, lookup) {
        this.w = w;
        this.lookup = lookup;
    }
    /**
     * What makes the tree at `dir` untrustworthy: each entry whose owner or DACL lets in anyone but SYSTEM,
     * Administrators and `serviceSids` (the service account; under Wine also the one user there is).
     */
    problems(dir, serviceSids = []) {
        const rule = { trusted: (0, acl_rule_1.trustedSids)(serviceSids), lookup: this.lookup };
        const out = [];
        for (const e of listTree(dir)) {
            let sd;
            try {
                sd = (0, file_security_1.readFileSecurity)(this.w, e.path);
            }
            catch (err) {
                // An administrator who cannot read an entry's ACL (its owner denied it) cannot trust it either.
                out.push({ path: e.path, problem: `has an owner and ACL that cannot be read (${err.message})`, readOnly: false });
                continue;
            }
            const readOnly = (0, acl_rule_1.aclProblems)(sd, { ...rule, othersMayRead: true }).length === 0;
            for (const problem of (0, acl_rule_1.aclProblems)(sd, rule))
                out.push({ path: e.path, problem, readOnly });
        }
        return out;
    }
    /** Create `dir` (its parent must exist) with the protected descriptor. */
    create(dir, serviceSid) {
        (0, file_security_1.createDirectoryWithSecurity)(this.w, dir, (0, acl_rule_1.protectedDescriptor)({ serviceSid, container: true }));
    }
    /**
     * Set the protected descriptor (with an entry for `serviceSid`) on `dir` and every entry below it, then
     * read the whole tree back, trusting `serviceSids` (default: `serviceSid`).
     */
    secure(dir, serviceSid, serviceSids = serviceSid ? [serviceSid] : []) {
        const folder = (0, acl_rule_1.protectedDescriptor)({ serviceSid, container: true });
        const file = (0, acl_rule_1.protectedDescriptor)({ serviceSid, container: false });
        for (const e of listTree(dir))
            (0, file_security_1.writeFileSecurity)(this.w, e.path, e.dir ? folder : file);
        this.verify(dir, serviceSids);
    }
    /** Set the protected descriptor on one file of the tree (install.json, written after the service started)
     * and read it back. */
    secureFile(file, serviceSid, serviceSids = serviceSid ? [serviceSid] : []) {
        (0, file_security_1.writeFileSecurity)(this.w, file, (0, acl_rule_1.protectedDescriptor)({ serviceSid, container: false }));
        this.verify(file, serviceSids);
    }
    /** Read every entry's owner and DACL back; throws naming each entry that lets anyone else in. */
    verify(dir, serviceSids = []) {
        const problems = this.problems(dir, serviceSids);
        if (problems.length) {
            throw new DataDirAclError(dir, problems, 'pwbridge install set the ACL and reading it back shows the above: something else changed it, '
                + 'or this file system does not keep ACLs. The steps after this one were not done; fix the cause and run pwbridge install again');
        }
    }
}
exports.DataDirAcl = DataDirAcl;
//# sourceMappingURL=secure-tree.js.map