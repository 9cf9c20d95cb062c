// Bounds-checked reading and writing of message bodies. Every overrun or leftover is a ProtocolError
// ('malformed'), so a decoder cannot accept a body that does not parse to exactly its length.
import { isUtf8 } from 'node:buffer';
import { MAX_NAME_BYTES } from './constants';
import { ProtocolError } from './errors';

export class BodyReader {
  private off = 0;
  constructor(private readonly buf: Buffer, private readonly what: string) {}

  private take(n: number, field: string): Buffer {
    if (this.off + n > this.buf.length) {
      throw new ProtocolError('malformed', `${this.what} body ends inside ${field} (needs ${n} bytes at ${this.off}, has ${this.buf.length})`);
    }
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
  u8(field: string): number {
    return this.take(1, field).readUInt8(0);
  }
  u16(field: string): number {
    return this.take(2, field).readUInt16LE(0);
  }
  u32(field: string): number {
    return this.take(4, field).readUInt32LE(0);
  }
  /** u64 as a number: anything above 2^53-1 would lose precision, so it is refused. */
  u64(field: string): number {
    const v = this.take(8, field).readBigUInt64LE(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolError('malformed', `${this.what} ${field} ${v} is out of range`);
    return Number(v);
  }
  /** A copy, so the value does not pin the frame it came from. */
  bytes(n: number, field: string): Buffer {
    return Buffer.from(this.take(n, field));
  }
  /** A name: u16 length + UTF-8, 1..MAX_NAME_BYTES bytes, valid UTF-8, no NUL (the C side uses C strings). */
  name(field: string): { text: string; bytes: Buffer } {
    const n = this.u16(`${field} length`);
    if (n === 0) throw new ProtocolError('malformed', `${this.what} ${field} is empty`);
    if (n > MAX_NAME_BYTES) throw new ProtocolError('malformed', `${this.what} ${field} of ${n} bytes exceeds ${MAX_NAME_BYTES}`);
    const bytes = this.bytes(n, field);
    if (bytes.includes(0)) throw new ProtocolError('malformed', `${this.what} ${field} contains a NUL byte`);
    if (!isUtf8(bytes)) throw new ProtocolError('malformed', `${this.what} ${field} is not valid UTF-8`);
    return { text: bytes.toString('utf8'), bytes };
  }
  get remaining(): number {
    return this.buf.length - this.off;
  }
  end(): void {
    if (this.off !== this.buf.length) {
      throw new ProtocolError('malformed', `${this.what} body has ${this.buf.length - this.off} bytes after its last field`);
    }
  }
}

/** Checks a name before it is encoded: the encoder refuses what the decoder would refuse. */
export function nameBytes(text: string | Buffer, field: string): Buffer {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (b.length === 0 || b.length > MAX_NAME_BYTES || b.includes(0) || !isUtf8(b)) {
    throw new ProtocolError('malformed', `${field} must be 1..${MAX_NAME_BYTES} bytes of UTF-8 without NUL (got ${b.length} bytes)`);
  }
  return b;
}

export class BodyWriter {
  private readonly parts: Buffer[] = [];
  u8(v: number): this {
    const b = Buffer.allocUnsafe(1);
    b.writeUInt8(v);
    this.parts.push(b);
    return this;
  }
  u16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeUInt16LE(v);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(v);
    this.parts.push(b);
    return this;
  }
  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64 field out of range: ${v}`);
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64LE(BigInt(v));
    this.parts.push(b);
    return this;
  }
  fixed(b: Buffer, n: number, field: string): this {
    if (b.length !== n) throw new RangeError(`${field} must be ${n} bytes, got ${b.length}`);
    this.parts.push(b);
    return this;
  }
  str(b: Buffer): this {
    return this.u16(b.length).fixed(b, b.length, 'string');
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}
