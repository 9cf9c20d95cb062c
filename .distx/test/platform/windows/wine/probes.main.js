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
// Run by the Windows node.exe under Wine (wine-platform.test.ts): the Windows adapters against Wine's real
// DLLs, each answer printed as one JSON object for the test on the Linux side to judge.
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const config_1 = require("../../../../src/config/config");
const acl_rule_1 = require("../../../../src/platform/windows/acl-rule");
const binding_1 = require("../../../../src/platform/windows/binding");
const computer_name_1 = require("../../../../src/platform/windows/computer-name");
const file_security_1 = require("../../../../src/platform/windows/file-security");
const windows_1 = require("../../../../src/platform/windows");
const netapi_1 = require("../../../../src/platform/windows/netapi");
const process_identity_1 = require("../../../../src/platform/windows/process-identity");
const secure_tree_1 = require("../../../../src/platform/windows/secure-tree");
const security_descriptor_1 = require("../../../../src/platform/windows/security-descriptor");
const utf16_1 = require("../../../../src/platform/windows/utf16");
const wine_1 = require("../../../../src/platform/windows/wine");
const keys_1 = require("../../../../src/protocol/keys");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const koffi = require('koffi');
const w = (0, binding_1.loadWin32)();
const attempt = (f) => {
    try {
        return { ok: f() };
    }
    catch (e) {
        return { error: `${e.name}: ${e.message}` };
    }
};
/** Windows' own SDDL → descriptor conversion, to hold ours against (not part of pwbridge: bound here only). */
function windowsSddl(sddl) {
    const advapi = koffi.load('advapi32.dll');
    const convert = advapi.func('int32 __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(void *s, uint32 rev, void *sd, void *len)');
    const out = Buffer.alloc(8);
    const len = Buffer.alloc(4);
    if (!convert((0, utf16_1.wideZ)(sddl), 1, out, len))
        throw new Error(`ConvertStringSecurityDescriptorToSecurityDescriptorW failed: ${w.kernel32.GetLastError()}`);
    const at = out.readBigUInt64LE();
    const bytes = w.memory.read(at, len.readUInt32LE());
    w.kernel32.LocalFree(at);
    return bytes.toString('hex');
}
const user = (0, process_identity_1.processUserSid)(w);
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbt-cfg-'));
const keysBase = `${process.env.ProgramData ?? 'C:\\ProgramData'}\\pwbt-keys-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
const keys = {};
try {
    const acl = new secure_tree_1.DataDirAcl(w);
    acl.create(keysBase, user);
    const dir = path.join(keysBase, 'keys');
    (0, keys_1.wipeKeys)((0, keys_1.ensureKeys)(dir));
    acl.secure(keysBase, user, [user]);
    const check = (0, windows_1.keyFileAccess)(w);
    keys.clean = attempt(() => { (0, keys_1.wipeKeys)((0, keys_1.loadKeys)(dir, check)); return 'loaded'; });
    const everyone = { type: 0, flags: 0, mask: 0x120089, sid: 'S-1-1-0' };
    (0, file_security_1.writeFileSecurity)(w, path.join(dir, 'capture.secret'), (0, security_descriptor_1.encodeSecurityDescriptor)({
        owner: 'S-1-5-32-544', protected: true, dacl: [{ type: 0, flags: 0, mask: 0x1f01ff, sid: user }, everyone],
    }));
    keys.planted = attempt(() => (0, keys_1.loadKeys)(dir, check));
}
finally {
    fs.rmSync(keysBase, { recursive: true, force: true });
}
const out = {
    unbound: (0, binding_1.unboundFunctions)(w),
    validate: attempt(() => new netapi_1.NetApi(w).validatePasswordChange(os.userInfo().username, (0, utf16_1.wideZ)('Some-Passw0rd!'))),
    wine: (0, wine_1.wineVersion)(w),
    userSid: user,
    computerName: (0, computer_name_1.computerName)(w),
    hostname: os.hostname(),
    configMachine: attempt(() => (0, config_1.loadConfig)(empty).machine),
    sd: {
        ours: (0, acl_rule_1.protectedDescriptor)({ serviceSid: user, container: true }).toString('hex'),
        windows: windowsSddl(`O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;${user})`),
    },
    keys,
};
fs.rmSync(empty, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(out)}\n`);
//# sourceMappingURL=probes.main.js.map