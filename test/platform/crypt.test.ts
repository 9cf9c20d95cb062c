import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { openCrypt, loadCrypt, verifyCrypt, verifyCryptAsync } from '../../src/platform/linux/crypt';
import { skipBecause } from '../helpers/skip';

/** A sha512crypt hash made by openssl (independent of the code under test). Password via stdin. */
function opensslHash(password: Buffer, salt = 'pwbtsalt'): string {
  return execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: Buffer.concat([password, Buffer.from('\n')]) })
    .toString()
    .trim();
}

describe('platform/linux crypt', () => {
  const right = Buffer.from('correct horse $battery ✓', 'utf8');
  let hash: string;
  before(() => {
    hash = opensslHash(right);
  });

  it('loads libcrypt with crypt_r and the libxcrypt struct size', () => {
    const c = loadCrypt();
    assert.ok(c.cryptR, 'crypt_r bound');
    assert.equal(c.dataSize, 32768);
  });

  it('lists every path it tried when no libcrypt loads', () => {
    assert.throws(() => openCrypt(['/nonexistent/libcrypt-a.so', 'libcrypt-not-here.so.9']), (e: Error) => {
      return /nonexistent\/libcrypt-a\.so/.test(e.message) && /libcrypt-not-here\.so\.9/.test(e.message);
    });
  });

  it('verifies the right password and rejects a wrong one (sync and async)', async () => {
    assert.equal(verifyCrypt(right, hash), true);
    assert.equal(verifyCrypt(Buffer.from('correct horse $battery'), hash), false);
    assert.equal(await verifyCryptAsync(right, hash), true);
    assert.equal(await verifyCryptAsync(Buffer.from('nope'), hash), false);
  });

  it('does not modify the caller\'s buffer', () => {
    const copy = Buffer.from(right);
    verifyCrypt(right, hash);
    assert.deepEqual(right, copy);
  });

  it('treats a password with a NUL byte as not matching, even if the prefix matches', async () => {
    const withNul = Buffer.concat([right, Buffer.from([0]), Buffer.from('tail')]);
    assert.equal(verifyCrypt(withNul, hash), false);
    assert.equal(await verifyCryptAsync(withNul, hash), false);
  });

  it('rejects locked, starred, empty and garbage hashes', async () => {
    for (const h of [`!${hash}`, '!', '*', '!*', '', '$6$', 'garbage']) {
      assert.equal(verifyCrypt(right, h), false, `hash ${h.slice(0, 4)}…`);
      assert.equal(await verifyCryptAsync(right, h), false, `async hash ${h.slice(0, 4)}…`);
    }
  });

  it('verifies the system\'s default scheme (yescrypt) via a real chpasswd-made hash when available', function () {
    // openssl cannot make yescrypt; libcrypt itself hashes a fixed setting (skip if unsupported).
    const yes = '$y$j9T$abcdefghijklmnopqrstu.$';
    const c = loadCrypt();
    const data = Buffer.alloc(c.dataSize);
    c.cryptR!(Buffer.from('pw\0'), Buffer.from(yes + '\0'), data);
    const full = data.subarray(0, data.indexOf(0)).toString();
    if (!full.startsWith('$y$')) skipBecause(this, 'this libcrypt has no yescrypt');
    assert.equal(verifyCrypt(Buffer.from('pw'), full), true);
    assert.equal(verifyCrypt(Buffer.from('pW'), full), false);
  });

  it('runs concurrent async verifications without mixing buffers', async () => {
    const other = Buffer.from('other password');
    const otherHash = opensslHash(other, 'othersal');
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? verifyCryptAsync(right, hash) : verifyCryptAsync(other, otherHash))),
    );
    assert.ok(results.every((r) => r === true));
    const crossed = await Promise.all([verifyCryptAsync(right, otherHash), verifyCryptAsync(other, hash)]);
    assert.deepEqual(crossed, [false, false]);
  });
});
