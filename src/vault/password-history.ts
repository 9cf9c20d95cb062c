/**
 * Password history, what every vault engine does the same way: where a password came from (its source),
 * how a source is stored (one JSON text column), how an earlier password is sealed (its own AAD, bound to
 * the version, so a history record cannot be swapped in as the current password or as another version),
 * and the input checks of the history methods.
 *
 * Every write that replaces a password moves the one it replaces into the history in the same
 * transaction, and keeps only the newest `keep` earlier ones (DEFAULT_HISTORY_KEEP).
 */
import { ROTATION_TRIGGERS, type PasswordHistoryEntry, type PasswordSource, type RotationTrigger } from '../ports/vault.port';
import { VaultInputError } from './errors';
import type { SecretBox } from './secret-box';
import { checkId, checkName } from './validate';

/** Earlier passwords kept per credential unless the vault is opened with another number. */
export const DEFAULT_HISTORY_KEEP = 10;
/** A bound on the option: every write deletes beyond it, and a listing returns all of them. */
export const MAX_HISTORY_KEEP = 1000;

/** AAD for an earlier password of a credential: the version is part of it. */
export function historyContext(id: number, usernameKey: string, version: number): string {
  return `history\u0000${id}\u0000${usernameKey}\u0000${version}`;
}

/** The opened record, or undefined when it does not open (damaged, or moved from another row). */
export function openOrUndefined(box: SecretBox, sealed: Buffer, context: string): Buffer | undefined {
  try {
    return box.open(sealed, context);
  } catch {
    return undefined;
  }
}

/** The `keep` option: a whole number from 0 (keep none) to MAX_HISTORY_KEEP. */
export function checkHistoryKeep(keep: unknown): number {
  if (keep === undefined) return DEFAULT_HISTORY_KEEP;
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 0 || keep > MAX_HISTORY_KEEP) {
    throw new VaultInputError(`historyKeep must be a whole number from 0 to ${MAX_HISTORY_KEEP}, got ${JSON.stringify(keep)}`);
  }
  return keep;
}

/** A source as given to a write: checked, so a stored one always reads back. Undefined stays undefined (not recorded). */
export function checkSource(source: unknown): PasswordSource | undefined {
  if (source === undefined) return undefined;
  const s = source as Partial<Record<string, unknown>>;
  if (typeof s !== 'object' || s === null) throw new VaultInputError('password source must be an object');
  switch (s.kind) {
    case 'capture': {
      const machine = checkName('password source machine', s.machine);
      return s.resolvedBy === undefined ? { kind: 'capture', machine }
        : { kind: 'capture', machine, resolvedBy: checkName('password source resolvedBy', s.resolvedBy) };
    }
    case 'user': return { kind: 'user', user: checkName('password source user', s.user) };
    case 'cli': return { kind: 'cli' };
    case 'import': return { kind: 'import' };
    case 'restore':
      return { kind: 'restore', fromVersion: checkId('password source fromVersion', s.fromVersion), by: checkName('password source by', s.by) };
    case 'rotation': {
      if (!ROTATION_TRIGGERS.includes(s.trigger as RotationTrigger)) {
        throw new VaultInputError(`password source trigger must be ${ROTATION_TRIGGERS.join(', ')}, got ${JSON.stringify(s.trigger)}`);
      }
      const trigger = s.trigger as RotationTrigger;
      return s.by === undefined ? { kind: 'rotation', trigger } : { kind: 'rotation', trigger, by: checkName('password source by', s.by) };
    }
    default:
      throw new VaultInputError(`password source kind must be capture, user, cli, import, restore or rotation, got ${JSON.stringify(s.kind)}`);
  }
}

/** The stored form (NULL: not recorded, as for every password set before the history existed). */
export function encodeSource(source: PasswordSource | undefined): string | null {
  return source === undefined ? null : JSON.stringify(source);
}

/** A stored source that does not parse reads as not recorded rather than failing the listing. */
export function decodeSource(text: string | null): PasswordSource | undefined {
  if (text === null) return undefined;
  try {
    return checkSource(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** One line for people: the dashboard, the CLI and events. */
export function describeSource(source: PasswordSource | undefined): string {
  if (!source) return 'not recorded';
  switch (source.kind) {
    case 'capture': return `captured on ${source.machine}${source.resolvedBy ? `, conflict resolved by ${source.resolvedBy}` : ''}`;
    case 'user': return `set by ${source.user}`;
    case 'cli': return 'set with the local CLI';
    case 'import': return 'imported';
    case 'restore': return `restored from version ${source.fromVersion} by ${source.by}`;
    case 'rotation': return describeRotation(source.trigger, source.by);
  }
}

/** A rotation's source in words (the dashboard's history.js says the same). */
export function describeRotation(trigger: RotationTrigger, by?: string): string {
  switch (trigger) {
    case 'schedule': return 'rotated on schedule';
    case 'after-read': return 'rotated after it was read';
    case 'manual': return `rotated now by ${by ?? 'a user'}`;
  }
}

/** The arguments of restorePassword, checked. */
export function checkRestore(credentialId: unknown, version: unknown, by: unknown): { credentialId: number; version: number; by: string } {
  return { credentialId: checkId('credentialId', credentialId), version: checkId('version', version), by: checkName('restored by', by) };
}

/** A password_history row as both SQL engines return it. */
export interface HistoryRow { version: number; set_at: number; source: string | null; replaced_at: number }

export function toHistoryEntry(r: HistoryRow): PasswordHistoryEntry {
  const e: PasswordHistoryEntry = { version: r.version, setAt: r.set_at, current: false, replacedAt: r.replaced_at };
  const source = decodeSource(r.source);
  if (source) e.source = source;
  return e;
}

/** The listing's first entry: the credential's own row. */
export function currentEntry(version: number, setAt: number, sourceText: string | null): PasswordHistoryEntry {
  const e: PasswordHistoryEntry = { version, setAt, current: true };
  const source = decodeSource(sourceText);
  if (source) e.source = source;
  return e;
}
