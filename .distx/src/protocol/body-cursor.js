"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BodyWriter = exports.BodyReader = void 0;
exports.nameBytes = nameBytes;
// Bounds-checked reading and writing of message bodies. Every overrun or leftover is a ProtocolError
// ('malformed'), so a decoder cannot accept a body that does not parse to exactly its length.
const node_buffer_1 = require("node:buffer");
const constants_1 = require("./constants");
const errors_1 = require("./errors");
class BodyReader {
    buf;
    what;
    off = 0;
    constructor(buf, what) {
        this.buf = buf;
        this.what = what;
    }
    take(n, field) {
        if (this.off + n > this.buf.length) {
            throw new errors_1.ProtocolError('malformed', `${this.what} body ends inside ${field} (needs ${n} bytes at ${this.off}, has ${this.buf.length})`);
        }
        const b = this.buf.subarray(this.off, this.off + n);
        this.off += n;
        return b;
    }
    u8(field) {
        return this.take(1, field).readUInt8(0);
    }
    u16(field) {
        return this.take(2, field).readUInt16LE(0);
    }
    u32(field) {
        return this.take(4, field).readUInt32LE(0);
    }
    /** u64 as a number: anything above 2^53-1 would lose precision, so it is refused. */
    u64(field) {
        const v = this.take(8, field).readBigUInt64LE(0);
        if (v > BigInt(Number.MAX_SAFE_INTEGER))
            throw new errors_1.ProtocolError('malformed', `${this.what} ${field} ${v} is out of range`);
        return Number(v);
    }
    /** A copy, so the value does not pin the frame it came from. */
    bytes(n, field) {
        return Buffer.from(this.take(n, field));
    }
    /** A name: u16 length + UTF-8, 1..MAX_NAME_BYTES bytes, valid UTF-8, no NUL (the C side uses C strings). */
    name(field) {
        const n = this.u16(`${field} length`);
        if (n === 0)
            throw new errors_1.ProtocolError('malformed', `${this.what} ${field} is empty`);
        if (n > constants_1.MAX_NAME_BYTES)
            throw new errors_1.ProtocolError('malformed', `${this.what} ${field} of ${n} bytes exceeds ${constants_1.MAX_NAME_BYTES}`);
        const bytes = this.bytes(n, field);
        if (bytes.includes(0))
            throw new errors_1.ProtocolError('malformed', `${this.what} ${field} contains a NUL byte`);
        if (!(0, node_buffer_1.isUtf8)(bytes))
            throw new errors_1.ProtocolError('malformed', `${this.what} ${field} is not valid UTF-8`);
        return { text: bytes.toString('utf8'), bytes };
    }
    get remaining() {
        return this.buf.length - this.off;
    }
    end() {
        if (this.off !== this.buf.length) {
            throw new errors_1.ProtocolError('malformed', `${this.what} body has ${this.buf.length - this.off} bytes after its last field`);
        }
    }
}
exports.BodyReader = BodyReader;
/** Checks a name before it is encoded: the encoder refuses what the decoder would refuse. */
function nameBytes(text, field) {
    const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (b.length === 0 || b.length > constants_1.MAX_NAME_BYTES || b.includes(0) || !(0, node_buffer_1.isUtf8)(b)) {
        throw new errors_1.ProtocolError('malformed', `${field} must be 1..${constants_1.MAX_NAME_BYTES} bytes of UTF-8 without NUL (got ${b.length} bytes)`);
    }
    return b;
}
class BodyWriter {
    parts = [];
    u8(v) {
        const b = Buffer.allocUnsafe(1);
        b.writeUInt8(v);
        this.parts.push(b);
        return this;
    }
    u16(v) {
        const b = Buffer.allocUnsafe(2);
        b.writeUInt16LE(v);
        this.parts.push(b);
        return this;
    }
    u32(v) {
        const b = Buffer.allocUnsafe(4);
        b.writeUInt32LE(v);
        this.parts.push(b);
        return this;
    }
    u64(v) {
        if (!Number.isSafeInteger(v) || v < 0)
            throw new RangeError(`u64 field out of range: ${v}`);
        const b = Buffer.allocUnsafe(8);
        b.writeBigUInt64LE(BigInt(v));
        this.parts.push(b);
        return this;
    }
    fixed(b, n, field) {
        if (b.length !== n)
            throw new RangeError(`${field} must be ${n} bytes, got ${b.length}`);
        this.parts.push(b);
        return this;
    }
    str(b) {
        return this.u16(b.length).fixed(b, b.length, 'string');
    }
    raw(b) {
        this.parts.push(b);
        return this;
    }
    done() {
        return Buffer.concat(this.parts);
    }
}
exports.BodyWriter = BodyWriter;
//# sourceMappingURL=body-cursor.js.map