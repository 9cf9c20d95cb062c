// Framing (docs/protocol.md "Framing"): encode one frame, and read frames out of a byte stream that
// arrives in arbitrary chunks. Tags are computed here but verified by the sessions, which know the keys.
import {
  HEADER_BYTES, MAX_FRAME, MIN_LEN, TAG_BYTES, VERSION,
  isTagged, messageTypeName, type MessageTypeCode,
} from './constants';
import { ProtocolError, type Refusal } from './errors';
import { computeTag } from './keys';

export interface Frame {
  version: number;
  type: MessageTypeCode;
  flags: number;
  seq: bigint;
  body: Buffer;
  /** Absent only on CHALLENGE. */
  tag?: Buffer;
  /** Bytes 4 .. 16+n (version through body): what the tag covers. */
  signed: Buffer;
  /** The whole frame as received, length field included. */
  raw: Buffer;
}

/** Every field of a frame, written as given (tests use it to build frames the codec must refuse). */
export interface FrameParts {
  len?: number;
  version?: number;
  type: number;
  flags?: number;
  seq: bigint;
  body: Buffer;
  tag?: Buffer;
}

export function encodeFrameParts(p: FrameParts): Buffer {
  const tag = p.tag ?? Buffer.alloc(0);
  const out = Buffer.allocUnsafe(HEADER_BYTES + p.body.length + tag.length);
  out.writeUInt32LE(p.len ?? out.length - 4, 0);
  out.writeUInt8(p.version ?? VERSION, 4);
  out.writeUInt8(p.type, 5);
  out.writeUInt16LE(p.flags ?? 0, 6);
  out.writeBigUInt64LE(p.seq, 8);
  p.body.copy(out, HEADER_BYTES);
  tag.copy(out, HEADER_BYTES + p.body.length);
  return out;
}

/**
 * A valid version-1 frame. `tagKey` is required for every type but CHALLENGE and refused for it, so a
 * caller cannot send an untagged frame by mistake.
 */
export function encodeFrame(type: MessageTypeCode, seq: bigint, body: Buffer, tagKey?: Buffer): Buffer {
  if (isTagged(type) !== (tagKey !== undefined)) {
    throw new Error(`frame type ${messageTypeName(type)} ${isTagged(type) ? 'needs' : 'takes no'} tag key`);
  }
  const size = HEADER_BYTES + body.length + (tagKey ? TAG_BYTES : 0);
  if (size > MAX_FRAME) throw new ProtocolError('oversized', `frame of ${size} bytes exceeds ${MAX_FRAME}`);
  const out = encodeFrameParts({ type, seq, body, tag: tagKey ? Buffer.alloc(TAG_BYTES) : undefined });
  if (tagKey) computeTag(tagKey, out.subarray(4, HEADER_BYTES + body.length)).copy(out, HEADER_BYTES + body.length);
  return out;
}

/** The length field alone decides: too small is malformed, too large is refused before reading more. */
function checkLen(len: number): void {
  if (len + 4 > MAX_FRAME) {
    throw new ProtocolError('oversized', `frame length ${len} (${len + 4} bytes with the length field) exceeds ${MAX_FRAME}`);
  }
  if (len < MIN_LEN) throw new ProtocolError('malformed', `frame length ${len} is below the minimum ${MIN_LEN}`);
}

/** Parse exactly one complete frame (`raw.length` must equal 4 + len). Throws ProtocolError. */
export function decodeFrame(raw: Buffer): Frame {
  if (raw.length < 4) throw new ProtocolError('truncated', `${raw.length} bytes, a frame needs at least 4`);
  const len = raw.readUInt32LE(0);
  checkLen(len);
  if (raw.length < len + 4) throw new ProtocolError('truncated', `frame length ${len} but only ${raw.length - 4} bytes follow`);
  if (raw.length > len + 4) throw new ProtocolError('malformed', `frame length ${len} but ${raw.length - 4} bytes follow`);
  const version = raw.readUInt8(4);
  if (version !== VERSION) throw new ProtocolError('bad-version', `version ${version}, this bridge speaks ${VERSION}`);
  const type = raw.readUInt8(5);
  const name = messageTypeName(type);
  if (!name) throw new ProtocolError('malformed', `unknown message type ${type}`);
  const flags = raw.readUInt16LE(6);
  if (flags !== 0) throw new ProtocolError('malformed', `flags 0x${flags.toString(16)} on ${name}, version 1 requires 0`);
  const tagged = isTagged(type);
  const end = raw.length - (tagged ? TAG_BYTES : 0);
  if (end < HEADER_BYTES) throw new ProtocolError('malformed', `${name} of length ${len} has no room for its ${TAG_BYTES}-byte tag`);
  return {
    version,
    type: type as MessageTypeCode,
    flags,
    seq: raw.readBigUInt64LE(8),
    body: raw.subarray(HEADER_BYTES, end),
    tag: tagged ? raw.subarray(end) : undefined,
    signed: raw.subarray(4, end),
    raw,
  };
}

export type ReadResult = { kind: 'frame'; frame: Frame } | ({ kind: 'refused' } & Refusal);

/**
 * Cuts a byte stream into frames. Each byte is copied once into a MAX_FRAME staging buffer and each
 * complete frame once out of it, so a frame never shares memory with the socket's chunks. After the
 * first refusal the reader is dead: the connection must be closed, the rest of the stream is not read.
 */
export class FrameReader {
  private readonly stage = Buffer.allocUnsafe(MAX_FRAME);
  private have = 0;
  private need = 4;
  private refusal?: Refusal;

  get dead(): boolean {
    return this.refusal !== undefined;
  }
  /** Bytes of an incomplete frame held right now. */
  get buffered(): number {
    return this.have;
  }

  feed(chunk: Buffer): ReadResult[] {
    const out: ReadResult[] = [];
    let off = 0;
    while (!this.refusal && off < chunk.length) {
      const n = Math.min(this.need - this.have, chunk.length - off);
      chunk.copy(this.stage, this.have, off, off + n);
      this.have += n;
      off += n;
      if (this.have < this.need) break;
      try {
        if (this.need === 4) {
          const len = this.stage.readUInt32LE(0);
          checkLen(len);
          this.need = 4 + len;
          continue;
        }
        const frame = decodeFrame(Buffer.from(this.stage.subarray(0, this.need)));
        this.have = 0;
        this.need = 4;
        out.push({ kind: 'frame', frame });
      } catch (e) {
        out.push(this.refuse(e));
      }
    }
    return out;
  }

  /** The stream ended: a partial frame is a refusal ('truncated'), nothing buffered is fine. */
  end(): Refusal | undefined {
    if (this.refusal || this.have === 0) return undefined;
    this.refusal = {
      reason: 'truncated',
      detail: this.need === 4
        ? `stream ended inside a length field (${this.have} of 4 bytes)`
        : `stream ended inside a frame (${this.have} of ${this.need} bytes)`,
    };
    return this.refusal;
  }

  private refuse(e: unknown): ReadResult {
    if (!(e instanceof ProtocolError)) throw e;
    this.refusal = { reason: e.reason, detail: e.detail };
    this.stage.fill(0, 0, this.have);
    this.have = 0;
    return { kind: 'refused', ...this.refusal };
  }
}
