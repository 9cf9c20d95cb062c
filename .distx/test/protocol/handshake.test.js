"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// End to end over a Unix socket: the reference capture client against a bridge made of ServerSession.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const constants_1 = require("../../src/protocol/constants");
const frame_1 = require("../../src/protocol/frame");
const messages_1 = require("../../src/protocol/messages");
const seal_1 = require("../../src/protocol/seal");
const capture_client_1 = require("../helpers/capture-client");
const fake_bridge_1 = require("./fake-bridge");
const util_1 = require("./util");
const connect = (b, secret = util_1.SECRET) => capture_client_1.CaptureClient.connect(b.socketPath, { secret, bridgePub: util_1.BRIDGE.publicKey, machine: 'web-01' });
const pw = (s) => Buffer.from(s);
describe('protocol/handshake over a socket', () => {
    let bridge;
    const clients = [];
    beforeEach(async () => { bridge = await fake_bridge_1.FakeBridge.start(util_1.SECRET); });
    afterEach(async () => {
        for (const c of clients.splice(0))
            c.destroy();
        await bridge.close();
    });
    const client = async (b = bridge, secret = util_1.SECRET) => {
        const c = await connect(b, secret);
        clients.push(c);
        return c;
    };
    it('happy path: hello, pipelined changes, each resolved by its own ACK; bridge can open them', async () => {
        const c = await client();
        const sends = ['one', 'two', 'three'].map((p, i) => c.send({ account: `user${i}`, encoding: 1, password: pw(p) }));
        const acks = await Promise.all(sends.map((s) => s.acked));
        node_assert_1.strict.deepEqual(acks.map((a) => [a.eventId.toString('hex'), a.status]), sends.map((s) => [s.eventIdHex, 0]));
        node_assert_1.strict.equal(bridge.hellos[0].machine, 'web-01');
        node_assert_1.strict.equal(bridge.hellos[0].kind, 3);
        const opener = new seal_1.Opener(util_1.BRIDGE.privateKey);
        node_assert_1.strict.deepEqual(bridge.changes.map((ch) => opener.open(ch.sealed, ch.eventId, ch.accountBytes, ch.encoding).toString()), ['one', 'two', 'three']);
        node_assert_1.strict.equal(opener.cached, 1, 'one ephemeral key per client');
    });
    it('matches ACKs by event id when they come back in another order', async () => {
        await bridge.close();
        bridge = await fake_bridge_1.FakeBridge.start(util_1.SECRET, { manualAcks: true });
        const c = await client();
        const sends = Array.from({ length: 300 }, (_, i) => c.send({ account: 'bob', encoding: 2, password: Buffer.from(`p${i}`, 'utf16le') }));
        while (bridge.changes.length < 300)
            await new Promise((r) => setTimeout(r, 5));
        node_assert_1.strict.equal(bridge.releaseAcks(), 300);
        const acks = await Promise.all(sends.map((s) => s.acked));
        acks.forEach((a, i) => node_assert_1.strict.equal(a.eventId.toString('hex'), sends[i].eventIdHex));
    });
    it('re-sending an event (same id, new connection) is acked as duplicate', async () => {
        const c1 = await client();
        const first = c1.send({ account: 'alice', encoding: 1, password: pw('x') });
        node_assert_1.strict.equal((await first.acked).status, 0);
        c1.destroy();
        const c2 = await client();
        const again = c2.resend(first.body);
        node_assert_1.strict.notDeepEqual(again.frame, first.frame, 'new seq/tag on the new connection');
        node_assert_1.strict.equal((await again.acked).status, 1);
        node_assert_1.strict.equal(bridge.stored.size, 1);
    });
    it('refuses a CHANGE sent before HELLO', async () => {
        const c1 = await client();
        const recorded = c1.send({ account: 'alice', encoding: 1, password: pw('x') });
        await recorded.acked;
        const refusal = bridge.nextRefusal();
        const raw = net.connect(bridge.socketPath);
        raw.once('data', () => raw.write(recorded.frame)); // answer the CHALLENGE with a CHANGE
        const r = await refusal;
        node_assert_1.strict.equal(r.reason, 'unexpected');
        await new Promise((res) => raw.once('close', res));
    });
    it('refuses a frame recorded on connection 1 replayed into connection 2 as bad-tag', async () => {
        const c1 = await client();
        const rec = c1.send({ account: 'alice', encoding: 1, password: pw('x') });
        await rec.acked;
        const c2 = await client();
        const refusal = bridge.nextRefusal();
        c2.sendRaw(rec.frame);
        node_assert_1.strict.equal((await refusal).reason, 'bad-tag');
        await c2.closed;
        node_assert_1.strict.equal(bridge.changes.length, 1);
    });
    it('refuses a frame replayed within its connection as replayed, and rejects the pending sends', async () => {
        const c = await client();
        const rec = c.send({ account: 'alice', encoding: 1, password: pw('x') });
        await rec.acked;
        const refusal = bridge.nextRefusal();
        c.sendRaw(rec.frame);
        const pending = c.send({ account: 'alice', encoding: 1, password: pw('y') });
        node_assert_1.strict.equal((await refusal).reason, 'replayed');
        await node_assert_1.strict.rejects(pending.acked, /closed before the ACK/);
    });
    it('a truncated frame at end of stream and an oversized length are refused', async () => {
        const c = await client();
        let refusal = bridge.nextRefusal();
        c.sendRaw(c.session.heartbeat({ queued: 0, spooled: 0, dropped: 0 }).subarray(0, 20));
        c.end();
        node_assert_1.strict.equal((await refusal).reason, 'truncated');
        const c2 = await client();
        refusal = bridge.nextRefusal();
        const huge = Buffer.alloc(4);
        huge.writeUInt32LE(1 << 20);
        c2.sendRaw(Buffer.concat([huge, Buffer.alloc(8192)]));
        const r = await refusal;
        node_assert_1.strict.equal(r.reason, 'oversized');
        node_assert_1.strict.match(r.detail, /frame length 1048576/);
    });
    it('the bridge refuses a capture with the wrong secret (client sees the connection close)', async () => {
        const refusal = bridge.nextRefusal();
        await node_assert_1.strict.rejects(connect(bridge, Buffer.alloc(32, 1)), /closed during the handshake/);
        node_assert_1.strict.equal((await refusal).reason, 'bad-tag');
    });
    it('the client refuses a squatter that cannot prove it knows the secret, and sends it no password', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwb-squat-'));
        const sockPath = path.join(dir, 'capture.sock');
        const received = [];
        const squatter = net.createServer((s) => {
            s.on('error', () => undefined);
            s.write((0, frame_1.encodeFrame)(constants_1.MessageType.CHALLENGE, 1n, (0, messages_1.encodeChallenge)({ nb: Buffer.alloc(32, 7) })));
            const reader = new frame_1.FrameReader();
            s.on('data', (d) => {
                for (const r of reader.feed(d)) {
                    if (r.kind !== 'frame')
                        continue;
                    received.push(r.frame.type);
                    // It cannot compute K_b2c, so it makes one up.
                    s.write((0, frame_1.encodeFrame)(constants_1.MessageType.HELLO_ACK, 2n, (0, messages_1.encodeHelloAck)({ bridgeVersion: 1 }), Buffer.alloc(32, 9)));
                }
            });
        });
        await new Promise((r) => squatter.listen(sockPath, r));
        try {
            await node_assert_1.strict.rejects(capture_client_1.CaptureClient.connect(sockPath, { secret: util_1.SECRET, bridgePub: util_1.BRIDGE.publicKey }), /bad-tag: HELLO_ACK tag does not verify: the peer does not know the install secret/);
            await new Promise((r) => setTimeout(r, 50));
            node_assert_1.strict.deepEqual(received, [constants_1.MessageType.HELLO], 'only the HELLO reached the squatter');
        }
        finally {
            await new Promise((r) => squatter.close(r));
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
    it('fails cleanly when nothing listens', async () => {
        await node_assert_1.strict.rejects(capture_client_1.CaptureClient.connect(path.join(os.tmpdir(), 'pwb-nothing-here.sock'), { secret: util_1.SECRET, bridgePub: util_1.BRIDGE.publicKey }), /connection failed: ENOENT/);
    });
});
//# sourceMappingURL=handshake.test.js.map