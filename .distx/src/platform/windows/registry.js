"use strict";
// The registry, through advapi32: read and write the few values pwbridge owns or edits, always in the
// 64-bit view (KEY_WOW64_64KEY), under HKEY_LOCAL_MACHINE. Each call opens the key, does one thing and
// closes it: nothing here holds a handle between calls.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Registry = exports.encodeList = exports.encodeString = exports.REG_QWORD = exports.REG_MULTI_SZ = exports.REG_DWORD = exports.REG_BINARY = exports.REG_EXPAND_SZ = exports.REG_SZ = exports.HKEY_LOCAL_MACHINE = void 0;
exports.decodeString = decodeString;
exports.encodeDword = encodeDword;
exports.encodeQword = encodeQword;
exports.decodeNumber = decodeNumber;
exports.decodeList = decodeList;
const layout_1 = require("./layout");
const multi_sz_1 = require("./multi-sz");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
/** HKEY_LOCAL_MACHINE: (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended on 64-bit Windows. */
exports.HKEY_LOCAL_MACHINE = 0xffffffff80000002n;
exports.REG_SZ = 1;
exports.REG_EXPAND_SZ = 2;
exports.REG_BINARY = 3;
exports.REG_DWORD = 4;
exports.REG_MULTI_SZ = 7;
exports.REG_QWORD = 11;
const KEY_QUERY_VALUE = 0x0001;
const KEY_SET_VALUE = 0x0002;
const KEY_WOW64_64KEY = 0x0100;
const REG_OPTION_NON_VOLATILE = 0;
/** A value's data as what it is: a string, a number (DWORD, QWORD as bigint), a list, or raw bytes. */
function decodeString(v) {
    if (v.type !== exports.REG_SZ && v.type !== exports.REG_EXPAND_SZ)
        throw new Error(`registry value has type ${v.type}, not a string`);
    let end = v.data.length - (v.data.length % 2);
    while (end >= 2 && v.data.readUInt16LE(end - 2) === 0)
        end -= 2; // the terminator (and any padding)
    return v.data.toString('utf16le', 0, end);
}
const encodeString = (s) => (0, utf16_1.wideZ)(s);
exports.encodeString = encodeString;
function encodeDword(n) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
}
function encodeQword(n) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(n);
    return b;
}
function decodeNumber(v) {
    if (v.type === exports.REG_DWORD && v.data.length >= 4)
        return v.data.readUInt32LE();
    if (v.type === exports.REG_QWORD && v.data.length >= 8)
        return v.data.readBigUInt64LE();
    throw new Error(`registry value has type ${v.type} and ${v.data.length} bytes, not a DWORD or QWORD`);
}
function decodeList(v) {
    if (v.type !== exports.REG_MULTI_SZ)
        throw new Error(`registry value has type ${v.type}, not REG_MULTI_SZ`);
    return (0, multi_sz_1.decodeMultiSz)(v.data);
}
const encodeList = (values) => (0, multi_sz_1.encodeMultiSz)(values);
exports.encodeList = encodeList;
/** HKLM, 64-bit view. `key` is a path below HKLM, e.g. "SYSTEM\\CurrentControlSet\\Control\\Lsa". */
class Registry {
    w;
    constructor(w) {
        this.w = w;
    }
    open(key, access) {
        const out = (0, layout_1.outPointer)();
        const rc = this.w.advapi32.RegOpenKeyExW(exports.HKEY_LOCAL_MACHINE, (0, utf16_1.wideZ)(key), 0, access | KEY_WOW64_64KEY, out);
        if (rc === win32_errors_1.ERROR_FILE_NOT_FOUND)
            return undefined;
        if (rc !== win32_errors_1.ERROR_SUCCESS)
            throw new win32_errors_1.Win32Error('RegOpenKeyExW', rc, `HKLM\\${key}`);
        return out.readBigUInt64LE();
    }
    withKey(key, access, f) {
        const h = this.open(key, access);
        if (h === undefined)
            return undefined;
        try {
            return f(h);
        }
        finally {
            this.w.advapi32.RegCloseKey(h);
        }
    }
    exists(key) {
        return this.withKey(key, KEY_QUERY_VALUE, () => true) ?? false;
    }
    get(key, name) {
        return this.withKey(key, KEY_QUERY_VALUE, (h) => {
            const nameW = (0, utf16_1.wideZ)(name);
            // Size first, then the data; a value that grew in between is read again (bounded).
            for (let attempt = 0; attempt < 5; attempt++) {
                const type = (0, layout_1.outDword)();
                const size = (0, layout_1.outDword)();
                let rc = this.w.advapi32.RegQueryValueExW(h, nameW, null, type, null, size);
                if (rc === win32_errors_1.ERROR_FILE_NOT_FOUND)
                    return undefined;
                if (rc !== win32_errors_1.ERROR_SUCCESS)
                    throw new win32_errors_1.Win32Error('RegQueryValueExW', rc, `HKLM\\${key} ${name}`);
                const data = Buffer.alloc(size.readUInt32LE());
                rc = this.w.advapi32.RegQueryValueExW(h, nameW, null, type, data, size);
                if (rc === win32_errors_1.ERROR_MORE_DATA)
                    continue;
                if (rc === win32_errors_1.ERROR_FILE_NOT_FOUND)
                    return undefined;
                if (rc !== win32_errors_1.ERROR_SUCCESS)
                    throw new win32_errors_1.Win32Error('RegQueryValueExW', rc, `HKLM\\${key} ${name}`);
                return { type: type.readUInt32LE(), data: data.subarray(0, size.readUInt32LE()) };
            }
            throw new Error(`HKLM\\${key} ${name} kept changing size while being read`);
        });
    }
    set(key, name, value) {
        const out = (0, layout_1.outPointer)();
        const disposition = (0, layout_1.outDword)();
        const rc = this.w.advapi32.RegCreateKeyExW(exports.HKEY_LOCAL_MACHINE, (0, utf16_1.wideZ)(key), 0, null, REG_OPTION_NON_VOLATILE, KEY_SET_VALUE | KEY_QUERY_VALUE | KEY_WOW64_64KEY, null, out, disposition);
        if (rc !== win32_errors_1.ERROR_SUCCESS)
            throw new win32_errors_1.Win32Error('RegCreateKeyExW', rc, `HKLM\\${key}`);
        const h = out.readBigUInt64LE();
        try {
            const set = this.w.advapi32.RegSetValueExW(h, (0, utf16_1.wideZ)(name), 0, value.type, value.data, value.data.length);
            if (set !== win32_errors_1.ERROR_SUCCESS)
                throw new win32_errors_1.Win32Error('RegSetValueExW', set, `HKLM\\${key} ${name}`);
        }
        finally {
            this.w.advapi32.RegCloseKey(h);
        }
        return disposition.readUInt32LE() === 1; // REG_CREATED_NEW_KEY
    }
    deleteValue(key, name) {
        return this.withKey(key, KEY_SET_VALUE, (h) => {
            const rc = this.w.advapi32.RegDeleteValueW(h, (0, utf16_1.wideZ)(name));
            if (rc === win32_errors_1.ERROR_FILE_NOT_FOUND)
                return false;
            if (rc !== win32_errors_1.ERROR_SUCCESS)
                throw new win32_errors_1.Win32Error('RegDeleteValueW', rc, `HKLM\\${key} ${name}`);
            return true;
        }) ?? false;
    }
    deleteKey(key) {
        const rc = this.w.advapi32.RegDeleteKeyExW(exports.HKEY_LOCAL_MACHINE, (0, utf16_1.wideZ)(key), KEY_WOW64_64KEY, 0);
        if (rc === win32_errors_1.ERROR_FILE_NOT_FOUND)
            return false;
        if (rc !== win32_errors_1.ERROR_SUCCESS)
            throw new win32_errors_1.Win32Error('RegDeleteKeyExW', rc, `HKLM\\${key}`);
        return true;
    }
}
exports.Registry = Registry;
//# sourceMappingURL=registry.js.map