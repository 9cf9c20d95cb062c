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
exports.PUBLIC_FILE = exports.PRIVATE_FILE = exports.SECRET_FILE = void 0;
exports.wipeKeys = wipeKeys;
exports.ensureKeys = ensureKeys;
exports.loadKeys = loadKeys;
// The install's key files (docs/protocol.md "Keys"). Created once, then only read; a file whose mode is
// looser than the table allows is refused rather than fixed, because it may already have leaked. On Windows
// the same refusal comes from the platform's owner-and-DACL check, passed in (this core imports no Windows code).
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const constants_1 = require("./constants");
const errors_1 = require("./errors");
exports.SECRET_FILE = 'capture.secret';
exports.PRIVATE_FILE = 'bridge.key';
exports.PUBLIC_FILE = 'bridge.pub';
function wipeKeys(k) {
    k.secret.fill(0);
    k.privateKey.fill(0);
}
const POSIX = process.platform !== 'win32';
const octal = (m) => `0${(m & 0o777).toString(8).padStart(3, '0')}`;
/** Mode bits on POSIX; on Windows the injected owner-and-DACL check (without one, none: mode bits mean nothing there). */
function checkEntry(p, allowed, dir, access) {
    let st;
    try {
        st = fs.lstatSync(p);
    }
    catch (e) {
        if (e.code === 'ENOENT')
            throw new errors_1.KeyFileError(p, 'does not exist');
        throw new errors_1.KeyFileError(p, `cannot be read (${e.code ?? 'error'})`);
    }
    // A symlink could point anywhere (and be swapped); the keys must be the files themselves.
    if (dir ? !st.isDirectory() : !st.isFile())
        throw new errors_1.KeyFileError(p, `is not a ${dir ? 'directory' : 'regular file'}`);
    if (!POSIX) {
        const problem = access?.(p, dir ? 'dir' : (allowed & 0o044) !== 0 ? 'public' : 'secret');
        if (problem)
            throw new errors_1.KeyFileError(p, problem);
        return;
    }
    if ((st.mode & 0o777 & ~allowed) !== 0) {
        throw new errors_1.KeyFileError(p, `mode ${octal(st.mode)} is looser than ${octal(allowed)} (chmod ${octal(allowed)} it, and replace the keys if others could have read them)`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
        throw new errors_1.KeyFileError(p, `is owned by uid ${st.uid}, expected ${uid} or root`);
    }
}
/** Create `file` with `data` only if it does not exist; a concurrent creator wins and its file is kept. */
function createOnce(file, data, mode) {
    const tmp = `${file}.${process.pid}.${(0, node_crypto_1.randomBytes)(4).toString('hex')}.tmp`;
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
        fs.fchmodSync(fd, mode); // the umask may have narrowed or (with 'wx') not applied the mode we asked for
        fs.writeSync(fd, data);
        fs.fsyncSync(fd);
    }
    finally {
        fs.closeSync(fd);
    }
    try {
        fs.linkSync(tmp, file); // fails with EEXIST instead of replacing, unlike rename
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw e;
    }
    finally {
        fs.unlinkSync(tmp);
        data.fill(0);
    }
}
/** The 32-byte scalar out of a P-256 private key PEM (via its SEC1 DER, which has a fixed layout). */
function scalarFromPem(file, pem) {
    let der;
    try {
        const key = (0, node_crypto_1.createPrivateKey)({ key: pem, format: 'pem' });
        if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
            throw new errors_1.KeyFileError(file, 'is not a P-256 private key');
        }
        der = key.export({ format: 'der', type: 'sec1' });
    }
    catch (e) {
        if (e instanceof errors_1.KeyFileError)
            throw e;
        throw new errors_1.KeyFileError(file, 'is not a readable PKCS#8 PEM private key');
    }
    finally {
        pem.fill(0);
    }
    // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (32), ... }: 30 77 02 01 01 04 20 ‖ d.
    const prefix = Buffer.from('30770201010420', 'hex');
    const ok = der.length >= 39 && der.subarray(0, 7).equals(prefix);
    const d = ok ? Buffer.from(der.subarray(7, 39)) : undefined;
    der.fill(0);
    if (!d)
        throw new errors_1.KeyFileError(file, 'has an unexpected P-256 key layout');
    return d;
}
function publicFromScalar(d) {
    const ecdh = (0, node_crypto_1.createECDH)('prime256v1');
    ecdh.setPrivateKey(d);
    return ecdh.getPublicKey(null, 'uncompressed');
}
function newPrivatePem() {
    const { privateKey } = (0, node_crypto_1.generateKeyPairSync)('ec', { namedCurve: 'prime256v1' });
    // Node only hands out PEM as a string; it lives until GC. The scalar itself is wiped where we hold it.
    return Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }), 'ascii');
}
/** Create whatever key file is missing (dir 0700, secret/key 0600, pub 0644), then load all three. */
function ensureKeys(keysDir, access) {
    if (fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 }) !== undefined && POSIX)
        fs.chmodSync(keysDir, 0o700);
    checkEntry(keysDir, 0o700, true, access);
    const secretPath = path.join(keysDir, exports.SECRET_FILE);
    const keyPath = path.join(keysDir, exports.PRIVATE_FILE);
    const pubPath = path.join(keysDir, exports.PUBLIC_FILE);
    if (!fs.existsSync(secretPath))
        createOnce(secretPath, (0, node_crypto_1.randomBytes)(constants_1.SECRET_BYTES), 0o600);
    if (!fs.existsSync(keyPath)) {
        // A pub without its key is useless (nothing can open what is sealed to it): replace it with the new one.
        if (fs.existsSync(pubPath))
            fs.unlinkSync(pubPath);
        createOnce(keyPath, newPrivatePem(), 0o600);
    }
    if (!fs.existsSync(pubPath)) {
        checkEntry(keyPath, 0o600, false, access);
        const d = scalarFromPem(keyPath, fs.readFileSync(keyPath));
        createOnce(pubPath, publicFromScalar(d), 0o644);
        d.fill(0);
    }
    return loadKeys(keysDir, access);
}
/**
 * Read and check the three key files. Refuses loose modes (on Windows, what `access` finds in the owner and
 * DACL), wrong sizes and a pub that is not the key's.
 */
function loadKeys(keysDir, access) {
    checkEntry(keysDir, 0o700, true, access);
    const secretPath = path.join(keysDir, exports.SECRET_FILE);
    const keyPath = path.join(keysDir, exports.PRIVATE_FILE);
    const pubPath = path.join(keysDir, exports.PUBLIC_FILE);
    checkEntry(secretPath, 0o600, false, access);
    checkEntry(keyPath, 0o600, false, access);
    checkEntry(pubPath, 0o644, false, access);
    const secret = fs.readFileSync(secretPath);
    if (secret.length !== constants_1.SECRET_BYTES) {
        secret.fill(0);
        throw new errors_1.KeyFileError(secretPath, `is ${secret.length} bytes, expected ${constants_1.SECRET_BYTES}`);
    }
    const privateKey = scalarFromPem(keyPath, fs.readFileSync(keyPath));
    const publicKey = fs.readFileSync(pubPath);
    const derived = publicFromScalar(privateKey);
    const problem = publicKey.length !== constants_1.EPK_BYTES || publicKey[0] !== 0x04
        ? `is ${publicKey.length} bytes, expected a ${constants_1.EPK_BYTES}-byte uncompressed point`
        : !publicKey.equals(derived) ? `does not match ${exports.PRIVATE_FILE} (captures would seal to a key the bridge does not hold)` : undefined;
    if (problem) {
        secret.fill(0);
        privateKey.fill(0);
        throw new errors_1.KeyFileError(pubPath, problem);
    }
    return { secret, privateKey, publicKey };
}
//# sourceMappingURL=key-files.js.map