"use strict";
// This machine's NetBIOS name (GetComputerNameW): at most 15 characters, upper case, and what Windows
// itself puts before the backslash in MACHINE\user. Not the DNS host name os.hostname() gives, which may
// be longer and in another case (Wine: "VM" for the host "vm").
Object.defineProperty(exports, "__esModule", { value: true });
exports.computerName = computerName;
const win32_errors_1 = require("./win32-errors");
/** MAX_COMPUTERNAME_LENGTH is 15; room for more costs nothing. */
const ROOM = 64;
function computerName(w) {
    const buf = Buffer.alloc(2 * ROOM);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(ROOM);
    if (!w.kernel32.GetComputerNameW(buf, size))
        throw new win32_errors_1.Win32Error('GetComputerNameW', w.kernel32.GetLastError());
    return buf.toString('utf16le', 0, size.readUInt32LE() * 2);
}
//# sourceMappingURL=computer-name.js.map