// The shared vectors (test/vectors/frames.json): the codec must reproduce each frame byte for byte from
// the vector's inputs and decode it back. Key derivations are recomputed with plain HMAC/HKDF here,
// independently of src/protocol/keys.ts, so a bug there cannot hide by regenerating the file.
import { strict as assert } from 'node:assert';
import { createHmac, createPrivateKey, hkdfSync } from 'node:crypto';
import * as fs from 'node:fs';
import { Reason, MessageType } from '../../src/protocol/constants';
import { decodeFrame, encodeFrame } from '../../src/protocol/frame';
import * as m from '../../src/protocol/messages';
import { open } from '../../src/protocol/seal';
import { ServerSession, type ServerEvent } from '../../src/protocol/server-session';
import { vectorsPath } from '../vectors/repo-root';
import { buildVectors, type FrameVector, type Vectors } from '../vectors/vectors';

const V: Vectors = JSON.parse(fs.readFileSync(vectorsPath(), 'utf8'));
const h = (s: string | number): Buffer => Buffer.from(String(s), 'hex');
const K = V.keys;
const hm = (key: Buffer, ...parts: Buffer[]): Buffer => parts.reduce((x, p) => x.update(p), createHmac('sha256', key)).digest();

function bodyOf(v: FrameVector): Buffer {
  const f = v.fields;
  switch (v.type) {
    case 'CHALLENGE': return m.encodeChallenge({ nb: h(f.nb) });
    case 'HELLO': return m.encodeHello({ kind: f.kind as 1, captureVersion: f.capture_version as number, bootId: h(f.boot_id), sessionId: h(f.session_id), nc: h(f.nc), machine: f.machine as string });
    case 'HELLO_ACK': return m.encodeHelloAck({ bridgeVersion: f.bridge_version as number });
    case 'CHANGE': return m.encodeChange({ eventId: h(f.event_id), capturedAt: f.captured_at as number, accountId: f.account_id as number, account: f.account as string, encoding: f.encoding as 1, sealed: h(f.sealed_hex) });
    case 'ACK': return m.encodeAck({ eventId: h(f.event_id), status: f.status as 0, reason: f.reason as 0 });
    case 'HEARTBEAT': return m.encodeHeartbeat({ queued: f.queued as number, spooled: f.spooled as number, dropped: f.dropped as number });
  }
}

describe('protocol/vectors (test/vectors/frames.json)', () => {
  it('is what the generator produces now (regenerate with node dist/test/vectors/generate.js)', () => {
    assert.deepEqual(buildVectors(), V);
  });

  it('has the keys the document defines', () => {
    const S = h(K.secret);
    assert.equal(K.k_hello, hm(S, Buffer.from('pwbridge/1/hello'), h(K.nb)).toString('hex'));
    assert.equal(K.k_c2b, hm(S, Buffer.from('pwbridge/1/c2b'), h(K.nb), h(K.nc)).toString('hex'));
    assert.equal(K.k_b2c, hm(S, Buffer.from('pwbridge/1/b2c'), h(K.nb), h(K.nc)).toString('hex'));
    assert.equal(K.seal_prk, hm(Buffer.from('pwbridge/1/seal'), h(K.ecdh_z)).toString('hex'));
    const jwk = createPrivateKey(K.bridge_private_pem).export({ format: 'jwk' });
    assert.equal(Buffer.from(jwk.d!, 'base64url').toString('hex'), K.bridge_private);
  });

  it('covers every message type', () => {
    assert.deepEqual([...new Set(V.frames.map((f) => f.type))].sort(), Object.keys(MessageType).sort());
  });

  for (const v of V.frames) {
    it(`reproduces and decodes ${v.name}`, () => {
      const body = bodyOf(v);
      assert.equal(body.toString('hex'), v.body_hex);
      const key = v.key === 'none' ? undefined : h(K[`k_${v.key}`]);
      const frame = encodeFrame(MessageType[v.type], BigInt(v.seq), body, key);
      assert.equal(frame.toString('hex'), v.frame_hex);
      const f = decodeFrame(h(v.frame_hex));
      assert.equal(f.type, MessageType[v.type]);
      assert.equal(f.seq, BigInt(v.seq));
      assert.equal(f.body.toString('hex'), v.body_hex);
      if (key) assert.deepEqual(f.tag, hm(key, f.signed));
      if (v.type === 'CHANGE') {
        const c = m.decodeChange(f.body);
        assert.equal(c.account, v.fields.account);
        assert.equal(c.sealed.toString('hex'), v.fields.sealed_hex);
        const sealed = m.splitSealed(c.sealed);
        assert.equal(sealed.epk.toString('hex'), K.ephemeral_public);
        assert.equal(sealed.iv.toString('hex'), v.fields.iv);
        const k = Buffer.from(hkdfSync('sha256', h(K.ecdh_z), Buffer.from('pwbridge/1/seal'), c.eventId, 32));
        assert.equal(k.toString('hex'), v.fields.seal_key);
        const pw = open(c.sealed, c.eventId, c.accountBytes, c.encoding, h(K.bridge_private));
        assert.equal(pw.toString('hex'), v.fields.password_hex);
      }
    });
  }

  for (const r of V.refusals) {
    it(`refuses ${r.name} (${r.reason})`, () => {
      assert.equal(r.code, Reason[r.reason]);
      const s = new ServerSession({ secret: h(K.secret), random: () => h(K.nb) });
      const challenge = V.frames.find((f) => f.name === 'challenge')!;
      assert.equal(s.start().toString('hex'), challenge.frame_hex);
      const evs: ServerEvent[] = r.input_hex.flatMap((x) => s.feed(h(x)));
      const end = s.end();
      if (end) evs.push(end);
      const last = evs[evs.length - 1];
      if (r.outcome === 'close') {
        assert.equal(last.kind, 'refused');
        assert.equal((last as { reason: string }).reason, r.reason);
        assert.equal(evs.filter((e) => e.kind === 'refused').length, 1);
      } else {
        assert.equal(last.kind, 'change-refused');
        assert.equal((last as { reason: string }).reason, r.reason);
        assert.equal((last as { reply: Buffer }).reply.toString('hex'), r.ack_hex);
      }
    });
  }
});
