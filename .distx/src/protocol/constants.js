"use strict";
// Numbers of the capture protocol, version 1 (docs/protocol.md). The C codec has the same table.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Label = exports.AckStatus = exports.Encoding = exports.CaptureKind = exports.Reason = exports.MessageType = exports.MAX_SPOOL_BODY = exports.SPOOL_VERSION = exports.SPOOL_MAGIC = exports.GCM_TAG_BYTES = exports.IV_BYTES = exports.EPK_BYTES = exports.SECRET_BYTES = exports.ID_BYTES = exports.NONCE_BYTES = exports.TAG_BYTES = exports.MIN_LEN = exports.HEADER_BYTES = exports.MAX_NAME_BYTES = exports.MAX_PASSWORD_BYTES = exports.MAX_FRAME = exports.VERSION = void 0;
exports.messageTypeName = messageTypeName;
exports.isTagged = isTagged;
exports.reasonName = reasonName;
exports.packVersion = packVersion;
exports.formatVersion = formatVersion;
exports.VERSION = 1;
/** Largest whole frame, the 4-byte length field included. */
exports.MAX_FRAME = 4096;
/** Largest sealed password (ct_len). */
exports.MAX_PASSWORD_BYTES = 1024;
/** Largest `machine` / `account` string in bytes. Both are names: 256 is far above any OS limit. */
exports.MAX_NAME_BYTES = 256;
/** Bytes before the body: len(4) version(1) type(1) flags(2) seq(8). */
exports.HEADER_BYTES = 16;
/** `len` counts everything after itself; the smallest frame is a header with no body and no tag. */
exports.MIN_LEN = exports.HEADER_BYTES - 4;
exports.TAG_BYTES = 32;
exports.NONCE_BYTES = 32;
exports.ID_BYTES = 16;
exports.SECRET_BYTES = 32;
exports.EPK_BYTES = 65;
exports.IV_BYTES = 12;
exports.GCM_TAG_BYTES = 16;
/** Spool records (docs/protocol.md "Spool"): one undelivered CHANGE per file. */
exports.SPOOL_MAGIC = Buffer.from('PWBS', 'ascii');
exports.SPOOL_VERSION = 1;
/** Largest CHANGE body a spool record may hold (`body_len`). */
exports.MAX_SPOOL_BODY = 4096;
exports.MessageType = {
    CHALLENGE: 1,
    HELLO: 2,
    HELLO_ACK: 3,
    CHANGE: 4,
    ACK: 5,
    HEARTBEAT: 6,
};
const TYPE_NAMES = new Map(Object.keys(exports.MessageType).map((n) => [exports.MessageType[n], n]));
function messageTypeName(code) {
    return TYPE_NAMES.get(code);
}
/** Every type but CHALLENGE carries a tag (the bridge has no key yet when it sends the challenge). */
function isTagged(type) {
    return type !== exports.MessageType.CHALLENGE;
}
exports.Reason = {
    oversized: 1,
    truncated: 2,
    malformed: 3,
    'bad-version': 4,
    'bad-tag': 5,
    replayed: 6,
    unexpected: 7,
    'password-too-long': 8,
};
const REASON_NAMES = new Map(Object.keys(exports.Reason).map((n) => [exports.Reason[n], n]));
function reasonName(code) {
    return REASON_NAMES.get(code);
}
/** selftest: `pwbridge selftest`, which proves the bridge answers; it sends no CHANGE and says nothing about the filter. */
exports.CaptureKind = { pam: 1, lsa: 2, reference: 3, selftest: 4 };
exports.Encoding = { raw: 1, utf16le: 2 };
exports.AckStatus = { stored: 0, duplicate: 1, refused: 2 };
/** HKDF/HMAC labels, ASCII, no terminator. */
exports.Label = {
    hello: Buffer.from('pwbridge/1/hello', 'ascii'),
    c2b: Buffer.from('pwbridge/1/c2b', 'ascii'),
    b2c: Buffer.from('pwbridge/1/b2c', 'ascii'),
    seal: Buffer.from('pwbridge/1/seal', 'ascii'),
    spool: Buffer.from('pwbridge/1/spool', 'ascii'),
};
/** `major<<16 | minor<<8 | patch`, as HELLO and HELLO_ACK carry it. */
function packVersion(major, minor, patch) {
    return ((major & 0xffff) << 16 | (minor & 0xff) << 8 | (patch & 0xff)) >>> 0;
}
function formatVersion(v) {
    return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}
//# sourceMappingURL=constants.js.map