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
exports.hashPassword = hashPassword;
exports.decoyHash = decoyHash;
exports.verifyPassword = verifyPassword;
exports.newToken = newToken;
exports.tokenHash = tokenHash;
exports.generatePassword = generatePassword;
/**
 * Hub user passwords: scrypt (node:crypto) with a per-user random salt. The stored text carries its own
 * cost parameters, `scrypt$N$r$p$salt$hash` (salt and hash in base64), so the cost can be raised later
 * without breaking existing users. Tokens (sessions, agents) are random 32-byte values and are stored as
 * a plain SHA-256: a slow hash adds nothing to a secret with 256 bits of entropy.
 */
const crypto = __importStar(require("node:crypto"));
const N = 1 << 14;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt needs 128 * N * r bytes; the default maxmem (32 MiB) is exactly at the edge for N = 2^15. */
const MAXMEM = 64 * 1024 * 1024;
function scrypt(password, salt, n, r, p) {
    return new Promise((resolve, reject) => {
        crypto.scrypt(password, salt, KEY_BYTES, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key)));
    });
}
async function hashPassword(password) {
    const salt = crypto.randomBytes(SALT_BYTES);
    const key = await scrypt(password, salt, N, R, P);
    const text = `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
    key.fill(0);
    return text;
}
/** A hash of nothing anyone knows: checked for an unknown user, so a miss takes as long as a wrong password. */
let decoy;
function decoyHash() {
    decoy ??= hashPassword(crypto.randomBytes(32));
    return decoy;
}
async function verifyPassword(password, stored) {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt')
        return false;
    const [n, r, p] = parts.slice(1, 4).map(Number);
    const salt = Buffer.from(parts[4], 'base64');
    const expected = Buffer.from(parts[5], 'base64');
    if (![n, r, p].every((v) => Number.isSafeInteger(v) && v > 0) || expected.length !== KEY_BYTES)
        return false;
    const key = await scrypt(password, salt, n, r, p);
    try {
        return crypto.timingSafeEqual(key, expected);
    }
    finally {
        key.fill(0);
    }
}
/** A new bearer token: a prefix that says what it is ("pws" session, "pwa" agent) and 32 random bytes. */
function newToken(kind) {
    return `${kind}_${crypto.randomBytes(32).toString('base64url')}`;
}
function tokenHash(token) {
    return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}
/** A password for the first admin when none is given: 24 characters from a 62-character alphabet (~143 bits). */
function generatePassword() {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const out = Buffer.alloc(24);
    for (let i = 0; i < out.length; i++)
        out[i] = alphabet.charCodeAt(crypto.randomInt(alphabet.length));
    return out;
}
//# sourceMappingURL=passwords.js.map