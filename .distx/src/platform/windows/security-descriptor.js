"use strict";
// Security descriptors as bytes: the self-relative form GetFileSecurityW returns and SetFileSecurityW and
// CreateDirectoryW take. Read and written here in TypeScript, so the rule that judges them (acl-rule.ts)
// and the descriptor install sets are tested on Linux against bytes Windows (Wine) produced.
//
//   SECURITY_DESCRIPTOR_RELATIVE: Revision 1 · Sbz1 · Control (2) · OffsetOwner · OffsetGroup · OffsetSacl · OffsetDacl (4 each)
//   ACL: AclRevision · Sbz1 · AclSize (2) · AceCount (2) · Sbz2 (2), then the ACEs
//   ACE: AceType · AceFlags · AceSize (2) · Mask (4) · [object ACEs: Flags (4), up to two GUIDs] · SID
Object.defineProperty(exports, "__esModule", { value: true });
exports.SecurityDescriptorError = exports.FILE_ALL_ACCESS = exports.DENY_ACE_TYPES = exports.ALLOW_ACE_TYPES = exports.ACCESS_DENIED_ACE_TYPE = exports.ACCESS_ALLOWED_ACE_TYPE = exports.INHERITED_ACE = exports.INHERIT_ONLY_ACE = exports.NO_PROPAGATE_INHERIT_ACE = exports.CONTAINER_INHERIT_ACE = exports.OBJECT_INHERIT_ACE = exports.SE_SELF_RELATIVE = exports.SE_DACL_PROTECTED = exports.SE_DACL_PRESENT = void 0;
exports.decodeSecurityDescriptor = decodeSecurityDescriptor;
exports.encodeSecurityDescriptor = encodeSecurityDescriptor;
const sid_1 = require("./sid");
exports.SE_DACL_PRESENT = 0x0004;
exports.SE_DACL_PROTECTED = 0x1000;
exports.SE_SELF_RELATIVE = 0x8000;
exports.OBJECT_INHERIT_ACE = 0x01;
exports.CONTAINER_INHERIT_ACE = 0x02;
exports.NO_PROPAGATE_INHERIT_ACE = 0x04;
exports.INHERIT_ONLY_ACE = 0x08;
exports.INHERITED_ACE = 0x10;
exports.ACCESS_ALLOWED_ACE_TYPE = 0;
exports.ACCESS_DENIED_ACE_TYPE = 1;
/** Allow types: plain, object, callback, callback object. Each grants its SID what its mask says. */
exports.ALLOW_ACE_TYPES = new Set([0, 5, 9, 11]);
/** Deny types: they only take rights away, so they never make a file less private. */
exports.DENY_ACE_TYPES = new Set([1, 6, 10, 12]);
const OBJECT_ACE_TYPES = new Set([5, 6, 7, 8, 11, 12, 15, 16]);
/** FILE_ALL_ACCESS: what "full control" is on a file or folder. */
exports.FILE_ALL_ACCESS = 0x001f_01ff;
class SecurityDescriptorError extends Error {
    constructor(detail) {
        super(`security descriptor: ${detail}`);
        this.name = 'SecurityDescriptorError';
    }
}
exports.SecurityDescriptorError = SecurityDescriptorError;
function sidAt(buf, offset, what) {
    if (offset + 8 > buf.length)
        throw new SecurityDescriptorError(`${what} SID at ${offset} runs past the end (${buf.length} bytes)`);
    const length = 8 + buf[offset + 1] * 4;
    if (offset + length > buf.length)
        throw new SecurityDescriptorError(`${what} SID at ${offset} runs past the end (${buf.length} bytes)`);
    try {
        return (0, sid_1.sidToString)(buf.subarray(offset, offset + length));
    }
    catch (e) {
        throw new SecurityDescriptorError(`${what}: ${e.message}`);
    }
}
function decodeAcl(buf, offset) {
    if (offset + 8 > buf.length)
        throw new SecurityDescriptorError(`the DACL at ${offset} runs past the end`);
    const size = buf.readUInt16LE(offset + 2);
    const count = buf.readUInt16LE(offset + 4);
    if (size < 8 || offset + size > buf.length)
        throw new SecurityDescriptorError(`the DACL's size ${size} does not fit in ${buf.length - offset} bytes`);
    const aces = [];
    let at = offset + 8;
    for (let i = 0; i < count; i++) {
        if (at + 8 > offset + size)
            throw new SecurityDescriptorError(`ACE ${i} runs past the DACL`);
        const type = buf[at];
        const flags = buf[at + 1];
        const aceSize = buf.readUInt16LE(at + 2);
        if (aceSize < 12 || at + aceSize > offset + size)
            throw new SecurityDescriptorError(`ACE ${i} has size ${aceSize}, which does not fit`);
        const mask = buf.readUInt32LE(at + 4);
        let sidOffset = at + 8;
        if (OBJECT_ACE_TYPES.has(type)) {
            const objectFlags = buf.readUInt32LE(at + 8);
            sidOffset = at + 12 + (objectFlags & 1 ? 16 : 0) + (objectFlags & 2 ? 16 : 0);
        }
        const ace = buf.subarray(0, at + aceSize); // a SID must end inside its own ACE
        aces.push({ type, flags, mask, sid: sidAt(ace, sidOffset, `ACE ${i}'s`) });
        at += aceSize;
    }
    return aces;
}
/** Read a self-relative security descriptor (owner, group, DACL; the SACL is not asked for and not read). */
function decodeSecurityDescriptor(buf) {
    if (buf.length < 20)
        throw new SecurityDescriptorError(`${buf.length} bytes, shorter than its 20-byte header`);
    if (buf[0] !== 1)
        throw new SecurityDescriptorError(`revision ${buf[0]}, not 1`);
    const control = buf.readUInt16LE(2);
    if ((control & exports.SE_SELF_RELATIVE) === 0)
        throw new SecurityDescriptorError('not in self-relative form');
    const ownerAt = buf.readUInt32LE(4);
    const groupAt = buf.readUInt32LE(8);
    const daclAt = buf.readUInt32LE(16);
    return {
        control,
        owner: ownerAt ? sidAt(buf, ownerAt, 'the owner') : undefined,
        group: groupAt ? sidAt(buf, groupAt, 'the group') : undefined,
        dacl: (control & exports.SE_DACL_PRESENT) && daclAt ? decodeAcl(buf, daclAt) : null,
    };
}
/** A self-relative descriptor with an owner and a DACL (no group, no SACL), in the layout Windows itself writes. */
function encodeSecurityDescriptor(sd) {
    const owner = (0, sid_1.sidFromString)(sd.owner);
    const aces = sd.dacl.map((a) => {
        if (!exports.ALLOW_ACE_TYPES.has(a.type) && !exports.DENY_ACE_TYPES.has(a.type))
            throw new SecurityDescriptorError(`cannot write an ACE of type ${a.type}`);
        if (OBJECT_ACE_TYPES.has(a.type))
            throw new SecurityDescriptorError(`cannot write an object ACE (type ${a.type})`);
        const sid = (0, sid_1.sidFromString)(a.sid);
        const ace = Buffer.alloc(8 + sid.length);
        ace[0] = a.type;
        ace[1] = a.flags;
        ace.writeUInt16LE(ace.length, 2);
        ace.writeUInt32LE(a.mask >>> 0, 4);
        sid.copy(ace, 8);
        return ace;
    });
    const aclSize = 8 + aces.reduce((n, a) => n + a.length, 0);
    const acl = Buffer.alloc(8);
    acl[0] = 2; // ACL_REVISION
    acl.writeUInt16LE(aclSize, 2);
    acl.writeUInt16LE(aces.length, 4);
    const header = Buffer.alloc(20);
    header[0] = 1;
    header.writeUInt16LE(exports.SE_SELF_RELATIVE | exports.SE_DACL_PRESENT | (sd.protected ? exports.SE_DACL_PROTECTED : 0), 2);
    header.writeUInt32LE(20, 4);
    header.writeUInt32LE(20 + owner.length, 16);
    return Buffer.concat([header, owner, acl, ...aces]);
}
//# sourceMappingURL=security-descriptor.js.map