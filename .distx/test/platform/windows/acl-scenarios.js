"use strict";
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
exports.EVERYONE_SID = void 0;
exports.runAclScenarios = runAclScenarios;
// The data dir ACL scenarios, written once and run against both Win32s: the fake (in-process, on a
// Linux temp dir) and the real one (Windows node.exe under Wine, wine/acl-scenarios.main.ts, on a folder
// in the prefix's C:\ProgramData). Both return the same shape, and data-dir-acl.test.ts holds both to the
// same assertions:
// 1. a tree created with the protected descriptor, files added, secured and read back: no problems;
// 2. an Everyone entry planted on one key file: verify refuses, naming the file and Everyone; the
//    service's key-file check refuses it too, and passes the untouched one;
// 3. a folder made the ordinary way (mkdir, a file in it), as an ordinary user could before install: refused.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const acl_rule_1 = require("../../../src/platform/windows/acl-rule");
const file_security_1 = require("../../../src/platform/windows/file-security");
const key_file_access_1 = require("../../../src/platform/windows/key-file-access");
const process_identity_1 = require("../../../src/platform/windows/process-identity");
const places_1 = require("../../../src/platform/windows/places");
const registry_1 = require("../../../src/platform/windows/registry");
const secure_tree_1 = require("../../../src/platform/windows/secure-tree");
const security_descriptor_1 = require("../../../src/platform/windows/security-descriptor");
const sid_1 = require("../../../src/platform/windows/sid");
exports.EVERYONE_SID = 'S-1-1-0';
/** A registry holding only ServiceSid, as install leaves it (read-only: the scenarios must not change the machine's). */
function registryWith(serviceSid) {
    return {
        get: (key, name) => (key === places_1.PWBRIDGE_KEY && name === places_1.VALUE_SERVICE_SID ? { type: registry_1.REG_SZ, data: (0, registry_1.encodeString)(serviceSid) } : undefined),
        set: () => { throw new Error('read only'); },
        deleteValue: () => false,
        exists: () => false,
        deleteKey: () => false,
    };
}
function runAclScenarios(w, base, serviceSid) {
    const acl = new secure_tree_1.DataDirAcl(w);
    const userSid = (0, process_identity_1.processUserSid)(w);
    const trusted = [serviceSid, userSid];
    const rel = (root, p) => path.relative(root, p).split(path.sep).join('/') || '.';
    const root = path.join(base, 'secured');
    acl.create(root, serviceSid);
    fs.mkdirSync(path.join(root, 'keys'));
    for (const f of ['capture.secret', 'bridge.key', 'vault.key'])
        fs.writeFileSync(path.join(root, 'keys', f), 'not a real key');
    fs.writeFileSync(path.join(root, 'install.json'), '{}');
    acl.secure(root, serviceSid, trusted);
    const entries = ['.', 'keys', 'keys/bridge.key', 'keys/capture.secret', 'keys/vault.key', 'install.json'].map((r) => {
        const sd = (0, file_security_1.readFileSecurity)(w, path.join(root, ...r.split('/')));
        return { rel: r, owner: sd.owner ?? '', sids: (sd.dacl ?? []).map((a) => a.sid), protected: (sd.control & security_descriptor_1.SE_DACL_PROTECTED) !== 0 };
    });
    const secured = { problems: acl.problems(root, trusted), entries };
    const everyone = {};
    const planted = path.join(root, 'keys', 'bridge.key');
    const full = { type: 0, flags: 0, mask: 0x1f01ff };
    (0, file_security_1.writeFileSecurity)(w, planted, (0, security_descriptor_1.encodeSecurityDescriptor)({
        owner: sid_1.ADMINISTRATORS_SID, protected: true,
        dacl: [{ ...full, sid: acl_rule_1.SYSTEM_SID }, { ...full, sid: sid_1.ADMINISTRATORS_SID }, { type: 0, flags: 0, mask: 0x1f01ff, sid: exports.EVERYONE_SID }],
    }));
    try {
        acl.verify(root, trusted);
    }
    catch (e) {
        everyone.error = e.message;
    }
    const check = (0, key_file_access_1.windowsKeyFileAccess)(w, registryWith(serviceSid));
    everyone.keyCheckPlanted = check(planted, 'secret');
    everyone.keyCheckClean = check(path.join(root, 'keys', 'capture.secret'), 'secret');
    const plain = path.join(base, 'ordinary');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'config.json'), '{}');
    const ordinary = { problems: acl.problems(plain, trusted).map((p) => ({ ...p, path: rel(base, p.path) })) };
    secured.problems = secured.problems.map((p) => ({ ...p, path: rel(root, p.path) }));
    return { userSid, secured, everyone, ordinary };
}
//# sourceMappingURL=acl-scenarios.js.map