"use strict";
// The hub's agent token on Windows: DPAPI-protected (machine scope, dpapi.ts) in a file whose owner and
// protected DACL (SYSTEM, Administrators, the service account; acl-rule.ts) are set before a byte of the blob
// is in it, and checked again before it is read. The token is never written in clear. Linux keeps a 0600
// file instead (../agent-token-file.ts).
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
exports.DPAPI_TOKEN_MAGIC = void 0;
exports.restrictToService = restrictToService;
exports.dpapiTokenStore = dpapiTokenStore;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const agent_token_file_1 = require("../agent-token-file");
const atomic_file_1 = require("../linux/atomic-file");
const acl_rule_1 = require("./acl-rule");
const binding_1 = require("./binding");
const dpapi_1 = require("./dpapi");
const file_security_1 = require("./file-security");
const key_file_access_1 = require("./key-file-access");
const places_1 = require("./places");
const registry_1 = require("./registry");
/** The file starts with this, so a plaintext token (or anything else) is told apart and refused. */
exports.DPAPI_TOKEN_MAGIC = Buffer.from('pwbridge-dpapi-1\n', 'ascii');
/** DPAPI's optional entropy: a blob made for another use does not open as the agent token. */
const ENTROPY = Buffer.from('pwbridge/agent-token/1', 'utf8');
/**
 * Give one file the data dir's descriptor: owner Administrators; SYSTEM, Administrators and the service
 * account (ServiceSid, when install has set it) only, nothing inherited. Not icacls /grant:r, which keeps
 * every other entry the file already had.
 */
function restrictToService(w, file) {
    const registered = new registry_1.Registry(w).get(places_1.PWBRIDGE_KEY, places_1.VALUE_SERVICE_SID);
    (0, file_security_1.writeFileSecurity)(w, file, (0, acl_rule_1.protectedDescriptor)({ serviceSid: registered ? (0, registry_1.decodeString)(registered) : undefined, container: false }));
}
function dpapiTokenStore(win32 = binding_1.loadWin32, restrict = (file) => restrictToService(win32(), file), access = () => (0, key_file_access_1.windowsKeyFileAccess)(win32(), new registry_1.Registry(win32()))) {
    return {
        how: 'DPAPI-protected for this machine, readable by SYSTEM, Administrators and the service account only',
        read(file) {
            if (!fs.existsSync(file))
                throw (0, agent_token_file_1.missingToken)(file);
            // Anyone else who can open the file can decrypt it (machine scope): refuse it before reading a byte.
            const problem = access()(file, 'secret');
            if (problem)
                throw new Error(`the agent token ${file} ${problem}`);
            let data;
            try {
                data = fs.readFileSync(file);
            }
            catch {
                throw (0, agent_token_file_1.missingToken)(file);
            }
            if (!data.subarray(0, exports.DPAPI_TOKEN_MAGIC.length).equals(exports.DPAPI_TOKEN_MAGIC)) {
                data.fill(0);
                throw new Error(`the agent token ${file} is not DPAPI-protected (an older pwbridge wrote it in clear); run pwbridge setup again, which replaces it`);
            }
            let plain;
            try {
                plain = (0, dpapi_1.unprotect)(win32(), data.subarray(exports.DPAPI_TOKEN_MAGIC.length), ENTROPY);
            }
            catch (err) {
                throw new Error(`the agent token ${file} could not be decrypted (${err.message}); it opens only on the machine that set it up: run pwbridge setup again`);
            }
            try {
                return (0, agent_token_file_1.checkAgentToken)(plain.toString('utf8'), file);
            }
            finally {
                plain.fill(0);
            }
        },
        write(file, token) {
            (0, agent_token_file_1.checkAgentToken)(token, file);
            const plain = Buffer.from(token, 'utf8');
            let blob;
            try {
                blob = (0, dpapi_1.protectForMachine)(win32(), plain, ENTROPY);
            }
            finally {
                plain.fill(0);
            }
            fs.mkdirSync(path.dirname(file), { recursive: true });
            // An empty file first, its ACL set, then the blob: a machine-scope blob opens for any local process
            // that can read it, so no moment may exist where the folder's looser ACL applies to it.
            const tmp = `${file}.${process.pid}.tmp`;
            fs.closeSync(fs.openSync(tmp, 'wx'));
            try {
                restrict(tmp);
                const fd = fs.openSync(tmp, 'r+');
                try {
                    fs.writeSync(fd, Buffer.concat([exports.DPAPI_TOKEN_MAGIC, blob]));
                    fs.fsyncSync(fd);
                }
                finally {
                    fs.closeSync(fd);
                }
                fs.renameSync(tmp, file);
            }
            catch (err) {
                fs.rmSync(tmp, { force: true });
                throw err;
            }
            (0, atomic_file_1.fsyncDir)(path.dirname(file));
        },
    };
}
//# sourceMappingURL=dpapi-token.js.map