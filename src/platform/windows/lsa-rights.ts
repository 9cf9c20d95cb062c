// User rights through the LSA policy: the service account gets "Log on as a service" (without it
// CreateServiceW succeeds but the service cannot start) and is denied interactive and Remote Desktop
// logon (it is an administrator nobody should sit at). Uninstall removes every right it holds.

import type { Win32 } from './binding';
import { outDword, outPointer, readPtr, readU32 } from './layout';
import { encodeLsaObjectAttributes, encodeLsaUnicodeString, LSA_UNICODE_STRING } from './structs';
import { wideZ } from './utf16';
import { Win32Error } from './win32-errors';

export const SERVICE_ACCOUNT_RIGHTS: readonly string[] = ['SeServiceLogonRight', 'SeDenyInteractiveLogonRight', 'SeDenyRemoteInteractiveLogonRight'];
/**
 * What an existing account (--service-account, or the Wine user) is given: only what running a service
 * needs. Its owner may still log on with it, so no deny right is added.
 */
export const EXISTING_ACCOUNT_RIGHTS: readonly string[] = ['SeServiceLogonRight'];

const POLICY_CREATE_ACCOUNT = 0x0010;
const POLICY_LOOKUP_NAMES = 0x0800;
/** STATUS_OBJECT_NAME_NOT_FOUND: the account holds no rights (nothing to remove). */
const STATUS_OBJECT_NAME_NOT_FOUND = 0xc000_0034;

/** The LSA_UNICODE_STRING array LsaAddAccountRights takes, and the strings it points at. */
export function encodeRightsArray(w: Win32, rights: readonly string[]): { buf: Buffer; keep: Buffer[] } {
  const buf = Buffer.alloc(LSA_UNICODE_STRING.size * Math.max(1, rights.length));
  const keep: Buffer[] = [];
  rights.forEach((r, i) => {
    const s = encodeLsaUnicodeString(w.memory, wideZ(r));
    s.buf.copy(buf, i * LSA_UNICODE_STRING.size);
    keep.push(...s.keep);
  });
  return { buf, keep };
}

export class LsaRights {
  constructor(private readonly w: Win32) {}

  private withPolicy<T>(f: (h: bigint) => T): T {
    const out = outPointer();
    const status = this.w.advapi32.LsaOpenPolicy(null, encodeLsaObjectAttributes(), POLICY_CREATE_ACCOUNT | POLICY_LOOKUP_NAMES, out);
    if (status !== 0) throw new Win32Error('LsaOpenPolicy', this.w.advapi32.LsaNtStatusToWinError(status));
    const h = out.readBigUInt64LE();
    try {
      return f(h);
    } finally {
      this.w.advapi32.LsaClose(h);
    }
  }

  add(sid: Buffer, rights: readonly string[]): void {
    this.withPolicy((h) => {
      const arr = encodeRightsArray(this.w, rights);
      const status = this.w.advapi32.LsaAddAccountRights(h, sid, arr.buf, rights.length);
      if (status !== 0) throw new Win32Error('LsaAddAccountRights', this.w.advapi32.LsaNtStatusToWinError(status), rights.join(', '));
    });
  }

  /** The rights the SID holds now (none: LSA has no account object for it). */
  list(sid: Buffer): string[] {
    return this.withPolicy((h) => {
      const out = outPointer();
      const count = outDword();
      const status = this.w.advapi32.LsaEnumerateAccountRights(h, sid, out, count);
      const address = out.readBigUInt64LE();
      try {
        if (status === STATUS_OBJECT_NAME_NOT_FOUND) return [];
        if (status !== 0) throw new Win32Error('LsaEnumerateAccountRights', this.w.advapi32.LsaNtStatusToWinError(status));
        const n = count.readUInt32LE();
        const arr = n ? this.w.memory.read(address, n * LSA_UNICODE_STRING.size) : Buffer.alloc(0);
        const rights: string[] = [];
        for (let i = 0; i < n; i++) {
          const base = i * LSA_UNICODE_STRING.size;
          const len = readU32(LSA_UNICODE_STRING, arr, base, 'Length');
          const at = readPtr(LSA_UNICODE_STRING, arr, base, 'Buffer');
          rights.push(len ? this.w.memory.read(at, len).toString('utf16le') : '');
        }
        return rights;
      } finally {
        if (address !== 0n) this.w.advapi32.LsaFreeMemory(address);
      }
    });
  }

  /** Remove these rights only (the others the SID holds stay). */
  remove(sid: Buffer, rights: readonly string[]): void {
    if (rights.length === 0) return;
    this.withPolicy((h) => {
      const arr = encodeRightsArray(this.w, rights);
      const status = this.w.advapi32.LsaRemoveAccountRights(h, sid, 0, arr.buf, rights.length);
      if (status !== 0 && status !== STATUS_OBJECT_NAME_NOT_FOUND) {
        throw new Win32Error('LsaRemoveAccountRights', this.w.advapi32.LsaNtStatusToWinError(status), rights.join(', '));
      }
    });
  }

  /** Remove every right the SID holds (and LSA's account object for it). False when it held none. */
  removeAll(sid: Buffer): boolean {
    return this.withPolicy((h) => {
      const status = this.w.advapi32.LsaRemoveAccountRights(h, sid, 1, null, 0);
      if (status === STATUS_OBJECT_NAME_NOT_FOUND) return false;
      if (status !== 0) throw new Win32Error('LsaRemoveAccountRights', this.w.advapi32.LsaNtStatusToWinError(status));
      return true;
    });
  }
}
