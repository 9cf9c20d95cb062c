"use strict";
// A file's or folder's owner and DACL through advapi32: read (GetFileSecurityW), set (SetFileSecurityW),
// and a folder created with its descriptor from the first moment (CreateDirectoryW with SECURITY_ATTRIBUTES).
//
// Why SetFileSecurityW and not SetNamedSecurityInfoW: SetNamedSecurityInfoW applies Windows' automatic
// inheritance, re-computing the inherited entries of everything below the folder while keeping each
// child's own explicit entries (Microsoft: "Automatic Propagation of Inheritable ACEs"), and Wine 8 merges
// the parent's inheritable entries into a protected DACL it was asked to set. SetFileSecurityW sets exactly
// the descriptor given on the one object ("security applied to a directory is not inherited by its
// children"), on Windows and Wine alike, so pwbridge sets it on every entry itself (secure-tree.ts).
// The descriptor carries SE_DACL_PROTECTED in its control, so nothing is inherited into it later either.
Object.defineProperty(exports, "__esModule", { value: true });
exports.DACL_SECURITY_INFORMATION = exports.OWNER_SECURITY_INFORMATION = void 0;
exports.readFileSecurity = readFileSecurity;
exports.writeFileSecurity = writeFileSecurity;
exports.createDirectoryWithSecurity = createDirectoryWithSecurity;
const layout_1 = require("./layout");
const security_descriptor_1 = require("./security-descriptor");
const structs_1 = require("./structs");
const layout_2 = require("./layout");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
exports.OWNER_SECURITY_INFORMATION = 0x1;
exports.DACL_SECURITY_INFORMATION = 0x4;
/** The owner and DACL of `file`, as the file system holds them. */
function readFileSecurity(w, file) {
    const info = exports.OWNER_SECURITY_INFORMATION | exports.DACL_SECURITY_INFORMATION;
    const needed = (0, layout_1.outDword)();
    const name = (0, utf16_1.wideZ)(file);
    if (w.advapi32.GetFileSecurityW(name, info, null, 0, needed))
        throw new Error(`GetFileSecurityW (${file}) asked for no room and still succeeded`);
    let code = w.kernel32.GetLastError();
    if (code !== win32_errors_1.ERROR_INSUFFICIENT_BUFFER)
        throw new win32_errors_1.Win32Error('GetFileSecurityW', code, file);
    // The descriptor may grow between the two calls (someone changing it): try a few times.
    for (let i = 0; i < 3; i++) {
        const sd = Buffer.alloc(needed.readUInt32LE());
        if (w.advapi32.GetFileSecurityW(name, info, sd, sd.length, needed))
            return (0, security_descriptor_1.decodeSecurityDescriptor)(sd);
        code = w.kernel32.GetLastError();
        if (code !== win32_errors_1.ERROR_INSUFFICIENT_BUFFER)
            break;
    }
    throw new win32_errors_1.Win32Error('GetFileSecurityW', code, file);
}
/** Set `file`'s owner and DACL to the self-relative descriptor `sd` (protected: see above). */
function writeFileSecurity(w, file, sd) {
    if (!w.advapi32.SetFileSecurityW((0, utf16_1.wideZ)(file), exports.OWNER_SECURITY_INFORMATION | exports.DACL_SECURITY_INFORMATION, sd)) {
        throw new win32_errors_1.Win32Error('SetFileSecurityW', w.kernel32.GetLastError(), file);
    }
}
/** Create the folder `dir` (its parent must exist) with `sd` as its descriptor: no moment with another ACL. */
function createDirectoryWithSecurity(w, dir, sd) {
    const sa = Buffer.alloc(structs_1.SECURITY_ATTRIBUTES.size);
    (0, layout_2.writeStruct)(structs_1.SECURITY_ATTRIBUTES, sa, 0, { nLength: structs_1.SECURITY_ATTRIBUTES.size, lpSecurityDescriptor: w.memory.addressOf(sd), bInheritHandle: 0 });
    if (!w.kernel32.CreateDirectoryW((0, utf16_1.wideZ)(dir), sa))
        throw new win32_errors_1.Win32Error('CreateDirectoryW', w.kernel32.GetLastError(), dir);
}
//# sourceMappingURL=file-security.js.map