import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isValidUtf8, normalisePassword, safeMessage } from '../../src/pipeline/password';

const u16 = (...units: number[]) => {
  const b = Buffer.alloc(units.length * 2);
  units.forEach((u, i) => b.writeUInt16LE(u, i * 2));
  return b;
};

describe('password normalisation', () => {
  it('converts UTF-16LE with an emoji to the exact UTF-8 bytes', () => {
    const r = normalisePassword(Buffer.from('p\u{1F511}w€', 'utf16le'), 2);
    assert.ok(r.ok);
    assert.deepEqual([...r.utf8], [...Buffer.from('p\u{1F511}w€', 'utf8')]);
  });

  it('refuses a lone high surrogate, a lone low surrogate and an odd length', () => {
    for (const bad of [u16(0x41, 0xd83d), u16(0xd83d, 0x41), u16(0xdc00, 0x41), Buffer.from([0x41, 0x00, 0x42])]) {
      const r = normalisePassword(bad, 2);
      assert.equal(r.ok, false);
      assert.match((r as { reason: string }).reason, /^password-unrepresentable/);
    }
  });

  it('keeps valid raw UTF-8 as it is and refuses invalid bytes', () => {
    const good = Buffer.from('pässwörd\u{1F600}', 'utf8');
    const r = normalisePassword(good, 1);
    assert.ok(r.ok && r.utf8.equals(good));
    for (const bad of [[0xc3, 0x28], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      assert.equal(normalisePassword(Buffer.from(bad), 1).ok, false, `bytes ${bad}`);
    }
  });

  it('refuses an unknown encoding', () => {
    assert.equal(normalisePassword(Buffer.from('x'), 7).ok, false);
  });

  it('agrees with Node on every string: UTF-16LE of any well-formed string converts to its UTF-8 (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const r = normalisePassword(Buffer.from(s, 'utf16le'), 2);
        return r.ok && r.utf8.equals(Buffer.from(s, 'utf8'));
      }),
    );
  });

  it('validates UTF-8 exactly like a fatal TextDecoder (property)', () => {
    const dec = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        let ok = true;
        try { dec.decode(bytes); } catch { ok = false; }
        return isValidUtf8(bytes) === ok;
      }),
      { numRuns: 5000 },
    );
  });

  it('withholds an error message that contains the password', () => {
    const pw = Buffer.from('Tr0ub4dor&3');
    assert.doesNotMatch(safeMessage(new Error('rejected Tr0ub4dor&3 by policy'), pw), /Tr0ub4dor/);
    assert.equal(safeMessage(new TypeError('socket hang up'), pw), 'TypeError: socket hang up');
  });
});
