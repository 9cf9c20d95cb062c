import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MAX_FRAME, MessageType } from '../../src/protocol/constants';
import { ProtocolError } from '../../src/protocol/errors';
import { FrameReader, decodeFrame, encodeFrame, encodeFrameParts, type ReadResult } from '../../src/protocol/frame';
import { ServerSession } from '../../src/protocol/server-session';
import { SECRET } from './util';

const KEY = Buffer.alloc(32, 7);
const TYPES = Object.values(MessageType);

const frameArb = fc.record({
  type: fc.constantFrom(...TYPES),
  seq: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  body: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
}).map(({ type, seq, body }) => encodeFrame(type, seq, body, type === MessageType.CHALLENGE ? undefined : KEY));

/** Split `b` at the given (sorted, de-duplicated) cut points. */
function cut(b: Buffer, points: number[]): Buffer[] {
  const cuts = [...new Set(points.map((p) => p % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, b.length]) {
    out.push(b.subarray(prev, c));
    prev = c;
  }
  return out;
}

function frames(results: ReadResult[]): Buffer[] {
  return results.map((r) => {
    assert.equal(r.kind, 'frame', r.kind === 'refused' ? r.detail : '');
    return (r as { frame: { raw: Buffer } }).frame.raw;
  });
}

describe('protocol/frame', () => {
  it('decodes what it encodes, header fields included', () => {
    fc.assert(fc.property(frameArb, (raw) => {
      const f = decodeFrame(raw);
      assert.deepEqual(encodeFrameParts({ type: f.type, seq: f.seq, body: f.body, tag: f.tag }), raw);
      assert.equal(f.signed.length, raw.length - 4 - (f.tag ? 32 : 0));
    }));
  });

  it('any chunking of a valid stream yields the same frames', () => {
    fc.assert(fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 40 }), (fs, points) => {
      const stream = Buffer.concat(fs);
      const reader = new FrameReader();
      const got = cut(stream, points).flatMap((c) => frames(reader.feed(c)));
      assert.deepEqual(got, fs);
      assert.equal(reader.end(), undefined);
    }));
  });

  it('random bytes give frames or one refusal, never another exception, and stop at the refusal', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 6000 }), fc.array(fc.nat(), { maxLength: 20 }), (u, points) => {
      const reader = new FrameReader();
      const results: ReadResult[] = [];
      for (const c of cut(Buffer.from(u), points)) results.push(...reader.feed(c));
      const end = reader.end();
      const refusals = results.filter((r) => r.kind === 'refused');
      assert.ok(refusals.length <= 1);
      if (refusals.length) assert.equal(results[results.length - 1].kind, 'refused');
      if (end) assert.equal(end.reason, 'truncated');
      const consumed = results.flatMap((r) => (r.kind === 'frame' ? [r.frame.raw.length] : [])).reduce((a, b) => a + b, 0);
      if (!refusals.length && !end) assert.equal(consumed, u.length);
    }));
  });

  it('random bytes into a server session never throw anything but are refused or parsed', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (u) => {
      const s = new ServerSession({ secret: SECRET });
      s.start();
      const evs = s.feed(Buffer.from(u));
      const last = s.end();
      // Without the secret, random bytes can never produce a hello (or anything after it).
      for (const e of [...evs, ...(last ? [last] : [])]) assert.equal(e.kind, 'refused');
    }), { numRuns: 300 });
  });

  it('refuses an oversized length from the length field alone and reads nothing after it', () => {
    fc.assert(fc.property(fc.integer({ min: MAX_FRAME - 3, max: 0xffffffff }), (len) => {
      const reader = new FrameReader();
      const head = Buffer.alloc(4);
      head.writeUInt32LE(len);
      const r = reader.feed(head);
      assert.equal(r.length, 1);
      assert.equal(r[0].kind, 'refused');
      const ref = r[0] as { reason: string; detail: string };
      assert.equal(ref.reason, 'oversized');
      assert.match(ref.detail, new RegExp(`frame length ${len} .*exceeds ${MAX_FRAME}`));
      assert.equal(reader.buffered, 0);
      assert.deepEqual(reader.feed(Buffer.alloc(100000)), []);
      assert.equal(reader.end(), undefined);
    }));
  });

  it('accepts a frame of exactly MAX_FRAME bytes and refuses one byte more', () => {
    const body = Buffer.alloc(MAX_FRAME - 16 - 32);
    const ok = encodeFrame(MessageType.CHANGE, 1n, body, KEY);
    assert.equal(ok.length, MAX_FRAME);
    assert.equal(new FrameReader().feed(ok)[0].kind, 'frame');
    assert.throws(() => encodeFrame(MessageType.CHANGE, 1n, Buffer.alloc(body.length + 1), KEY), (e: unknown) => e instanceof ProtocolError && e.reason === 'oversized');
  });

  it('reports a stream that ends inside a frame as truncated, with the byte counts', () => {
    const f = encodeFrame(MessageType.HELLO, 1n, Buffer.alloc(20), KEY);
    for (const n of [1, 3, 4, 16, f.length - 1]) {
      const reader = new FrameReader();
      assert.deepEqual(reader.feed(f.subarray(0, n)), []);
      const end = reader.end();
      assert.equal(end?.reason, 'truncated');
      assert.match(end!.detail, n < 4 ? /length field/ : new RegExp(`${n} of ${f.length} bytes`));
    }
  });

  it('refuses bad version, non-zero flags, unknown type, short length and a missing tag', () => {
    const cases: Array<[Buffer, string, RegExp]> = [
      [encodeFrameParts({ version: 2, type: 2, seq: 1n, body: Buffer.alloc(40) }), 'bad-version', /version 2/],
      [encodeFrameParts({ flags: 0x8000, type: 2, seq: 1n, body: Buffer.alloc(40) }), 'malformed', /flags 0x8000/],
      [encodeFrameParts({ type: 0, seq: 1n, body: Buffer.alloc(40) }), 'malformed', /unknown message type 0/],
      [encodeFrameParts({ type: 7, seq: 1n, body: Buffer.alloc(40) }), 'malformed', /unknown message type 7/],
      [encodeFrameParts({ type: 5, seq: 1n, body: Buffer.alloc(31) }), 'malformed', /no room for its 32-byte tag/],
      [encodeFrameParts({ len: 5, type: 1, seq: 1n, body: Buffer.alloc(0) }).subarray(0, 9), 'malformed', /below the minimum 12/],
    ];
    for (const [bytes, reason, detail] of cases) {
      const r = new FrameReader().feed(bytes);
      assert.equal(r.length, 1);
      assert.equal(r[0].kind, 'refused');
      assert.equal((r[0] as { reason: string }).reason, reason);
      assert.match((r[0] as { detail: string }).detail, detail);
    }
  });

  it('a CHALLENGE has no tag and every other type must have one', () => {
    assert.throws(() => encodeFrame(MessageType.CHALLENGE, 1n, Buffer.alloc(32), KEY), /takes no tag/);
    assert.throws(() => encodeFrame(MessageType.CHANGE, 1n, Buffer.alloc(32)), /needs tag/);
    assert.equal(decodeFrame(encodeFrame(MessageType.CHALLENGE, 1n, Buffer.alloc(32))).tag, undefined);
  });

  it('frames it returns do not share memory with the chunks fed in', () => {
    const f = encodeFrame(MessageType.HELLO, 1n, Buffer.alloc(20, 1), KEY);
    const chunk = Buffer.from(f);
    const [r] = new FrameReader().feed(chunk);
    chunk.fill(0);
    assert.deepEqual((r as { frame: { raw: Buffer } }).frame.raw, f);
  });
});
