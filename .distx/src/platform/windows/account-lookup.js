"use strict";
// Names ↔ SIDs through LookupAccountNameW / LookupAccountSidW: the service account's SID (for ServiceSid
// and its logon rights), and the local Administrators group's name in this Windows' language.
Object.defineProperty(exports, "__esModule", { value: true });
exports.AccountLookup = void 0;
const layout_1 = require("./layout");
const sid_1 = require("./sid");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
const readName = (b) => b.toString('utf16le', 0, evenNul(b));
function evenNul(b) {
    for (let i = 0; i + 1 < b.length; i += 2)
        if (b[i] === 0 && b[i + 1] === 0)
            return i;
    return b.length;
}
class AccountLookup {
    w;
    constructor(w) {
        this.w = w;
    }
    /** The SID of a local account (`.\name` is looked up on this machine), or undefined when there is none. */
    sidOf(name) {
        return this.lookupName(`.\\${name}`);
    }
    /** LookupAccountNameW of `name` as given. */
    lookupName(name) {
        const sid = Buffer.alloc(sid_1.SECURITY_MAX_SID_SIZE);
        const cbSid = (0, layout_1.outDword)(sid.length);
        let domain = Buffer.alloc(2 * 256);
        const cchDomain = (0, layout_1.outDword)(256);
        const use = (0, layout_1.outDword)();
        let ok = this.w.advapi32.LookupAccountNameW(null, (0, utf16_1.wideZ)(name), sid, cbSid, domain, cchDomain, use);
        if (!ok && this.w.kernel32.GetLastError() === win32_errors_1.ERROR_INSUFFICIENT_BUFFER) {
            domain = Buffer.alloc(2 * (cchDomain.readUInt32LE() + 1));
            cchDomain.writeUInt32LE(domain.length / 2);
            ok = this.w.advapi32.LookupAccountNameW(null, (0, utf16_1.wideZ)(name), sid, cbSid, domain, cchDomain, use);
        }
        if (!ok) {
            const code = this.w.kernel32.GetLastError();
            if (code === win32_errors_1.ERROR_NONE_MAPPED)
                return undefined;
            throw new win32_errors_1.Win32Error('LookupAccountNameW', code, name);
        }
        const bytes = Buffer.from(sid.subarray(0, 8 + sid[1] * 4));
        return { sid: bytes, sidString: (0, sid_1.sidToString)(bytes), domain: readName(domain) };
    }
    /**
     * The SID (S-1-…) of a service's logon name as the service manager keeps it: `LocalSystem`, the two
     * service accounts, `.\name` (this machine), or `DOMAIN\name`. Undefined when it names no account.
     */
    sidOfLogonName(name) {
        const n = name.trim().toLowerCase();
        if (n === '' || n === 'localsystem' || n === '.\\localsystem' || n === 'nt authority\\system')
            return 'S-1-5-18';
        if (n === 'nt authority\\localservice')
            return 'S-1-5-19';
        if (n === 'nt authority\\networkservice')
            return 'S-1-5-20';
        if (name.startsWith('.\\'))
            return this.sidOf(name.slice(2))?.sidString;
        return this.lookupName(name)?.sidString;
    }
    /** The local Administrators group's name as this Windows spells it. */
    administratorsGroup() {
        const found = this.lookupSid((0, sid_1.sidFromString)(sid_1.ADMINISTRATORS_SID));
        if ('code' in found)
            throw new win32_errors_1.Win32Error('LookupAccountSidW', found.code, sid_1.ADMINISTRATORS_SID);
        return found.name;
    }
    /** `DOMAIN\name` of a SID, for messages; undefined when Windows cannot name it. */
    nameOfSid(sid) {
        let bytes;
        try {
            bytes = (0, sid_1.sidFromString)(sid);
        }
        catch {
            return undefined;
        }
        const found = this.lookupSid(bytes);
        if ('code' in found)
            return undefined;
        return found.domain ? `${found.domain}\\${found.name}` : found.name;
    }
    lookupSid(sid) {
        let name = Buffer.alloc(2 * 256);
        let domain = Buffer.alloc(2 * 256);
        const cchName = (0, layout_1.outDword)(256);
        const cchDomain = (0, layout_1.outDword)(256);
        const use = (0, layout_1.outDword)();
        let ok = this.w.advapi32.LookupAccountSidW(null, sid, name, cchName, domain, cchDomain, use);
        if (!ok && this.w.kernel32.GetLastError() === win32_errors_1.ERROR_INSUFFICIENT_BUFFER) {
            name = Buffer.alloc(2 * (cchName.readUInt32LE() + 1));
            domain = Buffer.alloc(2 * (cchDomain.readUInt32LE() + 1));
            cchName.writeUInt32LE(name.length / 2);
            cchDomain.writeUInt32LE(domain.length / 2);
            ok = this.w.advapi32.LookupAccountSidW(null, sid, name, cchName, domain, cchDomain, use);
        }
        if (!ok)
            return { code: this.w.kernel32.GetLastError() };
        return { name: readName(name), domain: readName(domain) };
    }
}
exports.AccountLookup = AccountLookup;
//# sourceMappingURL=account-lookup.js.map