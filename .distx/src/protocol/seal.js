"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Opener = exports.Sealer = void 0;
exports.seal = seal;
exports.open = open;
// Sealing the password to the bridge's public key (docs/protocol.md, CHANGE "Sealing"):
// z = ECDH-P256(epk_priv, bridge_pub).x; k = HMAC(HMAC("pwbridge/1/seal", z), event_id ‖ 0x01);
// AES-256-GCM(k, iv, AAD = event_id ‖ account bytes ‖ encoding).
// One ECDH costs ~100 µs; a capture keeps one ephemeral key per session, so both sides derive the HKDF
// PRK (which depends on z only) once per ephemeral key and only the cheap per-event HMAC every time.
const node_crypto_1 = require("node:crypto");
const constants_1 = require("./constants");
const errors_1 = require("./errors");
const keys_1 = require("./keys");
const messages_1 = require("./messages");
const CURVE = 'prime256v1';
const ONE = Buffer.from([1]);
/** HKDF-Extract with the seal label as salt; wipes z. */
function extract(z) {
    const prk = (0, keys_1.hmac)(constants_1.Label.seal, z);
    z.fill(0);
    return prk;
}
/** HKDF-Expand, one block, info = event id. */
function expand(prk, eventId) {
    if (eventId.length !== constants_1.ID_BYTES)
        throw new errors_1.SealError(`event id must be ${constants_1.ID_BYTES} bytes`);
    return (0, keys_1.hmac)(prk, eventId, ONE);
}
function aad(eventId, accountBytes, encoding) {
    return Buffer.concat([eventId, accountBytes, Buffer.from([encoding])]);
}
/** The capture side: one ephemeral key pair, sealing any number of passwords to one bridge key. */
class Sealer {
    ecdh;
    prk;
    epk;
    /** `ephemeralPrivateKey` only for deterministic test vectors; normally a fresh key is generated. */
    constructor(bridgePub, ephemeralPrivateKey) {
        this.ecdh = (0, node_crypto_1.createECDH)(CURVE);
        if (ephemeralPrivateKey)
            this.ecdh.setPrivateKey(ephemeralPrivateKey);
        else
            this.ecdh.generateKeys();
        this.epk = this.ecdh.getPublicKey(null, 'uncompressed');
        try {
            this.prk = extract(this.ecdh.computeSecret(bridgePub));
        }
        catch {
            throw new errors_1.SealError(`bridge public key is not a valid ${constants_1.EPK_BYTES}-byte P-256 point`);
        }
    }
    seal(password, eventId, accountBytes, encoding, iv) {
        if (this.prk.length === 0)
            throw new errors_1.SealError('sealer is closed');
        if (password.length > constants_1.MAX_PASSWORD_BYTES)
            throw new errors_1.SealError(`password of ${password.length} bytes exceeds ${constants_1.MAX_PASSWORD_BYTES}`);
        const nonce = iv ?? (0, node_crypto_1.randomBytes)(constants_1.IV_BYTES);
        if (nonce.length !== constants_1.IV_BYTES)
            throw new errors_1.SealError(`iv must be ${constants_1.IV_BYTES} bytes`);
        const k = expand(this.prk, eventId);
        const cipher = (0, node_crypto_1.createCipheriv)('aes-256-gcm', k, nonce, { authTagLength: constants_1.GCM_TAG_BYTES });
        k.fill(0);
        cipher.setAAD(aad(eventId, accountBytes, encoding));
        const ct = Buffer.concat([cipher.update(password), cipher.final()]);
        return (0, messages_1.joinSealed)({ epk: this.epk, iv: nonce, ct, gcmTag: cipher.getAuthTag() });
    }
    /** Wipe the PRK and replace the ephemeral private key (ECDH has no wipe; a new key drops the old). */
    close() {
        this.prk.fill(0);
        this.prk = Buffer.alloc(0);
        this.ecdh.generateKeys();
    }
}
exports.Sealer = Sealer;
/** One-off seal with its own ephemeral key (tests, vectors). Captures use a Sealer per session. */
function seal(password, eventId, accountBytes, encoding, bridgePub, ephemeral) {
    const s = new Sealer(bridgePub, ephemeral?.privateKey);
    try {
        return s.seal(password, eventId, accountBytes, encoding, ephemeral?.iv);
    }
    finally {
        s.close();
    }
}
/**
 * The bridge side: the private key plus a bounded LRU of PRKs per ephemeral public key, so a session's
 * stream of CHANGEs costs one ECDH, not one per event. Evicted PRKs are wiped.
 */
class Opener {
    cacheSize;
    ecdh;
    cache = new Map();
    /** `privateKey` is the 32-byte scalar (BridgeKeys.privateKey); it is copied, the caller may wipe it. */
    constructor(privateKey, cacheSize = 1024) {
        this.cacheSize = cacheSize;
        this.ecdh = (0, node_crypto_1.createECDH)(CURVE);
        this.ecdh.setPrivateKey(privateKey);
    }
    get cached() {
        return this.cache.size;
    }
    prkFor(epk) {
        const id = epk.toString('latin1');
        const hit = this.cache.get(id);
        if (hit) {
            this.cache.delete(id); // re-insert: Map order is the LRU order
            this.cache.set(id, hit);
            return hit;
        }
        let z;
        try {
            z = this.ecdh.computeSecret(epk);
        }
        catch {
            throw new errors_1.SealError('epk is not a valid P-256 point');
        }
        const prk = extract(z);
        this.cache.set(id, prk);
        if (this.cache.size > this.cacheSize) {
            const [oldest, old] = this.cache.entries().next().value;
            old.fill(0);
            this.cache.delete(oldest);
        }
        return prk;
    }
    /** The password bytes, exactly as sealed. The caller wipes them. Throws SealError. */
    open(sealed, eventId, accountBytes, encoding) {
        let parts;
        try {
            parts = (0, messages_1.splitSealed)(sealed);
        }
        catch {
            throw new errors_1.SealError('sealed password is malformed');
        }
        const k = expand(this.prkFor(parts.epk), eventId);
        const decipher = (0, node_crypto_1.createDecipheriv)('aes-256-gcm', k, parts.iv, { authTagLength: constants_1.GCM_TAG_BYTES });
        k.fill(0);
        decipher.setAAD(aad(eventId, accountBytes, encoding));
        decipher.setAuthTag(parts.gcmTag);
        const head = decipher.update(parts.ct);
        try {
            const tail = decipher.final();
            const out = Buffer.concat([head, tail]);
            head.fill(0);
            return out;
        }
        catch {
            head.fill(0); // unauthenticated plaintext must not outlive the failure
            throw new errors_1.SealError('sealed password failed authentication (wrong key, wrong event/account/encoding, or altered)');
        }
    }
    close() {
        for (const prk of this.cache.values())
            prk.fill(0);
        this.cache.clear();
        this.ecdh.generateKeys();
    }
}
exports.Opener = Opener;
/** One-off open (tests); the bridge keeps one Opener. */
function open(sealed, eventId, accountBytes, encoding, bridgePrivateKey) {
    const o = new Opener(bridgePrivateKey, 1);
    try {
        return o.open(sealed, eventId, accountBytes, encoding);
    }
    finally {
        o.close();
    }
}
//# sourceMappingURL=seal.js.map