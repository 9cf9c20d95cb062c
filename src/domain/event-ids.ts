// The event IDs of pwbridge, one table in the core, the single source for: the Windows Event Log's IDs of
// source `pwbridge` (the mapping src/platform/windows/event-sink.ts uses), the hub's metrics (the kinds it
// counts), docs/events.md (`node dist/src/platform/windows/event-messages.js events-md > docs/events.md`), and
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
  /** What it means, for docs/events.md and the message file. */
  text: string;
  /** What usually leads to it, for docs/events.md: the situations an administrator can check. */
  causes: string;
  /** What an administrator does about it, naming the commands; "Nothing." when it needs nothing. */
  action: string;
}

export const WINDOWS_EVENT_IDS: readonly WindowsEventId[] = [
  // Service lifecycle
  { id: 1000, symbol: 'SERVICE_STARTED', kind: 'service-started', level: 'information', text: 'The pwbridge service started and listens for the capture.',
    causes: 'The service was started: at boot, by `systemctl start pwbridge` / the Windows service manager, after an install or upgrade, or after a crash (systemd restarts it).',
    action: 'Nothing. If it starts again and again, read the service log (`journalctl -u pwbridge`, or `<data dir>/log/pwbridge.log`) for the error that stopped it, and run `pwbridge doctor`.' },
  { id: 1001, symbol: 'SERVICE_STOPPED', kind: 'service-stopped', level: 'information', text: 'The pwbridge service stopped.',
    causes: 'The service was stopped: shutdown, `systemctl stop pwbridge` / `sc.exe stop pwbridge`, an upgrade or uninstall.',
    action: 'Nothing if it was meant. While it is stopped, captures wait in the capture\'s spool and nothing is reconciled; start it with `systemctl start pwbridge` (Linux) or `sc.exe start pwbridge` (Windows), then `pwbridge status`.' },
  { id: 1002, symbol: 'CLIENT_CREATED', kind: 'client-created', level: 'information', text: 'The embedded vault\'s default client was created.',
    causes: 'The first start of a service on the embedded vault made its default client (`local`, or the one named by `client` in config.json).',
    action: 'Nothing. To change its options: `pwbridge vault client set NAME …` (see [Commands and configuration](configuration.md#the-vault)).' },
  { id: 1003, symbol: 'SELFTEST_OK', kind: 'selftest', level: 'information', text: '`pwbridge selftest` connected and the service proved the install secret.',
    causes: 'Someone ran `pwbridge selftest` and it passed.',
    action: 'Nothing.' },
  // The LSA filter
  { id: 1100, symbol: 'FILTER_LOADED', kind: 'filter-state', filterState: 'active', level: 'information', text: 'Filter loaded: the LSA filter said hello in this boot; two-way sync and auto-create are on.',
    causes: 'The capture module (PAM module or LSA filter) connected and proved the install secret after this boot.',
    action: 'Nothing: captured changes now sync.' },
  { id: 1101, symbol: 'REBOOT_REQUIRED', kind: 'filter-state', filterState: 'pending-reboot', level: 'warning', text: 'Reboot required: the filter is registered but LSA loads it only at boot (or its hello is awaited).',
    causes: 'Windows only: the filter was just added to Notification Packages and LSA loads it only at boot; or the machine has booted but the filter has not said hello to the service yet (it says hello when it first reaches the service, so a stopped service keeps this state). Linux needs no reboot: PAM loads the module into each password change.',
    action: 'Reboot the machine (msiexec\'s exit 3010 says the same). If it stays after a reboot, run `pwbridge doctor` (links capture-module, filter-loaded and service) and see [Troubleshooting](troubleshooting.md#reboot-required-stays).' },
  { id: 1102, symbol: 'FILTER_FAULTED', kind: 'filter-state', filterState: 'faulted', level: 'error', text: 'The filter cannot work: DLL missing or not 64-bit, or LSA protection on with an unsigned DLL. The text says which.',
    causes: 'The DLL is missing from System32 or is not a 64-bit DLL; LSA protection (RunAsPPL) is on, so lsass loads only Microsoft-signed plug-ins; the service\'s account is not the one in `HKLM\\SOFTWARE\\pwbridge` `ServiceSid`; on Linux `pam_pwbridge.so` is missing or its PAM line is not `optional`. The event\'s text says which.',
    action: 'Run `pwbridge doctor` and follow the fix it gives for link capture-module. Usually: reinstall (`pwbridge install`) to put the module and the PAM line or registry value back; with LSA protection on, decide whether to turn it off (see [LSA protection](windows.md#lsa-protection-runasppl)) or accept that local changes are not captured.' },
  { id: 1103, symbol: 'FILTER_NOT_INSTALLED', kind: 'filter-state', filterState: 'not-installed', level: 'warning', text: 'The filter is not in Notification Packages: local changes are not captured.',
    causes: '`pwbridge_filter` is not in Notification Packages (removed by hand, by a policy, or by another product\'s installer rewriting the value), or on Linux the `pam_pwbridge.so` line is gone from `/etc/pam.d/common-password`.',
    action: 'Run `pwbridge install --dry-run` to see what it would put back, then `pwbridge install` (Windows: then reboot). Reconcile keeps working meanwhile; only local changes are missed.' },
  { id: 1104, symbol: 'FILTER_DISABLED', kind: 'filter-state', filterState: 'disabled', level: 'information', text: 'Capture is disabled in config.json (captureEnabled false).',
    causes: '`captureEnabled` is `false` in `<data dir>/config.json`.',
    action: 'Nothing if meant. To capture again, set `captureEnabled` to `true` (or remove it) and restart the service.' },
  { id: 1110, symbol: 'CAPTURE_DROPPED', kind: 'capture-dropped', level: 'error', text: 'The filter could not keep some password changes (its queue and spool were full).',
    causes: 'The service was down or unreachable for long enough that the capture\'s in-memory queue and its spool filled up, or the spool\'s folder could not be written (disk full, permissions), or spool files were set aside after failing again and again.',
    action: 'The dropped changes are not in the vault. Get the service running (`pwbridge status`, `pwbridge doctor`), free disk space, then run `pwbridge reconcile --once`: in Report Mismatches mode it flags the accounts whose password differs from the vault; set those passwords again (in the vault or on the machine).' },
  { id: 1111, symbol: 'SPOOL_OVER_THRESHOLD', kind: 'spool-over-threshold', level: 'warning', text: 'Spool over threshold: many changes are waiting in the filter\'s spool for the service.',
    causes: 'A capture\'s heartbeat reports 1,000 or more changes waiting in its spool: the service was down for a while, cannot keep up, or the capture cannot reach it (Windows: the service does not run as the account in `ServiceSid`).',
    action: 'Run `pwbridge status` and `pwbridge selftest`; start or fix the service. The spool drains by itself once the service answers (event 1112). `pwbridge doctor` shows the spool under link spool.' },
  { id: 1112, symbol: 'SPOOL_DRAINED', kind: 'spool-drained', level: 'information', text: 'The service journaled changes a capture had spooled.',
    causes: 'Changes a capture spooled while the service was away were journaled when it came back.',
    action: 'Nothing: they are processed like live changes.' },
  { id: 1113, symbol: 'SPOOL_REFUSED', kind: 'spool-refused', level: 'warning', text: 'A spool file failed its checks and was set aside (the service keeps it as .bad; the filter moves it to spool\\rejected).',
    causes: 'A spool file failed its checks: its tag did not verify (written under another install\'s keys, e.g. after the keys were made again, or tampered with), its format is wrong, or it is too long; or, Windows only, the filter kept failing to read it for `SpoolRetrySeconds` (default 600 s). The text names the file and the problem.',
    action: 'Linux: the file is kept as `<data dir>/spool/<event id>.bad`; Windows: moved to `%ProgramData%\\pwbridge\\spool\\rejected\\`. If the cause was temporary (a file locked by a scanner), move it back into the spool folder (Windows) or rename it back to `.chg` (Linux) and it is retried. If the keys changed, it can never be read: delete it, and set that account\'s password again.' },
  { id: 1120, symbol: 'FRAME_REFUSED', kind: 'frame-refused', level: 'warning', text: 'A capture connection was refused: malformed, forged, replayed or idle; or the peer is not allowed.',
    causes: 'A malformed, oversized, truncated, forged (bad tag) or replayed frame; no HELLO within 10 s; an idle connection; a peer that is neither root/SYSTEM nor the service\'s own account (`peer`, naming the uid or the SID and image); more connections than the cap (`peer-cap`, `busy`). Refusals any local process can cause in bulk are recorded once a minute per kind, with a count.',
    action: 'Read the reason (`pwbridge events --kind frame-refused`). `peer`: a process that is not the capture tried the socket or pipe; find it from the uid or image named. A bad tag after a reinstall: the capture holds old keys; reinstall the capture module (`pwbridge install`) and restart. Repeated malformed frames from the real capture: collect the service log and report it.' },
  // Captured changes (two-way sync)
  { id: 2000, symbol: 'CHANGE_SYNCED', kind: 'change-synced', level: 'information', text: 'Change synced: a local password change updated the vault.',
    causes: 'A local password change was captured and written to the vault (two-way sync).',
    action: 'Nothing.' },
  { id: 2001, symbol: 'CREDENTIAL_CREATED', kind: 'credential-created', level: 'information', text: 'Auto-create made a credential for an account the vault did not know.',
    causes: 'A local account the vault did not know changed its password while the client has Auto Create Users on.',
    action: 'Nothing. To stop it: `pwbridge vault client set NAME --auto-create off`, or add the account to `excludeAccounts` in config.json.' },
  { id: 2002, symbol: 'CHANGE_DUPLICATE', kind: 'change-duplicate', level: 'information', text: 'A change already applied was delivered again; nothing changed.',
    causes: 'The capture sent the same event again (a lost ack, a spool drained after a live delivery, a retry after a crash).',
    action: 'Nothing: the vault applies each event once.' },
  { id: 2003, symbol: 'CHANGE_SUPERSEDED', kind: 'change-superseded', level: 'information', text: 'A later change of the same account replaced this one.',
    causes: 'The same account changed its password again before the first change was delivered; the newest capture wins.',
    action: 'Nothing.' },
  { id: 2004, symbol: 'CHANGE_IGNORED', kind: 'change-ignored', level: 'information', text: 'A change was not synced: excluded account, filter not active, sync off, or unknown account; the text says which.',
    causes: 'The account is excluded (`*$`, `krbtgt*`, the service account, `excludeAccounts`); the filter is not active (reboot pending); the client or credential has sync off or Two-Way Sync is off; or the account is unknown and Auto Create is off. The text says which.',
    action: 'Only if the change should have synced: turn on what the reason names (`pwbridge vault client set NAME --two-way-sync on`, `--auto-create on`, `pwbridge vault cred set … --sync on`), reboot a Windows machine whose filter is pending, or remove the account from `excludeAccounts`. Then change the password again, or set it in the vault.' },
  { id: 2005, symbol: 'ECHO_SUPPRESSED', kind: 'echo-suppressed', level: 'information', text: 'The capture reported a password pwbridge set itself; not pushed back.',
    causes: 'Reconcile (Change Password mode) set a local password, and the capture module reported that same change back.',
    action: 'Nothing: this is how pwbridge avoids a loop.' },
  { id: 2006, symbol: 'CHANGE_REFUSED', kind: 'change-refused', level: 'warning', text: 'A password cannot be stored without loss (a lone UTF-16 surrogate); the vault was not written.',
    causes: 'The password cannot be stored without loss: it holds a lone UTF-16 surrogate (Windows) or invalid UTF-8 (Linux), usually from a tool that set the password through an API, not a person typing it.',
    action: 'Set the account\'s password again, to one made of ordinary characters; the vault was not written and keeps its old password.' },
  { id: 2007, symbol: 'CONFLICT', kind: 'conflict', level: 'warning', text: 'Conflict: a local change raced a newer vault change; flagged, the vault was not written.',
    causes: 'The local change was captured before the vault\'s current password was set: the machine was away, its change reached the vault late, or someone changed the password in the vault at the same time.',
    action: 'On a hub: open the dashboard\'s Conflicts section and choose "keep the vault\'s" or "take the machine\'s" (operators and admins). On the machine, `pwbridge journal conflicted` lists the captures kept for it. With the embedded vault, set the credential\'s password in the vault (`pwbridge vault cred set … --password-stdin`) to the one you want.' },
  { id: 2008, symbol: 'DELIVERY_FAILING', kind: 'delivery-retry', level: 'warning', text: 'Delivery failing: writing a change to the vault failed; it is retried with backoff.',
    causes: 'Writing to the vault failed: the hub is unreachable, answers 5xx, or its database is away; the embedded vault\'s file is locked or the disk is full. The text gives the error.',
    action: 'Find why the vault does not answer: `pwbridge doctor` (link vault), `curl -k https://HUB:8443/readyz` on a hub. The change is retried with backoff up to `maxEventAge` (default 7 days), so fixing the vault is enough.' },
  { id: 2009, symbol: 'DEAD_LETTER', kind: 'dead-letter', level: 'error', text: 'A change kept failing past maxEventAge and is a dead letter (`pwbridge journal dead`).',
    causes: 'A change kept failing for longer than `maxEventAge` (default 7 days): a hub away for that long, or an error that never clears.',
    action: 'List them with `pwbridge journal dead`, fix the cause the reason names, then `pwbridge journal requeue --all` (or give the event ids). Their sealed passwords were kept for this.' },
  { id: 2010, symbol: 'PIPELINE_ERROR', kind: 'pipeline-error', level: 'error', text: 'The journal processor hit an unexpected error; the change stays queued.',
    causes: 'An unexpected error in the journal processor (a bug, a corrupt journal row, a full disk).',
    action: 'Read the service log around the time (`journalctl -u pwbridge`, `<data dir>/log/pwbridge.log`) and restart the service; the change stays queued. If it repeats, report it with the log lines (they hold no password).' },
  { id: 2011, symbol: 'DELIVERY_HELD', kind: 'delivery-held', level: 'warning', text: 'Delivery held: the hub refused this machine (its agent token, or the change is outside its scope); the change is kept and tried again in minutes.',
    causes: 'The hub refused this machine\'s request: its agent token is revoked or was replaced by a new enrolment, or the change is outside the machine\'s scope (another client, another machine\'s credential).',
    action: 'If event 4006 came with it, re-enrol: `pwbridge setup --hub URL …`. If the scope was refused, check that the credential belongs to this machine\'s client (`pwbridge vault cred list --client NAME`). The change is kept and retried every few minutes.' },
  { id: 2012, symbol: 'EVENTS_DROPPED', kind: 'events-dropped', level: 'error', text: 'The event outbox was full while the vault did not take events: the oldest were dropped before reaching it (they are in the service log).',
    causes: 'The vault or hub did not take events for so long that more than 100,000 waited in the outbox.',
    action: 'Bring the vault or hub back (`pwbridge doctor`, link vault). The dropped events are still in the service log (`<data dir>/log/pwbridge.log`, and the Windows Application log); only the vault\'s copy is missing.' },
  { id: 2013, symbol: 'SHARED_WRITE_REFUSED', kind: 'shared-write-refused', level: 'warning', text: 'A local change to a shared credential (a bare user name, on every machine of the client) was refused: the client does not let agents write shared credentials. Not retried; the vault keeps its password.',
    causes: 'A local account changed its password, and the vault\'s credential for it is a shared `user` (on every machine of the client), while the client does not let agents write shared credentials (the default).',
    action: 'Nothing if meant: the shared password stays, and Change Password mode sets it back on this machine. To let machines update shared credentials: `pwbridge vault client set NAME --agents-write-shared on` (or the switch in the dashboard); or add a `MACHINE\\user` credential for this machine.' },
  { id: 2014, symbol: 'CONFLICT_CAPTURE_SENT', kind: 'conflict-capture-sent', level: 'information', text: 'A person chose this machine\'s side of a conflict on the hub: the capture kept sealed in the journal was sent again and is the vault\'s password now; the conflict flag cleared.',
    causes: 'A hub user chose "take the machine\'s" for this machine\'s conflict.',
    action: 'Nothing.' },
  { id: 2015, symbol: 'CONFLICT_VAULT_KEPT', kind: 'conflict-vault-kept', level: 'information', text: 'A person chose the vault\'s side of a conflict on the hub: the local password was set to the vault\'s once (in either mode) and the conflicted capture was wiped from the journal.',
    causes: 'A hub user chose "keep the vault\'s" for this machine\'s conflict.',
    action: 'Nothing: tell the account\'s user that the password is now the vault\'s.' },
  { id: 2016, symbol: 'CONFLICT_CAPTURE_MISSING', kind: 'conflict-capture-missing', level: 'warning', text: 'A person chose this machine\'s side of a conflict, but its journal no longer holds that capture (reinstalled, or a later change replaced it): nothing was sent, the flag stays; keep the vault\'s instead.',
    causes: 'The machine was reinstalled, its journal was removed, or a later change of the same account replaced the conflicted capture.',
    action: 'In the dashboard\'s Conflicts section choose "keep the vault\'s" (the only choice left), or set a new password in the vault.' },
  // Reconcile
  { id: 3000, symbol: 'MISMATCH_FLAGGED', kind: 'mismatch-flagged', level: 'warning', text: 'Mismatch flagged: the local password differs from the vault (Report Mismatches).',
    causes: 'In Report Mismatches mode, the local password does not match the vault\'s: someone changed it locally while capture was off or not yet active, the vault\'s password was changed without reaching this machine, or a change was dropped.',
    action: 'Decide which is right. To make the machine take the vault\'s password: switch the credential to Change Password (`pwbridge vault cred set --client C --user U --mode change`, or the dashboard switch). To keep the local one: set it in the vault (`pwbridge vault cred set … --password-stdin`). `pwbridge reconcile --once` checks again at once.' },
  { id: 3001, symbol: 'MISMATCH_CLEARED', kind: 'mismatch-cleared', level: 'information', text: 'The local password matches the vault again; the flag was cleared.',
    causes: 'The local password and the vault\'s agree again (someone set one of them).',
    action: 'Nothing.' },
  { id: 3002, symbol: 'PASSWORD_SET', kind: 'password-set', outcome: 'ok', level: 'information', text: 'Password set: the local password was set to the vault\'s (Change Password).',
    causes: 'Reconcile found a credential in Change Password mode whose vault password differs from the local one, and set it.',
    action: 'Nothing.' },
  { id: 3003, symbol: 'PASSWORD_SET_FAILED', kind: 'password-set', outcome: 'failed', level: 'error', text: 'Setting the local password failed; flagged, and tried again on the next pass.',
    causes: 'The operating system refused to set the password: the account is missing, locked or disabled; access denied (the service\'s account lost its rights); `chpasswd` failed on Linux. The text gives the error.',
    action: 'Fix what the text names (e.g. enable or unlock the account), then `pwbridge reconcile --once`. It is also retried on every pass.' },
  { id: 3004, symbol: 'POLICY_REFUSED', kind: 'policy-refused', level: 'warning', text: 'The local password policy refuses the vault\'s password; flagged policy-refused until the vault has a new one.',
    causes: 'The vault\'s password does not meet this machine\'s password policy (length, complexity, history; Windows NetValidatePasswordPolicy, Linux pam_pwquality).',
    action: 'Set a new password in the vault that meets the policy (`pwbridge vault cred set … --password-stdin`, or Edit in the dashboard); the flag clears when it is applied.' },
  { id: 3005, symbol: 'RECONCILE_ERROR', kind: 'reconcile-error', level: 'error', text: 'A reconcile step failed (the text says which); it runs again on the next pass.',
    causes: 'A reconcile step failed: the vault or hub did not answer, the local accounts could not be read, or the reconcile lease could not be taken. The text says which.',
    action: 'Run `pwbridge doctor` (links vault and reconcile) and fix what it names; then `pwbridge reconcile --once` to check.' },
  { id: 3006, symbol: 'RECONCILE_SKIPPED', kind: 'reconcile-skipped', level: 'information', text: 'A reconcile pass did nothing: client missing or Windows Sync off, or another pass was running.',
    causes: 'This machine\'s client does not exist in the vault, the client has Windows Sync off, or another reconcile pass (the service\'s or `pwbridge reconcile --once`) was still running.',
    action: 'If the client is missing: `pwbridge vault client list` and fix `client` in config.json or re-run `pwbridge setup`. If Windows Sync is off and should be on: `pwbridge vault client set NAME --windows-sync on`. Otherwise nothing.' },
  // The hub (a hub on Windows logs here too)
  { id: 4000, symbol: 'HUB_PASSWORD_READ', kind: 'password-read', level: 'information', text: 'The hub handed out a password; the text says who and which credential.',
    causes: 'An agent read a password to reconcile it, or a hub user revealed one in the dashboard or through the API.',
    action: 'Nothing if expected. Review unexpected readers in the dashboard\'s event log (filter kind `password-read`); disable a hub user with `pwbridge hub-user disable NAME`.' },
  { id: 4001, symbol: 'HUB_ACCESS_REFUSED', kind: 'access-refused', level: 'warning', text: 'The hub refused a caller something outside its role or token scope.',
    causes: 'A hub user asked for something outside their role (a viewer changing a credential), or an agent token for something outside its client or machine.',
    action: 'If it repeats from one user or machine, find out why; give the user the right role with `pwbridge hub-user set NAME --role operator`, or leave it refused.' },
  { id: 4002, symbol: 'HUB_LOGIN', kind: 'login', level: 'information', text: 'A user logged in to the hub.',
    causes: 'A hub user logged in.',
    action: 'Nothing.' },
  { id: 4003, symbol: 'HUB_LOGIN_REFUSED', kind: 'login', outcome: 'refused', level: 'warning', text: 'A hub login was refused (wrong password, wrong or replayed second-factor code, no such user, or too many failures); the text says which and from where.',
    causes: 'A wrong password, a wrong or reused TOTP code, an unknown user name, a disabled user, or a user or address slowed down after repeated failures. The text says which and from which address.',
    action: 'A user who forgot their password: `pwbridge hub-user passwd NAME` on the hub host; who lost their authenticator: `pwbridge hub-user mfa-reset NAME`. A throttled user: `pwbridge hub-user unthrottle NAME [--address IP]`. Many failures from one address: someone is guessing; block the address at the firewall.' },
  { id: 4004, symbol: 'HUB_AGENT_ENROLLED', kind: 'agent-enrolled', level: 'information', text: 'A machine was enrolled with the hub (client, machine, by whom); its earlier tokens were revoked.',
    causes: '`pwbridge setup` (with a login or an enrolment token) or the MSI\'s silent enrolment enrolled a machine.',
    action: 'Nothing if expected. An unknown machine: revoke the enrolment token it used (`POST /api/enrolment-tokens/revoke`) or disable the user who enrolled it (`pwbridge hub-user disable NAME`). There is no command to revoke one machine\'s agent token; enrolling that machine name again yourself revokes its earlier tokens.' },
  { id: 4005, symbol: 'HUB_USER_CREATED', kind: 'user-created', level: 'information', text: 'A hub user was created.',
    causes: 'An admin added a hub user (the API or `pwbridge hub-user add`), or the hub made its first admin.',
    action: 'Nothing if expected.' },
  { id: 4006, symbol: 'AGENT_TOKEN_REFUSED', kind: 'hub-refused', level: 'error', text: 'The hub refused this machine\'s agent token (revoked, or the machine was enrolled again): re-run `pwbridge setup`; captured changes are kept until then.',
    causes: 'The hub no longer accepts this machine\'s agent token: someone enrolled the machine again (from another copy of it, or by reinstalling), or the token was revoked.',
    action: 'Re-enrol this machine: `pwbridge setup --hub URL --client NAME (--insecure-fingerprint SHA256 | --ca FILE)` or with `--enrol-token-file`. Captured changes are kept and delivered afterwards (event 4007).' },
  { id: 4007, symbol: 'AGENT_TOKEN_ACCEPTED', kind: 'hub-access-restored', level: 'information', text: 'The hub accepts this machine\'s agent token again; the changes held meanwhile are delivered.',
    causes: 'The hub accepted this machine\'s agent token again (after a re-enrolment, or the hub came back).',
    action: 'Nothing.' },
  { id: 4008, symbol: 'HUB_USER_DISABLED', kind: 'user-disabled', level: 'warning', text: 'A hub user was disabled; its sessions ended. The text says by whom.',
    causes: 'An admin disabled a hub user (the API or `pwbridge hub-user disable`).',
    action: 'Nothing if expected. To undo: `pwbridge hub-user enable NAME`.' },
  { id: 4009, symbol: 'HUB_USER_ENABLED', kind: 'user-enabled', level: 'information', text: 'A disabled hub user was enabled again.',
    causes: 'An admin enabled a hub user again.',
    action: 'Nothing if expected.' },
  { id: 4010, symbol: 'HUB_USER_CHANGED', kind: 'user-changed', level: 'information', text: 'A hub user\'s role or permissions changed; the text gives both, before and after.',
    causes: 'An admin changed a hub user\'s role or permissions.',
    action: 'Nothing if expected; otherwise set them back with `pwbridge hub-user set NAME --role R [--permission P]`.' },
  { id: 4011, symbol: 'HUB_USER_PASSWORD_SET', kind: 'user-password-set', level: 'information', text: 'A hub user\'s password was set; its sessions ended and its failed logins were cleared.',
    causes: 'A hub user\'s password was set through the API or `pwbridge hub-user passwd`.',
    action: 'Nothing if expected; otherwise set a new one at once with `pwbridge hub-user passwd NAME` and review the user\'s recent events.' },
  { id: 4012, symbol: 'HUB_CAPTURE_TIME_CLAMPED', kind: 'capture-time-clamped', level: 'warning', text: 'A machine sent a capture time from the future (more than 5 s ahead of the hub\'s clock); the hub stored its own time of arrival instead.',
    causes: 'The machine\'s clock is more than 5 s ahead of the hub\'s and its clock offset has not been learned yet, or a machine sent a forged time.',
    action: 'Check the machine\'s time (`timedatectl`, `w32tm /query /status`) and sync it with NTP. The stored time is the hub\'s, so no false conflict follows.' },
  { id: 4013, symbol: 'HUB_LOGIN_THROTTLE_CLEARED', kind: 'login-throttle-cleared', level: 'information', text: 'The failed logins of a hub user (or an address) were forgotten on the hub host; the next login is not slowed down.',
    causes: 'Someone ran `pwbridge hub-user unthrottle` on the hub host.',
    action: 'Nothing if expected.' },
  { id: 4014, symbol: 'HUB_CLIENT_CHANGED', kind: 'client-changed', level: 'information', text: 'A client\'s options were changed on the hub; the text says which and by whom.',
    causes: 'An operator or admin changed a client\'s options (dashboard switches, the API, or `pwbridge vault client set`).',
    action: 'Nothing if expected; the machines take the change by push-down within seconds.' },
  { id: 4015, symbol: 'HUB_CLIENT_DELETED', kind: 'client-deleted', level: 'information', text: 'An empty client was deleted from the hub; the text says by whom.',
    causes: 'An operator or admin deleted a client that had no credentials and no machines.',
    action: 'Nothing if expected.' },
  { id: 4016, symbol: 'HUB_CREDENTIAL_DELETED', kind: 'credential-deleted', level: 'warning', text: 'A credential was deleted from the hub\'s vault (its password, flags and history of applied changes with it); the text names it, its client and who deleted it.',
    causes: 'An operator or admin deleted a credential (dashboard or API).',
    action: 'Nothing if expected. The password and its history are gone; restore it from an export (`pwbridge vault import FILE`) if it was a mistake. Machines leave the local password as it is.' },
  { id: 4017, symbol: 'HUB_STEP_UP', kind: 'step-up', level: 'information', text: 'A hub user re-entered their password in the dashboard; for 5 minutes their session may reveal passwords.',
    causes: 'A hub user typed their password again to reveal passwords.',
    action: 'Nothing.' },
  { id: 4018, symbol: 'HUB_STEP_UP_REFUSED', kind: 'step-up', outcome: 'refused', level: 'warning', text: 'A hub user\'s re-entered password was wrong (counted with the failed logins) or came too soon after failures; the text says which and from where.',
    causes: 'A wrong password at the dashboard\'s reveal prompt, or one typed too soon after failures.',
    action: 'As for a refused login (4003): `pwbridge hub-user unthrottle NAME` if the user is locked out by mistake; watch for guessing.' },
  { id: 4019, symbol: 'HUB_PASSWORD_RESTORED', kind: 'password-restored', level: 'information', text: 'An earlier password of a credential was made current again on the hub, as a new version that agents take to the machines; the text says which version and by whom.',
    causes: 'An operator restored an earlier password from a credential\'s history.',
    action: 'Nothing if expected; machines in Change Password mode set it within seconds.' },
  { id: 4020, symbol: 'HUB_CONFLICT_RESOLVED', kind: 'conflict-resolved', level: 'information', text: 'A hub user resolved a conflict: "keep the vault\'s" (pushed down to the machine) or "take the machine\'s" (its capture is sent again); the text says who chose which, for which machine.',
    causes: 'An operator or admin chose a side of a conflict in the dashboard.',
    action: 'Nothing; the machine then records 2014 or 2015.' },
  { id: 4021, symbol: 'HUB_CONFLICT_FLAG_CLEARED', kind: 'conflict-flag-cleared', level: 'warning', text: 'A hub user cleared a credential\'s conflict flag by hand, choosing no side; the text says who.',
    causes: 'An operator or admin cleared a conflict flag without choosing a side.',
    action: 'Nothing if expected. The machine still keeps its conflicted capture in its journal (`pwbridge journal conflicted`).' },
  { id: 4022, symbol: 'HUB_ENROLMENT_TOKEN_CREATED', kind: 'enrolment-token-created', level: 'information', text: 'An admin created an enrolment token for a client (how many uses, until when); machines enrolled with it are recorded as enrolled (4004) naming the token. Never the token itself.',
    causes: 'An admin created an enrolment token (for an RMM deployment).',
    action: 'Nothing if expected; revoke tokens no longer needed (`POST /api/enrolment-tokens/revoke`).' },
  { id: 4023, symbol: 'HUB_ENROLMENT_TOKEN_REVOKED', kind: 'enrolment-token-revoked', level: 'information', text: 'An admin revoked an enrolment token: no machine can enrol with it any more; machines already enrolled keep their agent tokens.',
    causes: 'An admin revoked an enrolment token.',
    action: 'Nothing.' },
  { id: 4024, symbol: 'HUB_ENROLMENT_TOKEN_REFUSED', kind: 'enrolment-token-refused', outcome: 'refused', level: 'warning', text: 'An enrolment with a token was refused (unknown, expired, used up or revoked, or too many failures from the address); the text says which, for which machine and from where.',
    causes: 'The token file holds a wrong, expired, used-up or revoked token, or one address tried too many tokens.',
    action: 'Create a new token for the client and give it to the deployment; if it came from an unknown address, someone is guessing: block the address.' },
  { id: 4025, symbol: 'HUB_VAULT_IMPORTED', kind: 'vault-imported', level: 'information', text: 'Credentials were imported into the hub\'s vault from a file in the dashboard (outcome ok), or a file was checked in a dry run (info: nothing changed); the text says how many were created, updated and left, and by whom. Never a password.',
    causes: 'An operator or admin imported a file in the dashboard (or checked one in a dry run).',
    action: 'Nothing if expected.' },
  { id: 4026, symbol: 'HUB_VAULT_IMPORT_REFUSED', kind: 'vault-imported', outcome: 'refused', level: 'warning', text: 'An import in the dashboard was refused (rows refused, or the vault refused a write and the whole file was rolled back): nothing was imported. The text says why and by whom.',
    causes: 'Rows of the file were refused (each with its line and field in the dashboard), or the vault refused a write and the whole file was rolled back.',
    action: 'Fix the rows the dry run names and import again; nothing was written.' },
  { id: 4027, symbol: 'HUB_VAULT_EXPORTED', kind: 'vault-exported', level: 'warning', text: 'The hub\'s vault was exported from the dashboard, without passwords or (by an admin) with them, encrypted with a passphrase; recorded before the file left. The text says which, how many credentials and by whom.',
    causes: 'A hub user exported the vault from the dashboard.',
    action: 'Nothing if expected. An export with passwords holds every password of the hub under its passphrase: ask who made it (the text says) and where the file went.' },
  { id: 4028, symbol: 'HUB_ROTATION', kind: 'rotation', level: 'information', text: 'A credential\'s password is being rotated (on schedule, after it was read, or "Rotate now"); recorded before the new password is written. The text says which credential, from which version, why and to what length and classes. Agents take the new password to the machines like any vault change; the old one stays in the history. Never a password.',
    causes: 'A rotation policy on the client or the credential came due, the password was read under a rotate-after-read policy (after its grace), or an operator pressed Rotate now.',
    action: 'Nothing; a password-set (3002) from each machine follows. If none does, check that the credential is in Change Password mode on a running agent.' },
  { id: 4029, symbol: 'HUB_ROTATION_FAILED', kind: 'rotation', outcome: 'failed', level: 'error', text: 'Rotating a credential\'s password failed after it was claimed; the password did not change and the next pass (a minute later) tries again. The text says why.',
    causes: 'The database did not answer during the rotation, or writing the new version failed; the text gives the error.',
    action: 'Read the reason; a database outage clears by itself, anything else needs the hub\'s log.' },
  { id: 4030, symbol: 'HUB_ROTATION_POLICY_CHANGED', kind: 'rotation-policy-changed', level: 'information', text: 'A client\'s or a credential\'s rotation policy was set or removed on the hub; the text says which, what it is now and who changed it.',
    causes: 'An operator or admin set or removed a rotation policy in the dashboard or through the API.',
    action: 'None if the change was expected; otherwise ask the user named.' },
  { id: 4031, symbol: 'HUB_ROTATION_REFUSED', kind: 'rotation', outcome: 'refused', level: 'warning', text: 'A rotation was asked for a credential that cannot be rotated (Report Mismatches mode: the agent never sets its password); nothing changed. The text says who asked.',
    causes: 'Rotate now, or a credential policy, asked for a credential in Report Mismatches mode.',
    action: 'Switch the credential to Change Password if it should rotate.' },
  { id: 4032, symbol: 'HUB_ALERTS_CONFIGURED', kind: 'alerts-configured', level: 'information', text: 'An admin changed the hub\'s webhook alerts (URL, kinds, thresholds, on or off); the text gives the new settings and who. Never the signing secret.',
    causes: 'An admin saved the Alerts settings in the dashboard or through the API.',
    action: 'Check the URL and kinds are what your team expects; an unexpected change may send alerts elsewhere.' },
  { id: 4033, symbol: 'HUB_ALERT_SECRET_GENERATED', kind: 'alert-secret-generated', level: 'warning', text: 'The hub generated a new signing secret for its webhook alerts (shown once to the admin); receivers that still hold the old one refuse its alerts until given the new one.',
    causes: 'An admin generated a new signing secret (the first setup, or replacing one that leaked).',
    action: 'Give the new secret to the webhook receiver; alerts signed with it fail verification there until you do.' },
  { id: 4034, symbol: 'HUB_ALERT_TEST', kind: 'alert-test', level: 'information', text: 'An admin queued a test alert; it is delivered like any alert, and its status is in the dashboard\'s recent deliveries.',
    causes: 'An admin pressed Send test on the Alerts page.',
    action: 'None; check the receiver got it and its signature verified.' },
  { id: 4035, symbol: 'HUB_ALERT_UNDELIVERED', kind: 'alert-undelivered', outcome: 'failed', level: 'error', text: 'A webhook alert could not be delivered for 72 hours and is no longer retried; it is kept as failed in the dashboard. The text says which alert, where to and the last error.',
    causes: 'The receiver was down, refused the request, or the URL is wrong, for 72 hours.',
    action: 'Fix the receiver or the URL, then press "send again" on the failed alerts in the dashboard\'s Alerts page.' },
  { id: 4036, symbol: 'HUB_ALERT_REQUEUED', kind: 'alert-requeued', level: 'information', text: 'An admin asked for a failed webhook alert to be delivered again; it is retried from now with the usual schedule.',
    causes: 'An admin pressed Send again on a failed alert.',
    action: 'None; check the delivery\'s status in the dashboard.' },
  { id: 4037, symbol: 'HUB_MFA_ENABLED', kind: 'mfa-enabled', outcome: 'ok', level: 'information', text: 'A hub user switched on a TOTP second factor (confirmed with a code from their app); from now on their logins ask for a code. Never the secret.',
    causes: 'The user enrolled an authenticator app in the dashboard and confirmed it with a code.',
    action: 'None if the user did it; if not, reset their second factor (dashboard Users, or `pwbridge hub-user mfa-reset NAME`) and set a new password.' },
  { id: 4038, symbol: 'HUB_MFA_ENROLMENT_REFUSED', kind: 'mfa-enabled', outcome: 'refused', level: 'warning', text: 'A hub user\'s code did not confirm a new second factor (wrong code, or no enrolment begun); the second factor was not switched on.',
    causes: 'A mistyped code, a phone clock off by more than 30 s, or no enrolment begun.',
    action: 'Usually a phone clock off by more than 30 s or a mistyped code: have the user set the phone\'s time automatically and try again.' },
  { id: 4039, symbol: 'HUB_MFA_RESET', kind: 'mfa-reset', level: 'warning', text: 'A hub user\'s TOTP second factor was removed by an admin or on the hub host; their sessions ended and their next login asks for the password alone. The text says by whom.',
    causes: 'An admin reset it in the dashboard, or `pwbridge hub-user mfa-reset` ran on the hub host (a lost phone).',
    action: 'Make sure the user asked for it (lost phone), and that they enrol again soon; on a hub with --require-mfa an admin must before using admin powers.' },
  { id: 4040, symbol: 'HUB_MFA_REQUIRED', kind: 'mfa-required', outcome: 'refused', level: 'warning', text: 'The hub runs with --require-mfa and an admin without a second factor asked for something other than enrolling one; refused. The text says who and what.',
    causes: 'The hub runs with `--require-mfa` and this admin has not enrolled a second factor.',
    action: 'The admin enrols a second factor in the dashboard (Account, Two-factor sign-in) and then can use admin powers again.' },
];

/** For a kind the table does not know (a newer pwbridge event): logged, never lost. */
export const UNKNOWN_EVENT_ID: WindowsEventId = {
  id: 9000, symbol: 'OTHER', kind: '*', level: 'information', text: 'Another pwbridge event; the text names its kind.',
  causes: 'A newer pwbridge (or a newer hub) recorded a kind this table does not list yet.',
  action: 'Read the kind and reason in the text; `pwbridge events --kind KIND` lists others of it. Upgrade the machine to get the kind\'s own ID.',
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
