// The event IDs of pwbridge, one table in the core, the single source for: the Windows Event Log's IDs of
// source `pwbridge` (the mapping src/platform/windows/event-sink.ts uses), the hub's metrics (the kinds it
// counts), the README's table (`node dist/src/platform/windows/event-messages.js markdown`), and
// the message table of pwbridge_messages.dll (`… event-messages.js mc` → native/lsa/messages/, compiled by
// mc.exe or windmc), the source's EventMessageFile: Event Viewer shows these texts from it.
//
// Every pwbridge event kind has an ID. Some kinds split by outcome (password-set ok / failed) or, for
// filter-state, by the state the filter entered. A kind this table does not know yet still reaches the
// log, as ID 9000, so nothing is lost; the tests check that every kind the code records has its own.

import type { EventRecord, FilterStateName } from './types';

export type EventLevel = 'information' | 'warning' | 'error';

export interface WindowsEventId {
  id: number;
  /** The symbolic name, for the .mc file (MSG_…). */
  symbol: string;
  /** The pwbridge event kind. */
  kind: string;
  /** Only for this outcome of the kind. */
  outcome?: EventRecord['outcome'];
  /** Only for filter-state events entering this state. */
  filterState?: FilterStateName;
  level: EventLevel;
  /** What it means, for the README and the message file. */
  text: string;
}

export const WINDOWS_EVENT_IDS: readonly WindowsEventId[] = [
  // Service lifecycle
  { id: 1000, symbol: 'SERVICE_STARTED', kind: 'service-started', level: 'information', text: 'The pwbridge service started and listens for the capture.' },
  { id: 1001, symbol: 'SERVICE_STOPPED', kind: 'service-stopped', level: 'information', text: 'The pwbridge service stopped.' },
  { id: 1002, symbol: 'CLIENT_CREATED', kind: 'client-created', level: 'information', text: 'The embedded vault\'s default client was created.' },
  { id: 1003, symbol: 'SELFTEST_OK', kind: 'selftest', level: 'information', text: '`pwbridge selftest` connected and the service proved the install secret.' },
  // The LSA filter
  { id: 1100, symbol: 'FILTER_LOADED', kind: 'filter-state', filterState: 'active', level: 'information', text: 'Filter loaded: the LSA filter said hello in this boot; two-way sync and auto-create are on.' },
  { id: 1101, symbol: 'REBOOT_REQUIRED', kind: 'filter-state', filterState: 'pending-reboot', level: 'warning', text: 'Reboot required: the filter is registered but LSA loads it only at boot (or its hello is awaited).' },
  { id: 1102, symbol: 'FILTER_FAULTED', kind: 'filter-state', filterState: 'faulted', level: 'error', text: 'The filter cannot work: DLL missing or not 64-bit, or LSA protection on with an unsigned DLL. The text says which.' },
  { id: 1103, symbol: 'FILTER_NOT_INSTALLED', kind: 'filter-state', filterState: 'not-installed', level: 'warning', text: 'The filter is not in Notification Packages: local changes are not captured.' },
  { id: 1104, symbol: 'FILTER_DISABLED', kind: 'filter-state', filterState: 'disabled', level: 'information', text: 'Capture is disabled in config.json (captureEnabled false).' },
  { id: 1110, symbol: 'CAPTURE_DROPPED', kind: 'capture-dropped', level: 'error', text: 'The filter could not keep some password changes (its queue and spool were full).' },
  { id: 1111, symbol: 'SPOOL_OVER_THRESHOLD', kind: 'spool-over-threshold', level: 'warning', text: 'Spool over threshold: many changes are waiting in the filter\'s spool for the service.' },
  { id: 1112, symbol: 'SPOOL_DRAINED', kind: 'spool-drained', level: 'information', text: 'The service journaled changes a capture had spooled.' },
  { id: 1113, symbol: 'SPOOL_REFUSED', kind: 'spool-refused', level: 'warning', text: 'A spool file failed its checks and was set aside (the service keeps it as .bad; the filter moves it to spool\\rejected).' },
  { id: 1120, symbol: 'FRAME_REFUSED', kind: 'frame-refused', level: 'warning', text: 'A capture connection was refused: malformed, forged, replayed or idle; or the peer is not allowed.' },
  // Captured changes (two-way sync)
  { id: 2000, symbol: 'CHANGE_SYNCED', kind: 'change-synced', level: 'information', text: 'Change synced: a local password change updated the vault.' },
  { id: 2001, symbol: 'CREDENTIAL_CREATED', kind: 'credential-created', level: 'information', text: 'Auto-create made a credential for an account the vault did not know.' },
  { id: 2002, symbol: 'CHANGE_DUPLICATE', kind: 'change-duplicate', level: 'information', text: 'A change already applied was delivered again; nothing changed.' },
  { id: 2003, symbol: 'CHANGE_SUPERSEDED', kind: 'change-superseded', level: 'information', text: 'A later change of the same account replaced this one.' },
  { id: 2004, symbol: 'CHANGE_IGNORED', kind: 'change-ignored', level: 'information', text: 'A change was not synced: excluded account, filter not active, sync off, or unknown account; the text says which.' },
  { id: 2005, symbol: 'ECHO_SUPPRESSED', kind: 'echo-suppressed', level: 'information', text: 'The capture reported a password pwbridge set itself; not pushed back.' },
  { id: 2006, symbol: 'CHANGE_REFUSED', kind: 'change-refused', level: 'warning', text: 'A password cannot be stored without loss (a lone UTF-16 surrogate); the vault was not written.' },
  { id: 2007, symbol: 'CONFLICT', kind: 'conflict', level: 'warning', text: 'Conflict: a local change raced a newer vault change; flagged, the vault was not written.' },
  { id: 2008, symbol: 'DELIVERY_FAILING', kind: 'delivery-retry', level: 'warning', text: 'Delivery failing: writing a change to the vault failed; it is retried with backoff.' },
  { id: 2009, symbol: 'DEAD_LETTER', kind: 'dead-letter', level: 'error', text: 'A change kept failing past maxEventAge and is a dead letter (`pwbridge journal dead`).' },
  { id: 2010, symbol: 'PIPELINE_ERROR', kind: 'pipeline-error', level: 'error', text: 'The journal processor hit an unexpected error; the change stays queued.' },
  { id: 2011, symbol: 'DELIVERY_HELD', kind: 'delivery-held', level: 'warning', text: 'Delivery held: the hub refused this machine (its agent token, or the change is outside its scope); the change is kept and tried again in minutes.' },
  { id: 2012, symbol: 'EVENTS_DROPPED', kind: 'events-dropped', level: 'error', text: 'The event outbox was full while the vault did not take events: the oldest were dropped before reaching it (they are in the service log).' },
  { id: 2013, symbol: 'SHARED_WRITE_REFUSED', kind: 'shared-write-refused', level: 'warning', text: 'A local change to a shared credential (a bare user name, on every machine of the client) was refused: the client does not let agents write shared credentials. Not retried; the vault keeps its password.' },
  { id: 2014, symbol: 'CONFLICT_CAPTURE_SENT', kind: 'conflict-capture-sent', level: 'information', text: 'A person chose this machine\'s side of a conflict on the hub: the capture kept sealed in the journal was sent again and is the vault\'s password now; the conflict flag cleared.' },
  { id: 2015, symbol: 'CONFLICT_VAULT_KEPT', kind: 'conflict-vault-kept', level: 'information', text: 'A person chose the vault\'s side of a conflict on the hub: the local password was set to the vault\'s once (in either mode) and the conflicted capture was wiped from the journal.' },
  { id: 2016, symbol: 'CONFLICT_CAPTURE_MISSING', kind: 'conflict-capture-missing', level: 'warning', text: 'A person chose this machine\'s side of a conflict, but its journal no longer holds that capture (reinstalled, or a later change replaced it): nothing was sent, the flag stays; keep the vault\'s instead.' },
  // Reconcile
  { id: 3000, symbol: 'MISMATCH_FLAGGED', kind: 'mismatch-flagged', level: 'warning', text: 'Mismatch flagged: the local password differs from the vault (Report Mismatches).' },
  { id: 3001, symbol: 'MISMATCH_CLEARED', kind: 'mismatch-cleared', level: 'information', text: 'The local password matches the vault again; the flag was cleared.' },
  { id: 3002, symbol: 'PASSWORD_SET', kind: 'password-set', outcome: 'ok', level: 'information', text: 'Password set: the local password was set to the vault\'s (Change Password).' },
  { id: 3003, symbol: 'PASSWORD_SET_FAILED', kind: 'password-set', outcome: 'failed', level: 'error', text: 'Setting the local password failed; flagged, and tried again on the next pass.' },
  { id: 3004, symbol: 'POLICY_REFUSED', kind: 'policy-refused', level: 'warning', text: 'The local password policy refuses the vault\'s password; flagged policy-refused until the vault has a new one.' },
  { id: 3005, symbol: 'RECONCILE_ERROR', kind: 'reconcile-error', level: 'error', text: 'A reconcile step failed (the text says which); it runs again on the next pass.' },
  { id: 3006, symbol: 'RECONCILE_SKIPPED', kind: 'reconcile-skipped', level: 'information', text: 'A reconcile pass did nothing: client missing or Windows Sync off, or another pass was running.' },
  // The hub (a hub on Windows logs here too)
  { id: 4000, symbol: 'HUB_PASSWORD_READ', kind: 'password-read', level: 'information', text: 'The hub handed out a password; the text says who and which credential.' },
  { id: 4001, symbol: 'HUB_ACCESS_REFUSED', kind: 'access-refused', level: 'warning', text: 'The hub refused a caller something outside its role or token scope.' },
  { id: 4002, symbol: 'HUB_LOGIN', kind: 'login', level: 'information', text: 'A user logged in to the hub.' },
  { id: 4003, symbol: 'HUB_LOGIN_REFUSED', kind: 'login', outcome: 'refused', level: 'warning', text: 'A hub login was refused (wrong password, no such user, or too many failures); the text says which and from where.' },
  { id: 4004, symbol: 'HUB_AGENT_ENROLLED', kind: 'agent-enrolled', level: 'information', text: 'A machine was enrolled with the hub (client, machine, by whom); its earlier tokens were revoked.' },
  { id: 4005, symbol: 'HUB_USER_CREATED', kind: 'user-created', level: 'information', text: 'A hub user was created.' },
  { id: 4006, symbol: 'AGENT_TOKEN_REFUSED', kind: 'hub-refused', level: 'error', text: 'The hub refused this machine\'s agent token (revoked, or the machine was enrolled again): re-run `pwbridge setup`; captured changes are kept until then.' },
  { id: 4007, symbol: 'AGENT_TOKEN_ACCEPTED', kind: 'hub-access-restored', level: 'information', text: 'The hub accepts this machine\'s agent token again; the changes held meanwhile are delivered.' },
  { id: 4008, symbol: 'HUB_USER_DISABLED', kind: 'user-disabled', level: 'warning', text: 'A hub user was disabled; its sessions ended. The text says by whom.' },
  { id: 4009, symbol: 'HUB_USER_ENABLED', kind: 'user-enabled', level: 'information', text: 'A disabled hub user was enabled again.' },
  { id: 4010, symbol: 'HUB_USER_CHANGED', kind: 'user-changed', level: 'information', text: 'A hub user\'s role or permissions changed; the text gives both, before and after.' },
  { id: 4011, symbol: 'HUB_USER_PASSWORD_SET', kind: 'user-password-set', level: 'information', text: 'A hub user\'s password was set; its sessions ended and its failed logins were cleared.' },
  { id: 4012, symbol: 'HUB_CAPTURE_TIME_CLAMPED', kind: 'capture-time-clamped', level: 'warning', text: 'A machine sent a capture time from the future (more than 5 s ahead of the hub\'s clock); the hub stored its own time of arrival instead.' },
  { id: 4013, symbol: 'HUB_LOGIN_THROTTLE_CLEARED', kind: 'login-throttle-cleared', level: 'information', text: 'The failed logins of a hub user (or an address) were forgotten on the hub host; the next login is not slowed down.' },
  { id: 4014, symbol: 'HUB_CLIENT_CHANGED', kind: 'client-changed', level: 'information', text: 'A client\'s options were changed on the hub; the text says which and by whom.' },
  { id: 4015, symbol: 'HUB_CLIENT_DELETED', kind: 'client-deleted', level: 'information', text: 'An empty client was deleted from the hub; the text says by whom.' },
  { id: 4016, symbol: 'HUB_CREDENTIAL_DELETED', kind: 'credential-deleted', level: 'warning', text: 'A credential was deleted from the hub\'s vault (its password, flags and history of applied changes with it); the text names it, its client and who deleted it.' },
  { id: 4017, symbol: 'HUB_STEP_UP', kind: 'step-up', level: 'information', text: 'A hub user re-entered their password in the dashboard; for 5 minutes their session may reveal passwords.' },
  { id: 4018, symbol: 'HUB_STEP_UP_REFUSED', kind: 'step-up', outcome: 'refused', level: 'warning', text: 'A hub user\'s re-entered password was wrong (counted with the failed logins) or came too soon after failures; the text says which and from where.' },
  { id: 4019, symbol: 'HUB_PASSWORD_RESTORED', kind: 'password-restored', level: 'information', text: 'An earlier password of a credential was made current again on the hub, as a new version that agents take to the machines; the text says which version and by whom.' },
  { id: 4020, symbol: 'HUB_CONFLICT_RESOLVED', kind: 'conflict-resolved', level: 'information', text: 'A hub user resolved a conflict: "keep the vault\'s" (pushed down to the machine) or "take the machine\'s" (its capture is sent again); the text says who chose which, for which machine.' },
  { id: 4021, symbol: 'HUB_CONFLICT_FLAG_CLEARED', kind: 'conflict-flag-cleared', level: 'warning', text: 'A hub user cleared a credential\'s conflict flag by hand, choosing no side; the text says who.' },
  { id: 4022, symbol: 'HUB_ENROLMENT_TOKEN_CREATED', kind: 'enrolment-token-created', level: 'information', text: 'An admin created an enrolment token for a client (how many uses, until when); machines enrolled with it are recorded as enrolled (4004) naming the token. Never the token itself.' },
  { id: 4023, symbol: 'HUB_ENROLMENT_TOKEN_REVOKED', kind: 'enrolment-token-revoked', level: 'information', text: 'An admin revoked an enrolment token: no machine can enrol with it any more; machines already enrolled keep their agent tokens.' },
  { id: 4024, symbol: 'HUB_ENROLMENT_TOKEN_REFUSED', kind: 'enrolment-token-refused', outcome: 'refused', level: 'warning', text: 'An enrolment with a token was refused (unknown, expired, used up or revoked, or too many failures from the address); the text says which, for which machine and from where.' },
  { id: 4025, symbol: 'HUB_VAULT_IMPORTED', kind: 'vault-imported', level: 'information', text: 'Credentials were imported into the hub\'s vault from a file in the dashboard (outcome ok), or a file was checked in a dry run (info: nothing changed); the text says how many were created, updated and left, and by whom. Never a password.' },
  { id: 4026, symbol: 'HUB_VAULT_IMPORT_REFUSED', kind: 'vault-imported', outcome: 'refused', level: 'warning', text: 'An import in the dashboard was refused (rows refused, or the vault refused a write and the whole file was rolled back): nothing was imported. The text says why and by whom.' },
  { id: 4027, symbol: 'HUB_VAULT_EXPORTED', kind: 'vault-exported', level: 'warning', text: 'The hub\'s vault was exported from the dashboard, without passwords or (by an admin) with them, encrypted with a passphrase; recorded before the file left. The text says which, how many credentials and by whom.' },
  // Hub users: second factor (src/hub/mfa.ts, docs/hub-users.md)
  { id: 4037, symbol: 'HUB_MFA_ENABLED', kind: 'mfa-enabled', outcome: 'ok', level: 'information', text: 'A hub user switched on a TOTP second factor (confirmed with a code from their app); from now on their logins ask for a code. Never the secret.' },
  // action: None if the user did it; if not, reset their second factor (dashboard Users, or `pwbridge hub-user mfa-reset NAME`) and set a new password.
  { id: 4038, symbol: 'HUB_MFA_ENROLMENT_REFUSED', kind: 'mfa-enabled', outcome: 'refused', level: 'warning', text: 'A hub user\'s code did not confirm a new second factor (wrong code, or no enrolment begun); the second factor was not switched on.' },
  // action: Usually a phone clock off by more than 30 s or a mistyped code: have the user set the phone's time automatically and try again.
  { id: 4039, symbol: 'HUB_MFA_RESET', kind: 'mfa-reset', level: 'warning', text: 'A hub user\'s TOTP second factor was removed by an admin or on the hub host; their sessions ended and their next login asks for the password alone. The text says by whom.' },
  // action: Make sure the user asked for it (lost phone), and that they enrol again soon; on a hub with --require-mfa an admin must before using admin powers.
  { id: 4040, symbol: 'HUB_MFA_REQUIRED', kind: 'mfa-required', outcome: 'refused', level: 'warning', text: 'The hub runs with --require-mfa and an admin without a second factor asked for something other than enrolling one; refused. The text says who and what.' },
  // action: The admin enrols a second factor in the dashboard (Account, Two-factor sign-in) and then can use admin powers again.
];

/** For a kind the table does not know (a newer pwbridge event): logged, never lost. */
export const UNKNOWN_EVENT_ID: WindowsEventId = {
  id: 9000, symbol: 'OTHER', kind: '*', level: 'information', text: 'Another pwbridge event; the text names its kind.',
};

/** The state a filter-state event entered ("pending-reboot → active: …" gives active). */
export function enteredState(reason: string | undefined): string | undefined {
  return /→\s*([a-z-]+)\s*:/.exec(reason ?? '')?.[1];
}

/** The ID for one pwbridge event. */
export function windowsEventFor(e: Pick<EventRecord, 'kind' | 'outcome' | 'reason'>): WindowsEventId {
  const candidates = WINDOWS_EVENT_IDS.filter((d) => d.kind === e.kind);
  if (candidates.length === 0) return { ...UNKNOWN_EVENT_ID, level: levelOf(e.outcome) };
  if (e.kind === 'filter-state') {
    const state = enteredState(e.reason);
    return candidates.find((d) => d.filterState === state) ?? { ...UNKNOWN_EVENT_ID, kind: e.kind };
  }
  return candidates.find((d) => d.outcome === e.outcome)
    ?? candidates.find((d) => d.outcome === undefined)
    ?? candidates.find((d) => d.level === levelOf(e.outcome))
    ?? candidates[0];
}

function levelOf(outcome: EventRecord['outcome']): EventLevel {
  return outcome === 'failed' ? 'error' : outcome === 'refused' || outcome === 'flagged' ? 'warning' : 'information';
}

/** The event's text in the log: the kind, outcome, who, why, and the trace id. Never a password. */
export function windowsEventText(e: Omit<EventRecord, 'time'>): string {
  const parts = [`pwbridge ${e.kind} (${e.outcome})`];
  if (e.account) parts.push(`account: ${e.account}`);
  if (e.credentialId !== undefined) parts.push(`credential: ${e.credentialId}`);
  if (e.reason) parts.push(`reason: ${e.reason}`);
  if (e.traceId) parts.push(`trace: ${e.traceId}`);
  parts.push(`machine: ${e.machine}`);
  // ReportEventW limits each string to 31,839 characters.
  return parts.join('\r\n').slice(0, 31_000);
}
