// Sealing the password to the bridge's public key (docs/protocol.md, CHANGE "Sealing"):
// z = ECDH-P256(epk_priv, bridge_pub).x; k = HMAC(HMAC("pwbridge/1/seal", z), event_id ‖ 0x01);
// AES-256-GCM(k, iv, AAD = event_id ‖ account bytes ‖ encoding).
// One ECDH costs ~100 µs; a capture keeps one ephemeral key per session, so both sides derive the HKDF
// PRK (which depends on z only) once per ephemeral key and only the cheap per-event HMAC every time.
import { createCipheriv, createDecipheriv, createECDH, randomBytes, type ECDH } from 'node:crypto';
import {
  EPK_BYTES, GCM_TAG_BYTES, ID_BYTES, IV_BYTES, Label, MAX_PASSWORD_BYTES, type EncodingCode,
} from './constants';
import { SealError } from './errors';
import { hmac } from './keys';
import { joinSealed, splitSealed } from './messages';

const CURVE = 'prime256v1';
const ONE = Buffer.from([1]);

/** HKDF-Extract with the seal label as salt; wipes z. */
function extract(z: Buffer): Buffer {
  const prk = hmac(Label.seal, z);
  z.fill(0);
  return prk;
}

/** HKDF-Expand, one block, info = event id. */
function expand(prk: Buffer, eventId: Buffer): Buffer {
  if (eventId.length !== ID_BYTES) throw new SealError(`event id must be ${ID_BYTES} bytes`);
  return hmac(prk, eventId, ONE);
}

function aad(eventId: Buffer, accountBytes: Buffer, encoding: EncodingCode): Buffer {
  return Buffer.concat([eventId, accountBytes, Buffer.from([encoding])]);
}

/** The capture side: one ephemeral key pair, sealing any number of passwords to one bridge key. */
export class Sealer {
  private readonly ecdh: ECDH;
  private prk: Buffer;
  readonly epk: Buffer;

  /** `ephemeralPrivateKey` only for deterministic test vectors; normally a fresh key is generated. */
  constructor(bridgePub: Buffer, ephemeralPrivateKey?: Buffer) {
    this.ecdh = createECDH(CURVE);
    if (ephemeralPrivateKey) this.ecdh.setPrivateKey(ephemeralPrivateKey);
    else this.ecdh.generateKeys();
    this.epk = this.ecdh.getPublicKey(null, 'uncompressed');
    try {
      this.prk = extract(this.ecdh.computeSecret(bridgePub));
    } catch {
      throw new SealError(`bridge public key is not a valid ${EPK_BYTES}-byte P-256 point`);
    }
  }

  seal(password: Buffer, eventId: Buffer, accountBytes: Buffer, encoding: EncodingCode, iv?: Buffer): Buffer {
    if (this.prk.length === 0) throw new SealError('sealer is closed');
    if (password.length > MAX_PASSWORD_BYTES) throw new SealError(`password of ${password.length} bytes exceeds ${MAX_PASSWORD_BYTES}`);
    const nonce = iv ?? randomBytes(IV_BYTES);
    if (nonce.length !== IV_BYTES) throw new SealError(`iv must be ${IV_BYTES} bytes`);
    const k = expand(this.prk, eventId);
    const cipher = createCipheriv('aes-256-gcm', k, nonce, { authTagLength: GCM_TAG_BYTES });
    k.fill(0);
    cipher.setAAD(aad(eventId, accountBytes, encoding));
    const ct = Buffer.concat([cipher.update(password), cipher.final()]);
    return joinSealed({ epk: this.epk, iv: nonce, ct, gcmTag: cipher.getAuthTag() });
  }

  /** Wipe the PRK and replace the ephemeral private key (ECDH has no wipe; a new key drops the old). */
  close(): void {
    this.prk.fill(0);
    this.prk = Buffer.alloc(0);
    this.ecdh.generateKeys();
  }
}

/** One-off seal with its own ephemeral key (tests, vectors). Captures use a Sealer per session. */
export function seal(
  password: Buffer, eventId: Buffer, accountBytes: Buffer, encoding: EncodingCode, bridgePub: Buffer,
  ephemeral?: { privateKey?: Buffer; iv?: Buffer },
): Buffer {
  const s = new Sealer(bridgePub, ephemeral?.privateKey);
  try {
    return s.seal(password, eventId, accountBytes, encoding, ephemeral?.iv);
  } finally {
    s.close();
  }
}

/**
 * The bridge side: the private key plus a bounded LRU of PRKs per ephemeral public key, so a session's
 * stream of CHANGEs costs one ECDH, not one per event. Evicted PRKs are wiped.
 */
export class Opener {
  private readonly ecdh: ECDH;
  private readonly cache = new Map<string, Buffer>();

  /** `privateKey` is the 32-byte scalar (BridgeKeys.privateKey); it is copied, the caller may wipe it. */
  constructor(privateKey: Buffer, private readonly cacheSize = 1024) {
    this.ecdh = createECDH(CURVE);
    this.ecdh.setPrivateKey(privateKey);
  }

  get cached(): number {
    return this.cache.size;
  }

  private prkFor(epk: Buffer): Buffer {
    const id = epk.toString('latin1');
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id); // re-insert: Map order is the LRU order
      this.cache.set(id, hit);
      return hit;
    }
    let z: Buffer;
    try {
      z = this.ecdh.computeSecret(epk);
    } catch {
      throw new SealError('epk is not a valid P-256 point');
    }
    const prk = extract(z);
    this.cache.set(id, prk);
    if (this.cache.size > this.cacheSize) {
      const [oldest, old] = this.cache.entries().next().value as [string, Buffer];
      old.fill(0);
      this.cache.delete(oldest);
    }
    return prk;
  }

  /** The password bytes, exactly as sealed. The caller wipes them. Throws SealError. */
  open(sealed: Buffer, eventId: Buffer, accountBytes: Buffer, encoding: EncodingCode): Buffer {
    let parts;
    try {
      parts = splitSealed(sealed);
    } catch {
      throw new SealError('sealed password is malformed');
    }
    const k = expand(this.prkFor(parts.epk), eventId);
    const decipher = createDecipheriv('aes-256-gcm', k, parts.iv, { authTagLength: GCM_TAG_BYTES });
    k.fill(0);
    decipher.setAAD(aad(eventId, accountBytes, encoding));
    decipher.setAuthTag(parts.gcmTag);
    const head = decipher.update(parts.ct);
    try {
      const tail = decipher.final();
      const out = Buffer.concat([head, tail]);
      head.fill(0);
      return out;
    } catch {
      head.fill(0); // unauthenticated plaintext must not outlive the failure
      throw new SealError('sealed password failed authentication (wrong key, wrong event/account/encoding, or altered)');
    }
  }

  close(): void {
    for (const prk of this.cache.values()) prk.fill(0);
    this.cache.clear();
    this.ecdh.generateKeys();
  }
}

/** One-off open (tests); the bridge keeps one Opener. */
export function open(
  sealed: Buffer, eventId: Buffer, accountBytes: Buffer, encoding: EncodingCode, bridgePrivateKey: Buffer,
): Buffer {
  const o = new Opener(bridgePrivateKey, 1);
  try {
    return o.open(sealed, eventId, accountBytes, encoding);
  } finally {
    o.close();
  }
}
