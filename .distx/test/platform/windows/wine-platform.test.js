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
// The Windows platform against Wine's real DLLs, through the pinned Windows node.exe and koffi's win32
// binary (wine/probes.main.ts prints what it found; this side judges it): the binding loads although
// netapi32 lacks an export, and that export fails only when called, naming itself; Wine is recognised;
// this process's SID and the NetBIOS name are read, and config's default `machine` is that name; the
// descriptor install sets is byte for byte what Windows' own SDDL conversion makes; key files the
// service reads are refused once their DACL lets Everyone in.
const node_assert_1 = require("node:assert");
const os = __importStar(require("node:os"));
const windows_node_1 = require("../../helpers/windows-node");
const windows_app_1 = require("../../helpers/windows-app");
const wine_1 = require("../../helpers/wine");
describe('platform/windows under Wine (Windows node.exe, koffi win32)', function () {
    this.timeout(180_000);
    let p;
    before(async function () {
        const missing = (0, wine_1.windowsPartsMissing)();
        if (process.platform === 'win32' || missing.skip)
            this.skip(); // on Windows, real-windows.test.ts
        if (missing.fail)
            throw new Error(missing.fail);
        const app = (0, windows_app_1.sharedWindowsApp)();
        const r = await (0, windows_node_1.runWindowsNode)([app.file('dist/test/platform/windows/wine/probes.main.js')], { timeoutMs: 120_000 });
        node_assert_1.strict.equal(r.code, 0, r.stderr);
        p = JSON.parse(r.stdout.trim().split('\n').pop());
    });
    it('binds every declared function but the two Wine 8 lacks; calling one throws, naming netapi32.dll and the function', () => {
        node_assert_1.strict.deepEqual(p.unbound, ['netapi32.dll!NetValidatePasswordPolicy', 'netapi32.dll!NetValidatePasswordPolicyFree']);
        node_assert_1.strict.match(p.validate.error ?? '', /^MissingExportError: NetValidatePasswordPolicy \(netapi32\.dll has no NetValidatePasswordPolicy on this system: .*\) failed: ERROR_PROC_NOT_FOUND/);
    });
    it('knows it is Wine, runs as the one Wine user, and MACHINE is the NetBIOS name (upper case, 15 at most), also config\'s default', () => {
        node_assert_1.strict.match(p.wine ?? '', /^\d+\.\d+/);
        node_assert_1.strict.equal(p.userSid, 'S-1-5-21-0-0-0-1000');
        node_assert_1.strict.equal(p.hostname, os.hostname());
        node_assert_1.strict.equal(p.computerName, os.hostname().split('.')[0].toUpperCase().slice(0, 15));
        node_assert_1.strict.deepEqual(p.configMachine, { ok: p.computerName });
    });
    it('the descriptor install sets is the bytes ConvertStringSecurityDescriptorToSecurityDescriptorW makes of its SDDL', () => {
        node_assert_1.strict.equal(p.sd.ours, p.sd.windows);
    });
    it('the service loads key files secured by install, and refuses one whose DACL lets Everyone in, naming file and entry', () => {
        node_assert_1.strict.deepEqual(p.keys.clean, { ok: 'loaded' });
        node_assert_1.strict.match(p.keys.planted.error ?? '', /^KeyFileError: C:\\ProgramData\\pwbt-keys-[0-9a-f]+\\keys\\capture\.secret: has an entry \(A;;0x1200a9;;;WD\) that gives Everyone \(S-1-1-0\) read and execute: run pwbridge install again/);
    });
});
//# sourceMappingURL=wine-platform.test.js.map