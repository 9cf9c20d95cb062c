import type { Client, Credential, EventQuery, EventRecord, Flag, Mode } from '../domain/types';

export class VaultConflictError extends Error {
  constructor(readonly credentialId: number, readonly expected: number, readonly actual: number) {
    super(`credential ${credentialId} is at version ${actual}, the write was based on version ${expected}`);
    this.name = 'VaultConflictError';
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
 * The vault: the embedded SQLite store (default) and the hub's HTTP API implement it.
 * Password bytes are UTF-8 and cross this port as Buffers so callers can wipe them.
 * Every write that comes from a captured event carries the event id: the vault applies each id once,
 * so a re-delivered event has no second effect (`applied: false`).
 */
export interface VaultPort {
  addClient(client: Client): Promise<Client>;
  getClient(name: string): Promise<Client | undefined>;
  listClients(): Promise<Client[]>;

  addCredential(cred: NewCredential, eventId?: string): Promise<Credential>;
  updateCredential(client: string, username: string, change: CredentialChange): Promise<Credential>;
  listCredentials(client: string): Promise<Credential[]>;
  /** Case-insensitive exact username match within the client. */
  findCredential(client: string, username: string): Promise<Credential | undefined>;
  /** The password, decrypted. The caller wipes it (`buf.fill(0)`). */
  readPassword(credentialId: number): Promise<Buffer>;

  /**
   * Set the password from a local change, if the credential is still at `baseVersion`. `capturedAt`
   * becomes the credential's passwordSetAt (when the password was chosen, not when it arrived).
   * Throws VaultConflictError otherwise. Idempotent per eventId.
   */
  setPasswordFromCapture(credentialId: number, password: Buffer, baseVersion: number, eventId: string, capturedAt?: number):
    Promise<{ credential: Credential; applied: boolean }>;
  /** Create a credential for an unknown account. Idempotent per eventId. */
  createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number): Promise<{ credential: Credential; applied: boolean }>;

  setFlag(credentialId: number, flag: Flag, on: boolean): Promise<void>;

  recordMachine(machine: { name: string; client: string; filterState: string; journalDepth: number }): Promise<void>;

  appendEvents(events: EventRecord[]): Promise<void>;
  queryEvents(q: EventQuery): Promise<EventRecord[]>;

  close(): Promise<void>;
}
