// The registry, through advapi32: read and write the few values pwbridge owns or edits, always in the
// 64-bit view (KEY_WOW64_64KEY), under HKEY_LOCAL_MACHINE. Each call opens the key, does one thing and
// closes it: nothing here holds a handle between calls.

import type { Win32 } from './binding';
import { outDword, outPointer } from './layout';
import { decodeMultiSz, encodeMultiSz, type MultiSz } from './multi-sz';
import { wideZ } from './utf16';
import { ERROR_FILE_NOT_FOUND, ERROR_MORE_DATA, ERROR_SUCCESS, Win32Error } from './win32-errors';

/** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended on 64-bit Windows. */
export const HKEY_LOCAL_MACHINE = 0xffff_ffff_8000_0002n;

export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;

const KEY_QUERY_VALUE = 0x0001;
const KEY_SET_VALUE = 0x0002;
const KEY_WOW64_64KEY = 0x0100;
const REG_OPTION_NON_VOLATILE = 0;

export interface RegValue {
  type: number;
  data: Buffer;
}

/** A value's data as what it is: a string, a number (DWORD, QWORD as bigint), a list, or raw bytes. */
export function decodeString(v: RegValue): string {
  if (v.type !== REG_SZ && v.type !== REG_EXPAND_SZ) throw new Error(`registry value has type ${v.type}, not a string`);
  let end = v.data.length - (v.data.length % 2);
  while (end >= 2 && v.data.readUInt16LE(end - 2) === 0) end -= 2; // the terminator (and any padding)
  return v.data.toString('utf16le', 0, end);
}

export const encodeString = (s: string): Buffer => wideZ(s);

export function encodeDword(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

export function encodeQword(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

export function decodeNumber(v: RegValue): number | bigint {
  if (v.type === REG_DWORD && v.data.length >= 4) return v.data.readUInt32LE();
  if (v.type === REG_QWORD && v.data.length >= 8) return v.data.readBigUInt64LE();
  throw new Error(`registry value has type ${v.type} and ${v.data.length} bytes, not a DWORD or QWORD`);
}

export function decodeList(v: RegValue): MultiSz {
  if (v.type !== REG_MULTI_SZ) throw new Error(`registry value has type ${v.type}, not REG_MULTI_SZ`);
  return decodeMultiSz(v.data);
}

export const encodeList = (values: readonly string[]): Buffer => encodeMultiSz(values);

/** The registry operations the adapters and install use; `Registry` implements them on advapi32. */
export interface RegistryPort {
  /** The value, or undefined when the key or the value does not exist. */
  get(key: string, name: string): RegValue | undefined;
  /** Create the key if needed, then set the value. Returns true when the key was created. */
  set(key: string, name: string, value: RegValue): boolean;
  /** Delete a value; false when it was not there. */
  deleteValue(key: string, name: string): boolean;
  /** Delete a key that has no subkeys; false when it was not there. */
  deleteKey(key: string): boolean;
  /** Whether the key exists. */
  exists(key: string): boolean;
}

/** HKLM, 64-bit view. `key` is a path below HKLM, e.g. "SYSTEM\\CurrentControlSet\\Control\\Lsa". */
export class Registry implements RegistryPort {
  constructor(private readonly w: Win32) {}

  private open(key: string, access: number): bigint | undefined {
    const out = outPointer();
    const rc = this.w.advapi32.RegOpenKeyExW(HKEY_LOCAL_MACHINE, wideZ(key), 0, access | KEY_WOW64_64KEY, out);
    if (rc === ERROR_FILE_NOT_FOUND) return undefined;
    if (rc !== ERROR_SUCCESS) throw new Win32Error('RegOpenKeyExW', rc, `HKLM\\${key}`);
    return out.readBigUInt64LE();
  }

  private withKey<T>(key: string, access: number, f: (h: bigint) => T): T | undefined {
    const h = this.open(key, access);
    if (h === undefined) return undefined;
    try {
      return f(h);
    } finally {
      this.w.advapi32.RegCloseKey(h);
    }
  }

  exists(key: string): boolean {
    return this.withKey(key, KEY_QUERY_VALUE, () => true) ?? false;
  }

  get(key: string, name: string): RegValue | undefined {
    return this.withKey(key, KEY_QUERY_VALUE, (h) => {
      const nameW = wideZ(name);
      // Size first, then the data; a value that grew in between is read again (bounded).
      for (let attempt = 0; attempt < 5; attempt++) {
        const type = outDword();
        const size = outDword();
        let rc = this.w.advapi32.RegQueryValueExW(h, nameW, null, type, null, size);
        if (rc === ERROR_FILE_NOT_FOUND) return undefined;
        if (rc !== ERROR_SUCCESS) throw new Win32Error('RegQueryValueExW', rc, `HKLM\\${key} ${name}`);
        const data = Buffer.alloc(size.readUInt32LE());
        rc = this.w.advapi32.RegQueryValueExW(h, nameW, null, type, data, size);
        if (rc === ERROR_MORE_DATA) continue;
        if (rc === ERROR_FILE_NOT_FOUND) return undefined;
        if (rc !== ERROR_SUCCESS) throw new Win32Error('RegQueryValueExW', rc, `HKLM\\${key} ${name}`);
        return { type: type.readUInt32LE(), data: data.subarray(0, size.readUInt32LE()) };
      }
      throw new Error(`HKLM\\${key} ${name} kept changing size while being read`);
    });
  }

  set(key: string, name: string, value: RegValue): boolean {
    const out = outPointer();
    const disposition = outDword();
    const rc = this.w.advapi32.RegCreateKeyExW(HKEY_LOCAL_MACHINE, wideZ(key), 0, null, REG_OPTION_NON_VOLATILE,
      KEY_SET_VALUE | KEY_QUERY_VALUE | KEY_WOW64_64KEY, null, out, disposition);
    if (rc !== ERROR_SUCCESS) throw new Win32Error('RegCreateKeyExW', rc, `HKLM\\${key}`);
    const h = out.readBigUInt64LE();
    try {
      const set = this.w.advapi32.RegSetValueExW(h, wideZ(name), 0, value.type, value.data, value.data.length);
      if (set !== ERROR_SUCCESS) throw new Win32Error('RegSetValueExW', set, `HKLM\\${key} ${name}`);
    } finally {
      this.w.advapi32.RegCloseKey(h);
    }
    return disposition.readUInt32LE() === 1; // REG_CREATED_NEW_KEY
  }

  deleteValue(key: string, name: string): boolean {
    return this.withKey(key, KEY_SET_VALUE, (h) => {
      const rc = this.w.advapi32.RegDeleteValueW(h, wideZ(name));
      if (rc === ERROR_FILE_NOT_FOUND) return false;
      if (rc !== ERROR_SUCCESS) throw new Win32Error('RegDeleteValueW', rc, `HKLM\\${key} ${name}`);
      return true;
    }) ?? false;
  }

  deleteKey(key: string): boolean {
    const rc = this.w.advapi32.RegDeleteKeyExW(HKEY_LOCAL_MACHINE, wideZ(key), KEY_WOW64_64KEY, 0);
    if (rc === ERROR_FILE_NOT_FOUND) return false;
    if (rc !== ERROR_SUCCESS) throw new Win32Error('RegDeleteKeyExW', rc, `HKLM\\${key}`);
    return true;
  }
}
