"use strict";
// Who may own and open pwbridge's files on Windows, as one pure rule: the owner must be SYSTEM,
// Administrators or the service account, and no allow entry may name anyone else, with one exception:
// a public file (bridge.pub) may be read by anyone, as its 0644 is on Linux. Deny entries only take
// rights away, so they never count against a file; an entry type this rule does not know counts.
// The descriptor install sets (protectedDescriptor) is the one this rule accepts with nobody else in it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.WELL_KNOWN_SIDS = exports.SYSTEM_SID = void 0;
exports.describeSid = describeSid;
exports.aceSddl = aceSddl;
exports.trustedSids = trustedSids;
exports.aclProblems = aclProblems;
exports.protectedDescriptor = protectedDescriptor;
const security_descriptor_1 = require("./security-descriptor");
const sid_1 = require("./sid");
exports.SYSTEM_SID = 'S-1-5-18';
/** What reading a file asks for (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE, and their generic forms). */
const READ_ONLY_RIGHTS = 0x0012_00a9 | 0x8000_0000 | 0x2000_0000;
/** Names and SDDL aliases of the SIDs a message is likely to show; others are looked up or shown as SIDs. */
exports.WELL_KNOWN_SIDS = {
    'S-1-1-0': { name: 'Everyone', alias: 'WD' },
    'S-1-3-0': { name: 'CREATOR OWNER', alias: 'CO' },
    'S-1-3-4': { name: 'OWNER RIGHTS', alias: 'OW' },
    'S-1-5-4': { name: 'INTERACTIVE', alias: 'IU' },
    'S-1-5-7': { name: 'ANONYMOUS LOGON', alias: 'AN' },
    'S-1-5-11': { name: 'Authenticated Users', alias: 'AU' },
    [exports.SYSTEM_SID]: { name: 'SYSTEM', alias: 'SY' },
    'S-1-5-19': { name: 'LOCAL SERVICE', alias: 'LS' },
    'S-1-5-20': { name: 'NETWORK SERVICE', alias: 'NS' },
    [sid_1.ADMINISTRATORS_SID]: { name: 'Administrators', alias: 'BA' },
    'S-1-5-32-545': { name: 'Users', alias: 'BU' },
    'S-1-5-32-546': { name: 'Guests', alias: 'BG' },
    'S-1-5-32-547': { name: 'Power Users', alias: 'PU' },
};
function describeSid(sid, lookup) {
    const name = exports.WELL_KNOWN_SIDS[sid]?.name ?? lookup?.(sid);
    return name ? `${name} (${sid})` : sid;
}
const RIGHTS_WORDS = [
    [security_descriptor_1.FILE_ALL_ACCESS, 'FA', 'full control'],
    [0x1000_0000, 'GA', 'full control'],
    [0x0013_01bf, '0x1301bf', 'modify'],
    [0x0012_0089, 'FR', 'read'],
    [0x0012_00a9, '0x1200a9', 'read and execute'],
    [0x0012_0116, 'FW', 'write'],
];
function rightsWords(mask) {
    return RIGHTS_WORDS.find(([m]) => m === mask)?.[2] ?? `the rights 0x${mask.toString(16)}`;
}
/** One ACE as SDDL shows it, e.g. (A;OICI;FA;;;WD): what an administrator sees in `icacls` or PowerShell. */
function aceSddl(a) {
    const type = a.type === security_descriptor_1.ACCESS_ALLOWED_ACE_TYPE ? 'A' : a.type === 1 ? 'D' : `type${a.type}`;
    const flags = [[security_descriptor_1.OBJECT_INHERIT_ACE, 'OI'], [security_descriptor_1.CONTAINER_INHERIT_ACE, 'CI'], [0x04, 'NP'], [security_descriptor_1.INHERIT_ONLY_ACE, 'IO'], [security_descriptor_1.INHERITED_ACE, 'ID']]
        .filter(([bit]) => (a.flags & bit) !== 0).map(([, s]) => s).join('');
    const rights = RIGHTS_WORDS.find(([m]) => m === a.mask)?.[1] ?? `0x${a.mask.toString(16)}`;
    return `(${type};${flags};${rights};;;${exports.WELL_KNOWN_SIDS[a.sid]?.alias ?? a.sid})`;
}
function trustedSids(serviceSids) {
    return new Set([exports.SYSTEM_SID, sid_1.ADMINISTRATORS_SID, ...serviceSids.filter((s) => s !== undefined)]);
}
/** Everything that lets someone else than the trusted SIDs own or open the file; empty when nobody else can. */
function aclProblems(sd, rule) {
    const problems = [];
    const who = (sid) => describeSid(sid, rule.lookup);
    if (sd.owner === undefined)
        problems.push('has no owner');
    else if (!rule.trusted.has(sd.owner))
        problems.push(`is owned by ${who(sd.owner)}, not by SYSTEM, Administrators or the service account`);
    if (sd.dacl === null) {
        problems.push('has no DACL, which lets everyone do everything');
        return problems;
    }
    for (const ace of sd.dacl) {
        if (security_descriptor_1.DENY_ACE_TYPES.has(ace.type))
            continue;
        if (!security_descriptor_1.ALLOW_ACE_TYPES.has(ace.type)) {
            problems.push(`has an entry ${aceSddl(ace)} of a kind pwbridge does not judge (type ${ace.type})`);
            continue;
        }
        if (rule.trusted.has(ace.sid) || ace.mask === 0)
            continue;
        if (rule.othersMayRead && (ace.mask & ~READ_ONLY_RIGHTS) === 0)
            continue;
        const inheritOnly = (ace.flags & security_descriptor_1.INHERIT_ONLY_ACE) !== 0 ? ' on what is created inside it' : '';
        problems.push(`has an entry ${aceSddl(ace)} that gives ${who(ace.sid)} ${rightsWords(ace.mask)}${inheritOnly}`);
    }
    return problems;
}
/**
 * What install sets on the data dir and everything in it: owner Administrators, a protected DACL (nothing
 * inherited from %ProgramData%) with full control for SYSTEM, Administrators and the service account. On a
 * folder the entries are inherited by what is created inside it later (the service's files).
 */
function protectedDescriptor(o) {
    const flags = o.container ? security_descriptor_1.OBJECT_INHERIT_ACE | security_descriptor_1.CONTAINER_INHERIT_ACE : 0;
    const sids = [exports.SYSTEM_SID, sid_1.ADMINISTRATORS_SID, ...(o.serviceSid && o.serviceSid !== exports.SYSTEM_SID && o.serviceSid !== sid_1.ADMINISTRATORS_SID ? [o.serviceSid] : [])];
    return (0, security_descriptor_1.encodeSecurityDescriptor)({
        owner: sid_1.ADMINISTRATORS_SID,
        protected: true,
        dacl: sids.map((sid) => ({ type: security_descriptor_1.ACCESS_ALLOWED_ACE_TYPE, flags, mask: security_descriptor_1.FILE_ALL_ACCESS, sid })),
    });
}
//# sourceMappingURL=acl-rule.js.map