"use strict";
// What pwbridge needs to know about the filter DLL without Windows: is it a 64-bit PE image, and does it
// carry an Authenticode signature (a certificate table, PE data directory 4, with a PKCS#7 entry)?
// Whether that signature is valid, and whether it is one LSA protection accepts (Microsoft's, for a
// protected lsass), only Windows can say: lsass itself, when it loads the DLL at boot.
Object.defineProperty(exports, "__esModule", { value: true });
exports.IMAGE_FILE_MACHINE_ARM64 = exports.IMAGE_FILE_MACHINE_AMD64 = void 0;
exports.readPeInfo = readPeInfo;
exports.is64BitImage = is64BitImage;
exports.IMAGE_FILE_MACHINE_AMD64 = 0x8664;
exports.IMAGE_FILE_MACHINE_ARM64 = 0xaa64;
const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002;
/** Parse just enough of a PE file; throws a plain message for anything that is not one. */
function readPeInfo(bytes) {
    const fail = (why) => { throw new Error(`not a Windows DLL: ${why}`); };
    if (bytes.length < 0x40 || bytes.toString('latin1', 0, 2) !== 'MZ')
        fail('no MZ header');
    const pe = bytes.readUInt32LE(0x3c);
    if (pe + 24 > bytes.length || bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0')
        fail('no PE signature');
    const machine = bytes.readUInt16LE(pe + 4);
    const optSize = bytes.readUInt16LE(pe + 20);
    const opt = pe + 24;
    if (opt + optSize > bytes.length || optSize < 2)
        fail('truncated optional header');
    const magic = bytes.readUInt16LE(opt);
    if (magic !== 0x10b && magic !== 0x20b)
        fail(`unknown optional header magic 0x${magic.toString(16)}`);
    const pe32Plus = magic === 0x20b;
    const countAt = opt + (pe32Plus ? 108 : 92);
    const dirs = opt + (pe32Plus ? 112 : 96);
    let signed = false;
    if (countAt + 4 <= opt + optSize && bytes.readUInt32LE(countAt) > 4 && dirs + 5 * 8 <= opt + optSize) {
        // The security directory's "virtual address" is a file offset (it is not mapped).
        const certAt = bytes.readUInt32LE(dirs + 4 * 8);
        const certSize = bytes.readUInt32LE(dirs + 4 * 8 + 4);
        if (certSize >= 8 && certAt + 8 <= bytes.length) {
            const length = bytes.readUInt32LE(certAt);
            const type = bytes.readUInt16LE(certAt + 6);
            signed = length >= 8 && length <= certSize && type === WIN_CERT_TYPE_PKCS_SIGNED_DATA;
        }
    }
    return { machine, pe32Plus, signed };
}
function is64BitImage(info) {
    return info.pe32Plus && (info.machine === exports.IMAGE_FILE_MACHINE_AMD64 || info.machine === exports.IMAGE_FILE_MACHINE_ARM64);
}
//# sourceMappingURL=pe-file.js.map