import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MAX_NAME_BYTES, Reason, formatVersion, parseVersion } from '../../src/protocol/constants';
import { ProtocolError } from '../../src/protocol/errors';
import * as m from '../../src/protocol/messages';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((u) => Buffer.from(u));
const u32 = fc.nat({ max: 0xffffffff });
/** Names as the decoder accepts them: 1..256 UTF-8 bytes, no NUL. */
const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 })
  .filter((s) => !s.includes('\0') && Buffer.byteLength(s) <= MAX_NAME_BYTES && Buffer.from(s).toString() === s);
const sealed = fc.record({ epkTail: bytes(64), iv: bytes(12), ct: fc.uint8Array({ maxLength: 1024 }), gcmTag: bytes(16) })
  .map((s) => m.joinSealed({ epk: Buffer.concat([Buffer.from([4]), s.epkTail]), iv: s.iv, ct: Buffer.from(s.ct), gcmTag: s.gcmTag }));

const arbs = {
  challenge: fc.record({ nb: bytes(32) }),
  hello: fc.record({ kind: fc.constantFrom(1 as const, 2 as const, 3 as const), captureVersion: u32, bootId: bytes(16), sessionId: bytes(16), nc: bytes(32), machine: name }),
  helloAck: fc.record({ bridgeVersion: u32 }),
  change: fc.record({ eventId: bytes(16), capturedAt: fc.nat({ max: Number.MAX_SAFE_INTEGER }), accountId: u32, account: name, encoding: fc.constantFrom(1 as const, 2 as const), sealed }),
  ack: fc.oneof(
    fc.record({ eventId: bytes(16), status: fc.constantFrom(0 as const, 1 as const), reason: fc.constant(0 as const) }),
    fc.record({ eventId: bytes(16), status: fc.constant(2 as const), reason: fc.constantFrom(...Object.values(Reason)) }),
  ),
  heartbeat: fc.record({ queued: u32, spooled: u32, dropped: u32 }),
};

type Codec = { enc: (v: never) => Buffer; dec: (b: Buffer) => unknown };
const codecs: Record<keyof typeof arbs, Codec> = {
  challenge: { enc: m.encodeChallenge, dec: m.decodeChallenge },
  hello: { enc: m.encodeHello, dec: m.decodeHello },
  helloAck: { enc: m.encodeHelloAck, dec: m.decodeHelloAck },
  change: { enc: m.encodeChange, dec: (b) => { const { accountBytes, ...rest } = m.decodeChange(b); void accountBytes; return rest; } },
  ack: { enc: m.encodeAck, dec: m.decodeAck },
  heartbeat: { enc: m.encodeHeartbeat, dec: m.decodeHeartbeat },
};

const isMalformed = (e: unknown): boolean => e instanceof ProtocolError && e.reason === 'malformed';

describe('protocol/messages', () => {
  for (const key of Object.keys(arbs) as Array<keyof typeof arbs>) {
    const { enc, dec } = codecs[key];
    describe(key, () => {
      it('round-trips every valid value', () => {
        fc.assert(fc.property(arbs[key] as fc.Arbitrary<never>, (v) => {
          assert.deepEqual(dec(enc(v)), { ...(v as object) }); // fc.record objects have a null prototype
        }));
      });
      it('refuses every proper prefix and any trailing byte', () => {
        fc.assert(fc.property(arbs[key] as fc.Arbitrary<never>, fc.nat(), (v, n) => {
          const b = enc(v);
          assert.throws(() => dec(b.subarray(0, n % b.length)), isMalformed);
          assert.throws(() => dec(Buffer.concat([b, Buffer.from([n & 0xff])])), isMalformed);
        }), { numRuns: 50 });
      });
      it('decodes random bytes only if they are the canonical encoding, else throws ProtocolError', () => {
        fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (u) => {
          const b = Buffer.from(u);
          let v: unknown;
          try {
            v = dec(b);
          } catch (e) {
            assert.ok(e instanceof ProtocolError, String(e));
            return;
          }
          assert.deepEqual(enc(v as never), b);
        }));
      });
    });
  }

  const hello = { kind: 1 as const, captureVersion: 1, bootId: Buffer.alloc(16), sessionId: Buffer.alloc(16), nc: Buffer.alloc(32), machine: 'h' };
  const helloWithMachine = (mb: Buffer): Buffer => {
    const b = m.encodeHello(hello);
    return Buffer.concat([b.subarray(0, b.length - 3), Buffer.from([mb.length & 0xff, mb.length >> 8]), mb]);
  };

  it('refuses names that are empty, too long, hold a NUL or are not UTF-8', () => {
    const bad: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /machine is empty/],
      [Buffer.alloc(MAX_NAME_BYTES + 1, 0x61), /machine of 257 bytes exceeds 256/],
      [Buffer.from('a\0b'), /NUL/],
      [Buffer.from([0x61, 0xff]), /not valid UTF-8/],
      [Buffer.from([0xed, 0xa0, 0x80]), /not valid UTF-8/], // an encoded surrogate
    ];
    for (const [mb, detail] of bad) {
      assert.throws(() => m.decodeHello(helloWithMachine(mb)), (e: unknown) => isMalformed(e) && detail.test((e as Error).message));
    }
    assert.equal(m.decodeHello(helloWithMachine(Buffer.alloc(MAX_NAME_BYTES, 0x61))).machine.length, MAX_NAME_BYTES);
    assert.throws(() => m.encodeHello({ ...hello, machine: '' }), isMalformed);
  });

  it('refuses unknown kinds, encodings, ack statuses and reason mismatches', () => {
    const h = m.encodeHello(hello);
    h[0] = 5;
    assert.throws(() => m.decodeHello(h), /kind 5 is unknown/);
    const ack = (status: number, reason: number): Buffer => Buffer.concat([Buffer.alloc(16), Buffer.from([status, reason & 0xff, reason >> 8])]);
    assert.throws(() => m.decodeAck(ack(3, 0)), /status 3 is unknown/);
    assert.throws(() => m.decodeAck(ack(0, 5)), /status 0 with reason 5/);
    assert.throws(() => m.decodeAck(ack(2, 0)), /status 2 with reason 0/);
    assert.throws(() => m.decodeAck(ack(2, 99)), /status 2 with reason 99/);
    assert.equal(m.decodeAck(ack(2, 8)).reason, 8);
  });

  it('refuses a CHANGE with an unknown encoding, a compressed epk, or captured_at beyond 2^53', () => {
    const s = m.joinSealed({ epk: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]), iv: Buffer.alloc(12), ct: Buffer.alloc(3), gcmTag: Buffer.alloc(16) });
    const base = m.encodeChange({ eventId: Buffer.alloc(16), capturedAt: 5, accountId: 1, account: 'a', encoding: 1, sealed: s });
    const encAt = 16 + 8 + 4 + 3;
    const b1 = Buffer.from(base);
    b1[encAt] = 3;
    assert.throws(() => m.decodeChange(b1), /encoding 3 is unknown/);
    const b2 = Buffer.from(base);
    b2[encAt + 1] = 2;
    assert.throws(() => m.decodeChange(b2), /not an uncompressed point/);
    const b3 = Buffer.from(base);
    b3.writeBigUInt64LE(1n << 53n, 16);
    assert.throws(() => m.decodeChange(b3), /captured_at .* out of range/);
    const d = m.decodeChange(base);
    assert.deepEqual(d.accountBytes, Buffer.from('a'));
    assert.deepEqual(d.sealed, s);
  });

  it('a CHANGE may carry a ct longer than MAX_PASSWORD_BYTES (the session refuses it with an ACK)', () => {
    const s = m.joinSealed({ epk: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]), iv: Buffer.alloc(12), ct: Buffer.alloc(1025), gcmTag: Buffer.alloc(16) });
    assert.equal(m.sealedCtLen(s), 1025);
    const c = m.decodeChange(m.encodeChange({ eventId: Buffer.alloc(16), capturedAt: 1, accountId: 1, account: 'a', encoding: 1, sealed: s }));
    assert.equal(m.sealedCtLen(c.sealed), 1025);
  });
});

describe('protocol/constants: versions', () => {
  it('parseVersion packs MAJOR.MINOR.PATCH as the wire carries it, and formatVersion reads it back', () => {
    assert.equal(parseVersion('1.2.3'), (1 << 16) | (2 << 8) | 3);
    assert.equal(formatVersion(parseVersion('0.1.0')), '0.1.0');
    assert.equal(formatVersion(parseVersion('2.10.7-rc.1')), '2.10.7');
    assert.equal(formatVersion(parseVersion('0.1.0~prev1')), '0.1.0'); // a Debian package's pre-release (deb-install.test.ts)
  });

  it('parseVersion refuses what the u32 cannot carry, naming the text', () => {
    for (const bad of ['', '1.2', '1.2.x', 'v1.2.3', '1.256.0', '65536.0.0', '1.2.3.4']) {
      assert.throws(() => parseVersion(bad), (e: Error) => e.message.includes(`"${bad}"`), bad);
    }
  });
});
