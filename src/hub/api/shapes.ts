/**
 * The shapes more than one route answers with or takes (a client, a credential, an event, a hub user), as
 * schema.ts shapes: the OpenAPI document is generated from them and the tests check real answers against
 * it, so a field added here without the code (or the other way round) fails a test.
 */
import { ROTATION_TRIGGERS } from '../../ports/vault.port';
import { FLAGS } from '../../vault/validate';
import { PERMISSIONS, ROLES, type HubUser } from '../store';
import { bool, either, integer, list, nullable, obj, oneOf, str, type Schema } from '../schema';

export const MODES = ['report', 'change'] as const;
export const OUTCOMES = ['ok', 'skipped', 'flagged', 'refused', 'failed', 'info'] as const;

const CLIENT_OPTION_FIELDS = { windowsSync: bool, twoWaySync: bool, autoCreate: bool, defaultMode: str, agentsWriteShared: bool };
/** A new client: the name, and the options that are not to be the defaults (CLIENT_DEFAULTS; the vault fills them in). */
export const newClientBody = obj({ name: str, ...CLIENT_OPTION_FIELDS }, Object.keys(CLIENT_OPTION_FIELDS));
export const clientChangeBody = obj(CLIENT_OPTION_FIELDS, Object.keys(CLIENT_OPTION_FIELDS));

/** A client as the vault answers it: every option, the defaults filled in. */
export const client: Schema = obj({ name: str, ...CLIENT_OPTION_FIELDS, defaultMode: oneOf(MODES) });
/** A credential (never its password). */
export const credential: Schema = obj({
  id: integer, client: str, username: str, windowsSync: bool, mode: oneOf(MODES), version: integer,
  flags: list(oneOf(FLAGS)), updatedAt: integer, passwordSetAt: integer,
});
/** A capture write's answer: the credential, and whether this call changed it (a repeated event id does not). */
export const captureResult: Schema = obj({ credential, applied: bool });

/** An event as stored and read back (appendEvents takes the same fields, id aside, with outcome any string the vault checks). */
export const event: Schema = obj(
  { id: integer, uid: str, time: integer, machine: str, account: str, credentialId: integer, kind: str, outcome: oneOf(OUTCOMES), reason: str, traceId: str },
  ['uid', 'account', 'credentialId', 'reason', 'traceId'],
);

/** Where a password came from (PasswordSource): `kind` says which fields come with it. */
export const passwordSource: Schema = either(
  obj({ kind: oneOf(['capture']), machine: str, resolvedBy: str }, ['resolvedBy']),
  obj({ kind: oneOf(['user']), user: str }),
  obj({ kind: oneOf(['cli', 'import']) }),
  obj({ kind: oneOf(['restore']), fromVersion: integer, by: str }),
  obj({ kind: oneOf(['rotation']), trigger: oneOf(ROTATION_TRIGGERS), by: str }, ['by']),
);
export const historyEntry: Schema = obj(
  { version: integer, setAt: integer, source: passwordSource, current: bool, replacedAt: integer },
  ['source', 'replacedAt'],
);

/** A hub user as the API shows one: no id, no hash, no creation time. */
export const user: Schema = obj({ name: str, role: oneOf(ROLES), permissions: list(oneOf(PERMISSIONS)), disabled: bool });
export const publicUser = (u: HubUser) => ({ name: u.name, role: u.role, permissions: u.permissions, disabled: u.disabled });
export const userAnswer: Schema = obj({ user });

/** An enrolled agent: its client and machine (the token is shown once, at enrolment). */
export const agent: Schema = obj({ client: str, machine: str });

export const machine: Schema = obj({ name: str, client: str, filterState: str, journalDepth: integer, lastSeen: integer });
export const empty: Schema = obj({});
export const nullableClient = nullable(client);
export const nullableCredential = nullable(credential);

/** The shapes the OpenAPI document names (components/schemas) and refers to wherever a route uses them. */
export const NAMED_SHAPES: ReadonlyMap<Schema, string> = new Map([
  [client, 'Client'], [credential, 'Credential'], [event, 'Event'], [passwordSource, 'PasswordSource'], [historyEntry, 'PasswordHistoryEntry'],
  [user, 'User'], [agent, 'Agent'], [machine, 'Machine'],
]);
