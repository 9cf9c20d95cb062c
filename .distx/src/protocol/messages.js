"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodeChallenge = encodeChallenge;
exports.decodeChallenge = decodeChallenge;
exports.encodeHello = encodeHello;
exports.decodeHello = decodeHello;
exports.encodeHelloAck = encodeHelloAck;
exports.decodeHelloAck = decodeHelloAck;
exports.splitSealed = splitSealed;
exports.joinSealed = joinSealed;
exports.sealedCtLen = sealedCtLen;
exports.encodeChange = encodeChange;
exports.decodeChange = decodeChange;
exports.encodeAck = encodeAck;
exports.decodeAck = decodeAck;
exports.encodeHeartbeat = encodeHeartbeat;
exports.decodeHeartbeat = decodeHeartbeat;
exports.reasonCode = reasonCode;
// Body codecs of the six messages (docs/protocol.md "Handshake and messages"). Decoders are strict:
// every field bounded, enums known, and the body must end exactly after its last field.
const constants_1 = require("./constants");
const body_cursor_1 = require("./body-cursor");
const errors_1 = require("./errors");
const KINDS = new Set(Object.values(constants_1.CaptureKind));
const ENCODINGS = new Set(Object.values(constants_1.Encoding));
const STATUSES = new Set(Object.values(constants_1.AckStatus));
function encodeChallenge(m) {
    return new body_cursor_1.BodyWriter().fixed(m.nb, constants_1.NONCE_BYTES, 'nb').done();
}
function decodeChallenge(body) {
    const r = new body_cursor_1.BodyReader(body, 'CHALLENGE');
    const m = { nb: r.bytes(constants_1.NONCE_BYTES, 'nb') };
    r.end();
    return m;
}
function encodeHello(m) {
    return new body_cursor_1.BodyWriter()
        .u8(m.kind).u32(m.captureVersion)
        .fixed(m.bootId, constants_1.ID_BYTES, 'boot_id').fixed(m.sessionId, constants_1.ID_BYTES, 'session_id').fixed(m.nc, constants_1.NONCE_BYTES, 'nc')
        .str((0, body_cursor_1.nameBytes)(m.machine, 'machine'))
        .done();
}
function decodeHello(body) {
    const r = new body_cursor_1.BodyReader(body, 'HELLO');
    const kind = r.u8('kind');
    if (!KINDS.has(kind))
        throw new errors_1.ProtocolError('malformed', `HELLO kind ${kind} is unknown`);
    const m = {
        kind: kind,
        captureVersion: r.u32('capture_version'),
        bootId: r.bytes(constants_1.ID_BYTES, 'boot_id'),
        sessionId: r.bytes(constants_1.ID_BYTES, 'session_id'),
        nc: r.bytes(constants_1.NONCE_BYTES, 'nc'),
        machine: r.name('machine').text,
    };
    r.end();
    return m;
}
function encodeHelloAck(m) {
    return new body_cursor_1.BodyWriter().u32(m.bridgeVersion).done();
}
function decodeHelloAck(body) {
    const r = new body_cursor_1.BodyReader(body, 'HELLO_ACK');
    const m = { bridgeVersion: r.u32('bridge_version') };
    r.end();
    return m;
}
function readSealed(r) {
    const epk = r.bytes(constants_1.EPK_BYTES, 'epk');
    if (epk[0] !== 0x04)
        throw new errors_1.ProtocolError('malformed', `CHANGE epk is not an uncompressed point (first byte 0x${epk[0].toString(16)})`);
    const iv = r.bytes(constants_1.IV_BYTES, 'iv');
    const ctLen = r.u16('ct_len');
    const ct = r.bytes(ctLen, 'ct');
    const gcmTag = r.bytes(constants_1.GCM_TAG_BYTES, 'gcm_tag');
    return { epk, iv, ct, gcmTag };
}
/** Split `sealed` (epk ‖ iv ‖ ct_len ‖ ct ‖ gcm_tag) into its parts; throws ProtocolError('malformed'). */
function splitSealed(sealed) {
    const r = new body_cursor_1.BodyReader(sealed, 'sealed password');
    const p = readSealed(r);
    r.end();
    return p;
}
function joinSealed(p) {
    return new body_cursor_1.BodyWriter()
        .fixed(p.epk, constants_1.EPK_BYTES, 'epk').fixed(p.iv, constants_1.IV_BYTES, 'iv').u16(p.ct.length).raw(p.ct)
        .fixed(p.gcmTag, constants_1.GCM_TAG_BYTES, 'gcm_tag').done();
}
/** ct_len of a sealed password without splitting it. */
function sealedCtLen(sealed) {
    return sealed.readUInt16LE(constants_1.EPK_BYTES + constants_1.IV_BYTES);
}
function encodeChange(m) {
    splitSealed(m.sealed); // refuse to send what the bridge would refuse
    return new body_cursor_1.BodyWriter()
        .fixed(m.eventId, constants_1.ID_BYTES, 'event_id').u64(m.capturedAt).u32(m.accountId)
        .str((0, body_cursor_1.nameBytes)(m.account, 'account')).u8(m.encoding).raw(m.sealed)
        .done();
}
/** The decoded CHANGE plus the account's wire bytes (they are part of the seal's AAD). */
function decodeChange(body) {
    const r = new body_cursor_1.BodyReader(body, 'CHANGE');
    const eventId = r.bytes(constants_1.ID_BYTES, 'event_id');
    const capturedAt = r.u64('captured_at');
    const accountId = r.u32('account_id');
    const account = r.name('account');
    const encoding = r.u8('encoding');
    if (!ENCODINGS.has(encoding))
        throw new errors_1.ProtocolError('malformed', `CHANGE encoding ${encoding} is unknown`);
    const start = body.length - r.remaining;
    readSealed(r);
    r.end();
    return {
        eventId, capturedAt, accountId, account: account.text, accountBytes: account.bytes,
        encoding: encoding, sealed: Buffer.from(body.subarray(start)),
    };
}
function encodeAck(m) {
    return new body_cursor_1.BodyWriter().fixed(m.eventId, constants_1.ID_BYTES, 'event_id').u8(m.status).u16(m.reason).done();
}
function decodeAck(body) {
    const r = new body_cursor_1.BodyReader(body, 'ACK');
    const eventId = r.bytes(constants_1.ID_BYTES, 'event_id');
    const status = r.u8('status');
    const reason = r.u16('reason');
    r.end();
    if (!STATUSES.has(status))
        throw new errors_1.ProtocolError('malformed', `ACK status ${status} is unknown`);
    if (status === constants_1.AckStatus.refused ? (0, constants_1.reasonName)(reason) === undefined : reason !== 0) {
        throw new errors_1.ProtocolError('malformed', `ACK status ${status} with reason ${reason}`);
    }
    return { eventId, status: status, reason: reason };
}
function encodeHeartbeat(m) {
    return new body_cursor_1.BodyWriter().u32(m.queued).u32(m.spooled).u32(m.dropped).done();
}
function decodeHeartbeat(body) {
    const r = new body_cursor_1.BodyReader(body, 'HEARTBEAT');
    const m = { queued: r.u32('queued'), spooled: r.u32('spooled'), dropped: r.u32('dropped') };
    r.end();
    return m;
}
/** Reason code of a name, for ACKs. */
function reasonCode(name) {
    return constants_1.Reason[name];
}
//# sourceMappingURL=messages.js.map