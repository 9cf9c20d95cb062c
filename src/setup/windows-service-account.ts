// Which account the pwbridge service runs as, decided (and every refusal raised) before install changes
// anything:
// - create (the default): a new local account, `serviceAccount` from config.json (`pwbridge`), with a
//   random password; uninstall deletes it;
// - existing (`--service-account NAME`): a local administrator that is already there, as the vendor
//   guide allows, with its password given on stdin (checked with LogonUserW); install grants it only
//   what running a service needs, and uninstall takes back only that: the account, its group membership
//   and its other rights stay as they were;
// - wine: under Wine (wine.ts), the Wine user every process runs as, whose password is unknown: nothing
//   created or deleted, and no credential stored.
// For the last two, config.json's `serviceAccount` is set to the account, so the service never reconciles it.

import { ConfigError } from '../config/config-error';
import type { AccountSid } from '../platform/windows/account-lookup';
import { sidFromString } from '../platform/windows/sid';
import type { WindowsSystem } from '../platform/windows/system';
import { utf8ToWideZ, WideStringError } from '../platform/windows/utf16';
import type { WindowsManifest } from './manifest';

export type AccountKind = 'create' | 'existing' | 'wine';

export interface ServiceAccountChoice {
  kind: AccountKind;
  name: string;
  /** Known now unless a new account is still to be created. */
  sid?: AccountSid;
  /** A previous install set it up: nothing to do for it. */
  kept: boolean;
  /** existing, not kept, not a dry run: its password, checked (the caller wipes it). */
  password?: Buffer;
  /** Under Wine: its version. */
  wine?: string;
  /** config.json's serviceAccount must be set to `name` (it names another, or nothing). */
  writeConfig: boolean;
}

export interface ServiceAccountInputs {
  sys: WindowsSystem;
  /** config.serviceAccount (config.json's, or the default `pwbridge`). */
  configured: string;
  /** config.json's own serviceAccount field, when it has one. */
  configuredInFile?: string;
  /** --service-account NAME. */
  requested?: string;
  win: WindowsManifest;
  dryRun: boolean;
  /** Asks for NAME's password (stdin, or the terminal without echo). */
  readPassword(name: string): Promise<Buffer>;
}

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** The account name without its `DOMAIN\`. */
const bare = (name: string) => name.slice(name.lastIndexOf('\\') + 1);

export async function chooseServiceAccount(i: ServiceAccountInputs): Promise<ServiceAccountChoice> {
  const { sys, win } = i;
  const wine = sys.self.wineVersion();
  if (wine !== undefined) return wineUser(i, wine);
  if (i.requested !== undefined) {
    if (i.configuredInFile !== undefined && !same(i.configuredInFile, i.requested)) {
      throw new ConfigError('--service-account', `names ${i.requested}, and config.json's serviceAccount names ${i.configuredInFile}`,
        `Pass --service-account ${i.configuredInFile}, or remove serviceAccount from config.json`);
    }
    return existingAccount(i, i.requested);
  }
  if (win.existingAccount) {
    if (!same(win.existingAccount.name, i.configured)) {
      throw new ConfigError('serviceAccount', `install set up the existing account "${win.existingAccount.name}", and config.json now names "${i.configured}"`,
        'Run pwbridge uninstall first, or set "serviceAccount" back');
    }
    return existingAccount(i, win.existingAccount.name);
  }
  return newAccount(i);
}

function newAccount(i: ServiceAccountInputs): ServiceAccountChoice {
  const { sys, win } = i;
  const name = i.configured;
  const existing = sys.users.get(name);
  const ours = win.account !== undefined && same(win.account.name, name);
  if (existing && !ours) {
    throw new ConfigError('serviceAccount', `a local account named "${name}" already exists and pwbridge install did not create it`,
      `To run the service as it (it must be a local administrator), pass --service-account ${name} with its password on stdin; `
      + 'or set "serviceAccount" in config.json to a name no local account has (install creates it), or remove that account');
  }
  if (win.account && !ours) {
    throw new ConfigError('serviceAccount', `install created the account "${win.account.name}", and config.json now names "${name}"`,
      'Run pwbridge uninstall first, or set "serviceAccount" back');
  }
  if (ours && !existing) {
    throw new ConfigError(name, 'was created by pwbridge install and no longer exists', 'Run pwbridge uninstall, then install again');
  }
  return { kind: 'create', name, sid: existing ? sys.lookup.sidOf(name) : undefined, kept: ours, writeConfig: false };
}

async function existingAccount(i: ServiceAccountInputs, name: string): Promise<ServiceAccountChoice> {
  const { sys, win } = i;
  if (win.account) {
    if (same(win.account.name, name)) return newAccount({ ...i, configured: win.account.name });
    throw new ConfigError('--service-account', `install created the account "${win.account.name}" earlier; it cannot switch to ${name} in place`,
      'Run pwbridge uninstall first (it deletes the account it created), then install with --service-account');
  }
  if (win.existingAccount && !same(win.existingAccount.name, name)) {
    throw new ConfigError('--service-account', `install set up ${win.existingAccount.name} earlier; it cannot switch to ${name} in place`,
      'Run pwbridge uninstall first, then install with --service-account');
  }
  const kept = win.existingAccount !== undefined;
  if (!sys.users.get(name)) {
    throw new ConfigError('--service-account', `there is no local account named "${name}"`,
      'Name an existing local administrator, or leave --service-account out to have install create the account "pwbridge"');
  }
  const sid = sys.lookup.sidOf(name);
  if (!sid) throw new ConfigError('--service-account', `"${name}" exists, but LookupAccountNameW finds no SID for it`, 'Name a local account of this machine');
  requireAdministrator(i.sys, name);
  let password: Buffer | undefined;
  if (!kept && !i.dryRun) password = await checkedPassword(i, name);
  return { kind: 'existing', name, sid, kept, password, writeConfig: !same(i.configuredInFile, name) };
}

/** The vendor guide: the service account is a local administrator (it reads and sets local passwords). */
function requireAdministrator(sys: WindowsSystem, name: string): void {
  const admins = sys.lookup.administratorsGroup();
  const groups = sys.users.localGroups(name) ?? [];
  if (!groups.some((g) => same(g, admins))) {
    throw new ConfigError('--service-account', `${name} is not a member of ${admins} (its local groups: ${groups.length ? groups.join(', ') : 'none'}), `
      + 'and the service account must be a local administrator to read and set local passwords',
      `Add it (net localgroup "${admins}" "${name}" /add) and install again, or name another account`);
  }
}

async function checkedPassword(i: ServiceAccountInputs, name: string): Promise<Buffer> {
  const password = await i.readPassword(name);
  let wide: Buffer | undefined;
  try {
    wide = utf8ToWideZ(password);
    if (!i.sys.users.passwordMatches(name, wide)) {
      throw new ConfigError('--service-account', `the password given is not ${name}'s (LogonUserW refused it); nothing was changed`,
        'Give its current password on stdin, one line (or at the prompt)');
    }
    return password;
  } catch (e) {
    password.fill(0);
    if (e instanceof ConfigError) throw e;
    if (e instanceof WideStringError) throw new ConfigError('--service-account', `the password given cannot be ${name}'s (${e.message})`, 'Give its current password');
    throw new ConfigError('--service-account', `the password of ${name} could not be checked: ${(e as Error).message}`, 'Try again once the account can log on');
  } finally {
    wide?.fill(0);
  }
}

/** Under Wine: the one user every process runs as. */
function wineUser(i: ServiceAccountInputs, wine: string): ServiceAccountChoice {
  const { sys, win } = i;
  const sidString = sys.self.userSid();
  const full = sys.lookup.nameOfSid(sidString);
  if (!full) throw new Error(`under Wine ${wine}, LookupAccountSidW does not name this process's user ${sidString}`);
  const name = bare(full);
  const why = `under Wine every process runs as the Wine user ${name}, and an account made there cannot be found by any other process`;
  for (const [what, other] of [['--service-account', i.requested], ['config.json\'s serviceAccount', i.configuredInFile]] as const) {
    if (other !== undefined && !same(other, name)) {
      throw new ConfigError(what, `names ${other}, but ${why}`, `Leave it out (or name ${name}): install takes ${name} as the service account there`);
    }
  }
  if (win.account) {
    throw new ConfigError('serviceAccount', `install created the account "${win.account.name}" earlier, and ${why}`, 'Run pwbridge uninstall first');
  }
  const sid = { sid: sidFromString(sidString), sidString, domain: full.includes('\\') ? full.slice(0, full.indexOf('\\')) : '' };
  requireAdministrator(sys, name);
  return { kind: 'wine', name, sid, kept: win.existingAccount !== undefined && same(win.existingAccount.name, name), wine, writeConfig: !same(i.configuredInFile, name) };
}
