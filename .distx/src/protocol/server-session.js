"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ServerSession = void 0;
// The bridge side of one capture connection as a pure state machine: bytes/frames in, events and frames
// to send out. No sockets, no clock or randomness of its own (both injectable), so every path is testable.
//
// Frames this returns (CHALLENGE from start(), replies, ACKs from ack()) carry consecutive seq numbers
// in the order they are returned: the caller must write them to the connection in that order.
const node_crypto_1 = require("node:crypto");
const constants_1 = require("./constants");
const errors_1 = require("./errors");
const frame_1 = require("./frame");
const keys_1 = require("./keys");
const messages_1 = require("./messages");
class ServerSession {
    secret;
    now;
    random;
    bridgeVersion;
    reader = new frame_1.FrameReader();
    nb;
    keys;
    sendSeq = 0n;
    recvSeq = 0n;
    _state = 'new';
    _hello;
    _refusal;
    constructor(opts) {
        this.secret = opts.secret;
        this.now = opts.now ?? Date.now;
        this.random = opts.random ?? node_crypto_1.randomBytes;
        this.bridgeVersion = opts.bridgeVersion ?? (0, constants_1.packVersion)(0, 1, 0);
    }
    get state() {
        return this._state;
    }
    /** The capture's HELLO, once received. */
    get hello() {
        return this._hello;
    }
    get refusal() {
        return this._refusal;
    }
    /** The CHALLENGE to send on connect, with a fresh nb. */
    start() {
        if (this._state !== 'new')
            throw new Error('ServerSession.start() called twice');
        this.nb = this.random(constants_1.NONCE_BYTES);
        if (this.nb.length !== constants_1.NONCE_BYTES)
            throw new Error(`random() returned ${this.nb.length} bytes, wanted ${constants_1.NONCE_BYTES}`);
        this._state = 'await-hello';
        return (0, frame_1.encodeFrame)(constants_1.MessageType.CHALLENGE, ++this.sendSeq, (0, messages_1.encodeChallenge)({ nb: this.nb }));
    }
    /** Bytes from the connection, in any chunking. Stops at the first refusal. */
    feed(chunk) {
        const out = [];
        for (const r of this.reader.feed(chunk)) {
            if (this._state === 'dead')
                break;
            out.push(r.kind === 'frame' ? this.receive(r.frame) : this.refuse(r.reason, r.detail));
        }
        return out;
    }
    /**
     * The capture closed its side. A partial frame in the reader is a 'truncated' refusal; a clean end
     * leaves the session able to ack what it already received (call close() when the socket is gone).
     */
    end() {
        const r = this._state === 'dead' ? undefined : this.reader.end();
        return r ? this.refuse(r.reason, r.detail) : undefined;
    }
    receive(frame) {
        if (this._state === 'new')
            throw new Error('ServerSession.receive() before start()');
        if (this._state === 'dead')
            return { kind: 'refused', ...this._refusal };
        try {
            return this._state === 'await-hello' ? this.onHello(frame) : this.onEstablished(frame);
        }
        catch (e) {
            if (e instanceof errors_1.ProtocolError)
                return this.refuse(e.reason, e.detail);
            throw e;
        }
    }
    /**
     * The ACK for an event (send it only once the event is durable, or refused). Returns undefined when the
     * session is dead: the capture will re-send on its next connection, so there is nothing to do.
     */
    ack(eventId, status, reason) {
        if (this._state !== 'established' || !this.keys)
            return undefined;
        if ((status === 'refused') !== (reason !== undefined))
            throw new Error('ack: a reason goes with status refused, and only with it');
        const id = typeof eventId === 'string' ? Buffer.from(eventId, 'hex') : eventId;
        const body = (0, messages_1.encodeAck)({ eventId: id, status: constants_1.AckStatus[status], reason: reason ? constants_1.Reason[reason] : 0 });
        return (0, frame_1.encodeFrame)(constants_1.MessageType.ACK, ++this.sendSeq, body, this.keys.b2c);
    }
    /** Wipe the session keys (also done on refusal). */
    close() {
        if (this.keys)
            (0, keys_1.wipeSessionKeys)(this.keys);
        this.keys = undefined;
        if (this._state !== 'dead') {
            this._state = 'dead';
            this._refusal ??= { reason: 'unexpected', detail: 'session closed' };
        }
    }
    onHello(f) {
        if (f.type !== constants_1.MessageType.HELLO)
            throw new errors_1.ProtocolError('unexpected', `${(0, constants_1.messageTypeName)(f.type)} before HELLO`);
        const kHello = (0, keys_1.helloKey)(this.secret, this.nb);
        const ok = (0, keys_1.verifyTag)(kHello, f.signed, f.tag);
        kHello.fill(0);
        if (!ok)
            throw new errors_1.ProtocolError('bad-tag', 'HELLO tag does not verify (wrong install secret, or replayed from another connection)');
        this.checkSeq(f);
        const hello = (0, messages_1.decodeHello)(f.body);
        this.keys = (0, keys_1.sessionKeys)(this.secret, this.nb, hello.nc);
        this._hello = hello;
        this._state = 'established';
        const reply = (0, frame_1.encodeFrame)(constants_1.MessageType.HELLO_ACK, ++this.sendSeq, (0, messages_1.encodeHelloAck)({ bridgeVersion: this.bridgeVersion }), this.keys.b2c);
        return { kind: 'hello', hello, reply };
    }
    onEstablished(f) {
        const name = (0, constants_1.messageTypeName)(f.type);
        if (f.type === constants_1.MessageType.HELLO)
            throw new errors_1.ProtocolError('unexpected', 'second HELLO on one connection');
        if (f.type !== constants_1.MessageType.CHANGE && f.type !== constants_1.MessageType.HEARTBEAT) {
            throw new errors_1.ProtocolError('unexpected', `${name} is a bridge-to-capture message`);
        }
        // Tag before seq: a frame from another connection is 'bad-tag', one replayed on this one 'replayed'.
        if (!(0, keys_1.verifyTag)(this.keys.c2b, f.signed, f.tag))
            throw new errors_1.ProtocolError('bad-tag', `${name} tag does not verify`);
        this.checkSeq(f);
        if (f.type === constants_1.MessageType.HEARTBEAT)
            return { kind: 'heartbeat', heartbeat: (0, messages_1.decodeHeartbeat)(f.body) };
        const c = (0, messages_1.decodeChange)(f.body);
        const eventIdHex = c.eventId.toString('hex');
        const ctLen = (0, messages_1.sealedCtLen)(c.sealed);
        if (ctLen > constants_1.MAX_PASSWORD_BYTES) {
            // Closing would make the capture re-send this event forever; a refused ACK makes it drop it.
            const detail = `sealed password of ${ctLen} bytes exceeds ${constants_1.MAX_PASSWORD_BYTES}`;
            return { kind: 'change-refused', eventId: c.eventId, eventIdHex, reason: 'password-too-long', detail, reply: this.ack(c.eventId, 'refused', 'password-too-long') };
        }
        return { kind: 'change', change: { ...c, eventIdHex, machine: this._hello.machine, receivedAt: this.now() } };
    }
    checkSeq(f) {
        if (f.seq !== this.recvSeq + 1n) {
            throw new errors_1.ProtocolError('replayed', `${(0, constants_1.messageTypeName)(f.type)} seq ${f.seq}, expected ${this.recvSeq + 1n}`);
        }
        this.recvSeq = f.seq;
    }
    refuse(reason, detail) {
        this._refusal = { reason, detail };
        this._state = 'dead';
        if (this.keys)
            (0, keys_1.wipeSessionKeys)(this.keys);
        this.keys = undefined;
        return { kind: 'refused', reason, detail };
    }
}
exports.ServerSession = ServerSession;
//# sourceMappingURL=server-session.js.map