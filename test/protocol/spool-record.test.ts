import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { MAX_SPOOL_BODY, type ReasonName } from '../../src/protocol/constants';
import { ProtocolError } from '../../src/protocol/errors';
import { spoolKey } from '../../src/protocol/keys';
import { encodeChange, joinSealed, splitSealed } from '../../src/protocol/messages';
import {
  MAX_SPOOL_RECORD, decodeSpoolRecord, encodeSpoolRecord, encodeSpoolRecordParts, type SpoolRecordParts,
} from '../../src/protocol/spool-record';
import { deriveKey } from '../../src/service/install';
import { sealedChange } from '../helpers/spool';
import { vectorsPath } from '../vectors/repo-root';
import type { Vectors } from '../vectors/vectors';
import { BRIDGE, SECRET } from './util';

const V: Vectors = JSON.parse(fs.readFileSync(vectorsPath(), 'utf8'));
const h = (s: string): Buffer => Buffer.from(s, 'hex');
const K = spoolKey(SECRET);
const change = sealedChange(BRIDGE.publicKey, { account: 'alice', password: Buffer.from('spooled secret'), capturedAt: 1_700_000_000_000, accountId: 1000 });
const body = encodeChange(change);
const good = encodeSpoolRecord({ kind: 1, machine: 'host-01', body }, K);

/** A record with some fields wrong but a tag that verifies (so the check under test is the one that fires). */
const tagged = (over: Partial<SpoolRecordParts>): Buffer => encodeSpoolRecordParts({ kind: 1, machine: 'host-01', body, ...over }, K);

function refuses(raw: Buffer, reason: ReasonName, detail?: RegExp, key = K): void {
  assert.throws(() => decodeSpoolRecord(raw, key), (e: unknown) => {
    assert.ok(e instanceof ProtocolError, `a ProtocolError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    if (detail) assert.match(e.detail, detail);
    // The detail says what is wrong in words: never the record's bytes.
    for (const secretish of [body.subarray(16, 24), raw.length >= 40 ? raw.subarray(-32, -24) : undefined]) {
      if (secretish) assert.ok(!e.detail.includes(secretish.toString('hex')), e.detail);
    }
    return true;
  });
}

describe('protocol/spool-record', () => {
  it('K_spool is HMAC(S, "pwbridge/1/spool"), the service\'s deriveKey(S, "spool")', () => {
    const expected = createHmac('sha256', SECRET).update('pwbridge/1/spool').digest();
    assert.deepEqual(spoolKey(SECRET), expected);
    assert.deepEqual(deriveKey(SECRET, 'spool'), expected);
    assert.throws(() => spoolKey(Buffer.alloc(16)), RangeError);
  });

  it('round-trips: kind, machine, body and the decoded CHANGE', () => {
    const r = decodeSpoolRecord(good, K);
    assert.equal(r.kind, 1);
    assert.equal(r.machine, 'host-01');
    assert.deepEqual(r.body, body);
    assert.deepEqual(r.change.eventId, change.eventId);
    assert.equal(r.change.capturedAt, change.capturedAt);
    assert.equal(r.change.accountId, 1000);
    assert.equal(r.change.account, 'alice');
    assert.deepEqual(r.change.sealed, change.sealed);
    assert.deepEqual(encodeSpoolRecord({ kind: r.kind, machine: r.machine, body: r.body }, K), good);
  });

  it('round-trips any kind, machine name and CHANGE body', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 80 })
      .filter((s) => !s.includes('\0') && Buffer.from(s).toString() === s && Buffer.byteLength(s) <= 256);
    fc.assert(fc.property(fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const), name, name, fc.uint8Array({ maxLength: 1024 }), (kind, machine, account, ct) => {
      const sealed = joinSealed({ ...splitSealed(change.sealed), ct: Buffer.from(ct) });
      const b = encodeChange({ ...change, account, sealed });
      const r = decodeSpoolRecord(encodeSpoolRecord({ kind, machine, body: b }, K), K);
      assert.equal(r.kind, kind);
      assert.equal(r.machine, machine);
      assert.deepEqual(r.body, b);
      assert.equal(r.change.account, account);
    }), { numRuns: 200 });
  });

  it('the layout is the document\'s: magic, version, kind, reserved, machine str, body_len, body, HMAC tag', () => {
    assert.equal(good.subarray(0, 4).toString('ascii'), 'PWBS');
    assert.deepEqual([...good.subarray(4, 8)], [1, 1, 0, 0]);
    assert.equal(good.readUInt16LE(8), 7);
    assert.equal(good.subarray(10, 17).toString(), 'host-01');
    assert.equal(good.readUInt32LE(17), body.length);
    assert.deepEqual(good.subarray(21, 21 + body.length), body);
    assert.equal(good.length, 21 + body.length + 32);
    assert.deepEqual(good.subarray(-32), createHmac('sha256', K).update(good.subarray(0, -32)).digest());
  });

  describe('the shared vector (frames.json "spool")', () => {
    const S = h(V.keys.secret);
    const kSpool = h(V.keys.k_spool);

    it('k_spool is HMAC(secret, "pwbridge/1/spool")', () => {
      assert.equal(V.keys.k_spool, createHmac('sha256', S).update('pwbridge/1/spool').digest('hex'));
    });

    it('holds the CHANGE body of the frame vector it names, and decodes to it', () => {
      const frame = V.frames.find((f) => f.name === V.spool.change)!;
      assert.equal(frame.type, 'CHANGE');
      assert.equal(V.spool.body_hex, frame.body_hex);
      const r = decodeSpoolRecord(h(V.spool.record_hex), kSpool);
      assert.equal(r.kind, V.spool.kind);
      assert.equal(r.machine, V.spool.machine);
      assert.equal(r.body.toString('hex'), frame.body_hex);
      assert.equal(r.change.eventId.toString('hex'), frame.fields.event_id);
      assert.equal(r.change.capturedAt, frame.fields.captured_at);
      assert.equal(r.change.account, frame.fields.account);
      assert.equal(r.change.sealed.toString('hex'), frame.fields.sealed_hex);
    });

    it('is reproduced byte for byte from its inputs', () => {
      const again = encodeSpoolRecord({ kind: V.spool.kind as 1, machine: V.spool.machine, body: h(V.spool.body_hex) }, spoolKey(S));
      assert.equal(again.toString('hex'), V.spool.record_hex);
    });
  });

  describe('refusals', () => {
    it('every byte flipped anywhere before the tag, or in the tag, fails (bad-tag or a structural check first)', () => {
      for (let i = 0; i < good.length; i++) {
        const t = Buffer.from(good);
        t[i] ^= 0x01;
        assert.throws(() => decodeSpoolRecord(t, K), ProtocolError, `byte ${i}`);
      }
    });

    it('a tampered byte in the machine, the body or the tag is bad-tag', () => {
      for (const at of [12, 21, 21 + 16, good.length - 40, good.length - 1]) {
        const t = Buffer.from(good);
        t[at] ^= 0x80;
        refuses(t, 'bad-tag', /tag does not verify/);
      }
    });

    it('another install\'s key is bad-tag', () => {
      refuses(good, 'bad-tag', undefined, spoolKey(Buffer.alloc(32, 1)));
    });

    it('every proper prefix is truncated', () => {
      for (let n = 0; n < good.length; n++) refuses(good.subarray(0, n), 'truncated');
    });

    it('bad magic', () => {
      refuses(tagged({ magic: Buffer.from('PWBX') }), 'malformed', /magic/);
      refuses(Buffer.from('XY'), 'malformed', /magic/);
    });

    it('version other than 1', () => {
      refuses(tagged({ version: 2 }), 'bad-version', /version 2/);
      refuses(tagged({ version: 0 }), 'bad-version');
    });

    it('reserved other than 0', () => {
      refuses(tagged({ reserved: 1 }), 'malformed', /reserved/);
      refuses(tagged({ reserved: 0x8000 }), 'malformed', /reserved/);
    });

    it('body_len over 4096 is oversized, even when the bytes are there and tagged', () => {
      const big = Buffer.alloc(MAX_SPOOL_BODY + 1);
      refuses(tagged({ body: big }), 'oversized', /4097/);
      refuses(tagged({ bodyLen: 0xffffffff }), 'oversized');
      assert.throws(() => encodeSpoolRecord({ kind: 1, machine: 'm', body: big }, K), /exceeds 4096/);
    });

    it('body_len larger than what the file holds is truncated; smaller leaves trailing bytes', () => {
      refuses(tagged({ bodyLen: body.length + 1 }), 'truncated');
      refuses(tagged({ bodyLen: body.length - 1 }), 'malformed', /after its tag/);
    });

    it('bytes after the tag', () => {
      refuses(Buffer.concat([good, Buffer.from([0])]), 'malformed', /1 bytes after its tag/);
    });

    it('a machine length of 0 or over 256', () => {
      refuses(tagged({ machine: Buffer.alloc(0) }), 'malformed', /machine length 0/);
      refuses(tagged({ machine: Buffer.alloc(257, 0x61) }), 'malformed', /machine length 257/);
    });

    it('a correctly tagged record with an unknown kind, a bad machine name or a bad CHANGE body is malformed', () => {
      refuses(tagged({ kind: 9 }), 'malformed', /kind 9/);
      refuses(tagged({ machine: Buffer.from('a\0b') }), 'malformed', /NUL/);
      refuses(tagged({ machine: Buffer.from([0xc3]) }), 'malformed', /UTF-8/);
      refuses(tagged({ body: Buffer.concat([body, Buffer.from([0])]) }), 'malformed', /CHANGE body has 1 bytes after/);
      const badEncoding = Buffer.from(body);
      badEncoding[16 + 8 + 4 + 2 + 5] = 7;
      refuses(tagged({ body: badEncoding }), 'malformed', /encoding 7/);
      refuses(tagged({ body: Buffer.alloc(0) }), 'malformed', /CHANGE body ends/);
    });

    it('the encoder refuses what the decoder would refuse', () => {
      assert.throws(() => encodeSpoolRecord({ kind: 1, machine: 'm', body: body.subarray(1) }, K), ProtocolError);
      assert.throws(() => encodeSpoolRecord({ kind: 9 as 1, machine: 'm', body }, K), /kind 9/);
      assert.throws(() => encodeSpoolRecord({ kind: 1, machine: '', body }, K), /machine/);
    });

    it('the largest valid record is MAX_SPOOL_RECORD bytes', () => {
      const b = Buffer.alloc(MAX_SPOOL_BODY);
      assert.equal(tagged({ machine: Buffer.alloc(256, 0x61), body: b }).length, MAX_SPOOL_RECORD);
    });
  });
});
