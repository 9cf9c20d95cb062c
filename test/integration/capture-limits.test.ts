import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { NewClient } from '../../src/domain/types';
import { DEFAULT_CAPTURE_LIMITS } from '../../src/service/capture-peer-policy';
import { Encoding, MessageType } from '../../src/protocol/constants';
import { encodeFrameParts } from '../../src/protocol/frame';
import { openVaultAt } from '../../src/service/open';
import { startHarness, type Harness } from '../helpers/bridge-harness';
import { skipBecause } from '../helpers/skip';

const acme: NewClient = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change' };
const uid = process.getuid?.() ?? 0;

async function refusals(h: Harness): Promise<string[]> {
  await h.install.events.flush();
  return (await h.install.vault.queryEvents({ kind: 'frame-refused' })).map((e) => e.reason ?? '');
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * `n` connections that say nothing; each records when the bridge closes it. Opened 100 at a time, and again
 * after a pause when the listen backlog is full (EAGAIN: the bridge accepts on this same event loop).
 */
async function idleConnections(socketPath: string, n: number): Promise<{ socks: net.Socket[]; closed(): number; destroy(): void }> {
  const socks: net.Socket[] = [];
  let closed = 0;
  const one = (): Promise<void> => new Promise<void>((resolve, reject) => {
    const s = net.connect(socketPath);
    let connected = false;
    s.on('data', () => undefined); // the CHALLENGE, unanswered
    s.once('connect', () => {
      connected = true;
      socks.push(s);
      s.once('close', () => { closed++; });
      resolve();
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (connected) return; // closed by the bridge: counted on close
      if (e.code === 'EAGAIN') setTimeout(() => one().then(resolve, reject), 20);
      else reject(e);
    });
  });
  for (let done = 0; done < n; done += 100) await Promise.all(Array.from({ length: Math.min(100, n - done) }, one));
  return { socks, closed: () => closed, destroy: () => socks.forEach((s) => s.destroy()) };
}

/** The frame-refused events of a stopped harness, from its vault. */
async function refusalsAfterStop(dir: string): Promise<string[]> {
  const v = await openVaultAt(dir);
  try {
    return (await v.queryEvents({ kind: 'frame-refused' })).map((e) => e.reason ?? '');
  } finally {
    await v.close();
  }
}

async function sendAndAck(h: Harness, account: string): Promise<number> {
  const c = await h.connect();
  try {
    return (await c.send({ account, encoding: Encoding.raw, password: Buffer.from(`pw-${account}`) }).acked).status;
  } finally {
    c.destroy();
  }
}

describe('capture connections are capped per peer uid and in all, with a HELLO deadline (real sockets)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.destroy();
    h = undefined;
  });

  it('1,000 idle connections from one uid: a real capture is still acked, and the cap is one event plus a count, not 1,000', async () => {
    h = await startHarness({ clients: [acme], config: { client: 'Acme' } });
    const { perUid } = DEFAULT_CAPTURE_LIMITS;
    const idle = await idleConnections(h.config.socketPath, 1000);
    // Past the cap, each new connection closed the uid's oldest one that had not said HELLO.
    await until('the bridge to close the idle connections over the cap', () => (idle.closed() >= 1000 - perUid ? true : undefined));
    assert.equal(await sendAndAck(h, 'alice'), 0, 'the real capture was acked');
    assert.ok(idle.closed() >= 1000 - perUid + 1, `the capture's connection made room: ${idle.closed()} closed`);
    const caps = (await refusals(h)).filter((r) => r.startsWith('peer-cap'));
    assert.equal(caps.length, 1, caps.join('\n'));
    assert.match(caps[0], new RegExp(`uid ${uid} reached the cap of ${perUid} capture connections per uid`));
    idle.destroy();
    // The rest of the window is recorded as one count when the service stops (or the window ends).
    await h.stop();
    const after = await refusalsAfterStop(h.dir);
    const summaries = after.filter((r) => /^\d+ more refused like this in the last 60 s \(peer-cap; the last: peer-cap: uid/.test(r));
    assert.equal(summaries.length, 1, after.join('\n'));
    const n = Number(/^(\d+)/.exec(summaries[0])![1]);
    assert.ok(n >= 1000 - perUid, `the count says how many: ${summaries[0]}`);
    assert.equal(after.filter((r) => r.startsWith('peer-cap')).length, 1, 'and no other cap event');
  });

  it('a local user who is not root, connecting 300 times: one refusal event plus a count, not 300 (no flooding the event log or the hub)', async function () {
    if (uid !== 0) skipBecause(this, 'needs root (CI is root)');
    h = await startHarness({ clients: [acme], config: { client: 'Acme' } });
    const fs = await import('node:fs');
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    // Loosen what the service made private, as a careless admin might: only the peer check is left.
    fs.chmodSync(h.dir, 0o755);
    fs.chmodSync(require('node:path').dirname(h.config.socketPath), 0o755);
    fs.chmodSync(h.config.socketPath, 0o666);
    const script = `
      process.setgid(65534); process.setuid(65534);
      const net = require('node:net');
      let left = 300, refused = 0;
      const one = () => { const s = net.connect(${JSON.stringify(h.config.socketPath)}); s.on('error', () => undefined);
        s.on('close', () => { refused++; if (--left > 0) one(); else console.log(JSON.stringify({ refused })); }); };
      one();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout.trim()), { refused: 300 });
    const peer = await until('the refusal event', async () => {
      const r = (await refusals(h!)).filter((x) => x.startsWith('peer:'));
      return r.length ? r : undefined;
    });
    assert.equal(peer.length, 1, peer.join('\n'));
    assert.match(peer[0], /peer uid 65534 is neither root nor the service's user/);
    assert.equal(await sendAndAck(h, 'erin'), 0, 'a real capture is still acked');
    await h.stop();
    const after = await refusalsAfterStop(h.dir);
    const summaries = after.filter((r) => /^299 more refused like this in the last 60 s \(peer; the last: peer: peer uid 65534/.test(r));
    assert.equal(summaries.length, 1, after.join('\n'));
  });

  it('root writing 100 malformed frames (one connection each): 20 refusal events one by one, then one count, and a real capture is still acked', async () => {
    h = await startHarness({ clients: [acme], config: { client: 'Acme' } });
    // An unknown protocol version: refused as soon as the header is read.
    const bad = encodeFrameParts({ type: MessageType.HELLO, version: 9, seq: 1n, body: Buffer.alloc(10), tag: randomBytes(32) });
    for (let i = 0; i < 100; i++) {
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(h!.config.socketPath);
        s.on('data', () => undefined);
        s.once('connect', () => s.write(bad));
        s.once('close', () => resolve());
        s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
      });
    }
    assert.equal(await sendAndAck(h, 'frank'), 0, 'a real capture is still acked');
    const live = (await refusals(h)).filter((r) => r.startsWith('bad-version:'));
    assert.equal(live.length, 20, `recorded one by one up to the burst:\n${live.join('\n')}`);
    await h.stop();
    const after = await refusalsAfterStop(h.dir);
    const summaries = after.filter((r) => /^80 more refused like this in the last 60 s \(bad-version; the last: bad-version: version 9/.test(r));
    assert.equal(summaries.length, 1, after.join('\n'));
  });

  it('when every connection of the uid has said HELLO, the next one is refused, naming the uid and the cap', async () => {
    h = await startHarness({ clients: [acme], config: { client: 'Acme' }, bridge: { captureLimits: { perUid: 2, total: 8, handshakeMs: 5_000 } } });
    const a = await h.connect();
    const b = await h.connect();
    await assert.rejects(h.connect({ timeoutMs: 2_000 }), /closed|refused|timed out/);
    const caps = await until('the refusal event', async () => {
      const r = (await refusals(h!)).filter((x) => x.startsWith('peer-cap'));
      return r.length ? r : undefined;
    });
    assert.match(caps[0], new RegExp(`uid ${uid} holds 2 authenticated capture connections, the cap per uid \\(2\\)`));
    // The two still serve; once one goes, a new capture gets in.
    assert.equal((await a.send({ account: 'bob', encoding: Encoding.raw, password: Buffer.from('pw-bob') }).acked).status, 0);
    b.destroy();
    await b.closed;
    await until('the bridge to see the close', async () => (await sendAndAck(h!, 'carol').catch(() => undefined)) === 0 ? true : undefined);
    a.destroy();
  });

  it('the cap in all: over it, the oldest connection that has not said HELLO is closed, whoever holds it', async () => {
    h = await startHarness({ clients: [acme], config: { client: 'Acme' }, bridge: { captureLimits: { perUid: 100, total: 5, handshakeMs: 5_000 } } });
    const idle = await idleConnections(h.config.socketPath, 5);
    assert.equal(idle.closed(), 0);
    assert.equal(await sendAndAck(h, 'dave'), 0);
    await until('the oldest idle connection to be closed', () => (idle.closed() >= 1 ? true : undefined));
    const caps = (await refusals(h)).filter((r) => r.startsWith('peer-cap'));
    assert.match(caps[0] ?? '', /reached the cap in all \(5\); the oldest that had not said HELLO \(uid \d+\) was closed/);
    idle.destroy();
  });

  it('a peer that connects and never says HELLO, or trickles bytes, is closed at the handshake deadline', async () => {
    h = await startHarness({ clients: [acme], config: { client: 'Acme' }, bridge: { captureLimits: { perUid: 8, total: 16, handshakeMs: 400 } } });
    const silent = await idleConnections(h.config.socketPath, 1);
    const slow = await idleConnections(h.config.socketPath, 1);
    // A HELLO-shaped frame, one byte every 100 ms: never idle for the 30 s idle timeout, never a whole HELLO.
    const frame = encodeFrameParts({ type: MessageType.HELLO, seq: 1n, body: Buffer.alloc(200), tag: Buffer.alloc(32) });
    let at = 0;
    const trickle = setInterval(() => slow.socks[0].writable && slow.socks[0].write(frame.subarray(at, ++at)), 100);
    try {
      const t0 = Date.now();
      await until('both to be closed', () => (silent.closed() + slow.closed() === 2 ? true : undefined), 5_000);
      assert.ok(Date.now() - t0 < 3_000, 'closed at the deadline, not the idle timeout');
    } finally {
      clearInterval(trickle);
    }
    const hs = (await until('the handshake refusal', async () => {
      const r = (await refusals(h!)).filter((x) => x.startsWith('handshake'));
      return r.length ? r : undefined;
    }));
    assert.match(hs[0], /handshake: no HELLO within 0\.4 s of connecting/);
    // Both fell in one window: one event now, the second counted.
    assert.equal(hs.length, 1, hs.join('\n'));
    assert.equal(await sendAndAck(h, 'erin'), 0, 'a real capture is not held to anything it cannot meet');
  });
});
