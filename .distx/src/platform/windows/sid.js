"use strict";
// Security identifiers: the binary form Windows passes around and the S-1-… string the registry holds
// (ServiceSid, which the filter compares with the pipe server's token). Both directions are here in
// TypeScript, so the conversion is tested without Windows (ConvertSidToStringSidW does the same).
//   revision (1 byte) · sub-authority count (1) · identifier authority (6, big-endian) · sub-authorities (4 each, little-endian)
Object.defineProperty(exports, "__esModule", { value: true });
exports.ADMINISTRATORS_SID = exports.SECURITY_MAX_SID_SIZE = void 0;
exports.sidToString = sidToString;
exports.sidFromString = sidFromString;
exports.SECURITY_MAX_SID_SIZE = 68;
function sidToString(sid) {
    if (sid.length < 8)
        throw new Error('SID: shorter than 8 bytes');
    const revision = sid[0];
    const count = sid[1];
    if (revision !== 1 || count > 15 || sid.length < 8 + count * 4)
        throw new Error('SID: not a revision-1 SID of its stated length');
    const authority = sid.readUIntBE(2, 6);
    const auth = authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
    const subs = [];
    for (let i = 0; i < count; i++)
        subs.push(sid.readUInt32LE(8 + i * 4));
    return ['S', revision, auth, ...subs].join('-');
}
function sidFromString(s) {
    const m = /^S-1-(0x[0-9A-Fa-f]{12}|\d+)((?:-\d+)*)$/.exec(s);
    if (!m)
        throw new Error(`not a SID: ${JSON.stringify(s)}`);
    const authority = m[1].startsWith('0x') ? parseInt(m[1].slice(2), 16) : Number(m[1]);
    const subs = m[2] ? m[2].slice(1).split('-').map(Number) : [];
    if (authority >= 2 ** 48 || subs.length > 15 || subs.some((n) => n > 0xffff_ffff))
        throw new Error(`not a SID: ${JSON.stringify(s)}`);
    const b = Buffer.alloc(8 + subs.length * 4);
    b[0] = 1;
    b[1] = subs.length;
    b.writeUIntBE(authority, 2, 6);
    subs.forEach((n, i) => b.writeUInt32LE(n, 8 + i * 4));
    return b;
}
/** BUILTIN\Administrators: its name is localized ("Administratoren", "Administrateurs"), its SID is not. */
exports.ADMINISTRATORS_SID = 'S-1-5-32-544';
//# sourceMappingURL=sid.js.map