import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MessageType } from '../../src/protocol/constants';
import { encodeFrame, decodeFrame } from '../../src/protocol/frame';
import { joinSealed, splitSealed, encodeHelloAck } from '../../src/protocol/messages';
import { open, seal } from '../../src/protocol/seal';
import { ServerSession, type ServerEvent } from '../../src/protocol/server-session';
import { BRIDGE, SECRET, change, established, newClient, one, oneC } from './util';

const refused = (ev: ServerEvent | undefined, reason: string): void => {
  assert.equal(ev?.kind, 'refused', `expected a refusal (${reason}), got ${ev?.kind}`);
  assert.equal((ev as { reason: string }).reason, reason, (ev as { detail: string }).detail);
};

describe('protocol/server-session', () => {
  it('happy path: challenge, hello, change, ack, heartbeat; seq +1 per direction', () => {
    const { server, client } = established();
    assert.equal(server.state, 'established');
    assert.equal(server.hello?.machine, 'testhost');
    const pw = Buffer.from('s3cret!');
    const c = change(client, pw);
    const ev = one(server, c.frame);
    assert.equal(ev.kind, 'change');
    const ch = (ev as Extract<ServerEvent, { kind: 'change' }>).change;
    assert.equal(ch.eventIdHex, c.eventIdHex);
    assert.equal(ch.account, 'alice');
    assert.equal(ch.accountId, 1000);
    assert.equal(ch.machine, 'testhost');
    assert.deepEqual(ch.sealed, c.body.sealed, 'sealed part is kept verbatim');
    assert.deepEqual(open(ch.sealed, ch.eventId, ch.accountBytes, ch.encoding, BRIDGE.privateKey), pw);

    const ack1 = server.ack(ch.eventIdHex, 'stored')!;
    const ack2 = server.ack(ch.eventId, 'duplicate')!;
    assert.equal(decodeFrame(ack1).seq, 3n); // CHALLENGE 1, HELLO_ACK 2
    assert.equal(decodeFrame(ack2).seq, 4n);
    const evs = client.feed(Buffer.concat([ack1, ack2]));
    assert.deepEqual(evs.map((e) => e.kind === 'ack' && [e.eventIdHex, e.ack.status]), [[c.eventIdHex, 0], [c.eventIdHex, 1]]);

    const hb = one(server, client.heartbeat({ queued: 1, spooled: 2, dropped: 3 }));
    assert.deepEqual(hb, { kind: 'heartbeat', heartbeat: { queued: 1, spooled: 2, dropped: 3 } });
  });

  it('refuses a CHANGE before HELLO as unexpected', () => {
    const { client } = established();
    const recorded = change(client).frame;
    const s = new ServerSession({ secret: SECRET });
    s.start();
    const ev = one(s, recorded);
    refused(ev, 'unexpected');
    assert.match((ev as { detail: string }).detail, /CHANGE before HELLO/);
    assert.equal(s.state, 'dead');
    assert.deepEqual(s.feed(recorded), [], 'a dead session reads nothing more');
    assert.equal(s.ack(Buffer.alloc(16), 'stored'), undefined);
  });

  it('refuses a frame recorded on connection 1 in connection 2 as bad-tag', () => {
    const a = established();
    const recorded = change(a.client).frame;
    const b = established();
    refused(one(b.server, recorded), 'bad-tag');
    const c = established();
    refused(one(c.server, a.helloFrame), 'unexpected'); // a HELLO after the handshake
    const d = new ServerSession({ secret: SECRET });
    d.start();
    refused(one(d, a.helloFrame), 'bad-tag'); // a HELLO bound to another nb
  });

  it('refuses a frame replayed within its connection, and a seq gap, as replayed', () => {
    const { server, client } = established();
    const f = change(client).frame;
    assert.equal(one(server, f).kind, 'change');
    refused(one(server, f), 'replayed');

    const x = established();
    change(x.client); // built, never sent: the next one skips a seq
    const ev = one(x.server, change(x.client).frame);
    refused(ev, 'replayed');
    assert.match((ev as { detail: string }).detail, /seq 3, expected 2/);
  });

  it('refuses a second HELLO and capture-bound types from the capture as unexpected', () => {
    const { server, helloFrame } = established();
    refused(one(server, helloFrame), 'unexpected');
    for (const type of [MessageType.ACK, MessageType.HELLO_ACK]) {
      const s = established().server;
      refused(one(s, encodeFrame(type, 2n, Buffer.alloc(4), Buffer.alloc(32))), 'unexpected');
    }
    const s = established().server;
    refused(one(s, encodeFrame(MessageType.CHALLENGE, 2n, Buffer.alloc(32))), 'unexpected');
  });

  it('answers a too-long password with ACK refused (password-too-long) and keeps the session', () => {
    const { server, client } = established();
    const eventId = Buffer.alloc(16, 0xee);
    const parts = splitSealed(seal(Buffer.from('pw'), eventId, Buffer.from('alice'), 1, BRIDGE.publicKey));
    const normal = { eventId, capturedAt: 1, accountId: 1000, account: 'alice', encoding: 1 as const, sealed: Buffer.alloc(0) };
    const long = client.changeFromSealed({ ...normal, sealed: joinSealed({ ...parts, ct: Buffer.alloc(1025) }) });
    const ev = one(server, long);
    assert.equal(ev.kind, 'change-refused');
    const r = ev as Extract<ServerEvent, { kind: 'change-refused' }>;
    assert.equal(r.reason, 'password-too-long');
    assert.match(r.detail, /1025 bytes exceeds 1024/);
    const ack = oneC(client, r.reply);
    assert.deepEqual(ack.kind === 'ack' && [ack.eventIdHex, ack.ack.status, ack.ack.reason], [normal.eventId.toString('hex'), 2, 8]);
    assert.equal(one(server, change(client).frame).kind, 'change', 'the session goes on');
  });

  it('refuses any single bit flip in HELLO, CHANGE and HEARTBEAT frames', () => {
    // Exhaustive over every bit: each flip must end in a refusal (immediately, or 'truncated' at end).
    const cases: Array<[string, () => { server: ServerSession; frame: Buffer }]> = [
      ['HELLO', () => {
        const server = new ServerSession({ secret: SECRET });
        const client = newClient();
        const ch = oneC(client, server.start());
        return { server, frame: (ch as { reply: Buffer }).reply };
      }],
      ['CHANGE', () => { const e = established(); return { server: e.server, frame: change(e.client).frame }; }],
      ['HEARTBEAT', () => { const e = established(); return { server: e.server, frame: e.client.heartbeat({ queued: 1, spooled: 0, dropped: 0 }) }; }],
    ];
    for (const [name, make] of cases) {
      const { frame } = make();
      for (let bit = 0; bit < frame.length * 8; bit++) {
        const { server, frame: f } = make();
        const flipped = Buffer.from(f);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        const evs = server.feed(flipped);
        const last = evs.length ? evs[evs.length - 1] : server.end();
        assert.equal(last?.kind, 'refused', `${name} bit ${bit} was not refused`);
      }
    }
  });

  it('the client refuses any single bit flip in HELLO_ACK and ACK', () => {
    fc.assert(fc.property(fc.nat(), fc.boolean(), (n, flipAck) => {
      const server = new ServerSession({ secret: SECRET });
      const client = newClient();
      const hello = oneC(client, server.start()) as { reply: Buffer };
      const h = one(server, hello.reply) as { reply: Buffer };
      let target = h.reply;
      if (flipAck) {
        assert.equal(oneC(client, h.reply).kind, 'ready');
        target = server.ack(Buffer.alloc(16, 1), 'stored')!;
      }
      const f = Buffer.from(target);
      const bit = n % (f.length * 8);
      f[bit >> 3] ^= 1 << (bit & 7);
      const evs = client.feed(f);
      const last = evs.length ? evs[evs.length - 1] : client.end();
      assert.equal(last?.kind, 'refused');
    }), { numRuns: 500 });
  });

  it('the client will not seal a password for a peer that cannot prove it knows the secret', () => {
    const impostor = new ServerSession({ secret: Buffer.alloc(32, 1) });
    const client = newClient();
    oneC(client, impostor.start());
    assert.throws(() => change(client), /has not proved it knows the install secret/);
    // An impostor's HELLO_ACK, tagged with a key it made up.
    const forged = encodeFrame(MessageType.HELLO_ACK, 2n, encodeHelloAck({ bridgeVersion: 1 }), Buffer.alloc(32, 9));
    const ev = oneC(client, forged);
    assert.equal(ev.kind, 'refused');
    assert.match((ev as { detail: string }).detail, /does not know the install secret/);
    assert.throws(() => change(client), /has not proved/);
  });

  it('the client refuses an ACK replayed from another connection', () => {
    const a = established();
    const ack = a.server.ack(Buffer.alloc(16), 'stored')!;
    const b = established();
    const ev = oneC(b.client, ack);
    assert.equal(ev.kind === 'refused' && ev.reason, 'bad-tag');
    const c = established();
    const ack3 = c.server.ack(Buffer.alloc(16), 'stored')!;
    assert.equal(oneC(c.client, ack3).kind, 'ack');
    const again = oneC(c.client, ack3);
    assert.equal(again.kind === 'refused' && again.reason, 'replayed');
  });

  it('the server refuses a HELLO made with the wrong secret as bad-tag', () => {
    const server = new ServerSession({ secret: SECRET });
    const client = newClient(Buffer.alloc(32, 3));
    const hello = oneC(client, server.start()) as { reply: Buffer };
    refused(one(server, hello.reply), 'bad-tag');
  });

  it('end() mid-frame is truncated; a clean end is not a refusal', () => {
    const { server, client } = established();
    const f = change(client).frame;
    assert.deepEqual(server.feed(f.subarray(0, 100)), []);
    refused(server.end(), 'truncated');
    const b = established();
    assert.equal(b.server.end(), undefined);
    assert.ok(b.server.ack(Buffer.alloc(16), 'stored'), 'a clean half-close still lets the bridge ack');
    b.server.close();
    assert.equal(b.server.ack(Buffer.alloc(16), 'stored'), undefined, 'no ACK after close');
  });

  it('refusal details never contain the secret, nonces or sealed bytes', () => {
    const { server, client } = established();
    const f = change(client, Buffer.from('topsecretpassword')).frame;
    one(server, f);
    const ev = one(server, f) as { detail: string };
    for (const s of [SECRET.toString('hex'), 'topsecretpassword', f.subarray(16, 48).toString('hex')]) {
      assert.ok(!ev.detail.includes(s));
    }
  });
});
