"use strict";
// The data dir on Windows: judged before install changes anything, then created (or re-secured) with the
// protected ACL before any key exists, and secured and read back again after every step that creates
// files in it (secure-tree.ts). A folder found there that lets anyone else in is refused, never adopted:
// whoever could write into it may have left a key or a config behind, or read what was there.
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
exports.checkDataDir = checkDataDir;
exports.planDataDirStep = planDataDirStep;
exports.planKeySteps = planKeySteps;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const paths_1 = require("../config/paths");
const secure_tree_1 = require("../platform/windows/secure-tree");
const keys_1 = require("../protocol/keys");
const key_files_1 = require("../protocol/key-files");
const secret_box_1 = require("../vault/secret-box");
const SECURED_FIX = 'install secured it earlier, so someone changed it since: find out who and when. If nobody else could have read '
    + 'the keys, remove those entries (icacls "PATH" /remove:g SID, or the file\'s Security tab) and install again; otherwise stop the '
    + 'service, move the keys folder away (new keys are made) and install again';
/**
 * Refuse a data dir that lets anyone but SYSTEM, Administrators and `serviceSids` in. Before anything else
 * is believed from it (config.json, install.json): those are only trusted once the folder is. One case is
 * mended rather than refused, and returned: in a folder install secured (install.json says so, and the
 * folder's own entry is still private), files outside keys\ that others may only read. The service and
 * administrators make files there after install (on Windows they take the folder's ACL; under Wine each
 * takes its Unix mode, which lets Everyone read), and nobody untrusted can have put or changed them. A key
 * others could read is refused (it must be replaced, not hidden again), and so is an entry anyone else may
 * write, own or change: it may have been planted.
 */
function checkDataDir(sys, dataDir, serviceSids, securedBefore) {
    if (!fs.existsSync(dataDir))
        return [];
    const problems = sys.dataDir.problems(dataDir, serviceSids);
    if (!problems.length)
        return [];
    const keysDir = path.resolve((0, paths_1.dataPaths)(dataDir).keysDir).toLowerCase();
    const mendable = (p) => {
        const at = path.resolve(p.path).toLowerCase();
        return p.readOnly && at !== path.resolve(dataDir).toLowerCase() && at !== keysDir && !at.startsWith(keysDir + path.sep);
    };
    if (problems.every(mendable) && securedBefore())
        return problems;
    throw new secure_tree_1.DataDirAclError(dataDir, problems, securedBefore() ? SECURED_FIX : (0, secure_tree_1.untrustedDirFix)(dataDir));
}
/** Step 1: the folder itself, before anything is in it. */
function planDataDirStep(c) {
    const { sys, plan, win, dataDir } = c;
    const who = 'SYSTEM, Administrators and the service account';
    if (!fs.existsSync(dataDir)) {
        plan.steps.push({
            say: `create the data dir ${dataDir} with a protected ACL for ${who} only (owner Administrators), inherited by what is made in it`,
            apply: () => {
                fs.mkdirSync(path.dirname(dataDir), { recursive: true });
                sys.dataDir.create(dataDir, c.serviceSid());
                win.dataDirSecured = true;
                c.filesCreated();
            },
        });
    }
    else if (win.dataDirSecured && c.readable?.length) {
        const names = [...new Set(c.readable.map((p) => path.relative(dataDir, p.path) || '.'))];
        plan.steps.push({
            say: `secure again what others may read in ${dataDir} (made since install secured it; under Wine a new file's ACL comes from its Unix mode): ${names.join(', ')}`,
            apply: () => c.filesCreated(),
        });
    }
    else if (win.dataDirSecured) {
        plan.kept.push(`${dataDir} is private to ${who} (every entry's owner and ACL read back)`);
    }
    else {
        plan.steps.push({
            say: `give ${dataDir} and everything in it a protected ACL for ${who} only (owner Administrators)`,
            apply: () => {
                win.dataDirSecured = true;
                c.filesCreated();
            },
        });
    }
}
/** The keys and the vault key, once the folder and the service account (its ACL entry) are there. */
function planKeySteps(c) {
    const { plan, dataDir } = c;
    const paths = (0, paths_1.dataPaths)(dataDir);
    const keysExist = [key_files_1.SECRET_FILE, key_files_1.PRIVATE_FILE, key_files_1.PUBLIC_FILE].every((f) => fs.existsSync(path.join(paths.keysDir, f)));
    if (keysExist)
        plan.kept.push(`the keys in ${paths.keysDir}`);
    else {
        plan.steps.push({
            say: `create what is missing of the keys: keys\\${key_files_1.SECRET_FILE}, keys\\${key_files_1.PRIVATE_FILE}, keys\\${key_files_1.PUBLIC_FILE}`,
            apply: () => {
                (0, paths_1.ensureDataDir)(paths);
                (0, keys_1.wipeKeys)((0, keys_1.ensureKeys)(paths.keysDir));
                c.filesCreated();
            },
        });
    }
    if (c.embeddedVault) {
        if (fs.existsSync(paths.vaultKey))
            plan.kept.push(`the vault key ${paths.vaultKey}`);
        else {
            plan.steps.push({
                say: `create the vault key keys\\${path.basename(paths.vaultKey)} (the vault's passwords are encrypted with it)`,
                apply: () => {
                    (0, secret_box_1.ensureVaultKey)(paths.vaultKey).fill(0);
                    c.filesCreated();
                },
            });
        }
    }
}
//# sourceMappingURL=windows-data-dir-steps.js.map