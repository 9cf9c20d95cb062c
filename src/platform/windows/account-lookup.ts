// Names ↔ SIDs through LookupAccountNameW / LookupAccountSidW: the service account's SID (for ServiceSid
// and its logon rights), and the local Administrators group's name in this Windows' language.

import type { Win32 } from './binding';
import { outDword } from './layout';
import { ADMINISTRATORS_SID, SECURITY_MAX_SID_SIZE, sidFromString, sidToString } from './sid';
import { wideZ } from './utf16';
import { ERROR_INSUFFICIENT_BUFFER, ERROR_NONE_MAPPED, Win32Error } from './win32-errors';

export interface AccountSid {
  sid: Buffer;
  sidString: string;
  domain: string;
}

const readName = (b: Buffer) => b.toString('utf16le', 0, evenNul(b));
function evenNul(b: Buffer): number {
  for (let i = 0; i + 1 < b.length; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
  return b.length;
}

export class AccountLookup {
  constructor(private readonly w: Win32) {}

  /** The SID of a local account (`.\name` is looked up on this machine), or undefined when there is none. */
  sidOf(name: string): AccountSid | undefined {
    return this.lookupName(`.\\${name}`);
  }

  /** LookupAccountNameW of `name` as given. */
  private lookupName(name: string): AccountSid | undefined {
    const sid = Buffer.alloc(SECURITY_MAX_SID_SIZE);
    const cbSid = outDword(sid.length);
    let domain = Buffer.alloc(2 * 256);
    const cchDomain = outDword(256);
    const use = outDword();
    let ok = this.w.advapi32.LookupAccountNameW(null, wideZ(name), sid, cbSid, domain, cchDomain, use);
    if (!ok && this.w.kernel32.GetLastError() === ERROR_INSUFFICIENT_BUFFER) {
      domain = Buffer.alloc(2 * (cchDomain.readUInt32LE() + 1));
      cchDomain.writeUInt32LE(domain.length / 2);
      ok = this.w.advapi32.LookupAccountNameW(null, wideZ(name), sid, cbSid, domain, cchDomain, use);
    }
    if (!ok) {
      const code = this.w.kernel32.GetLastError();
      if (code === ERROR_NONE_MAPPED) return undefined;
      throw new Win32Error('LookupAccountNameW', code, name);
    }
    const bytes = Buffer.from(sid.subarray(0, 8 + sid[1] * 4));
    return { sid: bytes, sidString: sidToString(bytes), domain: readName(domain) };
  }

  /**
   * The SID (S-1-…) of a service's logon name as the service manager keeps it: `LocalSystem`, the two
   * service accounts, `.\name` (this machine), or `DOMAIN\name`. Undefined when it names no account.
   */
  sidOfLogonName(name: string): string | undefined {
    const n = name.trim().toLowerCase();
    if (n === '' || n === 'localsystem' || n === '.\\localsystem' || n === 'nt authority\\system') return 'S-1-5-18';
    if (n === 'nt authority\\localservice') return 'S-1-5-19';
    if (n === 'nt authority\\networkservice') return 'S-1-5-20';
    if (name.startsWith('.\\')) return this.sidOf(name.slice(2))?.sidString;
    return this.lookupName(name)?.sidString;
  }

  /** The local Administrators group's name as this Windows spells it. */
  administratorsGroup(): string {
    const found = this.lookupSid(sidFromString(ADMINISTRATORS_SID));
    if ('code' in found) throw new Win32Error('LookupAccountSidW', found.code, ADMINISTRATORS_SID);
    return found.name;
  }

  /** `DOMAIN\name` of a SID, for messages; undefined when Windows cannot name it. */
  nameOfSid(sid: string): string | undefined {
    let bytes: Buffer;
    try {
      bytes = sidFromString(sid);
    } catch {
      return undefined;
    }
    const found = this.lookupSid(bytes);
    if ('code' in found) return undefined;
    return found.domain ? `${found.domain}\\${found.name}` : found.name;
  }

  private lookupSid(sid: Buffer): { name: string; domain: string } | { code: number } {
    let name = Buffer.alloc(2 * 256);
    let domain = Buffer.alloc(2 * 256);
    const cchName = outDword(256);
    const cchDomain = outDword(256);
    const use = outDword();
    let ok = this.w.advapi32.LookupAccountSidW(null, sid, name, cchName, domain, cchDomain, use);
    if (!ok && this.w.kernel32.GetLastError() === ERROR_INSUFFICIENT_BUFFER) {
      name = Buffer.alloc(2 * (cchName.readUInt32LE() + 1));
      domain = Buffer.alloc(2 * (cchDomain.readUInt32LE() + 1));
      cchName.writeUInt32LE(name.length / 2);
      cchDomain.writeUInt32LE(domain.length / 2);
      ok = this.w.advapi32.LookupAccountSidW(null, sid, name, cchName, domain, cchDomain, use);
    }
    if (!ok) return { code: this.w.kernel32.GetLastError() };
    return { name: readName(name), domain: readName(domain) };
  }
}
