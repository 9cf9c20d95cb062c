import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecretBox, ensureVaultKey } from '../../src/vault/secret-box';
import { makeTempDir } from '../helpers/tmp';

const posix = process.platform !== 'win32';

describe('ensureVaultKey', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => { tmp = makeTempDir('pwbridge-key-'); });
  afterEach(() => tmp.cleanup());

  it('creates a missing key (and its directory) as 32 random bytes, mode 0600, and reads the same key again', () => {
    const file = path.join(tmp.dir, 'keys', 'vault.key');
    const key = ensureVaultKey(file);
    assert.equal(key.length, 32);
    assert.ok(!key.equals(Buffer.alloc(32)));
    if (posix) assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(ensureVaultKey(file).equals(key));
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['vault.key'], 'no temp file left behind');
  });

  (posix ? it : it.skip)('refuses a key file group or others can read, naming the file and the mode', () => {
    const file = path.join(tmp.dir, 'vault.key');
    fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    assert.throws(() => ensureVaultKey(file), (err: Error) => {
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, /mode 0644/);
      return true;
    });
    fs.chmodSync(file, 0o640);
    assert.throws(() => ensureVaultKey(file), /mode 0640/);
    fs.chmodSync(file, 0o600);
    assert.equal(ensureVaultKey(file).length, 32);
  });

  it('refuses a key file of the wrong size without printing its content', () => {
    const file = path.join(tmp.dir, 'vault.key');
    fs.writeFileSync(file, Buffer.from('short-secret-0123'), { mode: 0o600 });
    assert.throws(() => ensureVaultKey(file), (err: Error) => {
      assert.match(err.message, /17 bytes, expected 32/);
      assert.ok(!err.message.includes('short-secret'));
      return true;
    });
  });
});

describe('SecretBox', () => {
  const key = crypto.randomBytes(32);
  const box = new SecretBox(key);
  const pw = Buffer.from('pässwörd', 'utf8');

  it('seals as version ‖ iv(12) ‖ ct ‖ tag(16) and opens to the same bytes', () => {
    const rec = box.seal(pw, 'ctx');
    assert.equal(rec[0], 1);
    assert.equal(rec.length, 1 + 12 + pw.length + 16);
    assert.ok(!rec.includes(pw));
    assert.ok(box.open(rec, 'ctx').equals(pw));
  });

  it('uses a fresh iv each time', () => {
    assert.ok(!box.seal(pw, 'ctx').equals(box.seal(pw, 'ctx')));
  });

  it('refuses another context, a flipped bit, a truncated record, an unknown version and another key', () => {
    const rec = box.seal(pw, 'credential 1');
    assert.throws(() => box.open(rec, 'credential 2'), /does not authenticate/);
    for (const i of [0, 5, 14, rec.length - 1]) {
      const bad = Buffer.from(rec);
      bad[i] ^= 1;
      assert.throws(() => box.open(bad, 'credential 1'), /does not authenticate|unknown version/, `byte ${i}`);
    }
    assert.throws(() => box.open(rec.subarray(0, 20), 'credential 1'), /truncated/);
    assert.throws(() => new SecretBox(crypto.randomBytes(32)).open(rec, 'credential 1'), /does not authenticate/);
  });

  it('does not modify the plaintext it seals, and refuses a key of the wrong size', () => {
    const copy = Buffer.from(pw);
    box.seal(pw, 'x');
    assert.ok(pw.equals(copy));
    assert.throws(() => new SecretBox(Buffer.alloc(16)), /32 bytes/);
  });
});
