"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.wipeKeys = exports.loadKeys = exports.ensureKeys = void 0;
exports.hmac = hmac;
exports.helloKey = helloKey;
exports.spoolKey = spoolKey;
exports.sessionKeys = sessionKeys;
exports.wipeSessionKeys = wipeSessionKeys;
exports.computeTag = computeTag;
exports.verifyTag = verifyTag;
// Per-connection keys and frame tags (docs/protocol.md "Handshake and messages"). HMAC-SHA256 is the PRF.
// Key files live in key-files.ts; they are re-exported here so callers have one import for "keys".
const node_crypto_1 = require("node:crypto");
const constants_1 = require("./constants");
var key_files_1 = require("./key-files");
Object.defineProperty(exports, "ensureKeys", { enumerable: true, get: function () { return key_files_1.ensureKeys; } });
Object.defineProperty(exports, "loadKeys", { enumerable: true, get: function () { return key_files_1.loadKeys; } });
Object.defineProperty(exports, "wipeKeys", { enumerable: true, get: function () { return key_files_1.wipeKeys; } });
function hmac(key, ...parts) {
    const h = (0, node_crypto_1.createHmac)('sha256', key);
    for (const p of parts)
        h.update(p);
    return h.digest();
}
function checkInputs(secret, ...nonces) {
    // A short secret or nonce would still "work" and silently weaken every tag; refuse it loudly.
    if (secret.length !== constants_1.SECRET_BYTES)
        throw new RangeError(`install secret must be ${constants_1.SECRET_BYTES} bytes`);
    for (const n of nonces)
        if (n.length !== constants_1.NONCE_BYTES)
            throw new RangeError(`nonce must be ${constants_1.NONCE_BYTES} bytes`);
}
/** K_hello = HMAC(S, "pwbridge/1/hello" ‖ nb): tags HELLO, before the capture's nonce is known. */
function helloKey(secret, nb) {
    checkInputs(secret, nb);
    return hmac(secret, constants_1.Label.hello, nb);
}
/**
 * K_spool = HMAC(S, "pwbridge/1/spool"): tags spool records. Not bound to a connection (a spool file
 * outlives every connection); it is the same key as the service's `deriveKey(S, 'spool')`.
 */
function spoolKey(secret) {
    checkInputs(secret);
    return hmac(secret, constants_1.Label.spool);
}
/** K_c2b / K_b2c = HMAC(S, label ‖ nb ‖ nc). Two keys so a frame cannot be reflected back at its sender. */
function sessionKeys(secret, nb, nc) {
    checkInputs(secret, nb, nc);
    return { c2b: hmac(secret, constants_1.Label.c2b, nb, nc), b2c: hmac(secret, constants_1.Label.b2c, nb, nc) };
}
function wipeSessionKeys(k) {
    k.c2b.fill(0);
    k.b2c.fill(0);
}
/** The tag over bytes 4 .. 16+n of a frame (`signed`). */
function computeTag(key, signed) {
    return hmac(key, signed);
}
/** Constant-time comparison: a byte-wise early exit would let a peer guess a tag byte by byte. */
function verifyTag(key, signed, tag) {
    if (!tag || tag.length !== constants_1.TAG_BYTES)
        return false;
    const expected = computeTag(key, signed);
    const ok = (0, node_crypto_1.timingSafeEqual)(expected, tag);
    expected.fill(0);
    return ok;
}
//# sourceMappingURL=keys.js.map