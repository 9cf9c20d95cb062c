// The install's key files (docs/protocol.md "Keys"). Created once, then only read; a file whose mode is
// looser than the table allows is refused rather than fixed, because it may already have leaked. On Windows
// the same refusal comes from the platform's owner-and-DACL check, passed in (this core imports no Windows code).
import {
  createECDH, createPrivateKey, generateKeyPairSync, randomBytes,
} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileOnce } from '../fs/atomic-file';
import { EPK_BYTES, SECRET_BYTES } from './constants';
import { KeyFileError } from './errors';

export const SECRET_FILE = 'capture.secret';
export const PRIVATE_FILE = 'bridge.key';
export const PUBLIC_FILE = 'bridge.pub';

export interface BridgeKeys {
  /** The install secret S (32 bytes). */
  secret: Buffer;
  /** The bridge's P-256 private scalar (32 bytes), taken out of bridge.key. */
  privateKey: Buffer;
  /** The bridge's public key, 65-byte uncompressed point. */
  publicKey: Buffer;
}

export function wipeKeys(k: BridgeKeys): void {
  k.secret.fill(0);
  k.privateKey.fill(0);
}

const POSIX = process.platform !== 'win32';
const octal = (m: number): string => `0${(m & 0o777).toString(8).padStart(3, '0')}`;

/**
 * Who may open a key file where mode bits say nothing (Windows: its owner and DACL). The platform supplies
 * it (src/platform/index.ts, selectKeyFileAccess); it returns what is wrong, or undefined when only the
 * install's own principals can get in. `use`: 'secret' (nobody else anything), 'public' (others may read),
 * 'dir' (the keys folder).
 */
export type KeyFileAccessCheck = (file: string, use: 'secret' | 'public' | 'dir') => string | undefined;

/** Mode bits on POSIX; on Windows the injected owner-and-DACL check (without one, none: mode bits mean nothing there). */
function checkEntry(p: string, allowed: number, dir: boolean, access?: KeyFileAccessCheck): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyFileError(p, 'does not exist');
    throw new KeyFileError(p, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // A symlink could point anywhere (and be swapped); the keys must be the files themselves.
  if (dir ? !st.isDirectory() : !st.isFile()) throw new KeyFileError(p, `is not a ${dir ? 'directory' : 'regular file'}`);
  if (!POSIX) {
    const problem = access?.(p, dir ? 'dir' : (allowed & 0o044) !== 0 ? 'public' : 'secret');
    if (problem) throw new KeyFileError(p, problem);
    return;
  }
  if ((st.mode & 0o777 & ~allowed) !== 0) {
    throw new KeyFileError(p, `mode ${octal(st.mode)} is looser than ${octal(allowed)} (chmod ${octal(allowed)} it, and replace the keys if others could have read them)`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
    throw new KeyFileError(p, `is owned by uid ${st.uid}, expected ${uid} or root`);
  }
}

/** Create `file` with `data` only if it does not exist; a concurrent creator wins and its file is kept. */
function createOnce(file: string, data: Buffer, mode: number): void {
  try {
    createFileOnce(file, data, { mode, ifExists: 'keep' });
  } finally {
    data.fill(0);
  }
}

/** The 32-byte scalar out of a P-256 private key PEM (via its SEC1 DER, which has a fixed layout). */
function scalarFromPem(file: string, pem: Buffer): Buffer {
  let der: Buffer;
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new KeyFileError(file, 'is not a P-256 private key');
    }
    der = key.export({ format: 'der', type: 'sec1' });
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    throw new KeyFileError(file, 'is not a readable PKCS#8 PEM private key');
  } finally {
    pem.fill(0);
  }
  // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (32), ... }: 30 77 02 01 01 04 20 ‖ d.
  const prefix = Buffer.from('30770201010420', 'hex');
  const ok = der.length >= 39 && der.subarray(0, 7).equals(prefix);
  const d = ok ? Buffer.from(der.subarray(7, 39)) : undefined;
  der.fill(0);
  if (!d) throw new KeyFileError(file, 'has an unexpected P-256 key layout');
  return d;
}

function publicFromScalar(d: Buffer): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  return ecdh.getPublicKey(null, 'uncompressed');
}

function newPrivatePem(): Buffer {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // Node only hands out PEM as a string; it lives until GC. The scalar itself is wiped where we hold it.
  return Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'ascii');
}

/** Create whatever key file is missing (dir 0700, secret/key 0600, pub 0644), then load all three. */
export function ensureKeys(keysDir: string, access?: KeyFileAccessCheck): BridgeKeys {
  if (fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 }) !== undefined && POSIX) fs.chmodSync(keysDir, 0o700);
  checkEntry(keysDir, 0o700, true, access);
  const secretPath = path.join(keysDir, SECRET_FILE);
  const keyPath = path.join(keysDir, PRIVATE_FILE);
  const pubPath = path.join(keysDir, PUBLIC_FILE);
  if (!fs.existsSync(secretPath)) createOnce(secretPath, randomBytes(SECRET_BYTES), 0o600);
  if (!fs.existsSync(keyPath)) {
    // A pub without its key is useless (nothing can open what is sealed to it): replace it with the new one.
    if (fs.existsSync(pubPath)) fs.unlinkSync(pubPath);
    createOnce(keyPath, newPrivatePem(), 0o600);
  }
  if (!fs.existsSync(pubPath)) {
    checkEntry(keyPath, 0o600, false, access);
    const d = scalarFromPem(keyPath, fs.readFileSync(keyPath));
    createOnce(pubPath, publicFromScalar(d), 0o644);
    d.fill(0);
  }
  return loadKeys(keysDir, access);
}

/**
 * Read and check the three key files. Refuses loose modes (on Windows, what `access` finds in the owner and
 * DACL), wrong sizes and a pub that is not the key's.
 */
export function loadKeys(keysDir: string, access?: KeyFileAccessCheck): BridgeKeys {
  checkEntry(keysDir, 0o700, true, access);
  const secretPath = path.join(keysDir, SECRET_FILE);
  const keyPath = path.join(keysDir, PRIVATE_FILE);
  const pubPath = path.join(keysDir, PUBLIC_FILE);
  checkEntry(secretPath, 0o600, false, access);
  checkEntry(keyPath, 0o600, false, access);
  checkEntry(pubPath, 0o644, false, access);

  const secret = fs.readFileSync(secretPath);
  if (secret.length !== SECRET_BYTES) {
    secret.fill(0);
    throw new KeyFileError(secretPath, `is ${secret.length} bytes, expected ${SECRET_BYTES}`);
  }
  const privateKey = scalarFromPem(keyPath, fs.readFileSync(keyPath));
  const publicKey = fs.readFileSync(pubPath);
  const derived = publicFromScalar(privateKey);
  const problem = publicKey.length !== EPK_BYTES || publicKey[0] !== 0x04
    ? `is ${publicKey.length} bytes, expected a ${EPK_BYTES}-byte uncompressed point`
    : !publicKey.equals(derived) ? `does not match ${PRIVATE_FILE} (captures would seal to a key the bridge does not hold)` : undefined;
  if (problem) {
    secret.fill(0);
    privateKey.fill(0);
    throw new KeyFileError(pubPath, problem);
  }
  return { secret, privateKey, publicKey };
}
