// Body codecs of the six messages (docs/protocol.md "Handshake and messages"). Decoders are strict:
// every field bounded, enums known, and the body must end exactly after its last field.
import {
  AckStatus, CaptureKind, EPK_BYTES, Encoding, GCM_TAG_BYTES, ID_BYTES, IV_BYTES, NONCE_BYTES, Reason,
  type AckStatusCode, type CaptureKindCode, type EncodingCode, type ReasonCode, reasonName,
} from './constants';
import { BodyReader, BodyWriter, nameBytes } from './body-cursor';
import { ProtocolError } from './errors';

export interface ChallengeBody { nb: Buffer }

export interface HelloBody {
  kind: CaptureKindCode;
  /** `major<<16 | minor<<8 | patch`. */
  captureVersion: number;
  bootId: Buffer;
  sessionId: Buffer;
  nc: Buffer;
  machine: string;
}

export interface HelloAckBody { bridgeVersion: number }

export interface ChangeBody {
  eventId: Buffer;
  capturedAt: number;
  /** 0xFFFFFFFF = unknown. */
  accountId: number;
  account: string;
  encoding: EncodingCode;
  /** epk ‖ iv ‖ ct_len ‖ ct ‖ gcm_tag, exactly as on the wire. */
  sealed: Buffer;
}

export interface AckBody {
  eventId: Buffer;
  status: AckStatusCode;
  /** 0 when stored/duplicate. */
  reason: ReasonCode | 0;
}

export interface HeartbeatBody { queued: number; spooled: number; dropped: number }

const KINDS = new Set<number>(Object.values(CaptureKind));
const ENCODINGS = new Set<number>(Object.values(Encoding));
const STATUSES = new Set<number>(Object.values(AckStatus));

export function encodeChallenge(m: ChallengeBody): Buffer {
  return new BodyWriter().fixed(m.nb, NONCE_BYTES, 'nb').done();
}
export function decodeChallenge(body: Buffer): ChallengeBody {
  const r = new BodyReader(body, 'CHALLENGE');
  const m = { nb: r.bytes(NONCE_BYTES, 'nb') };
  r.end();
  return m;
}

export function encodeHello(m: HelloBody): Buffer {
  return new BodyWriter()
    .u8(m.kind).u32(m.captureVersion)
    .fixed(m.bootId, ID_BYTES, 'boot_id').fixed(m.sessionId, ID_BYTES, 'session_id').fixed(m.nc, NONCE_BYTES, 'nc')
    .str(nameBytes(m.machine, 'machine'))
    .done();
}
export function decodeHello(body: Buffer): HelloBody {
  const r = new BodyReader(body, 'HELLO');
  const kind = r.u8('kind');
  if (!KINDS.has(kind)) throw new ProtocolError('malformed', `HELLO kind ${kind} is unknown`);
  const m: HelloBody = {
    kind: kind as CaptureKindCode,
    captureVersion: r.u32('capture_version'),
    bootId: r.bytes(ID_BYTES, 'boot_id'),
    sessionId: r.bytes(ID_BYTES, 'session_id'),
    nc: r.bytes(NONCE_BYTES, 'nc'),
    machine: r.name('machine').text,
  };
  r.end();
  return m;
}

export function encodeHelloAck(m: HelloAckBody): Buffer {
  return new BodyWriter().u32(m.bridgeVersion).done();
}
export function decodeHelloAck(body: Buffer): HelloAckBody {
  const r = new BodyReader(body, 'HELLO_ACK');
  const m = { bridgeVersion: r.u32('bridge_version') };
  r.end();
  return m;
}

/** The parts of a sealed password. `ct` may be longer than MAX_PASSWORD_BYTES: the session decides. */
export interface SealedParts { epk: Buffer; iv: Buffer; ct: Buffer; gcmTag: Buffer }

function readSealed(r: BodyReader): SealedParts {
  const epk = r.bytes(EPK_BYTES, 'epk');
  if (epk[0] !== 0x04) throw new ProtocolError('malformed', `CHANGE epk is not an uncompressed point (first byte 0x${epk[0].toString(16)})`);
  const iv = r.bytes(IV_BYTES, 'iv');
  const ctLen = r.u16('ct_len');
  const ct = r.bytes(ctLen, 'ct');
  const gcmTag = r.bytes(GCM_TAG_BYTES, 'gcm_tag');
  return { epk, iv, ct, gcmTag };
}

/** Split `sealed` (epk ‖ iv ‖ ct_len ‖ ct ‖ gcm_tag) into its parts; throws ProtocolError('malformed'). */
export function splitSealed(sealed: Buffer): SealedParts {
  const r = new BodyReader(sealed, 'sealed password');
  const p = readSealed(r);
  r.end();
  return p;
}
export function joinSealed(p: SealedParts): Buffer {
  return new BodyWriter()
    .fixed(p.epk, EPK_BYTES, 'epk').fixed(p.iv, IV_BYTES, 'iv').u16(p.ct.length).raw(p.ct)
    .fixed(p.gcmTag, GCM_TAG_BYTES, 'gcm_tag').done();
}
/** ct_len of a sealed password without splitting it. */
export function sealedCtLen(sealed: Buffer): number {
  return sealed.readUInt16LE(EPK_BYTES + IV_BYTES);
}

export function encodeChange(m: ChangeBody): Buffer {
  splitSealed(m.sealed); // refuse to send what the bridge would refuse
  return new BodyWriter()
    .fixed(m.eventId, ID_BYTES, 'event_id').u64(m.capturedAt).u32(m.accountId)
    .str(nameBytes(m.account, 'account')).u8(m.encoding).raw(m.sealed)
    .done();
}
/** The decoded CHANGE plus the account's wire bytes (they are part of the seal's AAD). */
export function decodeChange(body: Buffer): ChangeBody & { accountBytes: Buffer } {
  const r = new BodyReader(body, 'CHANGE');
  const eventId = r.bytes(ID_BYTES, 'event_id');
  const capturedAt = r.u64('captured_at');
  const accountId = r.u32('account_id');
  const account = r.name('account');
  const encoding = r.u8('encoding');
  if (!ENCODINGS.has(encoding)) throw new ProtocolError('malformed', `CHANGE encoding ${encoding} is unknown`);
  const start = body.length - r.remaining;
  readSealed(r);
  r.end();
  return {
    eventId, capturedAt, accountId, account: account.text, accountBytes: account.bytes,
    encoding: encoding as EncodingCode, sealed: Buffer.from(body.subarray(start)),
  };
}

export function encodeAck(m: AckBody): Buffer {
  return new BodyWriter().fixed(m.eventId, ID_BYTES, 'event_id').u8(m.status).u16(m.reason).done();
}
export function decodeAck(body: Buffer): AckBody {
  const r = new BodyReader(body, 'ACK');
  const eventId = r.bytes(ID_BYTES, 'event_id');
  const status = r.u8('status');
  const reason = r.u16('reason');
  r.end();
  if (!STATUSES.has(status)) throw new ProtocolError('malformed', `ACK status ${status} is unknown`);
  if (status === AckStatus.refused ? reasonName(reason) === undefined : reason !== 0) {
    throw new ProtocolError('malformed', `ACK status ${status} with reason ${reason}`);
  }
  return { eventId, status: status as AckStatusCode, reason: reason as ReasonCode | 0 };
}

export function encodeHeartbeat(m: HeartbeatBody): Buffer {
  return new BodyWriter().u32(m.queued).u32(m.spooled).u32(m.dropped).done();
}
export function decodeHeartbeat(body: Buffer): HeartbeatBody {
  const r = new BodyReader(body, 'HEARTBEAT');
  const m = { queued: r.u32('queued'), spooled: r.u32('spooled'), dropped: r.u32('dropped') };
  r.end();
  return m;
}

/** Reason code of a name, for ACKs. */
export function reasonCode(name: keyof typeof Reason): ReasonCode {
  return Reason[name];
}
