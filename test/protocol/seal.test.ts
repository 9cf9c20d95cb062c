import { strict as assert } from 'node:assert';
import { createECDH, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { SealError } from '../../src/protocol/errors';
import { splitSealed } from '../../src/protocol/messages';
import { Opener, Sealer, open, seal } from '../../src/protocol/seal';
import { BRIDGE, bridgeKeyPair } from './util';

const ID = Buffer.alloc(16, 0x11);
const ACC = Buffer.from('alice');
const isSealError = (e: unknown): boolean => e instanceof SealError;

describe('protocol/seal', () => {
  it('round-trips any password byte for byte', () => {
    const opener = new Opener(BRIDGE.privateKey);
    const sealer = new Sealer(BRIDGE.publicKey);
    fc.assert(fc.property(
      fc.uint8Array({ maxLength: 1024 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constantFrom(1 as const, 2 as const),
      (pw, id, acc, enc) => {
        const s = sealer.seal(Buffer.from(pw), Buffer.from(id), Buffer.from(acc), enc);
        assert.equal(s.length, 65 + 12 + 2 + pw.length + 16);
        assert.deepEqual(opener.open(s, Buffer.from(id), Buffer.from(acc), enc), Buffer.from(pw));
      }));
    assert.equal(opener.cached, 1, 'one ECDH for the whole session');
  });

  it('keeps UTF-16LE with emoji and raw non-UTF-8 bytes exact', () => {
    for (const [pw, enc] of [[Buffer.from('pässwörd🔑😀', 'utf16le'), 2], [Buffer.from([0xff, 0xfe, 0x80, 0x00, 0xc3]), 1], [Buffer.from([0x3d, 0xd8]), 2] /* lone surrogate */] as const) {
      const s = seal(pw, ID, ACC, enc, BRIDGE.publicKey);
      assert.deepEqual(open(s, ID, ACC, enc, BRIDGE.privateKey), pw);
    }
  });

  it('derives the key as HKDF-SHA256(salt "pwbridge/1/seal", info event id)', () => {
    // Independent check with Node's HKDF: decrypting with a hand-derived key must work.
    const eph = createECDH('prime256v1');
    eph.generateKeys();
    const z = eph.computeSecret(BRIDGE.publicKey);
    const k = Buffer.from(hkdfSync('sha256', z, Buffer.from('pwbridge/1/seal'), ID, 32));
    const s = seal(Buffer.from('pw'), ID, ACC, 1, BRIDGE.publicKey, { privateKey: eph.getPrivateKey() });
    const p = splitSealed(s);
    assert.deepEqual(p.epk, eph.getPublicKey());
    const d = require('node:crypto').createDecipheriv('aes-256-gcm', k, p.iv);
    d.setAAD(Buffer.concat([ID, ACC, Buffer.from([1])]));
    d.setAuthTag(p.gcmTag);
    assert.equal(Buffer.concat([d.update(p.ct), d.final()]).toString(), 'pw');
  });

  it('fails with the wrong key, event id, account or encoding, or any altered byte', () => {
    const pw = Buffer.from('hunter2');
    const s = seal(pw, ID, ACC, 1, BRIDGE.publicKey);
    assert.throws(() => open(s, ID, ACC, 1, bridgeKeyPair().privateKey), isSealError);
    assert.throws(() => open(s, Buffer.alloc(16, 0x12), ACC, 1, BRIDGE.privateKey), isSealError);
    assert.throws(() => open(s, ID, Buffer.from('alicE'), 1, BRIDGE.privateKey), isSealError);
    assert.throws(() => open(s, ID, ACC, 2, BRIDGE.privateKey), isSealError);
    const opener = new Opener(BRIDGE.privateKey);
    for (let i = 0; i < s.length; i++) {
      const t = Buffer.from(s);
      t[i] ^= 0x80;
      assert.throws(() => opener.open(t, ID, ACC, 1), (e: unknown) => isSealError(e) && !(e as Error).message.includes('hunter2'), `byte ${i}`);
    }
    assert.deepEqual(opener.open(s, ID, ACC, 1), pw, 'the untouched one still opens');
  });

  it('bounds the PRK cache and still opens evicted keys', () => {
    const opener = new Opener(BRIDGE.privateKey, 4);
    const sealedList = Array.from({ length: 10 }, (_, i) => seal(Buffer.from(`pw${i}`), ID, ACC, 1, BRIDGE.publicKey));
    sealedList.forEach((s, i) => assert.equal(opener.open(s, ID, ACC, 1).toString(), `pw${i}`));
    assert.equal(opener.cached, 4);
    assert.equal(opener.open(sealedList[0], ID, ACC, 1).toString(), 'pw0');
    opener.close();
    assert.equal(opener.cached, 0);
  });

  it('refuses passwords over 1024 bytes, bad ivs, invalid points, and sealing after close', () => {
    assert.throws(() => seal(Buffer.alloc(1025), ID, ACC, 1, BRIDGE.publicKey), /1025 bytes exceeds 1024/);
    assert.throws(() => seal(Buffer.alloc(1), ID, ACC, 1, BRIDGE.publicKey, { iv: Buffer.alloc(11) }), /iv must be 12/);
    assert.throws(() => new Sealer(Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)])), /not a valid/);
    const s = seal(Buffer.from('x'), ID, ACC, 1, BRIDGE.publicKey);
    const bad = Buffer.from(s);
    bad.fill(1, 1, 65); // epk no longer on the curve
    assert.throws(() => open(bad, ID, ACC, 1, BRIDGE.privateKey), /not a valid P-256 point/);
    const sealer = new Sealer(BRIDGE.publicKey);
    sealer.close();
    assert.throws(() => sealer.seal(Buffer.from('x'), ID, ACC, 1), /closed/);
  });

  it('opens many events of one session with one ECDH (the shared secret is cached per epk)', () => {
    const sealer = new Sealer(BRIDGE.publicKey);
    const opener = new Opener(BRIDGE.privateKey);
    const items = Array.from({ length: 2000 }, (_, i) => {
      const id = Buffer.alloc(16);
      id.writeUInt32LE(i);
      return { id, s: sealer.seal(Buffer.from('password123'), id, ACC, 1) };
    });
    for (const it of items) assert.equal(opener.open(it.s, it.id, ACC, 1).toString(), 'password123');
    assert.equal(opener.cached, 1, 'one session key, one cache entry');
  });
});
