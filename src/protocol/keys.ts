// Per-connection keys and frame tags (docs/protocol.md "Handshake and messages"). HMAC-SHA256 is the PRF.
// Key files live in key-files.ts; they are re-exported here so callers have one import for "keys".
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Label, NONCE_BYTES, SECRET_BYTES, TAG_BYTES } from './constants';

export { ensureKeys, loadKeys, wipeKeys, type BridgeKeys, type KeyFileAccessCheck } from './key-files';

export function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

function checkInputs(secret: Buffer, ...nonces: Buffer[]): void {
  // A short secret or nonce would still "work" and silently weaken every tag; refuse it loudly.
  if (secret.length !== SECRET_BYTES) throw new RangeError(`install secret must be ${SECRET_BYTES} bytes`);
  for (const n of nonces) if (n.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
}

/** K_hello = HMAC(S, "pwbridge/1/hello" ‖ nb): tags HELLO, before the capture's nonce is known. */
export function helloKey(secret: Buffer, nb: Buffer): Buffer {
  checkInputs(secret, nb);
  return hmac(secret, Label.hello, nb);
}

/**
 * K_spool = HMAC(S, "pwbridge/1/spool"): tags spool records. Not bound to a connection (a spool file
 * outlives every connection); it is the same key as the service's `deriveKey(S, 'spool')`.
 */
export function spoolKey(secret: Buffer): Buffer {
  checkInputs(secret);
  return hmac(secret, Label.spool);
}

export interface SessionKeys {
  /** K_c2b: tags CHANGE and HEARTBEAT. */
  c2b: Buffer;
  /** K_b2c: tags HELLO_ACK and ACK. */
  b2c: Buffer;
}

/** K_c2b / K_b2c = HMAC(S, label ‖ nb ‖ nc). Two keys so a frame cannot be reflected back at its sender. */
export function sessionKeys(secret: Buffer, nb: Buffer, nc: Buffer): SessionKeys {
  checkInputs(secret, nb, nc);
  return { c2b: hmac(secret, Label.c2b, nb, nc), b2c: hmac(secret, Label.b2c, nb, nc) };
}

export function wipeSessionKeys(k: SessionKeys): void {
  k.c2b.fill(0);
  k.b2c.fill(0);
}

/** The tag over bytes 4 .. 16+n of a frame (`signed`). */
export function computeTag(key: Buffer, signed: Buffer): Buffer {
  return hmac(key, signed);
}

/** Constant-time comparison: a byte-wise early exit would let a peer guess a tag byte by byte. */
export function verifyTag(key: Buffer, signed: Buffer, tag: Buffer | undefined): boolean {
  if (!tag || tag.length !== TAG_BYTES) return false;
  const expected = computeTag(key, signed);
  const ok = timingSafeEqual(expected, tag);
  expected.fill(0);
  return ok;
}
