/**
 * Input checks for the vault. Each error names the field and the offending name (never a password), so
 * a caller (CLI, hub API) can show it as is.
 */
import { CLIENT_DEFAULTS, type Client, type ClientOptions, type EventRecord, type Flag, type Mode, type NewClient } from '../domain/types';
import type { ClientChange, CredentialChange, NewCredential } from '../ports/vault.port';
import { VaultInputError } from './errors';

export const FLAGS: readonly Flag[] = ['mismatch', 'conflict', 'policy-refused'];
const OUTCOMES: ReadonlySet<string> = new Set(['ok', 'skipped', 'flagged', 'refused', 'failed', 'info']);
const MAX_NAME = 256;

/** A client, machine or user name: non-empty, no control characters (they break logs and the CLI), bounded. */
export function checkName(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new VaultInputError(`${what} must be a non-empty string`);
  if (value.length > MAX_NAME) throw new VaultInputError(`${what} is longer than ${MAX_NAME} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new VaultInputError(`${what} ${JSON.stringify(value)} contains a control character`);
  return value;
}

export function checkMode(what: string, value: unknown): Mode {
  if (value !== 'report' && value !== 'change') {
    throw new VaultInputError(`${what} must be 'report' or 'change', got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkBool(what: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new VaultInputError(`${what} must be true or false`);
  return value;
}

export function checkFlag(value: unknown): Flag {
  if (!FLAGS.includes(value as Flag)) throw new VaultInputError(`flag must be one of ${FLAGS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as Flag;
}

/** Only the type is checked: the content is a secret and is never looked at or echoed. */
export function checkPassword(value: unknown): Buffer {
  if (!Buffer.isBuffer(value)) throw new VaultInputError('password must be a Buffer');
  return value;
}

/** Event ids are hex; folded so that a re-delivery in other case is still recognised. */
export function checkEventId(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9A-Za-z_-]{1,128}$/.test(value)) {
    throw new VaultInputError('event id must be 1 to 128 characters of [0-9A-Za-z_-]');
  }
  return value.toLowerCase();
}

export function checkId(what: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new VaultInputError(`${what} must be a non-negative integer`);
  return value as number;
}

const CLIENT_OPTIONS = Object.keys(CLIENT_DEFAULTS) as Array<keyof ClientOptions>;

/** A new client with CLIENT_DEFAULTS for the options it does not give; unknown fields are refused by name. */
export function checkNewClient(c: NewClient): Client {
  if (c === null || typeof c !== 'object') throw new VaultInputError('client must be an object');
  checkName('client name', c.name);
  const { name, ...options } = c;
  return { name, ...CLIENT_DEFAULTS, ...checkClientChange(options) } as Client;
}

/** The options given (each checked), nothing else: a field that is not an option is refused by name. */
export function checkClientChange(c: ClientChange): ClientChange {
  if (c === null || typeof c !== 'object') throw new VaultInputError('client change must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c)) {
    if (value === undefined) continue;
    if (!CLIENT_OPTIONS.includes(key as keyof ClientOptions)) {
      throw new VaultInputError(`${JSON.stringify(key)} is not a client option (options: ${CLIENT_OPTIONS.join(', ')})`);
    }
    out[key] = key === 'defaultMode' ? checkMode(key, value) : checkBool(key, value);
  }
  return out as ClientChange;
}

export function checkNewCredential(c: NewCredential): void {
  checkName('client name', c?.client);
  checkName('username', c.username);
  checkPassword(c.password);
  checkBool('windowsSync', c.windowsSync);
  checkMode('mode', c.mode);
}

export function checkChange(c: CredentialChange): void {
  if (c === null || typeof c !== 'object') throw new VaultInputError('change must be an object');
  if (c.mode !== undefined) checkMode('mode', c.mode);
  if (c.windowsSync !== undefined) checkBool('windowsSync', c.windowsSync);
  if (c.password !== undefined) checkPassword(c.password);
}

export function checkEvent(e: EventRecord, index: number): void {
  const at = `event ${index}`;
  if (!Number.isSafeInteger(e?.time)) throw new VaultInputError(`${at}: time must be an integer (ms)`);
  checkName(`${at}: machine`, e.machine);
  checkName(`${at}: kind`, e.kind);
  if (!OUTCOMES.has(e.outcome)) throw new VaultInputError(`${at}: outcome ${JSON.stringify(e.outcome)} is not one of ${[...OUTCOMES].join(', ')}`);
  if (e.account !== undefined && typeof e.account !== 'string') throw new VaultInputError(`${at}: account must be a string`);
  if (e.credentialId !== undefined) checkId(`${at}: credentialId`, e.credentialId);
  if (e.reason !== undefined && typeof e.reason !== 'string') throw new VaultInputError(`${at}: reason must be a string`);
  if (e.traceId !== undefined && typeof e.traceId !== 'string') throw new VaultInputError(`${at}: traceId must be a string`);
  if (e.uid !== undefined && (typeof e.uid !== 'string' || !/^[0-9a-f]{32}$/.test(e.uid))) {
    throw new VaultInputError(`${at}: uid must be 32 lowercase hex characters`);
  }
}
