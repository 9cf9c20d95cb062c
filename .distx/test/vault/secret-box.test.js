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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const crypto = __importStar(require("node:crypto"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const secret_box_1 = require("../../src/vault/secret-box");
const tmp_1 = require("../helpers/tmp");
const posix = process.platform !== 'win32';
describe('ensureVaultKey', () => {
    let tmp;
    beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbridge-key-'); });
    afterEach(() => tmp.cleanup());
    it('creates a missing key (and its directory) as 32 random bytes, mode 0600, and reads the same key again', () => {
        const file = path.join(tmp.dir, 'keys', 'vault.key');
        const key = (0, secret_box_1.ensureVaultKey)(file);
        strict_1.default.equal(key.length, 32);
        strict_1.default.ok(!key.equals(Buffer.alloc(32)));
        if (posix)
            strict_1.default.equal(fs.statSync(file).mode & 0o777, 0o600);
        strict_1.default.ok((0, secret_box_1.ensureVaultKey)(file).equals(key));
        strict_1.default.deepEqual(fs.readdirSync(path.dirname(file)), ['vault.key'], 'no temp file left behind');
    });
    (posix ? it : it.skip)('refuses a key file group or others can read, naming the file and the mode', () => {
        const file = path.join(tmp.dir, 'vault.key');
        fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o644 });
        fs.chmodSync(file, 0o644);
        strict_1.default.throws(() => (0, secret_box_1.ensureVaultKey)(file), (err) => {
            strict_1.default.ok(err.message.includes(file), err.message);
            strict_1.default.match(err.message, /mode 0644/);
            return true;
        });
        fs.chmodSync(file, 0o640);
        strict_1.default.throws(() => (0, secret_box_1.ensureVaultKey)(file), /mode 0640/);
        fs.chmodSync(file, 0o600);
        strict_1.default.equal((0, secret_box_1.ensureVaultKey)(file).length, 32);
    });
    it('refuses a key file of the wrong size without printing its content', () => {
        const file = path.join(tmp.dir, 'vault.key');
        fs.writeFileSync(file, Buffer.from('short-secret-0123'), { mode: 0o600 });
        strict_1.default.throws(() => (0, secret_box_1.ensureVaultKey)(file), (err) => {
            strict_1.default.match(err.message, /17 bytes, expected 32/);
            strict_1.default.ok(!err.message.includes('short-secret'));
            return true;
        });
    });
});
describe('SecretBox', () => {
    const key = crypto.randomBytes(32);
    const box = new secret_box_1.SecretBox(key);
    const pw = Buffer.from('pässwörd', 'utf8');
    it('seals as version ‖ iv(12) ‖ ct ‖ tag(16) and opens to the same bytes', () => {
        const rec = box.seal(pw, 'ctx');
        strict_1.default.equal(rec[0], 1);
        strict_1.default.equal(rec.length, 1 + 12 + pw.length + 16);
        strict_1.default.ok(!rec.includes(pw));
        strict_1.default.ok(box.open(rec, 'ctx').equals(pw));
    });
    it('uses a fresh iv each time', () => {
        strict_1.default.ok(!box.seal(pw, 'ctx').equals(box.seal(pw, 'ctx')));
    });
    it('refuses another context, a flipped bit, a truncated record, an unknown version and another key', () => {
        const rec = box.seal(pw, 'credential 1');
        strict_1.default.throws(() => box.open(rec, 'credential 2'), /does not authenticate/);
        for (const i of [0, 5, 14, rec.length - 1]) {
            const bad = Buffer.from(rec);
            bad[i] ^= 1;
            strict_1.default.throws(() => box.open(bad, 'credential 1'), /does not authenticate|unknown version/, `byte ${i}`);
        }
        strict_1.default.throws(() => box.open(rec.subarray(0, 20), 'credential 1'), /truncated/);
        strict_1.default.throws(() => new secret_box_1.SecretBox(crypto.randomBytes(32)).open(rec, 'credential 1'), /does not authenticate/);
    });
    it('does not modify the plaintext it seals, and refuses a key of the wrong size', () => {
        const copy = Buffer.from(pw);
        box.seal(pw, 'x');
        strict_1.default.ok(pw.equals(copy));
        strict_1.default.throws(() => new secret_box_1.SecretBox(Buffer.alloc(16)), /32 bytes/);
    });
});
//# sourceMappingURL=secret-box.test.js.map