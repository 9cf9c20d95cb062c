/**
 * Hub user passwords: scrypt (node:crypto) with a per-user random salt. The stored text carries its own
 * cost parameters, `scrypt$N$r$p$salt$hash` (salt and hash in base64), so the cost can be raised later
 * without breaking existing users. Tokens (sessions, agents) are random 32-byte values and are stored as
 * a plain SHA-256: a slow hash adds nothing to a secret with 256 bits of entropy.
 */
import * as crypto from 'node:crypto';

const N = 1 << 14;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt needs 128 * N * r bytes; the default maxmem (32 MiB) is exactly at the edge for N = 2^15. */
const MAXMEM = 64 * 1024 * 1024;

function scrypt(password: Buffer, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password, salt, KEY_BYTES, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: Buffer): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, N, R, P);
  const text = `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
  key.fill(0);
  return text;
}

/** A hash of nothing anyone knows: checked for an unknown user, so a miss takes as long as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomBytes(32));
  return decoy;
}

export async function verifyPassword(password: Buffer, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (![n, r, p].every((v) => Number.isSafeInteger(v) && v > 0) || expected.length !== KEY_BYTES) return false;
  const key = await scrypt(password, salt, n, r, p);
  try {
    return crypto.timingSafeEqual(key, expected);
  } finally {
    key.fill(0);
  }
}

/** A new bearer token: a prefix that says what it is ("pws" session, "pwa" agent, "pwe" enrolment) and 32 random bytes. */
export function newToken(kind: 'pws' | 'pwa' | 'pwe'): string {
  return `${kind}_${crypto.randomBytes(32).toString('base64url')}`;
}

/** A token as text, or its UTF-8 bytes as a request's `bytes` field decodes them (the same hash). */
export function tokenHash(token: string | Buffer): string {
  return typeof token === 'string' ? crypto.createHash('sha256').update(token, 'utf8').digest('hex') : crypto.createHash('sha256').update(token).digest('hex');
}

/** A password for the first admin when none is given: 24 characters from a 62-character alphabet (~143 bits). */
export function generatePassword(): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const out = Buffer.alloc(24);
  for (let i = 0; i < out.length; i++) out[i] = alphabet.charCodeAt(crypto.randomInt(alphabet.length));
  return out;
}
