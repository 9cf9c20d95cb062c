// TOTP (src/hub/totp.ts) against RFC 6238 appendix B (every time and all three hashes, 8 digits, and the
// 6-digit codes apps show, which are the last 6 of the same numbers), base32 against RFC 4648 section 10,
// and the ±1 step window the hub accepts.
import { strict as assert } from 'node:assert';
import { base32, matchTotp, otpauthUri, totpAt, totpStep } from '../../src/hub/totp';

const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

// RFC 6238 appendix B: time (s), then the SHA-1, SHA-256 and SHA-512 codes.
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('hub: TOTP (RFC 6238)', () => {
  for (const [t, sha1, sha256, sha512] of VECTORS) {
    it(`gives the RFC 6238 appendix B codes at T=${t}`, () => {
      const step = totpStep(t * 1000);
      assert.equal(totpAt(SEEDS.sha1, step, 8, 'sha1'), sha1);
      assert.equal(totpAt(SEEDS.sha256, step, 8, 'sha256'), sha256);
      assert.equal(totpAt(SEEDS.sha512, step, 8, 'sha512'), sha512);
      assert.equal(totpAt(SEEDS.sha1, step), sha1.slice(2), 'the 6-digit SHA-1 code apps show');
    });
  }

  it('accepts the step before and after now, and no further, returning the step that matched', () => {
    const now = 1111111111_000;
    const s = totpStep(now);
    assert.equal(matchTotp(SEEDS.sha1, totpAt(SEEDS.sha1, s), now), s);
    assert.equal(matchTotp(SEEDS.sha1, totpAt(SEEDS.sha1, s - 1), now), s - 1);
    assert.equal(matchTotp(SEEDS.sha1, totpAt(SEEDS.sha1, s + 1), now), s + 1);
    for (const far of [s - 2, s + 2]) {
      const code = totpAt(SEEDS.sha1, far);
      // Two steps' codes can collide (1 in 10^6); the vector time here does not.
      assert.equal(matchTotp(SEEDS.sha1, code, now), undefined, `step ${far - s} is refused`);
    }
    assert.equal(matchTotp(SEEDS.sha1, '12345', now), undefined, 'not 6 digits');
    assert.equal(matchTotp(SEEDS.sha1, 'abcdef', now), undefined, 'not digits');
  });

  it('writes base32 as RFC 4648 section 10 does (without padding), and the otpauth URI apps read', () => {
    const cases: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of cases) assert.equal(base32(Buffer.from(plain)), encoded, plain);
    assert.equal(base32(SEEDS.sha1), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const uri = new URL(otpauthUri('pwbridge hub', 'olivia', SEEDS.sha1));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/pwbridge hub:olivia');
    assert.equal(uri.searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(uri.searchParams.get('issuer'), 'pwbridge hub');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});
