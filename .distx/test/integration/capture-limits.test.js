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
const node_assert_1 = require("node:assert");
const net = __importStar(require("node:net"));
const capture_peer_policy_1 = require("../../src/service/capture-peer-policy");
const constants_1 = require("../../src/protocol/constants");
const frame_1 = require("../../src/protocol/frame");
const open_1 = require("../../src/service/open");
const bridge_harness_1 = require("../helpers/bridge-harness");
const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change' };
const uid = process.getuid?.() ?? 0;
async function refusals(h) {
    await h.install.events.flush();
    return (await h.install.vault.queryEvents({ kind: 'frame-refused' })).map((e) => e.reason ?? '');
}
async function until(what, fn, ms = 10_000) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v !== undefined)
            return v;
        if (Date.now() > end)
            node_assert_1.strict.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
    }
}
/**
 * `n` connections that say nothing; each records when the bridge closes it. Opened 100 at a time, and again
 * after a pause when the listen backlog is full (EAGAIN: the bridge accepts on this same event loop).
 */
async function idleConnections(socketPath, n) {
    const socks = [];
    let closed = 0;
    const one = () => new Promise((resolve, reject) => {
        const s = net.connect(socketPath);
        let connected = false;
        s.on('data', () => undefined); // the CHALLENGE, unanswered
        s.once('connect', () => {
            connected = true;
            socks.push(s);
            s.once('close', () => { closed++; });
            resolve();
        });
        s.on('error', (e) => {
            if (connected)
                return; // closed by the bridge: counted on close
            if (e.code === 'EAGAIN')
                setTimeout(() => one().then(resolve, reject), 20);
            else
                reject(e);
        });
    });
    for (let done = 0; done < n; done += 100)
        await Promise.all(Array.from({ length: Math.min(100, n - done) }, one));
    return { socks, closed: () => closed, destroy: () => socks.forEach((s) => s.destroy()) };
}
/** The frame-refused events of a stopped harness, from its vault. */
async function refusalsAfterStop(dir) {
    const v = await (0, open_1.openVaultAt)(dir);
    try {
        return (await v.queryEvents({ kind: 'frame-refused' })).map((e) => e.reason ?? '');
    }
    finally {
        await v.close();
    }
}
async function sendAndAck(h, account) {
    const c = await h.connect();
    try {
        return (await c.send({ account, encoding: constants_1.Encoding.raw, password: Buffer.from(`pw-${account}`) }).acked).status;
    }
    finally {
        c.destroy();
    }
}
describe('capture connections are capped per peer uid and in all, with a HELLO deadline (real sockets)', function () {
    this.timeout(60_000);
    let h;
    afterEach(async () => {
        await h?.destroy();
        h = undefined;
    });
    it('1,000 idle connections from one uid: a real capture is still acked, and the cap is one event plus a count, not 1,000', async () => {
        h = await (0, bridge_harness_1.startHarness)({ clients: [acme], config: { client: 'Acme' } });
        const { perUid } = capture_peer_policy_1.DEFAULT_CAPTURE_LIMITS;
        const idle = await idleConnections(h.config.socketPath, 1000);
        // Past the cap, each new connection closed the uid's oldest one that had not said HELLO.
        await until('the bridge to close the idle connections over the cap', () => (idle.closed() >= 1000 - perUid ? true : undefined));
        node_assert_1.strict.equal(await sendAndAck(h, 'alice'), 0, 'the real capture was acked');
        node_assert_1.strict.ok(idle.closed() >= 1000 - perUid + 1, `the capture's connection made room: ${idle.closed()} closed`);
        const caps = (await refusals(h)).filter((r) => r.startsWith('peer-cap'));
        node_assert_1.strict.equal(caps.length, 1, caps.join('\n'));
        node_assert_1.strict.match(caps[0], new RegExp(`uid ${uid} reached the cap of ${perUid} capture connections per uid`));
        idle.destroy();
        // The rest of the window is recorded as one count when the service stops (or the window ends).
        await h.stop();
        const after = await refusalsAfterStop(h.dir);
        const summaries = after.filter((r) => /^\d+ more refused like this in the last 60 s \(peer-cap; the last: peer-cap: uid/.test(r));
        node_assert_1.strict.equal(summaries.length, 1, after.join('\n'));
        const n = Number(/^(\d+)/.exec(summaries[0])[1]);
        node_assert_1.strict.ok(n >= 1000 - perUid, `the count says how many: ${summaries[0]}`);
        node_assert_1.strict.equal(after.filter((r) => r.startsWith('peer-cap')).length, 1, 'and no other cap event');
    });
    it('when every connection of the uid has said HELLO, the next one is refused, naming the uid and the cap', async () => {
        h = await (0, bridge_harness_1.startHarness)({ clients: [acme], config: { client: 'Acme' }, bridge: { captureLimits: { perUid: 2, total: 8, handshakeMs: 5_000 } } });
        const a = await h.connect();
        const b = await h.connect();
        await node_assert_1.strict.rejects(h.connect({ timeoutMs: 2_000 }), /closed|refused|timed out/);
        const caps = await until('the refusal event', async () => {
            const r = (await refusals(h)).filter((x) => x.startsWith('peer-cap'));
            return r.length ? r : undefined;
        });
        node_assert_1.strict.match(caps[0], new RegExp(`uid ${uid} holds 2 authenticated capture connections, the cap per uid \\(2\\)`));
        // The two still serve; once one goes, a new capture gets in.
        node_assert_1.strict.equal((await a.send({ account: 'bob', encoding: constants_1.Encoding.raw, password: Buffer.from('pw-bob') }).acked).status, 0);
        b.destroy();
        await b.closed;
        await until('the bridge to see the close', async () => (await sendAndAck(h, 'carol').catch(() => undefined)) === 0 ? true : undefined);
        a.destroy();
    });
    it('the cap in all: over it, the oldest connection that has not said HELLO is closed, whoever holds it', async () => {
        h = await (0, bridge_harness_1.startHarness)({ clients: [acme], config: { client: 'Acme' }, bridge: { captureLimits: { perUid: 100, total: 5, handshakeMs: 5_000 } } });
        const idle = await idleConnections(h.config.socketPath, 5);
        node_assert_1.strict.equal(idle.closed(), 0);
        node_assert_1.strict.equal(await sendAndAck(h, 'dave'), 0);
        await until('the oldest idle connection to be closed', () => (idle.closed() >= 1 ? true : undefined));
        const caps = (await refusals(h)).filter((r) => r.startsWith('peer-cap'));
        node_assert_1.strict.match(caps[0] ?? '', /reached the cap in all \(5\); the oldest that had not said HELLO \(uid \d+\) was closed/);
        idle.destroy();
    });
    it('a peer that connects and never says HELLO, or trickles bytes, is closed at the handshake deadline', async () => {
        h = await (0, bridge_harness_1.startHarness)({ clients: [acme], config: { client: 'Acme' }, bridge: { captureLimits: { perUid: 8, total: 16, handshakeMs: 400 } } });
        const silent = await idleConnections(h.config.socketPath, 1);
        const slow = await idleConnections(h.config.socketPath, 1);
        // A HELLO-shaped frame, one byte every 100 ms: never idle for the 30 s idle timeout, never a whole HELLO.
        const frame = (0, frame_1.encodeFrameParts)({ type: constants_1.MessageType.HELLO, seq: 1n, body: Buffer.alloc(200), tag: Buffer.alloc(32) });
        let at = 0;
        const trickle = setInterval(() => slow.socks[0].writable && slow.socks[0].write(frame.subarray(at, ++at)), 100);
        try {
            const t0 = Date.now();
            await until('both to be closed', () => (silent.closed() + slow.closed() === 2 ? true : undefined), 5_000);
            node_assert_1.strict.ok(Date.now() - t0 < 3_000, 'closed at the deadline, not the idle timeout');
        }
        finally {
            clearInterval(trickle);
        }
        const hs = (await until('the handshake refusal', async () => {
            const r = (await refusals(h)).filter((x) => x.startsWith('handshake'));
            return r.length ? r : undefined;
        }));
        node_assert_1.strict.match(hs[0], /handshake: no HELLO within 0\.4 s of connecting/);
        // Both fell in one window: one event now, the second counted.
        node_assert_1.strict.equal(hs.length, 1, hs.join('\n'));
        node_assert_1.strict.equal(await sendAndAck(h, 'erin'), 0, 'a real capture is not held to anything it cannot meet');
    });
});
//# sourceMappingURL=capture-limits.test.js.map