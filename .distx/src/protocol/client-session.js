"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ClientSession = void 0;
// The capture side of one connection, socket-free: the TypeScript twin of what the C captures do. Used by
// the reference test client, the bench, and (later) `pwbridge selftest`. It refuses to build a CHANGE
// until the bridge's HELLO_ACK proved that the peer knows the install secret.
const node_crypto_1 = require("node:crypto");
const constants_1 = require("./constants");
const body_cursor_1 = require("./body-cursor");
const errors_1 = require("./errors");
const frame_1 = require("./frame");
const keys_1 = require("./keys");
const messages_1 = require("./messages");
const seal_1 = require("./seal");
class ClientSession {
    opts;
    random;
    now;
    sealer;
    reader = new frame_1.FrameReader();
    keys;
    sendSeq = 0n;
    recvSeq = 0n;
    _state = 'await-challenge';
    _refusal;
    constructor(opts) {
        this.opts = opts;
        this.random = opts.random ?? node_crypto_1.randomBytes;
        this.now = opts.now ?? Date.now;
        this.sealer = new seal_1.Sealer(opts.bridgePub, opts.ephemeralPrivateKey);
    }
    get state() {
        return this._state;
    }
    get refusal() {
        return this._refusal;
    }
    /** This session's ephemeral public key (every CHANGE carries it). */
    get epk() {
        return this.sealer.epk;
    }
    feed(chunk) {
        const out = [];
        for (const r of this.reader.feed(chunk)) {
            if (this._state === 'dead')
                break;
            out.push(r.kind === 'frame' ? this.receive(r.frame) : this.refuse(r.reason, r.detail));
        }
        return out;
    }
    end() {
        const r = this._state === 'dead' ? undefined : this.reader.end();
        return r ? this.refuse(r.reason, r.detail) : undefined;
    }
    receive(f) {
        if (this._state === 'dead')
            return { kind: 'refused', ...this._refusal };
        try {
            switch (this._state) {
                case 'await-challenge': return this.onChallenge(f);
                case 'await-hello-ack': return this.onHelloAck(f);
                default: return this.onAck(f);
            }
        }
        catch (e) {
            if (e instanceof errors_1.ProtocolError)
                return this.refuse(e.reason, e.detail);
            throw e;
        }
    }
    /** Seal `password` and frame it as the next CHANGE. Throws unless the bridge has proved itself. */
    change(input) {
        this.requireReady('CHANGE');
        const eventId = input.eventId ?? this.random(constants_1.ID_BYTES);
        const accountBytes = (0, body_cursor_1.nameBytes)(input.account, 'account');
        const sealed = this.sealer.seal(input.password, eventId, accountBytes, input.encoding, input.iv);
        const body = {
            eventId,
            capturedAt: input.capturedAt ?? this.now(),
            accountId: input.accountId ?? 0xffffffff,
            account: input.account,
            encoding: input.encoding,
            sealed,
        };
        return { eventId, eventIdHex: eventId.toString('hex'), frame: this.changeFromSealed(body), body };
    }
    /** Frame an already sealed event (a re-send from the queue or spool: same id, same sealed bytes). */
    changeFromSealed(body) {
        this.requireReady('CHANGE');
        return (0, frame_1.encodeFrame)(constants_1.MessageType.CHANGE, ++this.sendSeq, (0, messages_1.encodeChange)(body), this.keys.c2b);
    }
    heartbeat(hb) {
        this.requireReady('HEARTBEAT');
        return (0, frame_1.encodeFrame)(constants_1.MessageType.HEARTBEAT, ++this.sendSeq, (0, messages_1.encodeHeartbeat)(hb), this.keys.c2b);
    }
    /** Wipe the session keys and the ephemeral key. */
    close() {
        if (this.keys)
            (0, keys_1.wipeSessionKeys)(this.keys);
        this.keys = undefined;
        this.sealer.close();
        if (this._state !== 'dead') {
            this._state = 'dead';
            this._refusal = { reason: 'unexpected', detail: 'session closed' };
        }
    }
    requireReady(what) {
        if (this._state !== 'ready' || !this.keys) {
            throw new Error(`cannot send ${what}: the bridge has not proved it knows the install secret (state ${this._state})`);
        }
    }
    expect(f, type) {
        if (f.type !== type) {
            throw new errors_1.ProtocolError('unexpected', `${(0, constants_1.messageTypeName)(f.type)} while waiting for ${(0, constants_1.messageTypeName)(type)}`);
        }
    }
    checkTagAndSeq(f, key, failure) {
        if (!(0, keys_1.verifyTag)(key, f.signed, f.tag))
            throw new errors_1.ProtocolError('bad-tag', failure);
        if (f.seq !== this.recvSeq + 1n) {
            throw new errors_1.ProtocolError('replayed', `${(0, constants_1.messageTypeName)(f.type)} seq ${f.seq}, expected ${this.recvSeq + 1n}`);
        }
        this.recvSeq = f.seq;
    }
    onChallenge(f) {
        this.expect(f, constants_1.MessageType.CHALLENGE);
        if (f.seq !== 1n)
            throw new errors_1.ProtocolError('replayed', `CHALLENGE seq ${f.seq}, expected 1`);
        this.recvSeq = 1n;
        const { nb } = (0, messages_1.decodeChallenge)(f.body);
        const nc = this.random(constants_1.NONCE_BYTES);
        const o = this.opts;
        const body = (0, messages_1.encodeHello)({
            kind: o.kind ?? constants_1.CaptureKind.reference,
            captureVersion: o.captureVersion ?? (0, constants_1.packVersion)(0, 1, 0),
            bootId: o.bootId ?? Buffer.alloc(constants_1.ID_BYTES),
            sessionId: o.sessionId ?? this.random(constants_1.ID_BYTES),
            nc,
            machine: o.machine,
        });
        const kHello = (0, keys_1.helloKey)(o.secret, nb);
        const reply = (0, frame_1.encodeFrame)(constants_1.MessageType.HELLO, ++this.sendSeq, body, kHello);
        kHello.fill(0);
        this.keys = (0, keys_1.sessionKeys)(o.secret, nb, nc);
        this._state = 'await-hello-ack';
        return { kind: 'challenge', reply };
    }
    onHelloAck(f) {
        this.expect(f, constants_1.MessageType.HELLO_ACK);
        this.checkTagAndSeq(f, this.keys.b2c, 'HELLO_ACK tag does not verify: the peer does not know the install secret');
        const helloAck = (0, messages_1.decodeHelloAck)(f.body);
        this._state = 'ready';
        return { kind: 'ready', helloAck };
    }
    onAck(f) {
        this.expect(f, constants_1.MessageType.ACK);
        this.checkTagAndSeq(f, this.keys.b2c, 'ACK tag does not verify');
        const ack = (0, messages_1.decodeAck)(f.body);
        return { kind: 'ack', ack, eventIdHex: ack.eventId.toString('hex') };
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
exports.ClientSession = ClientSession;
//# sourceMappingURL=client-session.js.map