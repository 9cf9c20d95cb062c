"use strict";
// UTF-16LE, the "W" in every Win32 call pwbridge makes. Names are JS strings (not secret); passwords
// are Buffers end to end: the vault's UTF-8 bytes become UTF-16LE bytes here without ever being a JS
// string (a string cannot be wiped), and every Buffer this file makes for a password is the caller's to
// wipe. Buffer.alloc (never allocUnsafe) so no password byte lands in Node's shared pool.
Object.defineProperty(exports, "__esModule", { value: true });
exports.WideStringError = void 0;
exports.wideZ = wideZ;
exports.fromWide = fromWide;
exports.utf8ToWideZ = utf8ToWideZ;
exports.wipeAll = wipeAll;
/** Refused input: the message names the problem, never the password. */
class WideStringError extends Error {
    constructor(message) {
        super(message);
        this.name = 'WideStringError';
    }
}
exports.WideStringError = WideStringError;
/**
 * A name or path as a NUL-terminated UTF-16LE Buffer (LPCWSTR). An embedded NUL would silently cut the
 * name short on the Windows side, so it is refused.
 */
function wideZ(s) {
    if (s.includes('\0'))
        throw new WideStringError(`${JSON.stringify(s)} contains a NUL character`);
    const out = Buffer.alloc((s.length + 1) * 2);
    out.write(s, 0, 'utf16le');
    return out;
}
/** Decode UTF-16LE bytes (no terminator) to a string. Lone surrogates are kept as they are. */
function fromWide(b) {
    return b.toString('utf16le', 0, b.length - (b.length % 2));
}
/**
 * The password's UTF-8 bytes as NUL-terminated UTF-16LE, for LogonUserW, NetUserSetInfo and
 * NetValidatePasswordPolicy. Strict: invalid UTF-8 (a byte that is not part of a well-formed sequence,
 * an overlong form, a surrogate, above U+10FFFF) and NUL are refused, because Windows would be handed a
 * different password than the vault holds. The result is the caller's to wipe; on refusal nothing
 * is left behind.
 */
function utf8ToWideZ(utf8) {
    // Every UTF-8 sequence of n bytes gives at most n UTF-16 units (a 4-byte one gives 2 units), so
    // 2 bytes per input byte plus the terminator is always enough.
    const out = Buffer.alloc(utf8.length * 2 + 2);
    let o = 0;
    const refuse = (why) => {
        out.fill(0);
        throw new WideStringError(`the password cannot be passed to Windows: ${why}`);
    };
    let i = 0;
    while (i < utf8.length) {
        const c = utf8[i];
        let cp;
        let need;
        let min;
        if (c < 0x80) {
            cp = c;
            need = 0;
            min = 0;
        }
        else if (c >= 0xc2 && c <= 0xdf) {
            cp = c & 0x1f;
            need = 1;
            min = 0x80;
        }
        else if (c >= 0xe0 && c <= 0xef) {
            cp = c & 0x0f;
            need = 2;
            min = 0x800;
        }
        else if (c >= 0xf0 && c <= 0xf4) {
            cp = c & 0x07;
            need = 3;
            min = 0x10000;
        }
        else
            return refuse(`byte ${i} is not valid UTF-8`);
        for (let k = 1; k <= need; k++) {
            const cc = utf8[i + k];
            if (cc === undefined || (cc & 0xc0) !== 0x80)
                return refuse(`byte ${i} starts a truncated UTF-8 sequence`);
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min)
            return refuse(`byte ${i} starts an overlong UTF-8 sequence`);
        if (cp >= 0xd800 && cp <= 0xdfff)
            return refuse(`byte ${i} encodes a surrogate`);
        if (cp > 0x10ffff)
            return refuse(`byte ${i} encodes a code point above U+10FFFF`);
        if (cp === 0)
            return refuse('it contains a NUL character');
        if (cp >= 0x10000) {
            const v = cp - 0x10000;
            out.writeUInt16LE(0xd800 + (v >> 10), o);
            out.writeUInt16LE(0xdc00 + (v & 0x3ff), o + 2);
            o += 4;
        }
        else {
            out.writeUInt16LE(cp, o);
            o += 2;
        }
        i += need + 1;
        cp = 0;
    }
    // out[o], out[o+1] are already the terminator (alloc zero-fills). Return a view of the used part: it
    // shares memory with `out`, so wiping the view wipes what was written, and the tail is zeros anyway.
    return out.subarray(0, o + 2);
}
/** Wipe every Buffer given (undefined ones are skipped). */
function wipeAll(...bufs) {
    for (const b of bufs)
        b?.fill(0);
}
//# sourceMappingURL=utf16.js.map