import { strict as assert } from 'node:assert';
import { createECDH } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KeyFileError } from '../../src/protocol/errors';
import { ensureKeys, loadKeys } from '../../src/protocol/keys';

const posix = process.platform !== 'win32';
const mode = (p: string): number => fs.statSync(p).mode & 0o777;

describe('protocol/key-files', function () {
  let base: string;
  let dir: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'pwb-keys-'));
    dir = path.join(base, 'data', 'keys');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const refuses = (file: string, detail: RegExp) => (e: unknown): boolean =>
    e instanceof KeyFileError && e.file.endsWith(file) && detail.test(e.message);

  it('creates the three files with the right sizes and modes, then loads the same keys', () => {
    const k = ensureKeys(dir);
    assert.equal(k.secret.length, 32);
    assert.equal(k.privateKey.length, 32);
    assert.equal(k.publicKey.length, 65);
    assert.equal(k.publicKey[0], 4);
    const e = createECDH('prime256v1');
    e.setPrivateKey(k.privateKey);
    assert.deepEqual(e.getPublicKey(), k.publicKey);
    assert.match(fs.readFileSync(path.join(dir, 'bridge.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'bridge.pub')), k.publicKey);
    if (posix) {
      assert.equal(mode(dir), 0o700);
      assert.equal(mode(path.join(dir, 'capture.secret')), 0o600);
      assert.equal(mode(path.join(dir, 'bridge.key')), 0o600);
      assert.equal(mode(path.join(dir, 'bridge.pub')), 0o644);
    }
    const again = ensureKeys(dir);
    assert.deepEqual(again, k, 'idempotent: existing keys are kept');
    assert.deepEqual(loadKeys(dir), k);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['bridge.key', 'bridge.pub', 'capture.secret'], 'no temp files left');
  });

  (posix ? it : it.skip)('refuses files and a directory looser than the table, naming file and mode', () => {
    const k = ensureKeys(dir);
    const cases: Array<[string, number, number, RegExp]> = [
      ['capture.secret', 0o644, 0o600, /mode 0644 is looser than 0600/],
      ['capture.secret', 0o640, 0o600, /mode 0640 is looser than 0600/],
      ['bridge.key', 0o604, 0o600, /mode 0604 is looser than 0600/],
      ['bridge.pub', 0o666, 0o644, /mode 0666 is looser than 0644/],
      ['bridge.pub', 0o755, 0o644, /mode 0755 is looser than 0644/],
    ];
    for (const [file, loose, good, detail] of cases) {
      const p = path.join(dir, file);
      fs.chmodSync(p, loose);
      assert.throws(() => loadKeys(dir), refuses(file, detail));
      assert.throws(() => ensureKeys(dir), refuses(file, detail), 'ensureKeys does not "fix" a leaked file');
      fs.chmodSync(p, good);
    }
    fs.chmodSync(path.join(dir, 'capture.secret'), 0o400);
    assert.deepEqual(loadKeys(dir).secret, k.secret, 'stricter is fine');
    fs.chmodSync(dir, 0o755);
    assert.throws(() => loadKeys(dir), refuses('keys', /mode 0755 is looser than 0700/));
    fs.chmodSync(dir, 0o700);
    try {
      loadKeys(dir);
    } catch (e) {
      assert.fail(`unexpected ${String(e)}`);
    }
    // Messages never carry key material.
    fs.chmodSync(path.join(dir, 'capture.secret'), 0o666);
    assert.throws(() => loadKeys(dir), (e: unknown) => !(e as Error).message.includes(k.secret.toString('hex')));
  });

  it('refuses a pub that is not the key\'s, a short secret, a symlink, and a missing file', () => {
    ensureKeys(dir);
    const pub = path.join(dir, 'bridge.pub');
    const other = createECDH('prime256v1');
    other.generateKeys();
    fs.writeFileSync(pub, other.getPublicKey());
    assert.throws(() => loadKeys(dir), refuses('bridge.pub', /does not match bridge.key/));
    fs.writeFileSync(pub, Buffer.alloc(33, 2));
    assert.throws(() => loadKeys(dir), refuses('bridge.pub', /33 bytes/));
    fs.unlinkSync(pub);
    assert.throws(() => loadKeys(dir), refuses('bridge.pub', /does not exist/));
    const k = ensureKeys(dir);
    assert.deepEqual(fs.readFileSync(pub), k.publicKey, 'a missing pub is derived from the key');

    const secret = path.join(dir, 'capture.secret');
    fs.writeFileSync(secret, Buffer.alloc(31));
    assert.throws(() => loadKeys(dir), refuses('capture.secret', /31 bytes, expected 32/));
    fs.unlinkSync(secret);
    fs.writeFileSync(path.join(base, 'elsewhere'), Buffer.alloc(32), { mode: 0o600 });
    fs.symlinkSync(path.join(base, 'elsewhere'), secret);
    assert.throws(() => loadKeys(dir), refuses('capture.secret', /not a regular file/));
  });

  it('refuses a bridge.key that is not a P-256 PEM', () => {
    ensureKeys(dir);
    const key = path.join(dir, 'bridge.key');
    fs.writeFileSync(key, 'not a key');
    assert.throws(() => loadKeys(dir), refuses('bridge.key', /not a readable PKCS#8 PEM/));
    const { generateKeyPairSync } = require('node:crypto') as typeof import('node:crypto');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    fs.writeFileSync(key, ed);
    assert.throws(() => loadKeys(dir), refuses('bridge.key', /not a P-256 private key/));
  });
});
