// Numbers of the capture protocol, version 1 (docs/protocol.md). The C codec has the same table.

export const VERSION = 1;
/** Largest whole frame, the 4-byte length field included. */
export const MAX_FRAME = 4096;
/** Largest sealed password (ct_len). */
export const MAX_PASSWORD_BYTES = 1024;
/** Largest `machine` / `account` string in bytes. Both are names: 256 is far above any OS limit. */
export const MAX_NAME_BYTES = 256;

/** Bytes before the body: len(4) version(1) type(1) flags(2) seq(8). */
export const HEADER_BYTES = 16;
/** `len` counts everything after itself; the smallest frame is a header with no body and no tag. */
export const MIN_LEN = HEADER_BYTES - 4;
export const TAG_BYTES = 32;
export const NONCE_BYTES = 32;
export const ID_BYTES = 16;
export const SECRET_BYTES = 32;
export const EPK_BYTES = 65;
export const IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/** Spool records (docs/protocol.md "Spool"): one undelivered CHANGE per file. */
export const SPOOL_MAGIC = Buffer.from('PWBS', 'ascii');
export const SPOOL_VERSION = 1;
/** Largest CHANGE body a spool record may hold (`body_len`). */
export const MAX_SPOOL_BODY = 4096;

export const MessageType = {
  CHALLENGE: 1,
  HELLO: 2,
  HELLO_ACK: 3,
  CHANGE: 4,
  ACK: 5,
  HEARTBEAT: 6,
} as const;
export type MessageTypeName = keyof typeof MessageType;
export type MessageTypeCode = (typeof MessageType)[MessageTypeName];

const TYPE_NAMES = new Map<number, MessageTypeName>(
  (Object.keys(MessageType) as MessageTypeName[]).map((n) => [MessageType[n], n]),
);
export function messageTypeName(code: number): MessageTypeName | undefined {
  return TYPE_NAMES.get(code);
}
/** Every type but CHALLENGE carries a tag (the bridge has no key yet when it sends the challenge). */
export function isTagged(type: number): boolean {
  return type !== MessageType.CHALLENGE;
}

export const Reason = {
  oversized: 1,
  truncated: 2,
  malformed: 3,
  'bad-version': 4,
  'bad-tag': 5,
  replayed: 6,
  unexpected: 7,
  'password-too-long': 8,
} as const;
export type ReasonName = keyof typeof Reason;
export type ReasonCode = (typeof Reason)[ReasonName];

const REASON_NAMES = new Map<number, ReasonName>(
  (Object.keys(Reason) as ReasonName[]).map((n) => [Reason[n], n]),
);
export function reasonName(code: number): ReasonName | undefined {
  return REASON_NAMES.get(code);
}

/** selftest: `pwbridge selftest`, which proves the bridge answers; it sends no CHANGE and says nothing about the filter. */
export const CaptureKind = { pam: 1, lsa: 2, reference: 3, selftest: 4 } as const;
export type CaptureKindName = keyof typeof CaptureKind;
export type CaptureKindCode = (typeof CaptureKind)[CaptureKindName];

export const Encoding = { raw: 1, utf16le: 2 } as const;
export type EncodingName = keyof typeof Encoding;
export type EncodingCode = (typeof Encoding)[EncodingName];

export const AckStatus = { stored: 0, duplicate: 1, refused: 2 } as const;
export type AckStatusName = keyof typeof AckStatus;
export type AckStatusCode = (typeof AckStatus)[AckStatusName];

/** HKDF/HMAC labels, ASCII, no terminator. */
export const Label = {
  hello: Buffer.from('pwbridge/1/hello', 'ascii'),
  c2b: Buffer.from('pwbridge/1/c2b', 'ascii'),
  b2c: Buffer.from('pwbridge/1/b2c', 'ascii'),
  seal: Buffer.from('pwbridge/1/seal', 'ascii'),
  spool: Buffer.from('pwbridge/1/spool', 'ascii'),
} as const;

/** `major<<16 | minor<<8 | patch`, as HELLO and HELLO_ACK carry it. */
export function packVersion(major: number, minor: number, patch: number): number {
  return ((major & 0xffff) << 16 | (minor & 0xff) << 8 | (patch & 0xff)) >>> 0;
}
/**
 * "MAJOR.MINOR.PATCH" → the wire's u32; a pre-release or build tail (semver's "-rc.1", "+b2", a Debian
 * package's "~prev1") is not carried. Throws on anything else.
 */
export function parseVersion(text: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+~].*)?$/.exec(text);
  if (!m || Number(m[1]) > 0xffff || Number(m[2]) > 0xff || Number(m[3]) > 0xff) {
    throw new Error(`"${text}" is not a version the protocol can carry (MAJOR.MINOR.PATCH, at most 65535.255.255)`);
  }
  return packVersion(Number(m[1]), Number(m[2]), Number(m[3]));
}
export function formatVersion(v: number): string {
  return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}
