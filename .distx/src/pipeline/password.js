"use strict";
// Password bytes: turn what the capture sent into UTF-8 without loss, or refuse.
// Never builds a JS string from a password: a string cannot be wiped, a Buffer can.
Object.defineProperty(exports, "__esModule", { value: true });
exports.ENCODING_UTF16LE = exports.ENCODING_RAW = void 0;
exports.normalisePassword = normalisePassword;
exports.isValidUtf8 = isValidUtf8;
exports.wipe = wipe;
exports.safeMessage = safeMessage;
exports.ENCODING_RAW = 1;
exports.ENCODING_UTF16LE = 2;
/**
 * The vault stores UTF-8. Windows hands us UTF-16LE, PAM hands us whatever bytes the user typed.
 * Anything that would change on the way (lone surrogates, bytes that are not UTF-8) is refused: storing
 * a different password than the one the account now has would lock the owner out later.
 * The result may share memory with `raw` (encoding 1): wipe both, wiping twice is harmless.
 */
function normalisePassword(raw, encoding) {
    if (encoding === exports.ENCODING_RAW) {
        return isValidUtf8(raw) ? { ok: true, utf8: raw } : { ok: false, reason: 'password-unrepresentable (not valid UTF-8)' };
    }
    if (encoding === exports.ENCODING_UTF16LE)
        return utf16leToUtf8(raw);
    return { ok: false, reason: `password-unrepresentable (unknown encoding ${encoding})` };
}
/** Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequences. */
function isValidUtf8(b) {
    let i = 0;
    while (i < b.length) {
        const c = b[i];
        if (c < 0x80) {
            i += 1;
            continue;
        }
        let need;
        let min;
        let cp;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            min = 0x80;
            cp = c & 0x1f;
        }
        else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            min = 0x800;
            cp = c & 0x0f;
        }
        else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            min = 0x10000;
            cp = c & 0x07;
        }
        else
            return false;
        for (let k = 1; k <= need; k++) {
            const cc = b[i + k];
            if (cc === undefined || (cc & 0xc0) !== 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += need + 1;
    }
    return true;
}
function utf16leToUtf8(raw) {
    if (raw.length % 2 !== 0)
        return { ok: false, reason: 'password-unrepresentable (odd UTF-16LE length)' };
    // Each 2-byte unit gives at most 3 UTF-8 bytes (a 4-byte pair gives 4), so 1.5x is enough.
    // Buffer.alloc never hands out pooled memory, so wiping this buffer wipes every byte we wrote.
    const out = Buffer.alloc((raw.length / 2) * 3);
    let o = 0;
    for (let i = 0; i < raw.length; i += 2) {
        let cp = raw[i] | (raw[i + 1] << 8);
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return refuse(out);
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (i + 3 >= raw.length)
                return refuse(out);
            const lo = raw[i + 2] | (raw[i + 3] << 8);
            if (lo < 0xdc00 || lo > 0xdfff)
                return refuse(out);
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 2;
        }
        if (cp < 0x80)
            out[o++] = cp;
        else if (cp < 0x800) {
            out[o++] = 0xc0 | (cp >> 6);
            out[o++] = 0x80 | (cp & 0x3f);
        }
        else if (cp < 0x10000) {
            out[o++] = 0xe0 | (cp >> 12);
            out[o++] = 0x80 | ((cp >> 6) & 0x3f);
            out[o++] = 0x80 | (cp & 0x3f);
        }
        else {
            out[o++] = 0xf0 | (cp >> 18);
            out[o++] = 0x80 | ((cp >> 12) & 0x3f);
            out[o++] = 0x80 | ((cp >> 6) & 0x3f);
            out[o++] = 0x80 | (cp & 0x3f);
        }
    }
    // A view, not a copy: wiping it wipes the bytes written; the tail was never written (zeros).
    return { ok: true, utf8: out.subarray(0, o) };
}
function refuse(scratch) {
    scratch.fill(0);
    return { ok: false, reason: 'password-unrepresentable (lone surrogate in UTF-16LE)' };
}
/** Zero every buffer given; tolerant of undefined so finally blocks stay short. */
function wipe(...bufs) {
    for (const b of bufs)
        b?.fill(0);
}
/**
 * An error's message for events and the journal. A port should never put a password into an error,
 * but if one does (an echoed request body, say), the message is withheld instead of logged.
 * The check compares bytes, so it builds no string from the password.
 */
function safeMessage(err, secret) {
    const e = err;
    const name = typeof e?.name === 'string' ? e.name : 'Error';
    const message = typeof e?.message === 'string' ? e.message : String(err);
    if (secret && secret.length > 0 && Buffer.from(message, 'utf8').indexOf(secret) !== -1) {
        return `${name}: (message withheld: it contained the password)`;
    }
    const text = `${name}: ${message}`;
    return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
//# sourceMappingURL=password.js.map