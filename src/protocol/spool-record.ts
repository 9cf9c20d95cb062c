// One spool record (docs/protocol.md "Spool"): a CHANGE body a capture could not deliver, kept in a file
// with the capture's kind and machine and an HMAC tag keyed with K_spool (keys.ts spoolKey).
//
//   magic "PWBS" | version u8 | kind u8 | reserved u16 = 0 | machine str | body_len u32 | body | tag[32]
//
// Order of checks when decoding, as for a frame: the structure (magic, version, reserved, lengths), then
// the tag, and only then the contents (kind, machine, the CHANGE body). So nothing an unauthenticated
// file says is parsed beyond what is needed to find its tag.
import {
  CaptureKind, MAX_NAME_BYTES, MAX_SPOOL_BODY, SPOOL_MAGIC, SPOOL_VERSION, TAG_BYTES, type CaptureKindCode,
} from './constants';
import { BodyReader, BodyWriter, nameBytes } from './body-cursor';
import { ProtocolError } from './errors';
import { computeTag, verifyTag } from './keys';
import { decodeChange, type ChangeBody } from './messages';

export interface SpoolRecord {
  kind: CaptureKindCode;
  machine: string;
  /** The CHANGE body exactly as on the wire (event id … gcm_tag). */
  body: Buffer;
}

export interface DecodedSpoolRecord extends SpoolRecord {
  /** `body`, decoded with the same rules as a CHANGE frame's. */
  change: ChangeBody & { accountBytes: Buffer };
}

/** Every field of a record, written as given; the tag is computed unless `tag` is given (tests). */
export interface SpoolRecordParts {
  magic?: Buffer;
  version?: number;
  kind: number;
  reserved?: number;
  /** A string is written as its UTF-8 bytes, unchecked. */
  machine: string | Buffer;
  /** Defaults to body.length. */
  bodyLen?: number;
  body: Buffer;
  tag?: Buffer;
}

/** magic(4) version(1) kind(1) reserved(2). */
const FIXED_HEAD = 8;
/** The largest record a valid file can be: fixed head, longest machine, body_len, largest body, tag. */
export const MAX_SPOOL_RECORD = FIXED_HEAD + 2 + MAX_NAME_BYTES + 4 + MAX_SPOOL_BODY + TAG_BYTES;

const KINDS = new Set<number>(Object.values(CaptureKind));

export function encodeSpoolRecordParts(p: SpoolRecordParts, kSpool: Buffer): Buffer {
  const machine = typeof p.machine === 'string' ? Buffer.from(p.machine, 'utf8') : p.machine;
  const signed = new BodyWriter()
    .raw(p.magic ?? SPOOL_MAGIC).u8(p.version ?? SPOOL_VERSION).u8(p.kind).u16(p.reserved ?? 0)
    .str(machine).u32(p.bodyLen ?? p.body.length).raw(p.body)
    .done();
  return Buffer.concat([signed, p.tag ?? computeTag(kSpool, signed)]);
}

/** A valid record. Refuses to write what the bridge would refuse to read. */
export function encodeSpoolRecord(r: SpoolRecord, kSpool: Buffer): Buffer {
  if (!KINDS.has(r.kind)) throw new ProtocolError('malformed', `spool record kind ${r.kind} is unknown`);
  if (r.body.length > MAX_SPOOL_BODY) throw new ProtocolError('oversized', `spool record body of ${r.body.length} bytes exceeds ${MAX_SPOOL_BODY}`);
  decodeChange(r.body);
  return encodeSpoolRecordParts({ kind: r.kind, machine: nameBytes(r.machine, 'machine'), body: r.body }, kSpool);
}

/**
 * Parse and authenticate one record (a whole file). Throws ProtocolError: 'truncated' (the file ends
 * early), 'oversized' (body_len over MAX_SPOOL_BODY), 'bad-version', 'bad-tag', or 'malformed' (bad magic,
 * reserved ≠ 0, a bad machine length, bytes after the tag, an unknown kind, a bad machine or CHANGE body).
 * Details name sizes and fields, never the record's contents.
 */
export function decodeSpoolRecord(raw: Buffer, kSpool: Buffer): DecodedSpoolRecord {
  const magicSeen = raw.subarray(0, SPOOL_MAGIC.length);
  if (!magicSeen.equals(SPOOL_MAGIC.subarray(0, magicSeen.length))) throw new ProtocolError('malformed', 'spool record does not start with the magic "PWBS"');
  const need = (n: number, what: string): void => {
    if (raw.length < n) throw new ProtocolError('truncated', `spool record of ${raw.length} bytes ends inside ${what} (needs ${n})`);
  };
  need(FIXED_HEAD + 2, 'its header');
  const version = raw.readUInt8(4);
  if (version !== SPOOL_VERSION) throw new ProtocolError('bad-version', `spool record version ${version}, this bridge reads ${SPOOL_VERSION}`);
  const reserved = raw.readUInt16LE(6);
  if (reserved !== 0) throw new ProtocolError('malformed', `spool record reserved field 0x${reserved.toString(16)}, version 1 requires 0`);
  const machineLen = raw.readUInt16LE(FIXED_HEAD);
  if (machineLen === 0 || machineLen > MAX_NAME_BYTES) throw new ProtocolError('malformed', `spool record machine length ${machineLen} is not 1..${MAX_NAME_BYTES}`);
  const bodyLenAt = FIXED_HEAD + 2 + machineLen;
  need(bodyLenAt + 4, 'body_len');
  const bodyLen = raw.readUInt32LE(bodyLenAt);
  if (bodyLen > MAX_SPOOL_BODY) throw new ProtocolError('oversized', `spool record body_len ${bodyLen} exceeds ${MAX_SPOOL_BODY}`);
  const tagAt = bodyLenAt + 4 + bodyLen;
  need(tagAt + TAG_BYTES, 'its tag');
  if (raw.length > tagAt + TAG_BYTES) throw new ProtocolError('malformed', `spool record has ${raw.length - tagAt - TAG_BYTES} bytes after its tag`);
  if (!verifyTag(kSpool, raw.subarray(0, tagAt), raw.subarray(tagAt))) {
    throw new ProtocolError('bad-tag', 'spool record tag does not verify (tampered, or written with another install secret)');
  }

  const kind = raw.readUInt8(5);
  if (!KINDS.has(kind)) throw new ProtocolError('malformed', `spool record kind ${kind} is unknown`);
  const machine = new BodyReader(raw.subarray(FIXED_HEAD, bodyLenAt), 'spool record').name('machine').text;
  const body = Buffer.from(raw.subarray(bodyLenAt + 4, tagAt));
  return { kind: kind as CaptureKindCode, machine, body, change: decodeChange(body) };
}
