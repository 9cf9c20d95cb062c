import type { Client, ClientOptions, Credential, EventQuery, EventRecord, Flag, Mode, NewClient } from '../domain/types';

export class VaultConflictError extends Error {
  constructor(readonly credentialId: number, readonly expected: number, readonly actual: number) {
    super(`credential ${credentialId} is at version ${actual}, the write was based on version ${expected}`);
    this.name = 'VaultConflictError';
  }
}

/**
 * Bad input to the vault (unknown mode, empty username, duplicate client, …). The message says what is
 * wrong and which name; it never holds a password. Not-found and version conflicts use VaultNotFoundError
 * and VaultConflictError.
 */
export class VaultInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultInputError';
  }
}

export class VaultNotFoundError extends Error {
  constructor(what: string) {
    super(`${what} does not exist`);
    this.name = 'VaultNotFoundError';
  }
}

/**
 * The vault refused this caller, not this write: a hub that no longer accepts the agent token (revoked,
 * or the machine was enrolled again elsewhere), or a write outside the token's scope. Retrying soon cannot
 * help until a person acts, so the journal keeps the entry (it never dead-letters it for age) and tries
 * again after `retryAfterMs`.
 */
export class VaultRefusedError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = 'VaultRefusedError';
  }
}

/**
 * The vault refuses this write because of the client's own options (a capture for a shared credential
 * while agents may not write shared credentials). Final for this write: the same write is refused until
 * an operator changes the option, so the agent records it and does not retry it.
 */
export class VaultPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultPolicyError';
  }
}

/** The options to change on a client; absent ones stay as they are. The name is the key and does not change. */
export type ClientChange = Partial<ClientOptions>;

export interface NewCredential {
  client: string;
  username: string;
  password: Buffer;
  windowsSync: boolean;
  mode: Mode;
}

export interface CredentialChange {
  mode?: Mode;
  windowsSync?: boolean;
  password?: Buffer;
}

/**
 * Where a password came from: a capture on a machine, a hub user, the local CLI, an import, a restore
 * of an earlier version, or a rotation. A write given no source records none ("not recorded"). The hub records the source
 * from the caller's login (agent: its machine; user: the user name), never from what the caller claims.
 */
export type PasswordSource =
  /** `resolvedBy`: a capture the vault first refused as a conflict, taken when that user chose the machine's side. */
  | { kind: 'capture'; machine: string; resolvedBy?: string }
  | { kind: 'user'; user: string }
  | { kind: 'cli' }
  | { kind: 'import' }
  | { kind: 'restore'; fromVersion: number; by: string }
  /** A rotation (src/hub/rotation/): on schedule, after a read, or asked for by `by` ("Rotate now"). */
  | { kind: 'rotation'; trigger: RotationTrigger; by?: string };

export const ROTATION_TRIGGERS = ['schedule', 'after-read', 'manual'] as const;
export type RotationTrigger = typeof ROTATION_TRIGGERS[number];

/** One password of a credential's history: metadata only, never the password. */
export interface PasswordHistoryEntry {
  version: number;
  /** When that password was chosen (the credential's passwordSetAt while it was current). */
  setAt: number;
  /** Absent: not recorded (set before the history existed, or by a write that gave none). */
  source?: PasswordSource;
  /** True for the password the credential has now; the others are earlier ones that can be restored. */
  current: boolean;
  /** When a later write replaced it (earlier ones only). */
  replacedAt?: number;
}

/** The machine's side of a conflict: which machine, when its capture was made, and the capture's event id (never the password). */
export interface ConflictSide {
  machine: string;
  capturedAt: number;
  eventId: string;
}

/** "Keep the vault's" (push the vault's password down to the machine) or "take the machine's" (its capture becomes the password). */
export type ConflictChoice = 'vault' | 'machine';

/**
 * One machine's open conflict on a credential, with both sides: the machine's capture and the vault's
 * current password (when it was set, which version, where it came from). One per credential and machine.
 */
export interface Conflict extends ConflictSide {
  credentialId: number;
  client: string;
  username: string;
  /** When the vault recorded this side (the agent flagged it). */
  recordedAt: number;
  vault: { version: number; passwordSetAt: number; source?: PasswordSource };
  /** A person's choice, once made; the conflict stays listed until the machine has carried it out. */
  resolution?: { choice: ConflictChoice; by: string; at: number };
  /** When the machine said it no longer holds the capture (reinstalled): only keeping the vault's can settle it. */
  captureMissingAt?: number;
}

/** Which conflicts to list: all, or one client's, one machine's, one credential's (all given must match). */
export interface ConflictFilter {
  client?: string;
  machine?: string;
  credentialId?: number;
}

/** How a machine settled a resolution: it set the vault's password locally, or it has no capture to send. */
export type ConflictSettlement = 'vault-kept' | 'capture-missing';

/**
 * The vault: the embedded SQLite store (default) and the hub's HTTP API implement it.
 * Password bytes are UTF-8 and cross this port as Buffers so callers can wipe them.
 * Every write that comes from a captured event carries the event id: the vault applies each id once,
 * so a re-delivered event has no second effect (`applied: false`).
 */
export interface VaultPort {
  /** Options not given get CLIENT_DEFAULTS. A name taken in any case is refused. */
  addClient(client: NewClient): Promise<Client>;
  getClient(name: string): Promise<Client | undefined>;
  listClients(): Promise<Client[]>;
  /** Change a client's options (found case-insensitively); VaultNotFoundError when there is none. */
  updateClient(name: string, change: ClientChange): Promise<Client>;
  /**
   * Delete an empty client. One that still has credentials, machines or live agent tokens is refused
   * (VaultInputError) with how many of each it has; nothing is deleted with it.
   */
  deleteClient(name: string): Promise<void>;

  addCredential(cred: NewCredential, eventId?: string, source?: PasswordSource): Promise<Credential>;
  /** A new password moves the one it replaces into the history (as every password write does). */
  updateCredential(client: string, username: string, change: CredentialChange, source?: PasswordSource): Promise<Credential>;
  /**
   * Delete a credential (found case-insensitively) with its password, flags and applied-event ids, and
   * return it as it was; VaultNotFoundError when there is none. Its id is never given to another
   * credential: an agent's reconcile memo is keyed by id and must not vouch for a newcomer.
   */
  deleteCredential(client: string, username: string): Promise<Credential>;
  listCredentials(client: string): Promise<Credential[]>;
  /** Case-insensitive exact username match within the client. */
  findCredential(client: string, username: string): Promise<Credential | undefined>;
  /** The password, decrypted. The caller wipes it (`buf.fill(0)`). */
  readPassword(credentialId: number): Promise<Buffer>;

  /**
   * Set the password from a local change, if the credential is still at `baseVersion`. A shared
   * credential (a bare `user`) is refused with VaultPolicyError unless its client has agentsWriteShared. `capturedAt`
   * becomes the credential's passwordSetAt (when the password was chosen, not when it arrived).
   * Throws VaultConflictError otherwise. Idempotent per eventId.
   */
  setPasswordFromCapture(credentialId: number, password: Buffer, baseVersion: number, eventId: string, capturedAt?: number,
    source?: PasswordSource): Promise<{ credential: Credential; applied: boolean }>;
  /** Create a credential for an unknown account. Idempotent per eventId. A shared one is refused as above. */
  createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number, source?: PasswordSource):
    Promise<{ credential: Credential; applied: boolean }>;

  /**
   * The credential's passwords, newest first: the current one, then the earlier ones the vault keeps (the
   * last 10 unless opened otherwise). Metadata only. VaultNotFoundError for an unknown credential.
   */
  listPasswordHistory(credentialId: number): Promise<PasswordHistoryEntry[]>;
  /**
   * Make an earlier password current again, as a NEW version (version + 1, passwordSetAt now, source
   * `restore` from `version` by `by`), so agents take it to machines like any vault change; the password it
   * replaces goes into the history. VaultNotFoundError when the credential or that earlier version is not kept.
   */
  restorePassword(credentialId: number, version: number, by: string): Promise<Credential>;

  setFlag(credentialId: number, flag: Flag, on: boolean): Promise<void>;

  /**
   * Flag a conflict and keep the machine's side of it (one per credential and machine: a newer capture of
   * the same machine replaces the side and any choice made on the older one; the same event id again
   * changes nothing). VaultNotFoundError for an unknown credential.
   */
  recordConflict(credentialId: number, side: ConflictSide): Promise<void>;
  /** Open conflicts with both sides, by credential id then machine. */
  listConflicts(filter?: ConflictFilter): Promise<Conflict[]>;
  /**
   * A person's choice on one machine's conflict. 'vault': the conflict flag clears now (unless another
   * machine's conflict on the credential is still open) and the machine sets the vault's password. 'machine':
   * the flag stays until the machine re-sends its capture (takeConflictedCapture). Refused (VaultInputError)
   * when the machine said it no longer has the capture. VaultNotFoundError when there is no such conflict.
   */
  resolveConflict(credentialId: number, machine: string, choice: ConflictChoice, by: string): Promise<Conflict>;
  /**
   * The machine's capture, re-sent after a person chose it: the new password whatever the version (it
   * overrides the conflict), set now, recorded as a capture on `machine` resolved by that person; the
   * conflict is closed and the flag cleared unless another machine's is open. Idempotent per eventId.
   * VaultInputError unless that machine's conflict on the credential names this event and was resolved 'machine'.
   */
  takeConflictedCapture(credentialId: number, password: Buffer, eventId: string, machine: string):
    Promise<{ credential: Credential; applied: boolean }>;
  /**
   * The machine carried out a choice: 'vault-kept' closes a conflict resolved 'vault'; 'capture-missing'
   * undoes a 'machine' choice the machine cannot carry out (the flag stays) and marks the capture missing.
   */
  settleConflict(credentialId: number, machine: string, how: ConflictSettlement): Promise<void>;

  recordMachine(machine: { name: string; client: string; filterState: string; journalDepth: number }): Promise<void>;

  appendEvents(events: EventRecord[]): Promise<void>;
  queryEvents(q: EventQuery): Promise<EventRecord[]>;

  close(): Promise<void>;
}
