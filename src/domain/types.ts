// The vault model and the events pwbridge records. Plain data: no behaviour, no I/O.

/** Report Mismatches (flag only) or Change Password (set the local password to the vault's). */
export type Mode = 'report' | 'change';

/** Flags shown on a credential; the client and dashboard views are derived from them. */
export type Flag = 'mismatch' | 'conflict' | 'policy-refused';

/** A client's options: everything about it but its name, which is its key and never changes. */
export interface ClientOptions {
  /** Windows Sync: the client's machines sync at all; a credential's own switch matters only when this is on. */
  windowsSync: boolean;
  /** Two-Way Sync: local password changes go up to the vault. */
  twoWaySync: boolean;
  /** Auto Create Users as Passwords: an unknown account's change creates its `MACHINE\user` credential. */
  autoCreate: boolean;
  /** The mode an auto-created credential gets. */
  defaultMode: Mode;
  /**
   * Agents may write shared credentials: a captured change may set a bare `user` credential (shared by
   * every machine of the client). Off, such a capture is refused: root on one machine could otherwise
   * push a password that every machine in Change Password mode then sets.
   */
  agentsWriteShared: boolean;
}

export interface Client extends ClientOptions {
  name: string;
}

/** A client to create: the name, and any options that are not to be the defaults (CLIENT_DEFAULTS). */
export type NewClient = { name: string } & Partial<ClientOptions>;

/**
 * What a new client gets for an option it was not given, everywhere (port, CLI, hub API, dashboard).
 * Change Password is the default mode, as the vendor's guide has it ("set by default to update the
 * password on the system … if it is changed"); Report Mismatches is one explicit choice away.
 */
export const CLIENT_DEFAULTS: Readonly<ClientOptions> = Object.freeze({
  windowsSync: false,
  twoWaySync: false,
  autoCreate: false,
  defaultMode: 'change',
  agentsWriteShared: false,
});

/**
 * The embedded vault's own client, made on the first start with no hub: Windows Sync, Two-Way Sync and
 * Auto Create on; the rest (Change Password, no captured writes to shared credentials) as for any client.
 */
export const EMBEDDED_CLIENT: Readonly<Client> = Object.freeze({
  ...CLIENT_DEFAULTS, name: 'local', windowsSync: true, twoWaySync: true, autoCreate: true,
});

/** A credential as the bridge sees it. The password is never part of it: ask the vault for it. */
export interface Credential {
  id: number;
  client: string;
  /** `MACHINE\user` (one machine) or `user` (shared by every machine of the client). */
  username: string;
  windowsSync: boolean;
  mode: Mode;
  /** Increases on every change to the password; a write based on an older version is a conflict. */
  version: number;
  flags: Flag[];
  updatedAt: number;
  /**
   * When the password now in the vault was chosen: the capture time for one that came from a machine,
   * the write time for one set in the vault. A local change captured before this is a conflict.
   */
  passwordSetAt: number;
}

export type FilterStateName = 'not-installed' | 'pending-reboot' | 'active' | 'disabled' | 'faulted';

export interface FilterState {
  state: FilterStateName;
  /** Why the state is what it is, for `status` ("module in /etc/pam.d/common-password", …). */
  reason: string;
  /** When the capture last said hello (ms), and with which boot id. */
  lastHelloAt?: number;
  lastHelloBootId?: string;
  captureKind?: string;
  captureVersion?: string;
  since: number;
}

/** Every decision pwbridge makes is one of these. Never holds a password, token or key. */
export interface EventRecord {
  id?: number;
  /**
   * The event's own id (32 lowercase hex), given where it is recorded: the vault stores an event with a
   * uid once per machine, so a delivery repeated after a crash leaves one copy. Events the hub records
   * itself have none.
   */
  uid?: string;
  time: number;
  machine: string;
  account?: string;
  credentialId?: number;
  kind: string;
  outcome: 'ok' | 'skipped' | 'flagged' | 'refused' | 'failed' | 'info';
  reason?: string;
  /** Follows one capture from the frame to the vault write (the capture's event id in hex). */
  traceId?: string;
}

export interface EventQuery {
  sinceMs?: number;
  account?: string;
  kind?: string;
  /** Events of one machine only (exact name, as recorded). */
  machine?: string;
  afterId?: number;
  limit?: number;
  /** The last `limit` matches (still returned oldest first) instead of the first. */
  latest?: boolean;
}
