"use strict";
// User rights through the LSA policy: the service account gets "Log on as a service" (without it
// CreateServiceW succeeds but the service cannot start) and is denied interactive and Remote Desktop
// logon (it is an administrator nobody should sit at). Uninstall removes every right it holds.
Object.defineProperty(exports, "__esModule", { value: true });
exports.LsaRights = exports.EXISTING_ACCOUNT_RIGHTS = exports.SERVICE_ACCOUNT_RIGHTS = void 0;
exports.encodeRightsArray = encodeRightsArray;
const layout_1 = require("./layout");
const structs_1 = require("./structs");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
exports.SERVICE_ACCOUNT_RIGHTS = ['SeServiceLogonRight', 'SeDenyInteractiveLogonRight', 'SeDenyRemoteInteractiveLogonRight'];
/**
 * What an existing account (--service-account, or the Wine user) is given: only what running a service
 * needs. Its owner may still log on with it, so no deny right is added.
 */
exports.EXISTING_ACCOUNT_RIGHTS = ['SeServiceLogonRight'];
const POLICY_CREATE_ACCOUNT = 0x0010;
const POLICY_LOOKUP_NAMES = 0x0800;
/** STATUS_OBJECT_NAME_NOT_FOUND: the account holds no rights (nothing to remove). */
const STATUS_OBJECT_NAME_NOT_FOUND = 0xc000_0034;
/** The LSA_UNICODE_STRING array LsaAddAccountRights takes, and the strings it points at. */
function encodeRightsArray(w, rights) {
    const buf = Buffer.alloc(structs_1.LSA_UNICODE_STRING.size * Math.max(1, rights.length));
    const keep = [];
    rights.forEach((r, i) => {
        const s = (0, structs_1.encodeLsaUnicodeString)(w.memory, (0, utf16_1.wideZ)(r));
        s.buf.copy(buf, i * structs_1.LSA_UNICODE_STRING.size);
        keep.push(...s.keep);
    });
    return { buf, keep };
}
class LsaRights {
    w;
    constructor(w) {
        this.w = w;
    }
    withPolicy(f) {
        const out = (0, layout_1.outPointer)();
        const status = this.w.advapi32.LsaOpenPolicy(null, (0, structs_1.encodeLsaObjectAttributes)(), POLICY_CREATE_ACCOUNT | POLICY_LOOKUP_NAMES, out);
        if (status !== 0)
            throw new win32_errors_1.Win32Error('LsaOpenPolicy', this.w.advapi32.LsaNtStatusToWinError(status));
        const h = out.readBigUInt64LE();
        try {
            return f(h);
        }
        finally {
            this.w.advapi32.LsaClose(h);
        }
    }
    add(sid, rights) {
        this.withPolicy((h) => {
            const arr = encodeRightsArray(this.w, rights);
            const status = this.w.advapi32.LsaAddAccountRights(h, sid, arr.buf, rights.length);
            if (status !== 0)
                throw new win32_errors_1.Win32Error('LsaAddAccountRights', this.w.advapi32.LsaNtStatusToWinError(status), rights.join(', '));
        });
    }
    /** The rights the SID holds now (none: LSA has no account object for it). */
    list(sid) {
        return this.withPolicy((h) => {
            const out = (0, layout_1.outPointer)();
            const count = (0, layout_1.outDword)();
            const status = this.w.advapi32.LsaEnumerateAccountRights(h, sid, out, count);
            const address = out.readBigUInt64LE();
            try {
                if (status === STATUS_OBJECT_NAME_NOT_FOUND)
                    return [];
                if (status !== 0)
                    throw new win32_errors_1.Win32Error('LsaEnumerateAccountRights', this.w.advapi32.LsaNtStatusToWinError(status));
                const n = count.readUInt32LE();
                const arr = n ? this.w.memory.read(address, n * structs_1.LSA_UNICODE_STRING.size) : Buffer.alloc(0);
                const rights = [];
                for (let i = 0; i < n; i++) {
                    const base = i * structs_1.LSA_UNICODE_STRING.size;
                    const len = (0, layout_1.readU32)(structs_1.LSA_UNICODE_STRING, arr, base, 'Length');
                    const at = (0, layout_1.readPtr)(structs_1.LSA_UNICODE_STRING, arr, base, 'Buffer');
                    rights.push(len ? this.w.memory.read(at, len).toString('utf16le') : '');
                }
                return rights;
            }
            finally {
                if (address !== 0n)
                    this.w.advapi32.LsaFreeMemory(address);
            }
        });
    }
    /** Remove these rights only (the others the SID holds stay). */
    remove(sid, rights) {
        if (rights.length === 0)
            return;
        this.withPolicy((h) => {
            const arr = encodeRightsArray(this.w, rights);
            const status = this.w.advapi32.LsaRemoveAccountRights(h, sid, 0, arr.buf, rights.length);
            if (status !== 0 && status !== STATUS_OBJECT_NAME_NOT_FOUND) {
                throw new win32_errors_1.Win32Error('LsaRemoveAccountRights', this.w.advapi32.LsaNtStatusToWinError(status), rights.join(', '));
            }
        });
    }
    /** Remove every right the SID holds (and LSA's account object for it). False when it held none. */
    removeAll(sid) {
        return this.withPolicy((h) => {
            const status = this.w.advapi32.LsaRemoveAccountRights(h, sid, 1, null, 0);
            if (status === STATUS_OBJECT_NAME_NOT_FOUND)
                return false;
            if (status !== 0)
                throw new win32_errors_1.Win32Error('LsaRemoveAccountRights', this.w.advapi32.LsaNtStatusToWinError(status));
            return true;
        });
    }
}
exports.LsaRights = LsaRights;
//# sourceMappingURL=lsa-rights.js.map