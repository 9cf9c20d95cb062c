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
// The agent token on Windows, against the fake Windows (real memory: the DATA_BLOBs hold the real
// addresses of our Buffers, and the fake reads and writes through them as crypt32 would). The real
// CryptProtectData round trip is in real-windows.test.ts.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const dpapi_token_1 = require("../../../src/platform/windows/dpapi-token");
const dpapi_1 = require("../../../src/platform/windows/dpapi");
const tmp_1 = require("../../helpers/tmp");
const fake_win32_1 = require("./fake-win32");
const newToken = () => `pwa_${(0, node_crypto_1.randomBytes)(32).toString('base64url')}`;
describe('platform/windows DPAPI (fake Windows, real memory)', () => {
    let tmp;
    beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbt-dpapi-'); });
    afterEach(() => tmp.cleanup());
    /** The data dir as install leaves it: SYSTEM and Administrators only, inherited by what is made in it. */
    const privateDir = (win) => {
        const full = { type: 0, flags: 0x3, mask: 0x1f01ff };
        win.setFileSecurity(tmp.dir, { owner: 'S-1-5-32-544', protected: true, dacl: [{ ...full, sid: 'S-1-5-18' }, { ...full, sid: 'S-1-5-32-544' }] });
        return win;
    };
    it('protect and unprotect: machine scope, no UI, the entropy passed, every LocalAlloc freed, the plaintext zeroed first', () => {
        const win = new fake_win32_1.FakeWindows();
        const plain = Buffer.from('canary-plain-7c1e');
        const entropy = Buffer.from('purpose-A');
        const blob = (0, dpapi_1.protectForMachine)(win.win32, plain, entropy);
        node_assert_1.strict.equal(blob.indexOf(plain), -1);
        const back = (0, dpapi_1.unprotect)(win.win32, blob, entropy);
        node_assert_1.strict.equal(back.toString(), 'canary-plain-7c1e');
        node_assert_1.strict.deepEqual(win.calls.filter((c) => c.startsWith('Crypt')), ['CryptProtectData flags=5', 'CryptUnprotectData flags=1']);
        node_assert_1.strict.equal(win.allocations.size, 0, 'both output blobs were given back with LocalFree');
        node_assert_1.strict.equal(win.calls.filter((c) => c === 'LocalFree').length, 2);
        node_assert_1.strict.equal(win.zeroed.length, 1, 'the decrypted block is zeroed before it is freed, the encrypted one need not be');
        node_assert_1.strict.throws(() => (0, dpapi_1.unprotect)(win.win32, blob, Buffer.from('purpose-B')), /CryptUnprotectData failed/);
        node_assert_1.strict.throws(() => (0, dpapi_1.unprotect)(new fake_win32_1.FakeWindows().win32, blob, entropy), /CryptUnprotectData failed/, 'another machine');
        node_assert_1.strict.equal(win.allocations.size, 0);
    });
    it('setup writes the token only as a DPAPI blob, in a file whose ACL is set while it is still empty; the service reads it back', () => {
        const win = new fake_win32_1.FakeWindows();
        const file = path.join(tmp.dir, 'keys', 'agent.token');
        const restricted = [];
        const store = (0, dpapi_token_1.dpapiTokenStore)(() => win.win32, (f) => {
            restricted.push({ file: f, size: fs.statSync(f).size });
            (0, dpapi_token_1.restrictToService)(win.win32, f);
        });
        const token = newToken();
        store.write(file, token);
        node_assert_1.strict.equal(restricted.length, 1);
        node_assert_1.strict.equal(restricted[0].size, 0, 'the ACL is set before a byte of the blob is written');
        node_assert_1.strict.equal(path.dirname(restricted[0].file), path.dirname(file));
        const onDisk = fs.readFileSync(file);
        node_assert_1.strict.ok(onDisk.subarray(0, dpapi_token_1.DPAPI_TOKEN_MAGIC.length).equals(dpapi_token_1.DPAPI_TOKEN_MAGIC));
        node_assert_1.strict.equal(onDisk.indexOf(Buffer.from(token)), -1, 'no clear token (UTF-8)');
        node_assert_1.strict.equal(onDisk.indexOf(Buffer.from(token, 'utf16le')), -1, 'no clear token (UTF-16)');
        node_assert_1.strict.deepEqual(fs.readdirSync(path.dirname(file)), ['agent.token'], 'no temp file left');
        node_assert_1.strict.deepEqual(win.protected.map((b) => b.toString()), [token], 'what reached CryptProtectData is the token, once');
        const sec = win.fileSecurityOf(file);
        node_assert_1.strict.deepEqual([sec.owner, sec.protected, sec.dacl.map((a) => a.sid)], ['S-1-5-32-544', true, ['S-1-5-18', 'S-1-5-32-544']], 'owner Administrators, a protected DACL of SYSTEM and Administrators (no ServiceSid registered here), kept through the rename');
        node_assert_1.strict.equal(store.read(file), token);
        node_assert_1.strict.equal(win.allocations.size, 0);
        // The clear copies this side made are wiped: every Buffer whose address went into a DATA_BLOB.
        node_assert_1.strict.deepEqual(win.memory.holding(Buffer.from(token)), []);
    });
    it('refuses a token file others may open before reading it, naming the entry; with ServiceSid set, that account gets an entry too', () => {
        const win = privateDir(new fake_win32_1.FakeWindows());
        const file = path.join(tmp.dir, 'agent.token');
        const store = (0, dpapi_token_1.dpapiTokenStore)(() => win.win32);
        win.registry.set('SOFTWARE\\pwbridge', new Map([['servicesid', { type: 1, data: Buffer.from('S-1-5-21-1-2-3-1001\0', 'utf16le') }]]));
        const token = newToken();
        store.write(file, token);
        node_assert_1.strict.deepEqual(win.fileSecurityOf(file).dacl.map((a) => a.sid), ['S-1-5-18', 'S-1-5-32-544', 'S-1-5-21-1-2-3-1001']);
        node_assert_1.strict.equal(store.read(file), token);
        const sec = win.fileSecurityOf(file);
        win.setFileSecurity(file, { ...sec, dacl: [...sec.dacl, { type: 0, flags: 0, mask: 0x120089, sid: 'S-1-1-0' }] });
        const reads = win.calls.filter((c) => c.startsWith('CryptUnprotectData')).length;
        node_assert_1.strict.throws(() => store.read(file), /the agent token \S+agent\.token has an entry \(A;;FR;;;WD\) that gives Everyone \(S-1-1-0\) read: run pwbridge install again/);
        node_assert_1.strict.equal(win.calls.filter((c) => c.startsWith('CryptUnprotectData')).length, reads, 'refused before it was decrypted');
        win.setFileSecurity(file, { ...sec, owner: 'S-1-5-21-9-9-9-1234' });
        node_assert_1.strict.throws(() => store.read(file), /is owned by S-1-5-21-9-9-9-1234, not by SYSTEM, Administrators or the service account/);
    });
    it('refuses a clear token file, a blob from another machine, a missing file and a blob that is not a token', () => {
        const win = privateDir(new fake_win32_1.FakeWindows());
        const file = path.join(tmp.dir, 'agent.token');
        const store = (0, dpapi_token_1.dpapiTokenStore)(() => win.win32, () => undefined);
        node_assert_1.strict.throws(() => store.read(file), /is missing; enrol this machine with: pwbridge setup/);
        fs.writeFileSync(file, `${newToken()}\n`);
        node_assert_1.strict.throws(() => store.read(file), /not DPAPI-protected .* run pwbridge setup again/);
        const other = privateDir(new fake_win32_1.FakeWindows());
        (0, dpapi_token_1.dpapiTokenStore)(() => other.win32, () => undefined).write(file, newToken());
        node_assert_1.strict.throws(() => store.read(file), /could not be decrypted .* opens only on the machine that set it up/);
        node_assert_1.strict.throws(() => store.write(file, 'not-a-token'), /is not an agent token/);
        const blob = (0, dpapi_1.protectForMachine)(win.win32, Buffer.from('something else'), Buffer.from('pwbridge/agent-token/1'));
        fs.writeFileSync(file, Buffer.concat([dpapi_token_1.DPAPI_TOKEN_MAGIC, blob]));
        node_assert_1.strict.throws(() => store.read(file), /is not an agent token/);
    });
});
//# sourceMappingURL=dpapi.test.js.map