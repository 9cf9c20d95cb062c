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
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const errors_1 = require("../../src/protocol/errors");
const keys_1 = require("../../src/protocol/keys");
const posix = process.platform !== 'win32';
const mode = (p) => fs.statSync(p).mode & 0o777;
describe('protocol/key-files', function () {
    let base;
    let dir;
    beforeEach(() => {
        base = fs.mkdtempSync(path.join(os.tmpdir(), 'pwb-keys-'));
        dir = path.join(base, 'data', 'keys');
    });
    afterEach(() => fs.rmSync(base, { recursive: true, force: true }));
    const refuses = (file, detail) => (e) => e instanceof errors_1.KeyFileError && e.file.endsWith(file) && detail.test(e.message);
    it('creates the three files with the right sizes and modes, then loads the same keys', () => {
        const k = (0, keys_1.ensureKeys)(dir);
        node_assert_1.strict.equal(k.secret.length, 32);
        node_assert_1.strict.equal(k.privateKey.length, 32);
        node_assert_1.strict.equal(k.publicKey.length, 65);
        node_assert_1.strict.equal(k.publicKey[0], 4);
        const e = (0, node_crypto_1.createECDH)('prime256v1');
        e.setPrivateKey(k.privateKey);
        node_assert_1.strict.deepEqual(e.getPublicKey(), k.publicKey);
        node_assert_1.strict.match(fs.readFileSync(path.join(dir, 'bridge.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
        node_assert_1.strict.deepEqual(fs.readFileSync(path.join(dir, 'bridge.pub')), k.publicKey);
        if (posix) {
            node_assert_1.strict.equal(mode(dir), 0o700);
            node_assert_1.strict.equal(mode(path.join(dir, 'capture.secret')), 0o600);
            node_assert_1.strict.equal(mode(path.join(dir, 'bridge.key')), 0o600);
            node_assert_1.strict.equal(mode(path.join(dir, 'bridge.pub')), 0o644);
        }
        const again = (0, keys_1.ensureKeys)(dir);
        node_assert_1.strict.deepEqual(again, k, 'idempotent: existing keys are kept');
        node_assert_1.strict.deepEqual((0, keys_1.loadKeys)(dir), k);
        node_assert_1.strict.deepEqual(fs.readdirSync(dir).sort(), ['bridge.key', 'bridge.pub', 'capture.secret'], 'no temp files left');
    });
    (posix ? it : it.skip)('refuses files and a directory looser than the table, naming file and mode', () => {
        const k = (0, keys_1.ensureKeys)(dir);
        const cases = [
            ['capture.secret', 0o644, 0o600, /mode 0644 is looser than 0600/],
            ['capture.secret', 0o640, 0o600, /mode 0640 is looser than 0600/],
            ['bridge.key', 0o604, 0o600, /mode 0604 is looser than 0600/],
            ['bridge.pub', 0o666, 0o644, /mode 0666 is looser than 0644/],
            ['bridge.pub', 0o755, 0o644, /mode 0755 is looser than 0644/],
        ];
        for (const [file, loose, good, detail] of cases) {
            const p = path.join(dir, file);
            fs.chmodSync(p, loose);
            node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses(file, detail));
            node_assert_1.strict.throws(() => (0, keys_1.ensureKeys)(dir), refuses(file, detail), 'ensureKeys does not "fix" a leaked file');
            fs.chmodSync(p, good);
        }
        fs.chmodSync(path.join(dir, 'capture.secret'), 0o400);
        node_assert_1.strict.deepEqual((0, keys_1.loadKeys)(dir).secret, k.secret, 'stricter is fine');
        fs.chmodSync(dir, 0o755);
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('keys', /mode 0755 is looser than 0700/));
        fs.chmodSync(dir, 0o700);
        try {
            (0, keys_1.loadKeys)(dir);
        }
        catch (e) {
            node_assert_1.strict.fail(`unexpected ${String(e)}`);
        }
        // Messages never carry key material.
        fs.chmodSync(path.join(dir, 'capture.secret'), 0o666);
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), (e) => !e.message.includes(k.secret.toString('hex')));
    });
    it('refuses a pub that is not the key\'s, a short secret, a symlink, and a missing file', () => {
        (0, keys_1.ensureKeys)(dir);
        const pub = path.join(dir, 'bridge.pub');
        const other = (0, node_crypto_1.createECDH)('prime256v1');
        other.generateKeys();
        fs.writeFileSync(pub, other.getPublicKey());
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('bridge.pub', /does not match bridge.key/));
        fs.writeFileSync(pub, Buffer.alloc(33, 2));
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('bridge.pub', /33 bytes/));
        fs.unlinkSync(pub);
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('bridge.pub', /does not exist/));
        const k = (0, keys_1.ensureKeys)(dir);
        node_assert_1.strict.deepEqual(fs.readFileSync(pub), k.publicKey, 'a missing pub is derived from the key');
        const secret = path.join(dir, 'capture.secret');
        fs.writeFileSync(secret, Buffer.alloc(31));
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('capture.secret', /31 bytes, expected 32/));
        fs.unlinkSync(secret);
        fs.writeFileSync(path.join(base, 'elsewhere'), Buffer.alloc(32), { mode: 0o600 });
        fs.symlinkSync(path.join(base, 'elsewhere'), secret);
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('capture.secret', /not a regular file/));
    });
    it('refuses a bridge.key that is not a P-256 PEM', () => {
        (0, keys_1.ensureKeys)(dir);
        const key = path.join(dir, 'bridge.key');
        fs.writeFileSync(key, 'not a key');
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('bridge.key', /not a readable PKCS#8 PEM/));
        const { generateKeyPairSync } = require('node:crypto');
        const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
        fs.writeFileSync(key, ed);
        node_assert_1.strict.throws(() => (0, keys_1.loadKeys)(dir), refuses('bridge.key', /not a P-256 private key/));
    });
});
//# sourceMappingURL=key-files.test.js.map