// Reads ELF notes (the gABI's SHT_NOTE sections) from a file's bytes, so that pwbridge can say which
// pam_pwbridge.so is installed without loading it (native/pam/version_note.c writes the note). Only the
// section headers and the note sections are read; 32- and 64-bit, either byte order.

export interface ElfNote {
  name: string;
  type: number;
  desc: Buffer;
}

const SHT_NOTE = 7;

/** Every note of every SHT_NOTE section; throws a plain message for anything that is not an ELF file. */
export function readElfNotes(bytes: Buffer): ElfNote[] {
  const fail = (why: string): never => { throw new Error(`not an ELF file: ${why}`); };
  if (bytes.length < 0x34 || bytes.toString('latin1', 0, 4) !== '\x7fELF') fail('no ELF magic');
  const is64 = bytes[4] === 2;
  if (!is64 && bytes[4] !== 1) fail(`unknown class ${bytes[4]}`);
  const le = bytes[5] === 1;
  if (!le && bytes[5] !== 2) fail(`unknown byte order ${bytes[5]}`);
  const u16 = (at: number) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const word = (at: number) => (is64 ? Number(le ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at)) : u32(at));
  if (is64 && bytes.length < 0x40) fail('truncated header');

  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  if (shoff === 0 || shnum === 0) return [];
  if (shentsize < (is64 ? 0x40 : 0x28) || shoff + shnum * shentsize > bytes.length) fail('section headers out of the file');

  const notes: ElfNote[] = [];
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (u32(sh + 4) !== SHT_NOTE) continue;
    const offset = word(sh + (is64 ? 0x18 : 0x10));
    const size = word(sh + (is64 ? 0x20 : 0x14));
    // Notes are 4-byte aligned, except in a section aligned to 8 (.note.gnu.property on 64-bit).
    const align = word(sh + (is64 ? 0x30 : 0x20)) === 8 ? 8 : 4;
    if (offset + size > bytes.length) fail(`note section ${i} out of the file`);
    notes.push(...notesIn(bytes.subarray(offset, offset + size), u32, offset, align));
  }
  return notes;
}

function notesIn(section: Buffer, u32: (at: number) => number, base: number, align: number): ElfNote[] {
  // Name and descriptor each start on the section's alignment, counted from the section's start.
  const up = (n: number) => Math.ceil(n / align) * align;
  const out: ElfNote[] = [];
  let at = 0;
  while (at + 12 <= section.length) {
    const namesz = u32(base + at);
    const descsz = u32(base + at + 4);
    const type = u32(base + at + 8);
    const nameAt = at + 12;
    const descAt = up(nameAt + namesz);
    if (descAt + descsz > section.length) throw new Error('not an ELF file: a note runs past its section');
    out.push({ name: cString(section.subarray(nameAt, nameAt + namesz)), type, desc: section.subarray(descAt, descAt + descsz) });
    at = up(descAt + descsz);
  }
  return out;
}

/** Text up to the first NUL. */
export function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.toString('utf8', 0, end === -1 ? b.length : end);
}
