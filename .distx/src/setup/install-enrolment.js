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
exports.checkEnrolFile = checkEnrolFile;
exports.takeLogin = takeLogin;
exports.removeSecretFile = removeSecretFile;
exports.enrolAfterInstall = enrolAfterInstall;
// `pwbridge install --hub URL --client NAME (--insecure-fingerprint SHA256 | --ca FILE) --enrol-file FILE`:
// a silent deployment (an RMM tool, the MSI's PWB_HUB properties) installs and enrols the machine in one go,
// as `pwbridge setup` would after it. The login of a hub user who holds Setup AD Sync comes from a file that
// only SYSTEM and the administrators may read (two lines: name, then password; a command line or an MSI
// property would put the password in logs and process lists), and the file is overwritten and removed as
// soon as it is read, used or not. A hub enrolment token would be better than a user's password on disk;
// the hub has none yet.
const fs = __importStar(require("node:fs"));
const config_1 = require("../config/config");
const errors_1 = require("../cli/errors");
const enrol_1 = require("./enrol");
const hub_trust_1 = require("./hub-trust");
/**
 * Refuse, before install changes anything, a file holding a password (the enrolment file, the service
 * account's password file) that is missing, not a plain file, or that
 * anyone but SYSTEM, the administrators (Windows: owner and DACL, through `access`) or root (elsewhere: a
 * file of ours no looser than 0600) could have read: its password may have leaked, and using it would hide
 * that.
 */
function checkEnrolFile(file, access) {
    let st;
    try {
        st = fs.lstatSync(file);
    }
    catch (e) {
        throw new errors_1.UsageError(`--enrol-file: ${file} cannot be read (${e.code ?? 'error'})`);
    }
    if (!st.isFile())
        throw new errors_1.UsageError(`--enrol-file: ${file} is not a regular file`);
    const problem = access
        ? access(file, 'secret')
        : (st.mode & 0o077) !== 0 ? `has mode 0${(st.mode & 0o777).toString(8)}, readable by others (it must be 0600)` : undefined;
    if (problem)
        throw new errors_1.UsageError(`--enrol-file: ${file} ${problem}. It holds a hub user's password: write it where only SYSTEM and the administrators can read it`);
}
/** The login in the file, which is then overwritten with zeros and removed, whatever happens next. */
function takeLogin(file) {
    let bytes;
    try {
        bytes = fs.readFileSync(file);
        return (0, hub_trust_1.parseLogin)(Buffer.from(bytes), '--enrol-file');
    }
    finally {
        bytes?.fill(0);
        removeSecretFile(file);
    }
}
/** Overwrite a file that held a password with zeros, then remove it. */
function removeSecretFile(file) {
    try {
        const size = fs.statSync(file).size;
        const fd = fs.openSync(file, 'r+');
        try {
            fs.writeSync(fd, Buffer.alloc(size));
            fs.fsyncSync(fd);
        }
        finally {
            fs.closeSync(fd);
        }
    }
    finally {
        fs.rmSync(file, { force: true });
    }
}
/**
 * After a successful install: enrol as `pwbridge setup` does (the service account's credential carried
 * to the hub), then restart the service so it uses the hub. A machine already enrolled with that hub is
 * left as it is (an upgrade or repair with the same properties), and the file is removed unused.
 */
async function enrolAfterInstall(o) {
    const config = (0, config_1.loadConfig)(o.dataDir);
    if (config.hub?.url === o.enrol.url) {
        takeLogin(o.enrol.enrolFile).password.fill(0);
        o.out(`already enrolled with ${o.enrol.url} (client "${config.client}"); ${o.enrol.enrolFile} was removed unused`);
        return;
    }
    const { user, password } = takeLogin(o.enrol.enrolFile);
    o.out(`${o.enrol.enrolFile} was read and removed`);
    const wanted = o.enrol.client.toLowerCase();
    await (0, enrol_1.enrolMachine)({
        dataDir: o.dataDir, url: o.enrol.url, fingerprint: o.enrol.fingerprint, caFile: o.enrol.caFile, user, password,
        chooseClient: async (names) => {
            const found = names.find((n) => n.toLowerCase() === wanted);
            if (!found)
                throw new errors_1.UsageError(`--client: the hub has no client "${o.enrol.client}"; it has: ${names.map((n) => `"${n}"`).join(', ')}`);
            return found;
        },
        out: o.out,
    });
    await o.restartService();
}
//# sourceMappingURL=install-enrolment.js.map