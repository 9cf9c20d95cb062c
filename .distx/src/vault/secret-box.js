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
exports.SecretBox = exports.KEY_BYTES = void 0;
exports.ensureVaultKey = ensureVaultKey;
/**
 * Encryption at rest for vault passwords: AES-256-GCM with a 32-byte key kept in a key file.
 *
 * Record: version(1) ‖ iv(12) ‖ ciphertext ‖ tag(16). The AAD is the version byte followed by the caller's
 * context (the credential id and username), so a record copied into another row, or a row whose
 * username was edited, fails to open instead of handing out the wrong password.
 */
const crypto = __importStar(require("node:crypto"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
exports.KEY_BYTES = 32;
const RECORD_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;
/**
 * Read the vault key at `keyPath`, creating it (0600, 32 random bytes) when missing.
 * Refuses a key file that group or others can read or write, or that is not exactly 32 bytes.
 */
function ensureVaultKey(keyPath) {
    if (!fs.existsSync(keyPath))
        createKeyFile(keyPath);
    const st = fs.statSync(keyPath);
    if (!st.isFile())
        throw new Error(`vault key ${keyPath} is not a regular file`);
    // POSIX mode bits mean nothing on Windows; there the installer sets the ACL on the data directory.
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
        const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
        throw new Error(`vault key ${keyPath} has mode ${mode}; it must not be readable or writable by group or others (chmod 600)`);
    }
    const key = fs.readFileSync(keyPath);
    if (key.length !== exports.KEY_BYTES) {
        key.fill(0);
        throw new Error(`vault key ${keyPath} holds ${st.size} bytes, expected ${exports.KEY_BYTES}`);
    }
    return key;
}
/**
 * Write the key to a private temp file, then hard-link it into place: link() fails if the name exists,
 * so two processes starting together cannot both create a key, and no reader ever sees a half-written one.
 */
function createKeyFile(keyPath) {
    fs.mkdirSync(path.dirname(keyPath), { recursive: true, mode: 0o700 });
    const tmp = `${keyPath}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    const key = crypto.randomBytes(exports.KEY_BYTES);
    try {
        const fd = fs.openSync(tmp, 'wx', 0o600);
        try {
            fs.writeSync(fd, key);
            fs.fsyncSync(fd);
        }
        finally {
            fs.closeSync(fd);
        }
        try {
            fs.linkSync(tmp, keyPath);
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err; // another process won the race: use its key
        }
    }
    finally {
        key.fill(0);
        fs.rmSync(tmp, { force: true });
    }
}
class SecretBox {
    key;
    /** The key is copied into a KeyObject (outside the JS heap); the caller may wipe its Buffer afterwards. */
    constructor(key) {
        if (!Buffer.isBuffer(key) || key.length !== exports.KEY_BYTES)
            throw new Error(`vault key must be ${exports.KEY_BYTES} bytes`);
        this.key = crypto.createSecretKey(key);
    }
    /** Encrypt `plaintext` bound to `context`. The plaintext Buffer is not modified. */
    seal(plaintext, context) {
        const iv = crypto.randomBytes(IV_BYTES);
        const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
        cipher.setAAD(aad(context));
        const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
        return Buffer.concat([Buffer.from([RECORD_VERSION]), iv, ct, cipher.getAuthTag()]);
    }
    /** Decrypt a record made by seal() with the same context. Throws (without detail) if it does not authenticate. */
    open(record, context) {
        if (record.length < HEADER_BYTES + TAG_BYTES)
            throw new Error('sealed record is truncated');
        if (record[0] !== RECORD_VERSION)
            throw new Error(`sealed record has unknown version ${record[0]}`);
        const iv = record.subarray(1, HEADER_BYTES);
        const ct = record.subarray(HEADER_BYTES, record.length - TAG_BYTES);
        const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
        decipher.setAAD(aad(context));
        decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
        const head = decipher.update(ct);
        let tail;
        try {
            tail = decipher.final();
        }
        catch {
            head.fill(0); // unauthenticated plaintext: never let it out
            throw new Error('sealed record does not authenticate (wrong key, or the record was moved or altered)');
        }
        if (tail.length === 0)
            return head;
        const out = Buffer.concat([head, tail]);
        head.fill(0);
        tail.fill(0);
        return out;
    }
}
exports.SecretBox = SecretBox;
function aad(context) {
    return Buffer.concat([Buffer.from([RECORD_VERSION]), Buffer.from(context, 'utf8')]);
}
//# sourceMappingURL=secret-box.js.map