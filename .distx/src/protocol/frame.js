"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FrameReader = void 0;
exports.encodeFrameParts = encodeFrameParts;
exports.encodeFrame = encodeFrame;
exports.decodeFrame = decodeFrame;
// Framing (docs/protocol.md "Framing"): encode one frame, and read frames out of a byte stream that
// arrives in arbitrary chunks. Tags are computed here but verified by the sessions, which know the keys.
const constants_1 = require("./constants");
const errors_1 = require("./errors");
const keys_1 = require("./keys");
function encodeFrameParts(p) {
    const tag = p.tag ?? Buffer.alloc(0);
    const out = Buffer.allocUnsafe(constants_1.HEADER_BYTES + p.body.length + tag.length);
    out.writeUInt32LE(p.len ?? out.length - 4, 0);
    out.writeUInt8(p.version ?? constants_1.VERSION, 4);
    out.writeUInt8(p.type, 5);
    out.writeUInt16LE(p.flags ?? 0, 6);
    out.writeBigUInt64LE(p.seq, 8);
    p.body.copy(out, constants_1.HEADER_BYTES);
    tag.copy(out, constants_1.HEADER_BYTES + p.body.length);
    return out;
}
/**
 * A valid version-1 frame. `tagKey` is required for every type but CHALLENGE and refused for it, so a
 * caller cannot send an untagged frame by mistake.
 */
function encodeFrame(type, seq, body, tagKey) {
    if ((0, constants_1.isTagged)(type) !== (tagKey !== undefined)) {
        throw new Error(`frame type ${(0, constants_1.messageTypeName)(type)} ${(0, constants_1.isTagged)(type) ? 'needs' : 'takes no'} tag key`);
    }
    const size = constants_1.HEADER_BYTES + body.length + (tagKey ? constants_1.TAG_BYTES : 0);
    if (size > constants_1.MAX_FRAME)
        throw new errors_1.ProtocolError('oversized', `frame of ${size} bytes exceeds ${constants_1.MAX_FRAME}`);
    const out = encodeFrameParts({ type, seq, body, tag: tagKey ? Buffer.alloc(constants_1.TAG_BYTES) : undefined });
    if (tagKey)
        (0, keys_1.computeTag)(tagKey, out.subarray(4, constants_1.HEADER_BYTES + body.length)).copy(out, constants_1.HEADER_BYTES + body.length);
    return out;
}
/** The length field alone decides: too small is malformed, too large is refused before reading more. */
function checkLen(len) {
    if (len + 4 > constants_1.MAX_FRAME) {
        throw new errors_1.ProtocolError('oversized', `frame length ${len} (${len + 4} bytes with the length field) exceeds ${constants_1.MAX_FRAME}`);
    }
    if (len < constants_1.MIN_LEN)
        throw new errors_1.ProtocolError('malformed', `frame length ${len} is below the minimum ${constants_1.MIN_LEN}`);
}
/** Parse exactly one complete frame (`raw.length` must equal 4 + len). Throws ProtocolError. */
function decodeFrame(raw) {
    if (raw.length < 4)
        throw new errors_1.ProtocolError('truncated', `${raw.length} bytes, a frame needs at least 4`);
    const len = raw.readUInt32LE(0);
    checkLen(len);
    if (raw.length < len + 4)
        throw new errors_1.ProtocolError('truncated', `frame length ${len} but only ${raw.length - 4} bytes follow`);
    if (raw.length > len + 4)
        throw new errors_1.ProtocolError('malformed', `frame length ${len} but ${raw.length - 4} bytes follow`);
    const version = raw.readUInt8(4);
    if (version !== constants_1.VERSION)
        throw new errors_1.ProtocolError('bad-version', `version ${version}, this bridge speaks ${constants_1.VERSION}`);
    const type = raw.readUInt8(5);
    const name = (0, constants_1.messageTypeName)(type);
    if (!name)
        throw new errors_1.ProtocolError('malformed', `unknown message type ${type}`);
    const flags = raw.readUInt16LE(6);
    if (flags !== 0)
        throw new errors_1.ProtocolError('malformed', `flags 0x${flags.toString(16)} on ${name}, version 1 requires 0`);
    const tagged = (0, constants_1.isTagged)(type);
    const end = raw.length - (tagged ? constants_1.TAG_BYTES : 0);
    if (end < constants_1.HEADER_BYTES)
        throw new errors_1.ProtocolError('malformed', `${name} of length ${len} has no room for its ${constants_1.TAG_BYTES}-byte tag`);
    return {
        version,
        type: type,
        flags,
        seq: raw.readBigUInt64LE(8),
        body: raw.subarray(constants_1.HEADER_BYTES, end),
        tag: tagged ? raw.subarray(end) : undefined,
        signed: raw.subarray(4, end),
        raw,
    };
}
/**
 * Cuts a byte stream into frames. Each byte is copied once into a MAX_FRAME staging buffer and each
 * complete frame once out of it, so a frame never shares memory with the socket's chunks. After the
 * first refusal the reader is dead: the connection must be closed, the rest of the stream is not read.
 */
class FrameReader {
    stage = Buffer.allocUnsafe(constants_1.MAX_FRAME);
    have = 0;
    need = 4;
    refusal;
    get dead() {
        return this.refusal !== undefined;
    }
    /** Bytes of an incomplete frame held right now. */
    get buffered() {
        return this.have;
    }
    feed(chunk) {
        const out = [];
        let off = 0;
        while (!this.refusal && off < chunk.length) {
            const n = Math.min(this.need - this.have, chunk.length - off);
            chunk.copy(this.stage, this.have, off, off + n);
            this.have += n;
            off += n;
            if (this.have < this.need)
                break;
            try {
                if (this.need === 4) {
                    const len = this.stage.readUInt32LE(0);
                    checkLen(len);
                    this.need = 4 + len;
                    continue;
                }
                const frame = decodeFrame(Buffer.from(this.stage.subarray(0, this.need)));
                this.have = 0;
                this.need = 4;
                out.push({ kind: 'frame', frame });
            }
            catch (e) {
                out.push(this.refuse(e));
            }
        }
        return out;
    }
    /** The stream ended: a partial frame is a refusal ('truncated'), nothing buffered is fine. */
    end() {
        if (this.refusal || this.have === 0)
            return undefined;
        this.refusal = {
            reason: 'truncated',
            detail: this.need === 4
                ? `stream ended inside a length field (${this.have} of 4 bytes)`
                : `stream ended inside a frame (${this.have} of ${this.need} bytes)`,
        };
        return this.refusal;
    }
    refuse(e) {
        if (!(e instanceof errors_1.ProtocolError))
            throw e;
        this.refusal = { reason: e.reason, detail: e.detail };
        this.stage.fill(0, 0, this.have);
        this.have = 0;
        return { kind: 'refused', ...this.refusal };
    }
}
exports.FrameReader = FrameReader;
//# sourceMappingURL=frame.js.map