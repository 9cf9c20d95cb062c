/**
 * The encrypted backup file: the export CSV sealed with a key derived from a passphrase.
 *
 *   pwbridge-vault-export 1
 *   kdf scrypt N=32768 r=8 p=1 salt=<base64 16 bytes>
 *   cipher aes-256-gcm iv=<base64 12 bytes> tag=<base64 16 bytes>
 *   <base64 ciphertext, one line>
 *
 * The parameters are in the file so a later version can raise them and still read this one. The first two
 * lines and the cipher name are the AAD, so changing a parameter makes the file fail to open rather than
 * decrypt with a weaker key.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, scryptSync, type ScryptOptions } from 'node:crypto';

export const MAGIC = 'pwbridge-vault-export 1';
const N = 32768;
const R = 8;
const P = 1;
/** scrypt needs 128·N·r bytes (32 MiB here); Node's default cap is exactly that, so give it room. */
const MAXMEM = 64 * 1024 * 1024;
const MAX_N = 1 << 20;

export class SealedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedFileError';
  }
}

export function isSealed(file: Buffer): boolean {
  return file.subarray(0, MAGIC.length).toString('latin1') === MAGIC;
}

export function seal(plain: Buffer, passphrase: Buffer): Buffer {
  const salt = randomBytes(16);
  return sealWith(plain, scryptSync(passphrase, salt, 32, SEAL_SCRYPT), salt);
}

/** seal, with the key derived off the event loop (the hub: a request must not stall the others). */
export async function sealAsync(plain: Buffer, passphrase: Buffer): Promise<Buffer> {
  const salt = randomBytes(16);
  return sealWith(plain, await scryptAsync(passphrase, salt, SEAL_SCRYPT), salt);
}

const SEAL_SCRYPT: ScryptOptions = { N, r: R, p: P, maxmem: MAXMEM };

function scryptAsync(passphrase: Buffer, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(passphrase, salt, 32, o, (err, key) => (err ? reject(err) : resolve(key))));
}

/** The file for `plain` under `key` (wiped here). */
function sealWith(plain: Buffer, key: Buffer, salt: Buffer): Buffer {
  const iv = randomBytes(12);
  const kdf = `kdf scrypt N=${N} r=${R} p=${P} salt=${salt.toString('base64')}`;
  try {
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(`${MAGIC}\n${kdf}\naes-256-gcm`));
    const body = Buffer.concat([c.update(plain), c.final()]);
    const cipher = `cipher aes-256-gcm iv=${iv.toString('base64')} tag=${c.getAuthTag().toString('base64')}`;
    return Buffer.from(`${MAGIC}\n${kdf}\n${cipher}\n${body.toString('base64')}\n`);
  } finally {
    key.fill(0);
  }
}

/** The CSV inside; SealedFileError names what is wrong (a damaged file, or the wrong passphrase). */
export function open(file: Buffer, passphrase: Buffer): Buffer {
  const h = readHeader(file);
  return openWith(h, scryptSync(passphrase, h.salt, 32, h.scrypt));
}

/**
 * open, with the key derived off the event loop. `maxScryptBytes` bounds the memory the file's scrypt
 * parameters may ask for (the hub's: a user's upload must not make it allocate gigabytes); absent, the
 * format's own bounds (up to 4 GiB, for the operator's own files on the CLI).
 */
export async function openAsync(file: Buffer, passphrase: Buffer, maxScryptBytes?: number): Promise<Buffer> {
  const h = readHeader(file);
  const needs = 128 * h.scrypt.N! * h.scrypt.r!;
  if (maxScryptBytes !== undefined && needs > maxScryptBytes) {
    throw new SealedFileError(`line 2: its scrypt parameters need ${needs} bytes of memory; this reader allows at most ${maxScryptBytes}`);
  }
  return openWith(h, await scryptAsync(passphrase, h.salt, h.scrypt));
}

interface Header { lines: string[]; salt: Buffer; scrypt: ScryptOptions; iv: Buffer; tag: Buffer }

function readHeader(file: Buffer): Header {
  const lines = file.toString('latin1').split('\n');
  if (lines[0] !== MAGIC) throw new SealedFileError(`line 1: not "${MAGIC}"`);
  const kdf = /^kdf scrypt N=(\d+) r=(\d+) p=(\d+) salt=([A-Za-z0-9+/=]+)$/.exec(lines[1] ?? '');
  if (!kdf) throw new SealedFileError('line 2: not "kdf scrypt N=… r=… p=… salt=…"');
  const cipher = /^cipher aes-256-gcm iv=([A-Za-z0-9+/=]+) tag=([A-Za-z0-9+/=]+)$/.exec(lines[2] ?? '');
  if (!cipher) throw new SealedFileError('line 3: not "cipher aes-256-gcm iv=… tag=…"');
  const [n, r, p] = [Number(kdf[1]), Number(kdf[2]), Number(kdf[3])];
  // Bounds, so a crafted header cannot make scrypt take all memory or hours.
  if (n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) {
    throw new SealedFileError('line 2: scrypt parameters out of range');
  }
  if (!/^[A-Za-z0-9+/=]*$/.test(lines[3] ?? '')) throw new SealedFileError('line 4: not base64');
  const iv = Buffer.from(cipher[1], 'base64');
  const tag = Buffer.from(cipher[2], 'base64');
  if (iv.length !== 12 || tag.length !== 16) throw new SealedFileError('line 3: iv or tag has the wrong length');
  return { lines, salt: Buffer.from(kdf[4], 'base64'), scrypt: { N: n, r, p, maxmem: 256 * n * r }, iv, tag };
}

/** The plain CSV of a file whose header passed, under `key` (wiped here). */
function openWith(h: Header, key: Buffer): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', key, h.iv);
    d.setAAD(Buffer.from(`${h.lines[0]}\n${h.lines[1]}\naes-256-gcm`));
    d.setAuthTag(h.tag);
    try {
      return Buffer.concat([d.update(Buffer.from(h.lines[3], 'base64')), d.final()]);
    } catch {
      throw new SealedFileError('the file does not open with this passphrase (wrong passphrase, or the file was changed)');
    }
  } finally {
    key.fill(0);
  }
}
