"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fixed = fixed;
exports.buildVectors = buildVectors;
// The shared test vectors (test/vectors/frames.json): what they hold and how they are built. The C codec
// reads the same file, so everything is hex or plain numbers, and every input a frame depends on is in it.
const node_crypto_1 = require("node:crypto");
const constants_1 = require("../../src/protocol/constants");
const frame_1 = require("../../src/protocol/frame");
const keys_1 = require("../../src/protocol/keys");
const messages_1 = require("../../src/protocol/messages");
const seal_1 = require("../../src/protocol/seal");
const spool_record_1 = require("../../src/protocol/spool-record");
/** Deterministic bytes: SHA-256 chained from a label, as long as needed. */
function fixed(label, n) {
    const out = [];
    for (let i = 0, have = 0; have < n; i++, have += 32)
        out.push((0, node_crypto_1.createHash)('sha256').update(`${label}/${i}`).digest());
    return Buffer.concat(out).subarray(0, n);
}
const hex = (b) => b.toString('hex');
function pemFromScalar(d) {
    const e = (0, node_crypto_1.createECDH)('prime256v1');
    e.setPrivateKey(d);
    const pub = e.getPublicKey();
    const b64 = (b) => b.toString('base64url');
    const jwk = { kty: 'EC', crv: 'P-256', d: b64(d), x: b64(pub.subarray(1, 33)), y: b64(pub.subarray(33)) };
    return (0, node_crypto_1.createPrivateKey)({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' });
}
function buildVectors() {
    const secret = fixed('secret', 32);
    const nb = fixed('nb', 32);
    const nc = fixed('nc', 32);
    const bridgePriv = fixed('bridge-private', 32);
    const ephPriv = fixed('ephemeral-private', 32);
    const be = (0, node_crypto_1.createECDH)('prime256v1');
    be.setPrivateKey(bridgePriv);
    const bridgePub = be.getPublicKey();
    const ee = (0, node_crypto_1.createECDH)('prime256v1');
    ee.setPrivateKey(ephPriv);
    const z = ee.computeSecret(bridgePub);
    const prk = (0, keys_1.hmac)(constants_1.Label.seal, z);
    const kHello = (0, keys_1.helloKey)(secret, nb);
    const sk = (0, keys_1.sessionKeys)(secret, nb, nc);
    const kSpool = (0, keys_1.spoolKey)(secret);
    const keyOf = (k) => (k === 'hello' ? kHello : k === 'c2b' ? sk.c2b : k === 'b2c' ? sk.b2c : undefined);
    const frames = [];
    const add = (name, type, seq, key, fields, body) => {
        const frame = (0, frame_1.encodeFrame)(constants_1.MessageType[type], BigInt(seq), body, keyOf(key));
        frames.push({ name, type, seq, key, fields, body_hex: hex(body), frame_hex: hex(frame) });
        return frame;
    };
    add('challenge', 'CHALLENGE', 1, 'none', { nb: hex(nb) }, (0, messages_1.encodeChallenge)({ nb }));
    const hello = {
        kind: 1, captureVersion: (0, constants_1.packVersion)(1, 2, 3), bootId: fixed('boot', 16), sessionId: fixed('session', 16), nc, machine: 'host-01',
    };
    const helloFrame = add('hello', 'HELLO', 1, 'hello', {
        kind: hello.kind, capture_version: hello.captureVersion, boot_id: hex(hello.bootId), session_id: hex(hello.sessionId), nc: hex(nc), machine: hello.machine,
    }, (0, messages_1.encodeHello)(hello));
    add('hello_ack', 'HELLO_ACK', 2, 'b2c', { bridge_version: (0, constants_1.packVersion)(0, 1, 0) }, (0, messages_1.encodeHelloAck)({ bridgeVersion: (0, constants_1.packVersion)(0, 1, 0) }));
    const sealer = new seal_1.Sealer(bridgePub, ephPriv);
    const cases = [
        { name: 'change_raw_utf8', eventId: fixed('event-1', 16), capturedAt: 1700000000123, accountId: 1000, account: 'alice', encoding: 1, password: Buffer.from('correct horse battery staple', 'utf8'), iv: fixed('iv-1', 12) },
        { name: 'change_utf16le_emoji', eventId: fixed('event-2', 16), capturedAt: 1700000000456, accountId: 500, account: 'Jürgen', encoding: 2, password: Buffer.from('pässwörd🔑', 'utf16le'), iv: fixed('iv-2', 12) },
        { name: 'change_raw_not_utf8', eventId: fixed('event-3', 16), capturedAt: 1700000000789, accountId: 0xffffffff, account: 'bob', encoding: 1, password: Buffer.from([0xff, 0xfe, 0x80, 0x41, 0xc3]), iv: fixed('iv-3', 12) },
        { name: 'change_max_password', eventId: fixed('event-4', 16), capturedAt: 1700000001000, accountId: 0, account: 'root', encoding: 1, password: fixed('long-password', constants_1.MAX_PASSWORD_BYTES), iv: fixed('iv-4', 12) },
    ];
    const changeFrames = [];
    cases.forEach((c, i) => {
        const accountBytes = Buffer.from(c.account, 'utf8');
        const sealed = sealer.seal(c.password, c.eventId, accountBytes, c.encoding, c.iv);
        const body = (0, messages_1.encodeChange)({ eventId: c.eventId, capturedAt: c.capturedAt, accountId: c.accountId, account: c.account, encoding: c.encoding, sealed });
        changeFrames.push(add(c.name, 'CHANGE', 2 + i, 'c2b', {
            event_id: hex(c.eventId), captured_at: c.capturedAt, account_id: c.accountId, account: c.account, encoding: c.encoding,
            password_hex: hex(c.password), iv: hex(c.iv), seal_key: hex((0, keys_1.hmac)(prk, c.eventId, Buffer.from([1]))), sealed_hex: hex(sealed),
        }, body));
    });
    sealer.close();
    const hb = { queued: 3, spooled: 70000, dropped: 1 };
    add('heartbeat', 'HEARTBEAT', 2 + cases.length, 'c2b', { ...hb }, (0, messages_1.encodeHeartbeat)(hb));
    const acks = [['ack_stored', 0, 0], ['ack_duplicate', 1, 0], ['ack_refused', 2, constants_1.Reason['password-too-long']]];
    acks.forEach(([name, status, reason], i) => {
        const eventId = cases[i].eventId;
        add(name, 'ACK', 3 + i, 'b2c', { event_id: hex(eventId), status, reason }, (0, messages_1.encodeAck)({ eventId, status, reason: reason }));
    });
    const spooled = frames.find((f) => f.name === cases[0].name);
    const spoolIn = { kind: 1, machine: hello.machine, body: Buffer.from(spooled.body_hex, 'hex') };
    const spool = {
        kind: spoolIn.kind, machine: spoolIn.machine, change: spooled.name, body_hex: spooled.body_hex, record_hex: hex((0, spool_record_1.encodeSpoolRecord)(spoolIn, kSpool)),
    };
    return {
        protocol_version: 1,
        note: 'Generated by test/vectors/generate.ts (node dist/test/vectors/generate.js). Do not edit by hand. '
            + 'All frames belong to one connection whose CHALLENGE carried keys.nb and whose HELLO carried keys.nc.',
        keys: {
            secret: hex(secret), nb: hex(nb), nc: hex(nc), k_hello: hex(kHello), k_c2b: hex(sk.c2b), k_b2c: hex(sk.b2c), k_spool: hex(kSpool),
            bridge_private: hex(bridgePriv), bridge_private_pem: pemFromScalar(bridgePriv), bridge_public: hex(bridgePub),
            ephemeral_private: hex(ephPriv), ephemeral_public: hex(ee.getPublicKey()), ecdh_z: hex(z), seal_prk: hex(prk),
        },
        frames,
        refusals: buildRefusals(helloFrame, changeFrames[0], sk, keyOf),
        spool,
    };
}
function buildRefusals(hello, change, sk, keyOf) {
    const r = (name, input, reason, extra = {}) => ({ name, input_hex: input.map(hex), outcome: 'close', reason, code: constants_1.Reason[reason], ...extra });
    const flip = (b, at) => { const c = Buffer.from(b); c[at] ^= 0x01; return c; };
    const oversizedHeader = Buffer.alloc(4);
    oversizedHeader.writeUInt32LE(70000);
    const tooShort = (0, frame_1.encodeFrameParts)({ len: 11, type: constants_1.MessageType.HELLO, seq: 1n, body: Buffer.alloc(0) }).subarray(0, 15);
    const helloBody = Buffer.from(hello.subarray(16, hello.length - 32));
    const retag = (parts, key) => {
        const f = (0, frame_1.encodeFrameParts)({ ...parts, tag: Buffer.alloc(32) });
        (0, keys_1.hmac)(key, f.subarray(4, f.length - 32)).copy(f, f.length - 32);
        return f;
    };
    const kHello = keyOf('hello');
    // A CHANGE whose sealed password is one byte over the limit, otherwise valid and correctly tagged.
    const sealed = (0, messages_1.splitSealed)(Buffer.from(change.subarray(16 + 16 + 8 + 4 + 2 + 5 + 1, change.length - 32)));
    const longSealed = (0, messages_1.joinSealed)({ ...sealed, ct: fixed('too-long', constants_1.MAX_PASSWORD_BYTES + 1) });
    const eventId = fixed('event-5', 16);
    const longBody = (0, messages_1.encodeChange)({ eventId, capturedAt: 1700000002000, accountId: 1000, account: 'alice', encoding: 1, sealed: longSealed });
    const longChange = (0, frame_1.encodeFrame)(constants_1.MessageType.CHANGE, 2n, longBody, sk.c2b);
    const ackRefused = (0, frame_1.encodeFrame)(constants_1.MessageType.ACK, 3n, (0, messages_1.encodeAck)({ eventId, status: 2, reason: constants_1.Reason['password-too-long'] }), sk.b2c);
    return [
        r('oversized_length_only', [oversizedHeader], 'oversized'),
        r('length_below_minimum', [tooShort], 'malformed'),
        r('bad_version', [retag({ version: 2, type: constants_1.MessageType.HELLO, seq: 1n, body: helloBody }, kHello)], 'bad-version'),
        r('nonzero_flags', [retag({ flags: 1, type: constants_1.MessageType.HELLO, seq: 1n, body: helloBody }, kHello)], 'malformed'),
        r('unknown_type', [retag({ type: 9, seq: 1n, body: helloBody }, kHello)], 'malformed'),
        r('truncated_hello', [hello.subarray(0, hello.length - 1)], 'truncated'),
        r('hello_bad_tag', [flip(hello, hello.length - 1)], 'bad-tag'),
        r('hello_body_trailing_byte', [retag({ type: constants_1.MessageType.HELLO, seq: 1n, body: Buffer.concat([helloBody, Buffer.from([0])]) }, kHello)], 'malformed'),
        r('hello_seq_2', [retag({ type: constants_1.MessageType.HELLO, seq: 2n, body: helloBody }, kHello)], 'replayed'),
        r('change_before_hello', [change], 'unexpected'),
        r('second_hello', [hello, hello], 'unexpected'),
        r('change_replayed', [hello, change, change], 'replayed'),
        r('change_tagged_with_b2c', [hello, retag({ type: constants_1.MessageType.CHANGE, seq: 2n, body: Buffer.from(change.subarray(16, change.length - 32)) }, sk.b2c)], 'bad-tag'),
        r('password_too_long', [hello, longChange], 'password-too-long', { outcome: 'ack-refused', ack_hex: hex(ackRefused) }),
    ];
}
//# sourceMappingURL=vectors.js.map