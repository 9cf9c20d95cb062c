/**
 * Managing hub users: create, new password, disable, enable, new role or permissions, forget failed logins. Each change is an
 * event in the vault, stored before the caller hears it is done. Used by the hub host's CLI
 * (`pwbridge hub-user`), which works on the database directly, so a hub whose only admin forgot the
 * password can be recovered by whoever holds the host (and its vault key). The checks are the API's:
 * names by checkName, roles and permissions by the store, passwords by checkUserPassword.
 */
import * as net from 'node:net';
import type { EventRecord } from '../domain/types';
import { VaultNotFoundError, type VaultPort } from '../ports/vault.port';
import { VaultInputError } from '../vault/errors';
import { foldName } from '../domain/fold-name';
import { checkName } from '../vault/validate';
import { HUB_MACHINE } from './access';
import { HttpError } from './http-error';
import { addressThrottleKey, userThrottleKey } from './login-throttle';
import { resetMfa } from './mfa';
import { hashPassword } from './passwords';
import { checkPermissions, checkRole, type HubStore, type HubUser, type Permission, type Role } from './store';

/** Hub user passwords: long enough to resist online guessing together with the rate limit. */
export const MIN_USER_PASSWORD = 12;
export const MAX_USER_PASSWORD = 1024;

/** One rule for a hub user's password, for the API and the hub host's CLI (src/cli/commands/hub-user.ts). */
export function checkUserPassword(password: Buffer): void {
  if (password.length < MIN_USER_PASSWORD || password.length > MAX_USER_PASSWORD) {
    throw new HttpError(400, 'bad-request', `password must be ${MIN_USER_PASSWORD} to ${MAX_USER_PASSWORD} bytes`);
  }
}

/** What changes a user, and who asked (said in each event's reason, e.g. "the hub host's CLI"). */
export interface UserAdmin {
  vault: VaultPort;
  store: HubStore;
  by: string;
  now?: () => number;
}

/** The event kinds of user changes (in access.ts's HUB_EVENT_KINDS: an agent may not append them). */
type UserEventKind = 'user-created' | 'user-disabled' | 'user-enabled' | 'user-changed' | 'user-password-set' | 'login-throttle-cleared' | 'mfa-reset';

const describeAccess = (role: Role, permissions: readonly Permission[]) => `role ${role}${permissions.length ? `, ${permissions.join(', ')}` : ', no permissions'}`;
const sessions = (n: number) => (n === 1 ? '1 session ended' : `${n} sessions ended`);

async function record(a: UserAdmin, account: string, kind: UserEventKind, reason: string): Promise<void> {
  const e: EventRecord = { time: (a.now ?? Date.now)(), machine: HUB_MACHINE, account, kind, outcome: 'ok', reason };
  await a.vault.appendEvents([e]);
}

async function found<T>(name: string, result: Promise<T | undefined>): Promise<T> {
  const r = await result;
  if (r === undefined) throw new VaultNotFoundError(`user "${name}"`);
  return r;
}

export async function createUser(a: UserAdmin, name: string, role: Role, permissions: Permission[], password: Buffer): Promise<HubUser> {
  checkName('name', name);
  const r = checkRole(role);
  const perms = checkPermissions(r, permissions);
  checkUserPassword(password);
  const user = await a.store.createUser({ name, role: r, permissions: perms }, await hashPassword(password));
  await record(a, user.name, 'user-created', `${describeAccess(r, perms)}; by ${a.by}`);
  return user;
}

/** A new password; the user's sessions end and its failed logins are forgotten. */
export async function setPassword(a: UserAdmin, name: string, password: Buffer): Promise<{ user: HubUser; sessionsEnded: number }> {
  checkUserPassword(password);
  const r = await found(name, a.store.setUserPassword(name, await hashPassword(password)));
  await record(a, r.user.name, 'user-password-set', `password of user "${r.user.name}" set by ${a.by}; ${sessions(r.sessionsEnded)}, failed logins cleared`);
  return r;
}

/** Disable (sessions end) or enable; no event when the user already was so. */
export async function setDisabled(a: UserAdmin, name: string, disabled: boolean): Promise<{ user: HubUser; changed: boolean; sessionsEnded: number }> {
  const r = await found(name, a.store.setUserDisabled(name, disabled));
  if (r.changed) {
    await record(a, r.user.name, disabled ? 'user-disabled' : 'user-enabled',
      `user "${r.user.name}" ${disabled ? `disabled by ${a.by}; ${sessions(r.sessionsEnded)}` : `enabled by ${a.by}`}`);
  }
  return r;
}

/** A new role and/or permissions; what is not given stays. No event when nothing changes. */
export async function changeAccess(a: UserAdmin, name: string, change: { role?: Role; permissions?: Permission[] }): Promise<{ before: HubUser; after: HubUser; changed: boolean }> {
  const current = await found(name, a.store.findUser(name));
  const role = checkRole(change.role ?? current.role);
  const perms = checkPermissions(role, change.permissions ?? current.permissions);
  if (role === current.role && perms.join(',') === current.permissions.join(',')) return { before: current, after: current, changed: false };
  const r = await found(name, a.store.setUserRole(name, role, perms));
  await record(a, r.after.name, 'user-changed',
    `user "${r.after.name}": ${describeAccess(r.before.role, r.before.permissions)} → ${describeAccess(r.after.role, r.after.permissions)}; by ${a.by}`);
  return { ...r, changed: true };
}

/**
 * The spellings of an address the hub may have counted failures under: a hub listening on both stacks
 * sees an IPv4 peer as `::ffff:a.b.c.d`.
 */
function addressKeys(address: string): string[] {
  const kind = net.isIP(address);
  if (kind === 0) throw new VaultInputError(`address must be an IPv4 or IPv6 address, got ${JSON.stringify(address)}`);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (kind === 4) return [address, `::ffff:${address}`];
  return mapped ? [address, mapped] : [address];
}

/**
 * Forget the failed logins counted against a user (and an address): its next login is not slowed down.
 * The hub host's way in when someone keeps guessing an admin's password (src/hub/login-throttle.ts);
 * recorded even when nothing was counted (who cleared what, and when).
 */
export async function clearThrottle(a: UserAdmin, name: string, address?: string): Promise<{ user: HubUser; userRows: number; addressRows: number }> {
  const keys = address === undefined ? [] : addressKeys(address);
  const user = await found(name, a.store.findUser(name));
  const userRows = await a.store.throttle.clear(userThrottleKey(foldName(user.name)));
  let addressRows = 0;
  for (const k of keys) addressRows += await a.store.throttle.clear(addressThrottleKey(k));
  const what = `failed logins of user "${user.name}"${address === undefined ? '' : ` and of address ${address}`}`;
  await record(a, user.name, 'login-throttle-cleared',
    `${what} cleared by ${a.by}${userRows + addressRows === 0 ? ' (none were counted)' : ''}`);
  return { user, userRows, addressRows };
}

/**
 * Remove a user's TOTP second factor (they lost their phone): they log in with the password alone and may
 * enrol again; their sessions end. Recorded even when they had none (who did what, and when).
 */
export async function resetUserMfa(a: UserAdmin, name: string): Promise<{ user: HubUser; had: boolean; sessionsEnded: number }> {
  const user = await found(name, a.store.findUser(name));
  const r = await resetMfa(a.store, user.id);
  await record(a, user.name, 'mfa-reset',
    `second factor of user "${user.name}" ${r.had ? 'removed' : 'reset (none was in force)'} by ${a.by}; ${sessions(r.sessionsEnded)}`);
  return { user: { ...user, mfa: false }, ...r };
}
