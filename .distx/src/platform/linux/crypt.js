"use strict";
// Password verification against a crypt(3) hash, through the system libcrypt (koffi FFI).
//
// Why the system library: it knows every hash scheme the system can write (yescrypt, sha512crypt,
// bcrypt, …) exactly as PAM does, so "verifies here" means "logs in there".
//
// Secrets: the password only ever lives in Buffers this module builds and zeroes. It is never turned
// into a JS string (strings are immutable and cannot be wiped). The hash is not treated as a secret
// of the same class (it is what /etc/shadow already holds), but the crypt output buffer is wiped too.
Object.defineProperty(exports, "__esModule", { value: true });
exports.LIBCRYPT_CANDIDATES = void 0;
exports.loadCrypt = loadCrypt;
exports.openCrypt = openCrypt;
exports.isUsableHash = isUsableHash;
exports.verifyCrypt = verifyCrypt;
exports.verifyCryptAsync = verifyCryptAsync;
const node_crypto_1 = require("node:crypto");
/**
 * sizeof(struct crypt_data) in libxcrypt (/usr/include/crypt.h: the fields are sized "to add up to
 * exactly 32768 bytes"). Output is the first field.
 */
const XCRYPT_DATA_SIZE = 32768;
/**
 * The legacy glibc libcrypt (before distributions switched to libxcrypt) had a ~128 KiB struct
 * crypt_data (DES key schedule tables). We only get there if the library lacks libxcrypt's
 * crypt_rn; over-allocate rather than risk a heap overrun.
 */
const LEGACY_DATA_SIZE = 256 * 1024;
/** CRYPT_OUTPUT_SIZE: the longest string crypt_r may write, NUL included. */
const CRYPT_OUTPUT_SIZE = 384;
/** Tried in order. The soname first so the dynamic linker's own search path decides. */
exports.LIBCRYPT_CANDIDATES = [
    'libcrypt.so.1',
    'libcrypt.so.2',
    '/lib/x86_64-linux-gnu/libcrypt.so.1',
    '/usr/lib/x86_64-linux-gnu/libcrypt.so.1',
    '/lib64/libcrypt.so.1',
    '/usr/lib64/libcrypt.so.1',
    '/lib/aarch64-linux-gnu/libcrypt.so.1',
];
let loaded;
/** Loads libcrypt once (the only thing this platform layer caches). Throws listing every attempt. */
function loadCrypt() {
    loaded ??= openCrypt(exports.LIBCRYPT_CANDIDATES);
    return loaded;
}
/** Opens the first usable candidate, uncached (loadCrypt is the cached entry point). */
function openCrypt(candidates) {
    // Required lazily: importing this module must not need koffi (other platforms, parse-only tests).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi');
    const failures = [];
    for (const path of candidates) {
        let lib;
        try {
            lib = koffi.load(path);
        }
        catch (e) {
            failures.push(`${path}: ${e.message}`);
            continue;
        }
        // Pointers are declared void* so koffi passes our Buffers as raw memory (no string conversion,
        // no copy) and returns the result as an address we map back into our own buffer.
        const cryptR = tryFunc(lib, 'void *crypt_r(const void *phrase, const void *setting, void *data)');
        const crypt = cryptR ? undefined : tryFunc(lib, 'void *crypt(const void *phrase, const void *setting)');
        if (!cryptR && !crypt) {
            failures.push(`${path}: has neither crypt_r nor crypt`);
            continue;
        }
        const isXcrypt = tryFunc(lib, 'void *crypt_rn(const void *p, const void *s, void *d, int n)') !== undefined;
        return { path, koffi, cryptR, crypt, dataSize: isXcrypt ? XCRYPT_DATA_SIZE : LEGACY_DATA_SIZE };
    }
    throw new Error(`cannot load libcrypt (needed to verify local passwords); tried:\n  ${failures.join('\n  ')}`);
}
function tryFunc(lib, decl) {
    try {
        return lib.func(decl);
    }
    catch {
        return undefined;
    }
}
/**
 * '!…' (locked by passwd -l / usermod -L), '*…' (no password, e.g. system accounts), '' (no password
 * at all) and anything that is not a crypt setting can never match a password we are asked about.
 * An empty hash is treated as "does not match": the vault never holds "no password".
 */
function isUsableHash(hash) {
    return hash.length > 0 && !hash.startsWith('!') && !hash.startsWith('*');
}
/** The NUL-terminated copy crypt needs, or undefined when the password cannot be a Unix password. */
function phraseBuffer(password) {
    if (password.includes(0))
        return undefined; // C would silently truncate at the NUL
    const phrase = Buffer.alloc(password.length + 1); // alloc (not allocUnsafe): not from the shared pool
    password.copy(phrase);
    return phrase;
}
/** Compares crypt's output (inside `data`, at the returned address) with the stored hash. */
function matches(c, result, data, hash) {
    if (result === null || result === undefined)
        return false; // legacy glibc: NULL on error
    const addr = BigInt(result);
    let out;
    const base = data ? c.koffi.address(data) : 0n;
    if (data && addr >= base && addr < base + BigInt(data.length)) {
        const off = Number(addr - base);
        out = data.subarray(off, Math.min(off + CRYPT_OUTPUT_SIZE, data.length));
    }
    else {
        // crypt()'s static buffer: view it in place, no copy.
        out = Buffer.from(c.koffi.view(result, CRYPT_OUTPUT_SIZE));
    }
    const end = out.indexOf(0);
    const got = end < 0 ? out : out.subarray(0, end);
    // Lengths are not secret (the hash length is public); timingSafeEqual needs them equal.
    // libxcrypt reports errors as a short "*0"/"*1" token, which never equals a usable hash.
    return got.length === hash.length && (0, node_crypto_1.timingSafeEqual)(got, hash);
}
/** True when `password` hashes to `hash`. Synchronous: blocks for the hash's cost (ms to ~100 ms). */
function verifyCrypt(password, hash) {
    if (!isUsableHash(hash))
        return false;
    const phrase = phraseBuffer(password);
    if (!phrase)
        return false;
    const c = loadCrypt();
    const setting = Buffer.from(hash + '\0', 'utf8');
    const data = c.cryptR ? Buffer.alloc(c.dataSize) : undefined;
    try {
        const result = c.cryptR ? c.cryptR(phrase, setting, data) : c.crypt(phrase, setting);
        return matches(c, result, data, setting.subarray(0, setting.length - 1));
    }
    finally {
        phrase.fill(0);
        data?.fill(0); // holds the derived output and hashing state
    }
}
/**
 * Same as verifyCrypt, but the hashing runs on a koffi worker thread so a slow scheme (yescrypt)
 * does not stall the event loop. Falls back to the synchronous call when only crypt() exists.
 * The Buffers stay referenced by this closure until the callback, so they cannot be collected
 * while native code uses them, and are wiped after it.
 */
function verifyCryptAsync(password, hash) {
    if (!isUsableHash(hash))
        return Promise.resolve(false);
    const c = loadCrypt();
    if (!c.cryptR)
        return Promise.resolve(verifyCrypt(password, hash));
    const phrase = phraseBuffer(password);
    if (!phrase)
        return Promise.resolve(false);
    const setting = Buffer.from(hash + '\0', 'utf8');
    const data = Buffer.alloc(c.dataSize);
    const wipe = () => {
        phrase.fill(0);
        data.fill(0);
    };
    return new Promise((resolve, reject) => {
        try {
            c.cryptR.async(phrase, setting, data, (err, result) => {
                try {
                    if (err)
                        reject(new Error(`crypt_r failed: ${err.message ?? String(err)}`));
                    else
                        resolve(matches(c, result, data, setting.subarray(0, setting.length - 1)));
                }
                catch (e) {
                    reject(e);
                }
                finally {
                    wipe();
                }
            });
        }
        catch (e) {
            // koffi refused the call before it started: nothing will call back, so wipe here.
            wipe();
            reject(e);
        }
    });
}
//# sourceMappingURL=crypt.js.map