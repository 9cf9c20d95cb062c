"use strict";
// REG_MULTI_SZ: a sequence of NUL-terminated UTF-16LE strings ended by one more NUL. `Notification
// Packages` is one. Windows itself is lenient about what it reads (a missing final NUL, empty strings
// in the middle written by a careless tool), so decoding is too, and says what it tolerated; encoding
// always writes the canonical form.
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeMultiSz = decodeMultiSz;
exports.encodeMultiSz = encodeMultiSz;
/**
 * Decode REG_MULTI_SZ bytes. Empty strings inside the list are dropped (RegSetValueEx documentation:
 * an empty string ends the list for most readers; LSA skips them), and reported in `irregular`.
 */
function decodeMultiSz(data) {
    const irregular = [];
    let bytes = data;
    if (bytes.length % 2 !== 0) {
        irregular.push('odd number of bytes (last byte ignored)');
        bytes = bytes.subarray(0, bytes.length - 1);
    }
    const values = [];
    let start = 0;
    let sawTerminator = false;
    for (let i = 0; i + 1 < bytes.length; i += 2) {
        if (bytes[i] !== 0 || bytes[i + 1] !== 0)
            continue;
        if (i === start) {
            // An empty string: the list's end when nothing non-empty follows, else a hole in the list.
            const rest = bytes.subarray(i + 2);
            if (rest.every((b) => b === 0)) {
                sawTerminator = true;
                break;
            }
            irregular.push(`empty string at position ${values.length} dropped`);
        }
        else {
            values.push(bytes.toString('utf16le', start, i));
        }
        start = i + 2;
    }
    if (!sawTerminator) {
        if (start < bytes.length) {
            values.push(bytes.toString('utf16le', start, bytes.length));
            irregular.push('last string not NUL-terminated');
        }
        else if (bytes.length > 0) {
            irregular.push('no empty string at the end');
        }
    }
    return { values, irregular };
}
/**
 * The canonical bytes for a list: each string NUL-terminated, then one more NUL. An empty list is the
 * single terminator pair. Strings that are empty or contain NUL cannot be represented and are refused.
 */
function encodeMultiSz(values) {
    for (const v of values) {
        if (v.length === 0)
            throw new Error('REG_MULTI_SZ cannot hold an empty string (it would end the list)');
        if (v.includes('\0'))
            throw new Error(`REG_MULTI_SZ cannot hold ${JSON.stringify(v)}: it contains NUL`);
    }
    const text = values.map((v) => `${v}\0`).join('') + '\0';
    return Buffer.from(text, 'utf16le');
}
//# sourceMappingURL=multi-sz.js.map