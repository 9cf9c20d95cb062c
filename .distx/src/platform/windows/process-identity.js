"use strict";
// Who this process runs as: its token's user SID (OpenProcessToken + GetTokenInformation(TokenUser)).
// The service compares it with ServiceSid at start (the filter sends only to a pipe served by that SID),
// and the named-pipe listener puts it in the pipe's DACL next to SYSTEM.
Object.defineProperty(exports, "__esModule", { value: true });
exports.processUserSid = processUserSid;
exports.processUserSidBytes = processUserSidBytes;
const layout_1 = require("./layout");
const sid_1 = require("./sid");
const win32_errors_1 = require("./win32-errors");
const TOKEN_QUERY = 0x0008;
const TOKEN_USER_CLASS = 1;
/** TOKEN_USER is a SID_AND_ATTRIBUTES (a SID pointer, 8 bytes of attributes) followed by the SID: 44 bytes for a user. */
const TOKEN_USER_ROOM = 128;
/** The S-1-… string of this process's user (its token's TokenUser). */
function processUserSid(w) {
    return (0, sid_1.sidToString)(processUserSidBytes(w));
}
function processUserSidBytes(w) {
    const process = w.kernel32.GetCurrentProcess();
    if (process === null)
        throw new Error('GetCurrentProcess returned NULL');
    const tokenOut = (0, layout_1.outPointer)();
    if (!w.advapi32.OpenProcessToken(process, TOKEN_QUERY, tokenOut))
        throw new win32_errors_1.Win32Error('OpenProcessToken', w.kernel32.GetLastError(), 'TOKEN_QUERY');
    const token = tokenOut.readBigUInt64LE();
    try {
        const info = Buffer.alloc(TOKEN_USER_ROOM);
        const length = (0, layout_1.outDword)();
        if (!w.advapi32.GetTokenInformation(token, TOKEN_USER_CLASS, info, info.length, length)) {
            throw new win32_errors_1.Win32Error('GetTokenInformation', w.kernel32.GetLastError(), 'TokenUser');
        }
        // The SID pointer points into `info` itself: find it by its distance from our Buffer's start.
        const offset = Number(info.readBigUInt64LE(0) - w.memory.addressOf(info));
        if (offset < 16 || offset + 8 > length.readUInt32LE())
            throw new Error(`GetTokenInformation(TokenUser): the SID is not inside the answer (offset ${offset})`);
        const count = info[offset + 1];
        return Buffer.from(info.subarray(offset, offset + 8 + count * 4));
    }
    finally {
        w.kernel32.CloseHandle(token);
    }
}
//# sourceMappingURL=process-identity.js.map