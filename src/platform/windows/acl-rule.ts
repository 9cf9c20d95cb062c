// Who may own and open pwbridge's files on Windows, as one pure rule: the owner must be SYSTEM,
// Administrators or the service account, and no allow entry may name anyone else, with one exception:
// a public file (bridge.pub) may be read by anyone, as its 0644 is on Linux. Deny entries only take
// rights away, so they never count against a file; an entry type this rule does not know counts.
// The descriptor install sets (protectedDescriptor) is the one this rule accepts with nobody else in it.

import {
  ACCESS_ALLOWED_ACE_TYPE, ALLOW_ACE_TYPES, CONTAINER_INHERIT_ACE, DENY_ACE_TYPES, FILE_ALL_ACCESS, INHERIT_ONLY_ACE,
  INHERITED_ACE, OBJECT_INHERIT_ACE, encodeSecurityDescriptor, type Ace, type SecurityDescriptor,
} from './security-descriptor';
import { ADMINISTRATORS_SID } from './sid';

export const SYSTEM_SID = 'S-1-5-18';

/** What reading a file asks for (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE, and their generic forms). */
const READ_ONLY_RIGHTS = 0x0012_00a9 | 0x8000_0000 | 0x2000_0000;

/** Names and SDDL aliases of the SIDs a message is likely to show; others are looked up or shown as SIDs. */
export const WELL_KNOWN_SIDS: Readonly<Record<string, { name: string; alias: string }>> = {
  'S-1-1-0': { name: 'Everyone', alias: 'WD' },
  'S-1-3-0': { name: 'CREATOR OWNER', alias: 'CO' },
  'S-1-3-4': { name: 'OWNER RIGHTS', alias: 'OW' },
  'S-1-5-4': { name: 'INTERACTIVE', alias: 'IU' },
  'S-1-5-7': { name: 'ANONYMOUS LOGON', alias: 'AN' },
  'S-1-5-11': { name: 'Authenticated Users', alias: 'AU' },
  [SYSTEM_SID]: { name: 'SYSTEM', alias: 'SY' },
  'S-1-5-19': { name: 'LOCAL SERVICE', alias: 'LS' },
  'S-1-5-20': { name: 'NETWORK SERVICE', alias: 'NS' },
  [ADMINISTRATORS_SID]: { name: 'Administrators', alias: 'BA' },
  'S-1-5-32-545': { name: 'Users', alias: 'BU' },
  'S-1-5-32-546': { name: 'Guests', alias: 'BG' },
  'S-1-5-32-547': { name: 'Power Users', alias: 'PU' },
};

/** How a message names a SID: "Everyone (S-1-1-0)", or the looked-up name, or the SID alone. */
export type SidNamer = (sid: string) => string | undefined;

export function describeSid(sid: string, lookup?: SidNamer): string {
  const name = WELL_KNOWN_SIDS[sid]?.name ?? lookup?.(sid);
  return name ? `${name} (${sid})` : sid;
}

const RIGHTS_WORDS: ReadonlyArray<[number, string, string]> = [
  [FILE_ALL_ACCESS, 'FA', 'full control'],
  [0x1000_0000, 'GA', 'full control'],
  [0x0013_01bf, '0x1301bf', 'modify'],
  [0x0012_0089, 'FR', 'read'],
  [0x0012_00a9, '0x1200a9', 'read and execute'],
  [0x0012_0116, 'FW', 'write'],
];

function rightsWords(mask: number): string {
  return RIGHTS_WORDS.find(([m]) => m === mask)?.[2] ?? `the rights 0x${mask.toString(16)}`;
}

/** One ACE as SDDL shows it, e.g. (A;OICI;FA;;;WD): what an administrator sees in `icacls` or PowerShell. */
export function aceSddl(a: Ace): string {
  const type = a.type === ACCESS_ALLOWED_ACE_TYPE ? 'A' : a.type === 1 ? 'D' : `type${a.type}`;
  const flags = [[OBJECT_INHERIT_ACE, 'OI'], [CONTAINER_INHERIT_ACE, 'CI'], [0x04, 'NP'], [INHERIT_ONLY_ACE, 'IO'], [INHERITED_ACE, 'ID']]
    .filter(([bit]) => (a.flags & (bit as number)) !== 0).map(([, s]) => s).join('');
  const rights = RIGHTS_WORDS.find(([m]) => m === a.mask)?.[1] ?? `0x${a.mask.toString(16)}`;
  return `(${type};${flags};${rights};;;${WELL_KNOWN_SIDS[a.sid]?.alias ?? a.sid})`;
}

export interface WhoMay {
  /** The SIDs that may own and open the file: SYSTEM, Administrators, the service account. */
  trusted: ReadonlySet<string>;
  /** bridge.pub: others may read it (not write it). */
  othersMayRead?: boolean;
  lookup?: SidNamer;
}

export function trustedSids(serviceSids: ReadonlyArray<string | undefined>): Set<string> {
  return new Set([SYSTEM_SID, ADMINISTRATORS_SID, ...serviceSids.filter((s): s is string => s !== undefined)]);
}

/** Everything that lets someone else than the trusted SIDs own or open the file; empty when nobody else can. */
export function aclProblems(sd: SecurityDescriptor, rule: WhoMay): string[] {
  const problems: string[] = [];
  const who = (sid: string) => describeSid(sid, rule.lookup);
  if (sd.owner === undefined) problems.push('has no owner');
  else if (!rule.trusted.has(sd.owner)) problems.push(`is owned by ${who(sd.owner)}, not by SYSTEM, Administrators or the service account`);
  if (sd.dacl === null) {
    problems.push('has no DACL, which lets everyone do everything');
    return problems;
  }
  for (const ace of sd.dacl) {
    if (DENY_ACE_TYPES.has(ace.type)) continue;
    if (!ALLOW_ACE_TYPES.has(ace.type)) {
      problems.push(`has an entry ${aceSddl(ace)} of a kind pwbridge does not judge (type ${ace.type})`);
      continue;
    }
    if (rule.trusted.has(ace.sid) || ace.mask === 0) continue;
    if (rule.othersMayRead && (ace.mask & ~READ_ONLY_RIGHTS) === 0) continue;
    const inheritOnly = (ace.flags & INHERIT_ONLY_ACE) !== 0 ? ' on what is created inside it' : '';
    problems.push(`has an entry ${aceSddl(ace)} that gives ${who(ace.sid)} ${rightsWords(ace.mask)}${inheritOnly}`);
  }
  return problems;
}

/**
 * What install sets on the data dir and everything in it: owner Administrators, a protected DACL (nothing
 * inherited from %ProgramData%) with full control for SYSTEM, Administrators and the service account. On a
 * folder the entries are inherited by what is created inside it later (the service's files).
 */
export function protectedDescriptor(o: { serviceSid?: string; container: boolean }): Buffer {
  const flags = o.container ? OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE : 0;
  const sids = [SYSTEM_SID, ADMINISTRATORS_SID, ...(o.serviceSid && o.serviceSid !== SYSTEM_SID && o.serviceSid !== ADMINISTRATORS_SID ? [o.serviceSid] : [])];
  return encodeSecurityDescriptor({
    owner: ADMINISTRATORS_SID,
    protected: true,
    dacl: sids.map((sid) => ({ type: ACCESS_ALLOWED_ACE_TYPE, flags, mask: FILE_ALL_ACCESS, sid })),
  });
}
