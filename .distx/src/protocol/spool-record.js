"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_SPOOL_RECORD = void 0;
exports.encodeSpoolRecordParts = encodeSpoolRecordParts;
exports.encodeSpoolRecord = encodeSpoolRecord;
exports.decodeSpoolRecord = decodeSpoolRecord;
// One spool record (docs/protocol.md "Spool"): a CHANGE body a capture could not deliver, kept in a file
// with the capture's kind and machine and an HMAC tag keyed with K_spool (keys.ts spoolKey).
//
//   magic "PWBS" | version u8 | kind u8 | reserved u16 = 0 | machine str | body_len u32 | body | tag[32]
//
// Order of checks when decoding, as for a frame: the structure (magic, version, reserved, lengths), then
// the tag, and only then the contents (kind, machine, the CHANGE body). So nothing an unauthenticated
// file says is parsed beyond what is needed to find its tag.
const constants_1 = require("./constants");
const body_cursor_1 = require("./body-cursor");
const errors_1 = require("./errors");
const keys_1 = require("./keys");
const messages_1 = require("./messages");
/** magic(4) version(1) kind(1) reserved(2). */
const FIXED_HEAD = 8;
/** The largest record a valid file can be: fixed head, longest machine, body_len, largest body, tag. */
exports.MAX_SPOOL_RECORD = FIXED_HEAD + 2 + constants_1.MAX_NAME_BYTES + 4 + constants_1.MAX_SPOOL_BODY + constants_1.TAG_BYTES;
const KINDS = new Set(Object.values(constants_1.CaptureKind));
function encodeSpoolRecordParts(p, kSpool) {
    const machine = typeof p.machine === 'string' ? Buffer.from(p.machine, 'utf8') : p.machine;
    const signed = new body_cursor_1.BodyWriter()
        .raw(p.magic ?? constants_1.SPOOL_MAGIC).u8(p.version ?? constants_1.SPOOL_VERSION).u8(p.kind).u16(p.reserved ?? 0)
        .str(machine).u32(p.bodyLen ?? p.body.length).raw(p.body)
        .done();
    return Buffer.concat([signed, p.tag ?? (0, keys_1.computeTag)(kSpool, signed)]);
}
/** A valid record. Refuses to write what the bridge would refuse to read. */
function encodeSpoolRecord(r, kSpool) {
    if (!KINDS.has(r.kind))
        throw new errors_1.ProtocolError('malformed', `spool record kind ${r.kind} is unknown`);
    if (r.body.length > constants_1.MAX_SPOOL_BODY)
        throw new errors_1.ProtocolError('oversized', `spool record body of ${r.body.length} bytes exceeds ${constants_1.MAX_SPOOL_BODY}`);
    (0, messages_1.decodeChange)(r.body);
    return encodeSpoolRecordParts({ kind: r.kind, machine: (0, body_cursor_1.nameBytes)(r.machine, 'machine'), body: r.body }, kSpool);
}
/**
 * Parse and authenticate one record (a whole file). Throws ProtocolError: 'truncated' (the file ends
 * early), 'oversized' (body_len over MAX_SPOOL_BODY), 'bad-version', 'bad-tag', or 'malformed' (bad magic,
 * reserved ≠ 0, a bad machine length, bytes after the tag, an unknown kind, a bad machine or CHANGE body).
 * Details name sizes and fields, never the record's contents.
 */
function decodeSpoolRecord(raw, kSpool) {
    const magicSeen = raw.subarray(0, constants_1.SPOOL_MAGIC.length);
    if (!magicSeen.equals(constants_1.SPOOL_MAGIC.subarray(0, magicSeen.length)))
        throw new errors_1.ProtocolError('malformed', 'spool record does not start with the magic "PWBS"');
    const need = (n, what) => {
        if (raw.length < n)
            throw new errors_1.ProtocolError('truncated', `spool record of ${raw.length} bytes ends inside ${what} (needs ${n})`);
    };
    need(FIXED_HEAD + 2, 'its header');
    const version = raw.readUInt8(4);
    if (version !== constants_1.SPOOL_VERSION)
        throw new errors_1.ProtocolError('bad-version', `spool record version ${version}, this bridge reads ${constants_1.SPOOL_VERSION}`);
    const reserved = raw.readUInt16LE(6);
    if (reserved !== 0)
        throw new errors_1.ProtocolError('malformed', `spool record reserved field 0x${reserved.toString(16)}, version 1 requires 0`);
    const machineLen = raw.readUInt16LE(FIXED_HEAD);
    if (machineLen === 0 || machineLen > constants_1.MAX_NAME_BYTES)
        throw new errors_1.ProtocolError('malformed', `spool record machine length ${machineLen} is not 1..${constants_1.MAX_NAME_BYTES}`);
    const bodyLenAt = FIXED_HEAD + 2 + machineLen;
    need(bodyLenAt + 4, 'body_len');
    const bodyLen = raw.readUInt32LE(bodyLenAt);
    if (bodyLen > constants_1.MAX_SPOOL_BODY)
        throw new errors_1.ProtocolError('oversized', `spool record body_len ${bodyLen} exceeds ${constants_1.MAX_SPOOL_BODY}`);
    const tagAt = bodyLenAt + 4 + bodyLen;
    need(tagAt + constants_1.TAG_BYTES, 'its tag');
    if (raw.length > tagAt + constants_1.TAG_BYTES)
        throw new errors_1.ProtocolError('malformed', `spool record has ${raw.length - tagAt - constants_1.TAG_BYTES} bytes after its tag`);
    if (!(0, keys_1.verifyTag)(kSpool, raw.subarray(0, tagAt), raw.subarray(tagAt))) {
        throw new errors_1.ProtocolError('bad-tag', 'spool record tag does not verify (tampered, or written with another install secret)');
    }
    const kind = raw.readUInt8(5);
    if (!KINDS.has(kind))
        throw new errors_1.ProtocolError('malformed', `spool record kind ${kind} is unknown`);
    const machine = new body_cursor_1.BodyReader(raw.subarray(FIXED_HEAD, bodyLenAt), 'spool record').name('machine').text;
    const body = Buffer.from(raw.subarray(bodyLenAt + 4, tagAt));
    return { kind: kind, machine, body, change: (0, messages_1.decodeChange)(body) };
}
//# sourceMappingURL=spool-record.js.map