// Reads a PE file's version resource (VS_VERSIONINFO's fixed part) from its bytes, so that pwbridge can say
// which pwbridge_filter.dll is in System32 without loading it (LoadLibrary into the service would run its
// DllMain; GetFileVersionInfoW needs Windows). native/lsa/version.rc.in writes the resource. Walk: the
// resource table (data directory 2) → type RT_VERSION → its first name → its first language → the data.

const RT_VERSION = 16;
const VS_FFI_SIGNATURE = 0xfeef04bd;
const VS_KEY = 'VS_VERSION_INFO';

/** FILEVERSION as "a.b.c" (".d" added when the fourth part is not 0), or undefined when the file has no version resource. */
export function readPeFileVersion(bytes: Buffer): string | undefined {
  const fail = (why: string): never => { throw new Error(`not a Windows DLL: ${why}`); };
  const inFile = (at: number, n: number) => at >= 0 && at + n <= bytes.length;
  if (!inFile(0, 0x40) || bytes.toString('latin1', 0, 2) !== 'MZ') fail('no MZ header');
  const pe = bytes.readUInt32LE(0x3c);
  if (!inFile(pe, 24) || bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') fail('no PE signature');
  const sections = bytes.readUInt16LE(pe + 6);
  const optSize = bytes.readUInt16LE(pe + 20);
  const opt = pe + 24;
  if (!inFile(opt, optSize) || optSize < 2) fail('truncated optional header');
  const pe32Plus = bytes.readUInt16LE(opt) === 0x20b;
  const countAt = opt + (pe32Plus ? 108 : 92);
  const resourceDir = opt + (pe32Plus ? 112 : 96) + 2 * 8;
  if (countAt + 4 > opt + optSize || bytes.readUInt32LE(countAt) < 3 || resourceDir + 8 > opt + optSize) return undefined;
  const resourceRva = bytes.readUInt32LE(resourceDir);
  if (resourceRva === 0) return undefined;

  const sectionTable = opt + optSize;
  if (!inFile(sectionTable, sections * 40)) fail('section table out of the file');
  const fileOffset = (rva: number): number => {
    for (let i = 0; i < sections; i++) {
      const s = sectionTable + i * 40;
      const va = bytes.readUInt32LE(s + 12);
      const span = Math.max(bytes.readUInt32LE(s + 8), bytes.readUInt32LE(s + 16));
      if (rva >= va && rva < va + span) return rva - va + bytes.readUInt32LE(s + 20);
    }
    return fail(`RVA 0x${rva.toString(16)} is in no section`);
  };

  const base = fileOffset(resourceRva);
  /** The entry of the directory at `dir` (relative to the resource base) with this id, or the first one. */
  const entry = (dir: number, id?: number): { sub: boolean; offset: number } | undefined => {
    const at = base + dir;
    if (!inFile(at, 16)) fail('resource directory out of the file');
    const count = bytes.readUInt16LE(at + 12) + bytes.readUInt16LE(at + 14);
    if (!inFile(at + 16, count * 8)) fail('resource entries out of the file');
    for (let i = 0; i < count; i++) {
      const e = at + 16 + i * 8;
      const nameOrId = bytes.readUInt32LE(e);
      if (id !== undefined && nameOrId !== id) continue;
      const target = bytes.readUInt32LE(e + 4);
      return { sub: (target & 0x80000000) !== 0, offset: target & 0x7fffffff };
    }
    return undefined;
  };
  const type = entry(0, RT_VERSION);
  if (!type) return undefined;
  const name = type.sub ? entry(type.offset) : fail('RT_VERSION is not a directory');
  const lang = name?.sub ? entry(name.offset) : fail('the version resource has no name directory');
  if (!lang || lang.sub) fail('the version resource has no data entry');
  const dataEntry = base + lang!.offset;
  if (!inFile(dataEntry, 8)) fail('resource data entry out of the file');
  const data = fileOffset(bytes.readUInt32LE(dataEntry));
  const size = bytes.readUInt32LE(dataEntry + 4);

  // VS_VERSIONINFO: wLength, wValueLength, wType, the key in UTF-16 with its NUL, padding to 4, VS_FIXEDFILEINFO.
  const keyEnd = data + 6 + (VS_KEY.length + 1) * 2;
  const fixed = data + Math.ceil((keyEnd - data) / 4) * 4;
  if (!inFile(data, size) || fixed + 24 > data + size) fail('version resource truncated');
  if (bytes.toString('utf16le', data + 6, keyEnd - 2) !== VS_KEY) fail('version resource without its VS_VERSION_INFO key');
  if (bytes.readUInt32LE(fixed) !== VS_FFI_SIGNATURE) fail('version resource without VS_FIXEDFILEINFO');
  const ms = bytes.readUInt32LE(fixed + 8);
  const ls = bytes.readUInt32LE(fixed + 12);
  const parts = [ms >>> 16, ms & 0xffff, ls >>> 16];
  if ((ls & 0xffff) !== 0) parts.push(ls & 0xffff);
  return parts.join('.');
}
