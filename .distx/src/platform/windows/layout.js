"use strict";
// C struct layouts for the Win32 structs pwbridge passes, written out by hand so every byte that
// crosses into Windows is ours: no FFI library builds hidden copies of a password. Layouts follow the
// 64-bit Windows ABI (LLP64: DWORD 4 bytes, pointers 8, natural alignment); pwbridge refuses 32-bit
// Node on Windows (binding.ts). The tests check every layout against koffi's own layout engine.
//
// Native memory is reached through `Memory`, so the decoders run the same on a fake address space in
// the tests (Linux) as on the real one (Windows).
Object.defineProperty(exports, "__esModule", { value: true });
exports.outDword = exports.outPointer = exports.offsetOf = exports.readPtr = exports.readU32 = exports.POINTER_SIZE = void 0;
exports.struct = struct;
exports.writeStruct = writeStruct;
exports.readField = readField;
exports.readWideZ = readWideZ;
exports.POINTER_SIZE = 8;
const SCALAR_SIZE = { u8: 1, u16: 2, u32: 4, u64: 8, ptr: exports.POINTER_SIZE };
function sizeAlign(t) {
    if (typeof t === 'string')
        return { size: SCALAR_SIZE[t], align: SCALAR_SIZE[t] };
    return { size: t.size, align: t.align };
}
const alignUp = (n, a) => Math.ceil(n / a) * a;
/** Lay out fields in order with natural alignment, as MSVC does for x64 (and SysV does for these types). */
function struct(name, fields) {
    let offset = 0;
    let align = 1;
    const out = {};
    for (const [fname, type] of fields) {
        const sa = sizeAlign(type);
        offset = alignUp(offset, sa.align);
        out[fname] = { offset, type };
        offset += sa.size;
        align = Math.max(align, sa.align);
    }
    return { name, size: alignUp(offset, align), align, fields: out };
}
function field(layout, name) {
    const f = layout.fields[name];
    if (!f)
        throw new Error(`${layout.name} has no field ${name}`);
    return f;
}
/** Write scalar fields (u8/u16/u32 as numbers, u64/ptr as bigints) of one struct at `base` in `buf`. */
function writeStruct(layout, buf, base, values) {
    for (const [name, v] of Object.entries(values)) {
        const f = field(layout, name);
        const at = base + f.offset;
        switch (f.type) {
            case 'u8':
                buf.writeUInt8(Number(v), at);
                break;
            case 'u16':
                buf.writeUInt16LE(Number(v), at);
                break;
            case 'u32':
                buf.writeUInt32LE(Number(v), at);
                break;
            case 'u64':
            case 'ptr':
                buf.writeBigUInt64LE(BigInt(v), at);
                break;
            default: throw new Error(`${layout.name}.${name} is a nested struct: write its fields with its own layout`);
        }
    }
}
/** Read one scalar field. */
function readField(layout, buf, base, name) {
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
const readU32 = (layout, buf, base, name) => Number(readField(layout, buf, base, name));
exports.readU32 = readU32;
const readPtr = (layout, buf, base, name) => BigInt(readField(layout, buf, base, name));
exports.readPtr = readPtr;
/** Offset of a field, for nested structs. */
const offsetOf = (layout, name) => field(layout, name).offset;
exports.offsetOf = offsetOf;
/** The NUL-terminated UTF-16 string at `address`, or undefined for a NULL pointer. */
function readWideZ(mem, address) {
    if (address === 0n)
        return undefined;
    const units = mem.wcslen(address);
    if (units === 0)
        return '';
    return mem.read(address, units * 2).toString('utf16le');
}
/** An 8-byte out-parameter (a pointer or handle the callee fills in), zeroed. */
const outPointer = () => Buffer.alloc(exports.POINTER_SIZE);
exports.outPointer = outPointer;
/** A 4-byte DWORD out-parameter, optionally with an initial value (in/out sizes). */
const outDword = (initial = 0) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(initial >>> 0);
    return b;
};
exports.outDword = outDword;
//# sourceMappingURL=layout.js.map