// End to end over a Unix socket: the reference capture client against a bridge made of ServerSession.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageType } from '../../src/protocol/constants';
import { FrameReader, encodeFrame } from '../../src/protocol/frame';
import { encodeChallenge, encodeHelloAck } from '../../src/protocol/messages';
import { Opener } from '../../src/protocol/seal';
import { CaptureClient } from '../helpers/capture-client';
import { FakeBridge } from './fake-bridge';
import { BRIDGE, SECRET } from './util';

const connect = (b: FakeBridge, secret = SECRET): Promise<CaptureClient> =>
  CaptureClient.connect(b.socketPath, { secret, bridgePub: BRIDGE.publicKey, machine: 'web-01' });
const pw = (s: string): Buffer => Buffer.from(s);

describe('protocol/handshake over a socket', () => {
  let bridge: FakeBridge;
  const clients: CaptureClient[] = [];
  beforeEach(async () => { bridge = await FakeBridge.start(SECRET); });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await bridge.close();
  });
  const client = async (b = bridge, secret = SECRET): Promise<CaptureClient> => {
    const c = await connect(b, secret);
    clients.push(c);
    return c;
  };

  it('happy path: hello, pipelined changes, each resolved by its own ACK; bridge can open them', async () => {
    const c = await client();
    const sends = ['one', 'two', 'three'].map((p, i) => c.send({ account: `user${i}`, encoding: 1, password: pw(p) }));
    const acks = await Promise.all(sends.map((s) => s.acked));
    assert.deepEqual(acks.map((a) => [a.eventId.toString('hex'), a.status]), sends.map((s) => [s.eventIdHex, 0]));
    assert.equal(bridge.hellos[0].machine, 'web-01');
    assert.equal(bridge.hellos[0].kind, 3);
    const opener = new Opener(BRIDGE.privateKey);
    assert.deepEqual(bridge.changes.map((ch) => opener.open(ch.sealed, ch.eventId, ch.accountBytes, ch.encoding).toString()), ['one', 'two', 'three']);
    assert.equal(opener.cached, 1, 'one ephemeral key per client');
  });

  it('matches ACKs by event id when they come back in another order', async () => {
    await bridge.close();
    bridge = await FakeBridge.start(SECRET, { manualAcks: true });
    const c = await client();
    const sends = Array.from({ length: 300 }, (_, i) => c.send({ account: 'bob', encoding: 2, password: Buffer.from(`p${i}`, 'utf16le') }));
    while (bridge.changes.length < 300) await new Promise((r) => setTimeout(r, 5));
    assert.equal(bridge.releaseAcks(), 300);
    const acks = await Promise.all(sends.map((s) => s.acked));
    acks.forEach((a, i) => assert.equal(a.eventId.toString('hex'), sends[i].eventIdHex));
  });

  it('re-sending an event (same id, new connection) is acked as duplicate', async () => {
    const c1 = await client();
    const first = c1.send({ account: 'alice', encoding: 1, password: pw('x') });
    assert.equal((await first.acked).status, 0);
    c1.destroy();
    const c2 = await client();
    const again = c2.resend(first.body);
    assert.notDeepEqual(again.frame, first.frame, 'new seq/tag on the new connection');
    assert.equal((await again.acked).status, 1);
    assert.equal(bridge.stored.size, 1);
  });

  it('refuses a CHANGE sent before HELLO', async () => {
    const c1 = await client();
    const recorded = c1.send({ account: 'alice', encoding: 1, password: pw('x') });
    await recorded.acked;
    const refusal = bridge.nextRefusal();
    const raw = net.connect(bridge.socketPath);
    raw.once('data', () => raw.write(recorded.frame)); // answer the CHALLENGE with a CHANGE
    const r = await refusal;
    assert.equal(r.reason, 'unexpected');
    await new Promise((res) => raw.once('close', res));
  });

  it('refuses a frame recorded on connection 1 replayed into connection 2 as bad-tag', async () => {
    const c1 = await client();
    const rec = c1.send({ account: 'alice', encoding: 1, password: pw('x') });
    await rec.acked;
    const c2 = await client();
    const refusal = bridge.nextRefusal();
    c2.sendRaw(rec.frame);
    assert.equal((await refusal).reason, 'bad-tag');
    await c2.closed;
    assert.equal(bridge.changes.length, 1);
  });

  it('refuses a frame replayed within its connection as replayed, and rejects the pending sends', async () => {
    const c = await client();
    const rec = c.send({ account: 'alice', encoding: 1, password: pw('x') });
    await rec.acked;
    const refusal = bridge.nextRefusal();
    c.sendRaw(rec.frame);
    const pending = c.send({ account: 'alice', encoding: 1, password: pw('y') });
    assert.equal((await refusal).reason, 'replayed');
    await assert.rejects(pending.acked, /closed before the ACK/);
  });

  it('a truncated frame at end of stream and an oversized length are refused', async () => {
    const c = await client();
    let refusal = bridge.nextRefusal();
    c.sendRaw(c.session.heartbeat({ queued: 0, spooled: 0, dropped: 0 }).subarray(0, 20));
    c.end();
    assert.equal((await refusal).reason, 'truncated');
    const c2 = await client();
    refusal = bridge.nextRefusal();
    const huge = Buffer.alloc(4);
    huge.writeUInt32LE(1 << 20);
    c2.sendRaw(Buffer.concat([huge, Buffer.alloc(8192)]));
    const r = await refusal;
    assert.equal(r.reason, 'oversized');
    assert.match(r.detail, /frame length 1048576/);
  });

  it('the bridge refuses a capture with the wrong secret (client sees the connection close)', async () => {
    const refusal = bridge.nextRefusal();
    await assert.rejects(connect(bridge, Buffer.alloc(32, 1)), /closed during the handshake/);
    assert.equal((await refusal).reason, 'bad-tag');
  });

  it('the client refuses a squatter that cannot prove it knows the secret, and sends it no password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwb-squat-'));
    const sockPath = path.join(dir, 'capture.sock');
    const received: number[] = [];
    const squatter = net.createServer((s) => {
      s.on('error', () => undefined);
      s.write(encodeFrame(MessageType.CHALLENGE, 1n, encodeChallenge({ nb: Buffer.alloc(32, 7) })));
      const reader = new FrameReader();
      s.on('data', (d: Buffer) => {
        for (const r of reader.feed(d)) {
          if (r.kind !== 'frame') continue;
          received.push(r.frame.type);
          // It cannot compute K_b2c, so it makes one up.
          s.write(encodeFrame(MessageType.HELLO_ACK, 2n, encodeHelloAck({ bridgeVersion: 1 }), Buffer.alloc(32, 9)));
        }
      });
    });
    await new Promise<void>((r) => squatter.listen(sockPath, r));
    try {
      await assert.rejects(
        CaptureClient.connect(sockPath, { secret: SECRET, bridgePub: BRIDGE.publicKey }),
        /bad-tag: HELLO_ACK tag does not verify: the peer does not know the install secret/,
      );
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(received, [MessageType.HELLO], 'only the HELLO reached the squatter');
    } finally {
      await new Promise((r) => squatter.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails cleanly when nothing listens', async () => {
    await assert.rejects(
      CaptureClient.connect(path.join(os.tmpdir(), 'pwb-nothing-here.sock'), { secret: SECRET, bridgePub: BRIDGE.publicKey }),
      /connection failed: ENOENT/,
    );
  });
});
