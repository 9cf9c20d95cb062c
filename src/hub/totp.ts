/**
 * TOTP (RFC 6238) as authenticator apps speak it: HMAC-SHA1 over the count of 30-second steps since the
 * epoch, dynamically truncated to 6 decimal digits (RFC 4226 section 5.3). Written here on node:crypto
 * (a dozen lines; an npm package would ship to every machine with the MSI for them). Checked against the
 * RFC 6238 appendix B vectors (test/hub/totp.test.ts).
 *
 * A code is accepted for the step it was made in and one step either side (clock drift between the
 * phone and the hub). Which step matched is returned, so the caller can refuse that step or an earlier
 * one next time: a code seen once cannot be replayed within its window (src/hub/mfa.ts).
 */
import * as crypto from 'node:crypto';

export const TOTP_STEP_MS = 30_000;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are still accepted. */
export const TOTP_DRIFT_STEPS = 1;
/** 20 bytes (160 bits), the HMAC-SHA1 key length RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

/** The step a time (ms since the epoch) falls in. */
export const totpStep = (timeMs: number): number => Math.floor(timeMs / TOTP_STEP_MS);

/** The code of one step; `digits` other than 6 only for the RFC's 8-digit vectors. */
export function totpAt(secret: Buffer, step: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac(algorithm, secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  mac.fill(0);
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The step whose code `code` is, within ±TOTP_DRIFT_STEPS of `nowMs`; undefined when none is. Constant-time compare per step. */
export function matchTotp(secret: Buffer, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const now = totpStep(nowMs);
  let matched: number | undefined;
  // Every candidate is computed whatever matched, so the time taken says nothing about which did.
  for (let s = now - TOTP_DRIFT_STEPS; s <= now + TOTP_DRIFT_STEPS; s++) {
    if (crypto.timingSafeEqual(Buffer.from(totpAt(secret, s)), Buffer.from(code)) && matched === undefined) matched = s;
  }
  return matched;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps take a secret. */
export function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The otpauth:// URI an authenticator app reads from a QR code or a paste (Google's Key Uri Format). */
export function otpauthUri(issuer: string, account: string, secret: Buffer): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const q = new URLSearchParams({ secret: base32(secret), issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_MS / 1000) });
  return `otpauth://totp/${label}?${q.toString()}`;
}
