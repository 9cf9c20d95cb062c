"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const constants_1 = require("../../src/protocol/constants");
const frame_1 = require("../../src/protocol/frame");
const messages_1 = require("../../src/protocol/messages");
const seal_1 = require("../../src/protocol/seal");
const server_session_1 = require("../../src/protocol/server-session");
const util_1 = require("./util");
const refused = (ev, reason) => {
    node_assert_1.strict.equal(ev?.kind, 'refused', `expected a refusal (${reason}), got ${ev?.kind}`);
    node_assert_1.strict.equal(ev.reason, reason, ev.detail);
};
describe('protocol/server-session', () => {
    it('happy path: challenge, hello, change, ack, heartbeat; seq +1 per direction', () => {
        const { server, client } = (0, util_1.established)();
        node_assert_1.strict.equal(server.state, 'established');
        node_assert_1.strict.equal(server.hello?.machine, 'testhost');
        const pw = Buffer.from('s3cret!');
        const c = (0, util_1.change)(client, pw);
        const ev = (0, util_1.one)(server, c.frame);
        node_assert_1.strict.equal(ev.kind, 'change');
        const ch = ev.change;
        node_assert_1.strict.equal(ch.eventIdHex, c.eventIdHex);
        node_assert_1.strict.equal(ch.account, 'alice');
        node_assert_1.strict.equal(ch.accountId, 1000);
        node_assert_1.strict.equal(ch.machine, 'testhost');
        node_assert_1.strict.deepEqual(ch.sealed, c.body.sealed, 'sealed part is kept verbatim');
        node_assert_1.strict.deepEqual((0, seal_1.open)(ch.sealed, ch.eventId, ch.accountBytes, ch.encoding, util_1.BRIDGE.privateKey), pw);
        const ack1 = server.ack(ch.eventIdHex, 'stored');
        const ack2 = server.ack(ch.eventId, 'duplicate');
        node_assert_1.strict.equal((0, frame_1.decodeFrame)(ack1).seq, 3n); // CHALLENGE 1, HELLO_ACK 2
        node_assert_1.strict.equal((0, frame_1.decodeFrame)(ack2).seq, 4n);
        const evs = client.feed(Buffer.concat([ack1, ack2]));
        node_assert_1.strict.deepEqual(evs.map((e) => e.kind === 'ack' && [e.eventIdHex, e.ack.status]), [[c.eventIdHex, 0], [c.eventIdHex, 1]]);
        const hb = (0, util_1.one)(server, client.heartbeat({ queued: 1, spooled: 2, dropped: 3 }));
        node_assert_1.strict.deepEqual(hb, { kind: 'heartbeat', heartbeat: { queued: 1, spooled: 2, dropped: 3 } });
    });
    it('refuses a CHANGE before HELLO as unexpected', () => {
        const { client } = (0, util_1.established)();
        const recorded = (0, util_1.change)(client).frame;
        const s = new server_session_1.ServerSession({ secret: util_1.SECRET });
        s.start();
        const ev = (0, util_1.one)(s, recorded);
        refused(ev, 'unexpected');
        node_assert_1.strict.match(ev.detail, /CHANGE before HELLO/);
        node_assert_1.strict.equal(s.state, 'dead');
        node_assert_1.strict.deepEqual(s.feed(recorded), [], 'a dead session reads nothing more');
        node_assert_1.strict.equal(s.ack(Buffer.alloc(16), 'stored'), undefined);
    });
    it('refuses a frame recorded on connection 1 in connection 2 as bad-tag', () => {
        const a = (0, util_1.established)();
        const recorded = (0, util_1.change)(a.client).frame;
        const b = (0, util_1.established)();
        refused((0, util_1.one)(b.server, recorded), 'bad-tag');
        const c = (0, util_1.established)();
        refused((0, util_1.one)(c.server, a.helloFrame), 'unexpected'); // a HELLO after the handshake
        const d = new server_session_1.ServerSession({ secret: util_1.SECRET });
        d.start();
        refused((0, util_1.one)(d, a.helloFrame), 'bad-tag'); // a HELLO bound to another nb
    });
    it('refuses a frame replayed within its connection, and a seq gap, as replayed', () => {
        const { server, client } = (0, util_1.established)();
        const f = (0, util_1.change)(client).frame;
        node_assert_1.strict.equal((0, util_1.one)(server, f).kind, 'change');
        refused((0, util_1.one)(server, f), 'replayed');
        const x = (0, util_1.established)();
        (0, util_1.change)(x.client); // built, never sent: the next one skips a seq
        const ev = (0, util_1.one)(x.server, (0, util_1.change)(x.client).frame);
        refused(ev, 'replayed');
        node_assert_1.strict.match(ev.detail, /seq 3, expected 2/);
    });
    it('refuses a second HELLO and capture-bound types from the capture as unexpected', () => {
        const { server, helloFrame } = (0, util_1.established)();
        refused((0, util_1.one)(server, helloFrame), 'unexpected');
        for (const type of [constants_1.MessageType.ACK, constants_1.MessageType.HELLO_ACK]) {
            const s = (0, util_1.established)().server;
            refused((0, util_1.one)(s, (0, frame_1.encodeFrame)(type, 2n, Buffer.alloc(4), Buffer.alloc(32))), 'unexpected');
        }
        const s = (0, util_1.established)().server;
        refused((0, util_1.one)(s, (0, frame_1.encodeFrame)(constants_1.MessageType.CHALLENGE, 2n, Buffer.alloc(32))), 'unexpected');
    });
    it('answers a too-long password with ACK refused (password-too-long) and keeps the session', () => {
        const { server, client } = (0, util_1.established)();
        const eventId = Buffer.alloc(16, 0xee);
        const parts = (0, messages_1.splitSealed)((0, seal_1.seal)(Buffer.from('pw'), eventId, Buffer.from('alice'), 1, util_1.BRIDGE.publicKey));
        const normal = { eventId, capturedAt: 1, accountId: 1000, account: 'alice', encoding: 1, sealed: Buffer.alloc(0) };
        const long = client.changeFromSealed({ ...normal, sealed: (0, messages_1.joinSealed)({ ...parts, ct: Buffer.alloc(1025) }) });
        const ev = (0, util_1.one)(server, long);
        node_assert_1.strict.equal(ev.kind, 'change-refused');
        const r = ev;
        node_assert_1.strict.equal(r.reason, 'password-too-long');
        node_assert_1.strict.match(r.detail, /1025 bytes exceeds 1024/);
        const ack = (0, util_1.oneC)(client, r.reply);
        node_assert_1.strict.deepEqual(ack.kind === 'ack' && [ack.eventIdHex, ack.ack.status, ack.ack.reason], [normal.eventId.toString('hex'), 2, 8]);
        node_assert_1.strict.equal((0, util_1.one)(server, (0, util_1.change)(client).frame).kind, 'change', 'the session goes on');
    });
    it('refuses any single bit flip in HELLO, CHANGE and HEARTBEAT frames', () => {
        // Exhaustive over every bit: each flip must end in a refusal (immediately, or 'truncated' at end).
        const cases = [
            ['HELLO', () => {
                    const server = new server_session_1.ServerSession({ secret: util_1.SECRET });
                    const client = (0, util_1.newClient)();
                    const ch = (0, util_1.oneC)(client, server.start());
                    return { server, frame: ch.reply };
                }],
            ['CHANGE', () => { const e = (0, util_1.established)(); return { server: e.server, frame: (0, util_1.change)(e.client).frame }; }],
            ['HEARTBEAT', () => { const e = (0, util_1.established)(); return { server: e.server, frame: e.client.heartbeat({ queued: 1, spooled: 0, dropped: 0 }) }; }],
        ];
        for (const [name, make] of cases) {
            const { frame } = make();
            for (let bit = 0; bit < frame.length * 8; bit++) {
                const { server, frame: f } = make();
                const flipped = Buffer.from(f);
                flipped[bit >> 3] ^= 1 << (bit & 7);
                const evs = server.feed(flipped);
                const last = evs.length ? evs[evs.length - 1] : server.end();
                node_assert_1.strict.equal(last?.kind, 'refused', `${name} bit ${bit} was not refused`);
            }
        }
    });
    it('the client refuses any single bit flip in HELLO_ACK and ACK', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.nat(), fast_check_1.default.boolean(), (n, flipAck) => {
            const server = new server_session_1.ServerSession({ secret: util_1.SECRET });
            const client = (0, util_1.newClient)();
            const hello = (0, util_1.oneC)(client, server.start());
            const h = (0, util_1.one)(server, hello.reply);
            let target = h.reply;
            if (flipAck) {
                node_assert_1.strict.equal((0, util_1.oneC)(client, h.reply).kind, 'ready');
                target = server.ack(Buffer.alloc(16, 1), 'stored');
            }
            const f = Buffer.from(target);
            const bit = n % (f.length * 8);
            f[bit >> 3] ^= 1 << (bit & 7);
            const evs = client.feed(f);
            const last = evs.length ? evs[evs.length - 1] : client.end();
            node_assert_1.strict.equal(last?.kind, 'refused');
        }), { numRuns: 500 });
    });
    it('the client will not seal a password for a peer that cannot prove it knows the secret', () => {
        const impostor = new server_session_1.ServerSession({ secret: Buffer.alloc(32, 1) });
        const client = (0, util_1.newClient)();
        (0, util_1.oneC)(client, impostor.start());
        node_assert_1.strict.throws(() => (0, util_1.change)(client), /has not proved it knows the install secret/);
        // An impostor's HELLO_ACK, tagged with a key it made up.
        const forged = (0, frame_1.encodeFrame)(constants_1.MessageType.HELLO_ACK, 2n, (0, messages_1.encodeHelloAck)({ bridgeVersion: 1 }), Buffer.alloc(32, 9));
        const ev = (0, util_1.oneC)(client, forged);
        node_assert_1.strict.equal(ev.kind, 'refused');
        node_assert_1.strict.match(ev.detail, /does not know the install secret/);
        node_assert_1.strict.throws(() => (0, util_1.change)(client), /has not proved/);
    });
    it('the client refuses an ACK replayed from another connection', () => {
        const a = (0, util_1.established)();
        const ack = a.server.ack(Buffer.alloc(16), 'stored');
        const b = (0, util_1.established)();
        const ev = (0, util_1.oneC)(b.client, ack);
        node_assert_1.strict.equal(ev.kind === 'refused' && ev.reason, 'bad-tag');
        const c = (0, util_1.established)();
        const ack3 = c.server.ack(Buffer.alloc(16), 'stored');
        node_assert_1.strict.equal((0, util_1.oneC)(c.client, ack3).kind, 'ack');
        const again = (0, util_1.oneC)(c.client, ack3);
        node_assert_1.strict.equal(again.kind === 'refused' && again.reason, 'replayed');
    });
    it('the server refuses a HELLO made with the wrong secret as bad-tag', () => {
        const server = new server_session_1.ServerSession({ secret: util_1.SECRET });
        const client = (0, util_1.newClient)(Buffer.alloc(32, 3));
        const hello = (0, util_1.oneC)(client, server.start());
        refused((0, util_1.one)(server, hello.reply), 'bad-tag');
    });
    it('end() mid-frame is truncated; a clean end is not a refusal', () => {
        const { server, client } = (0, util_1.established)();
        const f = (0, util_1.change)(client).frame;
        node_assert_1.strict.deepEqual(server.feed(f.subarray(0, 100)), []);
        refused(server.end(), 'truncated');
        const b = (0, util_1.established)();
        node_assert_1.strict.equal(b.server.end(), undefined);
        node_assert_1.strict.ok(b.server.ack(Buffer.alloc(16), 'stored'), 'a clean half-close still lets the bridge ack');
        b.server.close();
        node_assert_1.strict.equal(b.server.ack(Buffer.alloc(16), 'stored'), undefined, 'no ACK after close');
    });
    it('refusal details never contain the secret, nonces or sealed bytes', () => {
        const { server, client } = (0, util_1.established)();
        const f = (0, util_1.change)(client, Buffer.from('topsecretpassword')).frame;
        (0, util_1.one)(server, f);
        const ev = (0, util_1.one)(server, f);
        for (const s of [util_1.SECRET.toString('hex'), 'topsecretpassword', f.subarray(16, 48).toString('hex')]) {
            node_assert_1.strict.ok(!ev.detail.includes(s));
        }
    });
});
//# sourceMappingURL=server-session.test.js.map