// C struct layouts for the Win32 structs pwbridge passes, written out by hand so every byte that
// crosses into Windows is ours: no FFI library builds hidden copies of a password. Layouts follow the
// 64-bit Windows ABI (LLP64: DWORD 4 bytes, pointers 8, natural alignment); pwbridge refuses 32-bit
// Node on Windows (binding.ts). The tests check every layout against koffi's own layout engine.
//
// Native memory is reached through `Memory`, so the decoders run the same on a fake address space in
// the tests (Linux) as on the real one (Windows).

export type Scalar = 'u8' | 'u16' | 'u32' | 'u64' | 'ptr';
export type FieldType = Scalar | StructLayout;

export interface Field {
  offset: number;
  type: FieldType;
}

export interface StructLayout {
  name: string;
  size: number;
  align: number;
  fields: Readonly<Record<string, Field>>;
}

export const POINTER_SIZE = 8;

const SCALAR_SIZE: Record<Scalar, number> = { u8: 1, u16: 2, u32: 4, u64: 8, ptr: POINTER_SIZE };

function sizeAlign(t: FieldType): { size: number; align: number } {
  if (typeof t === 'string') return { size: SCALAR_SIZE[t], align: SCALAR_SIZE[t] };
  return { size: t.size, align: t.align };
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Lay out fields in order with natural alignment, as MSVC does for x64 (and SysV does for these types). */
export function struct(name: string, fields: ReadonlyArray<readonly [string, FieldType]>): StructLayout {
  let offset = 0;
  let align = 1;
  const out: Record<string, Field> = {};
  for (const [fname, type] of fields) {
    const sa = sizeAlign(type);
    offset = alignUp(offset, sa.align);
    out[fname] = { offset, type };
    offset += sa.size;
    align = Math.max(align, sa.align);
  }
  return { name, size: alignUp(offset, align), align, fields: out };
}

export type Value = number | bigint;

function field(layout: StructLayout, name: string): Field {
  const f = layout.fields[name];
  if (!f) throw new Error(`${layout.name} has no field ${name}`);
  return f;
}

/** Write scalar fields (u8/u16/u32 as numbers, u64/ptr as bigints) of one struct at `base` in `buf`. */
export function writeStruct(layout: StructLayout, buf: Buffer, base: number, values: Readonly<Record<string, Value>>): void {
  for (const [name, v] of Object.entries(values)) {
    const f = field(layout, name);
    const at = base + f.offset;
    switch (f.type) {
      case 'u8': buf.writeUInt8(Number(v), at); break;
      case 'u16': buf.writeUInt16LE(Number(v), at); break;
      case 'u32': buf.writeUInt32LE(Number(v), at); break;
      case 'u64':
      case 'ptr': buf.writeBigUInt64LE(BigInt(v), at); break;
      default: throw new Error(`${layout.name}.${name} is a nested struct: write its fields with its own layout`);
    }
  }
}

/** Read one scalar field. */
export function readField(layout: StructLayout, buf: Buffer, base: number, name: string): Value {
  const f = field(layout, name);
  const at = base + f.offset;
  switch (f.type) {
    case 'u8': return buf.readUInt8(at);
    case 'u16': return buf.readUInt16LE(at);
    case 'u32': return buf.readUInt32LE(at);
    case 'u64':
    case 'ptr': return buf.readBigUInt64LE(at);
    default: throw new Error(`${layout.name}.${name} is a nested struct`);
  }
}

export const readU32 = (layout: StructLayout, buf: Buffer, base: number, name: string): number => Number(readField(layout, buf, base, name));
export const readPtr = (layout: StructLayout, buf: Buffer, base: number, name: string): bigint => BigInt(readField(layout, buf, base, name));

/** Offset of a field, for nested structs. */
export const offsetOf = (layout: StructLayout, name: string): number => field(layout, name).offset;

/**
 * The process's native memory as far as the adapters need it. Real: koffi (binding.ts). Tests: a fake
 * address space. Never used to read a password: passwords only go into Windows, never come out.
 */
export interface Memory {
  /** A copy of `length` bytes at `address`. */
  read(address: bigint, length: number): Buffer;
  /** The number of UTF-16 units before the NUL at `address` (lstrlenW). */
  wcslen(address: bigint): number;
  /**
   * The address of a Buffer's first byte, to put in a struct. A Buffer's memory does not move; the
   * caller keeps the Buffer referenced until the call that uses the address has returned.
   */
  addressOf(buf: Buffer): bigint;
}

/** The NUL-terminated UTF-16 string at `address`, or undefined for a NULL pointer. */
export function readWideZ(mem: Memory, address: bigint): string | undefined {
  if (address === 0n) return undefined;
  const units = mem.wcslen(address);
  if (units === 0) return '';
  return mem.read(address, units * 2).toString('utf16le');
}

/** An 8-byte out-parameter (a pointer or handle the callee fills in), zeroed. */
export const outPointer = (): Buffer => Buffer.alloc(POINTER_SIZE);
/** A 4-byte DWORD out-parameter, optionally with an initial value (in/out sizes). */
export const outDword = (initial = 0): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(initial >>> 0);
  return b;
};
