/**
 * Encryption at rest for vault passwords: AES-256-GCM with a 32-byte key kept in a key file.
 *
 * Record: version(1) ‖ iv(12) ‖ ciphertext ‖ tag(16). The AAD is the version byte followed by the caller's
 * context (the credential id and username), so a record copied into another row, or a row whose
 * username was edited, fails to open instead of handing out the wrong password.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileOnce } from '../fs/atomic-file';
import { NoncePool } from './nonce-pool';

export const KEY_BYTES = 32;
const RECORD_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;
/** One per process: GCM needs each IV once per key, which fresh random bytes give whichever box takes them. */
const ivs = new NoncePool();

/**
 * Read the vault key at `keyPath`, creating it (0600, 32 random bytes) when missing.
 * Refuses a key file that group or others can read or write, or that is not exactly 32 bytes.
 */
export function ensureVaultKey(keyPath: string): Buffer {
  if (!fs.existsSync(keyPath)) createKeyFile(keyPath);
  const st = fs.statSync(keyPath);
  if (!st.isFile()) throw new Error(`vault key ${keyPath} is not a regular file`);
  // POSIX mode bits mean nothing on Windows; there the installer sets the ACL on the data directory.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(`vault key ${keyPath} has mode ${mode}; it must not be readable or writable by group or others (chmod 600)`);
  }
  const key = fs.readFileSync(keyPath);
  if (key.length !== KEY_BYTES) {
    key.fill(0);
    throw new Error(`vault key ${keyPath} holds ${st.size} bytes, expected ${KEY_BYTES}`);
  }
  return key;
}

/** A new random key, created once (createFileOnce: a concurrent creator wins and its key is used). */
function createKeyFile(keyPath: string): void {
  fs.mkdirSync(path.dirname(keyPath), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(KEY_BYTES);
  try {
    createFileOnce(keyPath, key, { mode: 0o600, ifExists: 'keep' });
  } finally {
    key.fill(0);
  }
}

export class SecretBox {
  private readonly key: crypto.KeyObject;

  /** The key is copied into a KeyObject (outside the JS heap); the caller may wipe its Buffer afterwards. */
  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new Error(`vault key must be ${KEY_BYTES} bytes`);
    this.key = crypto.createSecretKey(key);
  }

  /** Encrypt `plaintext` bound to `context`. The plaintext Buffer is not modified. */
  seal(plaintext: Buffer, context: string): Buffer {
    const iv = ivs.take(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(context));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([RECORD_VERSION]), iv, ct, cipher.getAuthTag()]);
  }

  /** Decrypt a record made by seal() with the same context. Throws (without detail) if it does not authenticate. */
  open(record: Buffer, context: string): Buffer {
    if (record.length < HEADER_BYTES + TAG_BYTES) throw new Error('sealed record is truncated');
    if (record[0] !== RECORD_VERSION) throw new Error(`sealed record has unknown version ${record[0]}`);
    const iv = record.subarray(1, HEADER_BYTES);
    const ct = record.subarray(HEADER_BYTES, record.length - TAG_BYTES);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(aad(context));
    decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
    const head = decipher.update(ct);
    let tail: Buffer;
    try {
      tail = decipher.final();
    } catch {
      head.fill(0); // unauthenticated plaintext: never let it out
      throw new Error('sealed record does not authenticate (wrong key, or the record was moved or altered)');
    }
    if (tail.length === 0) return head;
    const out = Buffer.concat([head, tail]);
    head.fill(0);
    tail.fill(0);
    return out;
  }
}

function aad(context: string): Buffer {
  return Buffer.concat([Buffer.from([RECORD_VERSION]), Buffer.from(context, 'utf8')]);
}
