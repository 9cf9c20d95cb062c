"use strict";
// netapi32 calls, thin: build the arguments (structs.ts), call, read the answer, free what Windows
// allocated (NetApiBufferFree on every path), and turn a status into a Win32Error. Passwords arrive as
// NUL-terminated UTF-16LE Buffers the caller owns and wipes.
Object.defineProperty(exports, "__esModule", { value: true });
exports.NetApi = exports.LG_INCLUDE_INDIRECT = exports.NET_VALIDATE_PASSWORD_CHANGE = exports.MAX_PREFERRED_LENGTH = exports.FILTER_NORMAL_ACCOUNT = void 0;
const layout_1 = require("./layout");
const structs_1 = require("./structs");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
exports.FILTER_NORMAL_ACCOUNT = 0x0002;
exports.MAX_PREFERRED_LENGTH = 0xffff_ffff;
exports.NET_VALIDATE_PASSWORD_CHANGE = 2;
/** NetUserGetLocalGroups: also the groups the account is in through another group. */
exports.LG_INCLUDE_INDIRECT = 0x0001;
class NetApi {
    w;
    constructor(w) {
        this.w = w;
    }
    /** Every normal (not machine, not trust) local account, level 3, following the resume handle. */
    enumUsers() {
        const users = [];
        const resume = (0, layout_1.outDword)();
        for (let round = 0;; round++) {
            if (round > 100_000)
                throw new Error('NetUserEnum did not finish'); // a resume handle that never ends
            const bufptr = (0, layout_1.outPointer)();
            const read = (0, layout_1.outDword)();
            const total = (0, layout_1.outDword)();
            const status = this.w.netapi32.NetUserEnum(null, 3, exports.FILTER_NORMAL_ACCOUNT, bufptr, exports.MAX_PREFERRED_LENGTH, read, total, resume);
            const address = bufptr.readBigUInt64LE();
            try {
                if (status !== win32_errors_1.NERR_Success && status !== win32_errors_1.ERROR_MORE_DATA)
                    throw new win32_errors_1.Win32Error('NetUserEnum', status);
                users.push(...(0, structs_1.decodeUserInfo3)(this.w.memory, address, read.readUInt32LE()));
            }
            finally {
                this.free(address);
            }
            if (status === win32_errors_1.NERR_Success)
                return users;
        }
    }
    /** One account (level 3), or undefined when there is none of that name. */
    getUser(name) {
        const bufptr = (0, layout_1.outPointer)();
        const status = this.w.netapi32.NetUserGetInfo(null, (0, utf16_1.wideZ)(name), 3, bufptr);
        const address = bufptr.readBigUInt64LE();
        try {
            if (status === win32_errors_1.NERR_UserNotFound)
                return undefined;
            if (status !== win32_errors_1.NERR_Success)
                throw new win32_errors_1.Win32Error('NetUserGetInfo', status, name);
            return (0, structs_1.decodeUserInfo3)(this.w.memory, address, 1)[0];
        }
        finally {
            this.free(address);
        }
    }
    /** NetUserSetInfo level 1003. Returns the status; the caller decides what a refusal means. */
    setPassword(name, passwordWideZ) {
        const info = (0, structs_1.encodeUserInfo1003)(this.w.memory, passwordWideZ);
        try {
            return this.w.netapi32.NetUserSetInfo(null, (0, utf16_1.wideZ)(name), 1003, info.buf, (0, layout_1.outDword)());
        }
        finally {
            info.buf.fill(0); // held the password's address; harmless, but nothing of the call outlives it
        }
    }
    /** The lockout policy (NetUserModalsGet level 3). */
    lockoutPolicy() {
        const bufptr = (0, layout_1.outPointer)();
        const status = this.w.netapi32.NetUserModalsGet(null, 3, bufptr);
        const address = bufptr.readBigUInt64LE();
        try {
            if (status !== win32_errors_1.NERR_Success)
                throw new win32_errors_1.Win32Error('NetUserModalsGet', status, 'level 3, lockout policy');
            return (0, structs_1.decodeModals3)(this.w.memory, address);
        }
        finally {
            this.free(address);
        }
    }
    /**
     * NetValidatePasswordPolicy(NetValidatePasswordChange): the ValidationStatus (NERR_Success when the
     * local policy accepts the password for this account). Throws Win32Error when the call itself fails.
     */
    validatePasswordChange(name, passwordWideZ) {
        const account = (0, utf16_1.wideZ)(name);
        const input = (0, structs_1.encodeValidateChangeInput)(this.w.memory, passwordWideZ, account);
        const output = (0, layout_1.outPointer)();
        try {
            const status = this.w.netapi32.NetValidatePasswordPolicy(null, null, exports.NET_VALIDATE_PASSWORD_CHANGE, input.buf, output);
            if (status !== win32_errors_1.NERR_Success)
                throw new win32_errors_1.Win32Error('NetValidatePasswordPolicy', status, name);
            return (0, structs_1.decodeValidateOutputStatus)(this.w.memory, output.readBigUInt64LE());
        }
        finally {
            input.buf.fill(0);
            if (output.readBigUInt64LE() !== 0n)
                this.w.netapi32.NetValidatePasswordPolicyFree(output);
        }
    }
    /** NetUserAdd level 1: a normal account whose password never expires. */
    addUser(name, passwordWideZ, comment, flags) {
        const info = (0, structs_1.encodeUserInfo1)(this.w.memory, { nameWideZ: (0, utf16_1.wideZ)(name), passwordWideZ, commentWideZ: (0, utf16_1.wideZ)(comment), flags });
        try {
            const status = this.w.netapi32.NetUserAdd(null, 1, info.buf, (0, layout_1.outDword)());
            if (status !== win32_errors_1.NERR_Success)
                throw new win32_errors_1.Win32Error('NetUserAdd', status, name);
        }
        finally {
            info.buf.fill(0);
        }
    }
    /**
     * The local groups the account is in, directly or through a group (NetUserGetLocalGroups level 0 with
     * LG_INCLUDE_INDIRECT), by the names this Windows gives them. Undefined when there is no such account.
     */
    localGroups(name) {
        const bufptr = (0, layout_1.outPointer)();
        const read = (0, layout_1.outDword)();
        const total = (0, layout_1.outDword)();
        const status = this.w.netapi32.NetUserGetLocalGroups(null, (0, utf16_1.wideZ)(name), 0, exports.LG_INCLUDE_INDIRECT, bufptr, exports.MAX_PREFERRED_LENGTH, read, total);
        const address = bufptr.readBigUInt64LE();
        try {
            if (status === win32_errors_1.NERR_UserNotFound)
                return undefined;
            if (status !== win32_errors_1.NERR_Success)
                throw new win32_errors_1.Win32Error('NetUserGetLocalGroups', status, name);
            const n = read.readUInt32LE();
            if (n === 0)
                return [];
            const pointers = this.w.memory.read(address, n * 8);
            const names = [];
            for (let i = 0; i < n; i++) {
                const group = (0, layout_1.readWideZ)(this.w.memory, pointers.readBigUInt64LE(i * 8));
                if (group !== undefined)
                    names.push(group);
            }
            return names;
        }
        finally {
            this.free(address);
        }
    }
    deleteUser(name) {
        return this.w.netapi32.NetUserDel(null, (0, utf16_1.wideZ)(name));
    }
    /** NetLocalGroupAddMembers level 3 (`DOMAIN\name`). Returns the status (ERROR_MEMBER_IN_ALIAS: already there). */
    addGroupMember(group, domainAndName) {
        const member = (0, structs_1.encodeLocalGroupMember3)(this.w.memory, (0, utf16_1.wideZ)(domainAndName));
        return this.w.netapi32.NetLocalGroupAddMembers(null, (0, utf16_1.wideZ)(group), 3, member.buf, 1);
    }
    delGroupMember(group, domainAndName) {
        const member = (0, structs_1.encodeLocalGroupMember3)(this.w.memory, (0, utf16_1.wideZ)(domainAndName));
        return this.w.netapi32.NetLocalGroupDelMembers(null, (0, utf16_1.wideZ)(group), 3, member.buf, 1);
    }
    free(address) {
        if (address !== 0n)
            this.w.netapi32.NetApiBufferFree(address);
    }
}
exports.NetApi = NetApi;
//# sourceMappingURL=netapi.js.map