"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// Security descriptors as bytes and the rule that judges them, on Linux, against bytes Wine's advapi32
// produced (GetFileSecurityW of a folder and a file in C:\ProgramData, and
// ConvertStringSecurityDescriptorToSecurityDescriptorW of the SDDL shown; Wine 8.0, captured 2026-12-06 with
// the Windows node.exe and koffi). The same comparison runs live under Wine in wine-platform.test.ts.
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const acl_rule_1 = require("../../../src/platform/windows/acl-rule");
const security_descriptor_1 = require("../../../src/platform/windows/security-descriptor");
const WINE_USER = 'S-1-5-21-0-0-0-1000';
const hex = (s) => Buffer.from(s, 'hex');
/** GetFileSecurityW(OWNER|DACL) of a folder Node made in C:\ProgramData under Wine: O:<wine user>D:(A;OICI;FA;;;SY)(A;OICI;FA;;;<wine user>)(A;OICI;0x1200a9;;;WD). */
const WINE_FOLDER = hex('0100048014000000000000000000000030000000010500000000000515000000000000000000000000000000e8030000020054000300000000031400ff011f0001010000000000051200000000032400ff011f00010500000000000515000000000000000000000000000000e803000000031400a9001200010100000000000100000000');
/** The same for a file in it: the same entries without inheritance flags. */
const WINE_FILE = hex('0100048014000000000000000000000030000000010500000000000515000000000000000000000000000000e8030000020054000300000000001400ff011f0001010000000000051200000000002400ff011f00010500000000000515000000000000000000000000000000e803000000001400a9001200010100000000000100000000');
/** SDDL O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;S-1-5-21-0-0-0-1000), converted by Wine. */
const SDDL_PROTECTED_FOLDER = hex('010004901400000000000000000000002400000001020000000000052000000020020000020058000300000000031400ff011f0001010000000000051200000000031800ff011f000102000000000005200000002002000000032400ff011f00010500000000000515000000000000000000000000000000e8030000');
/** SDDL O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA). */
const SDDL_PROTECTED_FILE = hex('010004901400000000000000000000002400000001020000000000052000000020020000020034000200000000001400ff011f0001010000000000051200000000001800ff011f0001020000000000052000000020020000');
/** SDDL O:S-1-5-21-1-2-3-1001D:AI(D;;FA;;;AN)(A;OICIIO;FA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;0x116;;;BU): someone else's folder. */
const SDDL_SOMEONE_ELSES = hex('0100048414000000000000000000000030000000010500000000000515000000010000000200000003000000e9030000020060000400000001001400ff011f00010100000000000507000000000b1400ff011f0001010000000000030000000000131800a900120001020000000000052000000021020000001218001601000001020000000000052000000021020000');
const trusted = (0, acl_rule_1.trustedSids)(['S-1-5-21-1-2-3-1001']);
describe('platform/windows security descriptors (bytes from Wine)', () => {
    it('reads what GetFileSecurityW returned for a folder and a file: owner, entries, flags, masks', () => {
        const folder = (0, security_descriptor_1.decodeSecurityDescriptor)(WINE_FOLDER);
        node_assert_1.strict.equal(folder.owner, WINE_USER);
        node_assert_1.strict.equal(folder.control & security_descriptor_1.SE_DACL_PROTECTED, 0);
        node_assert_1.strict.deepEqual(folder.dacl, [
            { type: 0, flags: 3, mask: 0x1f01ff, sid: 'S-1-5-18' },
            { type: 0, flags: 3, mask: 0x1f01ff, sid: WINE_USER },
            { type: 0, flags: 3, mask: 0x1200a9, sid: 'S-1-1-0' },
        ]);
        node_assert_1.strict.deepEqual((0, security_descriptor_1.decodeSecurityDescriptor)(WINE_FILE).dacl.map((a) => a.flags), [0, 0, 0]);
    });
    it('writes the descriptor install sets byte for byte as Windows\' own SDDL conversion lays it out', () => {
        node_assert_1.strict.deepEqual((0, acl_rule_1.protectedDescriptor)({ serviceSid: WINE_USER, container: true }), SDDL_PROTECTED_FOLDER);
        node_assert_1.strict.deepEqual((0, acl_rule_1.protectedDescriptor)({ container: false }), SDDL_PROTECTED_FILE);
        // SYSTEM or Administrators as the "service account" adds no second entry for them.
        node_assert_1.strict.deepEqual((0, acl_rule_1.protectedDescriptor)({ serviceSid: 'S-1-5-18', container: false }), SDDL_PROTECTED_FILE);
        const back = (0, security_descriptor_1.decodeSecurityDescriptor)(SDDL_PROTECTED_FOLDER);
        node_assert_1.strict.deepEqual((0, security_descriptor_1.encodeSecurityDescriptor)({ owner: back.owner, dacl: back.dacl, protected: true }), SDDL_PROTECTED_FOLDER, 'round trip');
    });
    it('the rule: install\'s descriptor passes; the Wine folder as Node made it does not (Everyone may read)', () => {
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(SDDL_PROTECTED_FOLDER), { trusted: (0, acl_rule_1.trustedSids)([WINE_USER]) }), []);
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(WINE_FOLDER), { trusted: (0, acl_rule_1.trustedSids)([WINE_USER]) }), ['has an entry (A;OICI;0x1200a9;;;WD) that gives Everyone (S-1-1-0) read and execute']);
        // bridge.pub: others may read it (its 0644 on Linux), so the same entry passes there.
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(WINE_FILE), { trusted: (0, acl_rule_1.trustedSids)([WINE_USER]), othersMayRead: true }), []);
        // Without the Wine user trusted, its ownership and entry count too.
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(WINE_FILE), { trusted: (0, acl_rule_1.trustedSids)([]), othersMayRead: true }), [
            'is owned by S-1-5-21-0-0-0-1000, not by SYSTEM, Administrators or the service account',
            'has an entry (A;;FA;;;S-1-5-21-0-0-0-1000) that gives S-1-5-21-0-0-0-1000 full control',
        ]);
    });
    it('someone else\'s folder: its owner, CREATOR OWNER on what is made in it, Users; a deny entry never counts', () => {
        const sd = (0, security_descriptor_1.decodeSecurityDescriptor)(SDDL_SOMEONE_ELSES);
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)(sd, { trusted: (0, acl_rule_1.trustedSids)([]), lookup: (s) => (s === 'S-1-5-21-1-2-3-1001' ? 'HOST1\\mallory' : undefined) }), [
            'is owned by HOST1\\mallory (S-1-5-21-1-2-3-1001), not by SYSTEM, Administrators or the service account',
            'has an entry (A;OICIIO;FA;;;CO) that gives CREATOR OWNER (S-1-3-0) full control on what is created inside it',
            'has an entry (A;OICIID;0x1200a9;;;BU) that gives Users (S-1-5-32-545) read and execute',
            'has an entry (A;CIID;0x116;;;BU) that gives Users (S-1-5-32-545) the rights 0x116',
        ]);
        // With that account trusted (it is the service account), only the others remain.
        node_assert_1.strict.equal((0, acl_rule_1.aclProblems)(sd, { trusted }).length, 3);
    });
    it('no DACL at all is everyone may do everything; an entry type the rule does not know counts; a zero mask does not', () => {
        const noDacl = Buffer.from(SDDL_PROTECTED_FILE.subarray(0, 36)); // header and owner
        noDacl.writeUInt16LE(0x8000, 2); // self-relative, no SE_DACL_PRESENT
        noDacl.writeUInt32LE(0, 16);
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(noDacl), { trusted }), ['has no DACL, which lets everyone do everything']);
        const odd = (0, security_descriptor_1.encodeSecurityDescriptor)({ owner: 'S-1-5-32-544', protected: true, dacl: [{ type: 0, flags: 0, mask: 0, sid: 'S-1-1-0' }] });
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(odd), { trusted }), []);
        odd[odd.readUInt32LE(16) + 8] = 3; // the ACE's type: SYSTEM_ALARM (never in a DACL)
        node_assert_1.strict.deepEqual((0, acl_rule_1.aclProblems)((0, security_descriptor_1.decodeSecurityDescriptor)(odd), { trusted }), ['has an entry (type3;;0x0;;;WD) of a kind pwbridge does not judge (type 3)']);
    });
    it('an object ACE (ACCESS_ALLOWED_OBJECT, two GUIDs) is read past its GUIDs to its SID, and counts', () => {
        const sid = Buffer.from('010100000000000100000000', 'hex'); // S-1-1-0
        const ace = Buffer.concat([Buffer.from([5, 0]), Buffer.alloc(2), Buffer.from('00010000', 'hex'), Buffer.from('03000000', 'hex'), Buffer.alloc(32, 7), sid]);
        ace.writeUInt16LE(ace.length, 2);
        const acl = Buffer.concat([Buffer.from([2, 0]), Buffer.alloc(2), Buffer.from([1, 0, 0, 0]), ace]);
        acl.writeUInt16LE(acl.length, 2);
        const owner = Buffer.from('01020000000000052000000020020000', 'hex');
        const head = Buffer.alloc(20);
        head[0] = 1;
        head.writeUInt16LE(0x8004, 2);
        head.writeUInt32LE(20, 4);
        head.writeUInt32LE(20 + owner.length, 16);
        const sd = (0, security_descriptor_1.decodeSecurityDescriptor)(Buffer.concat([head, owner, acl]));
        node_assert_1.strict.deepEqual(sd.dacl, [{ type: 5, flags: 0, mask: 0x100, sid: 'S-1-1-0' }]);
        node_assert_1.strict.equal((0, acl_rule_1.aclProblems)(sd, { trusted }).length, 1);
    });
    it('refuses what is not a self-relative descriptor, and any bytes at all end in a descriptor or a SecurityDescriptorError', () => {
        node_assert_1.strict.throws(() => (0, security_descriptor_1.decodeSecurityDescriptor)(Buffer.alloc(10)), /shorter than its 20-byte header/);
        node_assert_1.strict.throws(() => (0, security_descriptor_1.decodeSecurityDescriptor)(Buffer.from(SDDL_PROTECTED_FILE).fill(2, 0, 1)), /revision 2/);
        const absolute = Buffer.from(SDDL_PROTECTED_FILE);
        absolute.writeUInt16LE(0x1004, 2);
        node_assert_1.strict.throws(() => (0, security_descriptor_1.decodeSecurityDescriptor)(absolute), /not in self-relative form/);
        node_assert_1.strict.throws(() => (0, security_descriptor_1.decodeSecurityDescriptor)(SDDL_PROTECTED_FILE.subarray(0, 50)), security_descriptor_1.SecurityDescriptorError);
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.uint8Array({ minLength: 0, maxLength: 160 }), fast_check_1.default.nat(SDDL_PROTECTED_FOLDER.length), (noise, cut) => {
            for (const b of [Buffer.from(noise), Buffer.concat([SDDL_PROTECTED_FOLDER.subarray(0, cut), Buffer.from(noise)])]) {
                try {
                    (0, security_descriptor_1.decodeSecurityDescriptor)(b);
                }
                catch (e) {
                    node_assert_1.strict.ok(e instanceof security_descriptor_1.SecurityDescriptorError, e.message);
                }
            }
        }), { numRuns: 2000 });
    });
    it('names SIDs for messages: well-known ones by name, others by lookup, else the SID alone', () => {
        node_assert_1.strict.equal((0, acl_rule_1.describeSid)('S-1-1-0'), 'Everyone (S-1-1-0)');
        node_assert_1.strict.equal((0, acl_rule_1.describeSid)('S-1-5-21-9-9-9-1234', () => 'HOST1\\eve'), 'HOST1\\eve (S-1-5-21-9-9-9-1234)');
        node_assert_1.strict.equal((0, acl_rule_1.describeSid)('S-1-5-21-9-9-9-1234', () => undefined), 'S-1-5-21-9-9-9-1234');
    });
});
//# sourceMappingURL=security-descriptor.test.js.map