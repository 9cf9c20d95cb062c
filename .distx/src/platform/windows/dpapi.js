"use strict";
// DPAPI: CryptProtectData / CryptUnprotectData through the binding, for secrets pwbridge keeps on disk
// on Windows (the hub's agent token). Machine scope: `pwbridge setup` runs as an administrator and the
// service as its own account, and a user-scope blob could be opened only by the user who made it. A
// machine-scope blob opens for any process on this machine and no other, so the file's ACL is what keeps
// other local users out (dpapi-token.ts sets it before the blob is written). The entropy ties a blob to
// its use: a blob made for another purpose does not open as a token.
Object.defineProperty(exports, "__esModule", { value: true });
exports.protectForMachine = protectForMachine;
exports.unprotect = unprotect;
const layout_1 = require("./layout");
const structs_1 = require("./structs");
const win32_errors_1 = require("./win32-errors");
/** dpapi.h */
const CRYPTPROTECT_UI_FORBIDDEN = 0x1;
const CRYPTPROTECT_LOCAL_MACHINE = 0x4;
/** A DATA_BLOB pointing at `data` (which the caller keeps referenced until the call returns). */
function blobOf(w, data) {
    const b = Buffer.alloc(structs_1.DATA_BLOB.size);
    // A zero-length Buffer may have no address of its own: NULL with cbData 0 is what DPAPI expects then.
    (0, layout_1.writeStruct)(structs_1.DATA_BLOB, b, 0, { cbData: data.length, pbData: data.length ? w.memory.addressOf(data) : 0n });
    return b;
}
/**
 * Copies the output blob into a Buffer and gives its memory back to Windows; `secret`: zero it first, so
 * the plaintext does not stay in the freed heap block.
 */
function takeBlob(w, out, call, secret) {
    const len = (0, layout_1.readU32)(structs_1.DATA_BLOB, out, 0, 'cbData');
    const p = (0, layout_1.readPtr)(structs_1.DATA_BLOB, out, 0, 'pbData');
    if (p === 0n)
        throw new Error(`${call} succeeded but returned no data`);
    try {
        // A copy of our own: koffi's view of the block would be zeroed and freed with it below.
        return Buffer.from(w.memory.read(p, len));
    }
    finally {
        if (secret)
            w.kernel32.RtlZeroMemory(p, len);
        if (w.kernel32.LocalFree(p) !== null)
            throw new win32_errors_1.Win32Error('LocalFree', w.kernel32.GetLastError(), call);
    }
}
/** `plain` encrypted for this machine (machine scope) with `entropy`; the caller wipes `plain`. */
function protectForMachine(w, plain, entropy) {
    const input = blobOf(w, plain);
    const ent = blobOf(w, entropy);
    const out = Buffer.alloc(structs_1.DATA_BLOB.size);
    const ok = w.crypt32.CryptProtectData(input, null, ent, null, null, CRYPTPROTECT_UI_FORBIDDEN | CRYPTPROTECT_LOCAL_MACHINE, out);
    if (!ok)
        throw new win32_errors_1.Win32Error('CryptProtectData', w.kernel32.GetLastError());
    void plain;
    void entropy; // referenced until here: their addresses were in the blobs
    return takeBlob(w, out, 'CryptProtectData', false);
}
/** The plaintext of a blob made by protectForMachine on this machine with the same entropy. The caller wipes it. */
function unprotect(w, blob, entropy) {
    const input = blobOf(w, blob);
    const ent = blobOf(w, entropy);
    const out = Buffer.alloc(structs_1.DATA_BLOB.size);
    const ok = w.crypt32.CryptUnprotectData(input, null, ent, null, null, CRYPTPROTECT_UI_FORBIDDEN, out);
    if (!ok)
        throw new win32_errors_1.Win32Error('CryptUnprotectData', w.kernel32.GetLastError());
    void blob;
    void entropy;
    return takeBlob(w, out, 'CryptUnprotectData', true);
}
//# sourceMappingURL=dpapi.js.map