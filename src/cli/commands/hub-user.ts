/**
 * `pwbridge hub-user …`: the hub's users, managed on the hub host itself, straight on the hub's database
 * (the same data dir and --db as `pwbridge hub`; the hub may be running). Whoever holds the host holds
 * the vault key already, so this is how a hub whose only admin forgot the password is recovered.
 * Exit 0 done, 1 refused (no such user, the last admin, a name taken), 2 bad arguments. `passwd` and
 * `unthrottle` are the way in when the hub's login throttle slows an admin down (or their password is lost).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Option, type Command } from 'commander';
import { dataPaths } from '../../config/paths';
import { HttpError } from '../../hub/http-error';
import { openHubDatabase } from '../../hub/server';
import { PERMISSIONS, checkPermissions, checkRole, type HubUser, type Permission, type Role } from '../../hub/store';
import { changeAccess, checkUserPassword, clearThrottle, createUser, resetUserMfa, setDisabled, setPassword, type UserAdmin } from '../../hub/user-admin';
import { VaultInputError } from '../../vault/errors';
import { checkName } from '../../vault/validate';
import { UsageError } from '../errors';
import { dataDirOf, printJsonLines } from '../options';
import { readNewPassword } from './hub-user-password';
import { checkDbUrl } from './hub';

/** Said in every event's reason: who made the change. */
export const BY_HOST_CLI = "the hub host's CLI";

const DB_HELP = 'the hub\'s PostgreSQL URL, as given to pwbridge hub; default: SQLite in the data dir';
const collect = (v: string, all: string[] = []) => [...all, v];

export function registerHubUser(program: Command): void {
  const cmd = program.command('hub-user').description('the hub\'s users, on the hub host: list, add, passwd, disable, enable, set, mfa-reset, unthrottle');

  cmd.command('list')
    .description('every hub user with role, permissions and whether it is enabled')
    .option('--db <url>', DB_HELP)
    .option('--json', 'one JSON object per line', false)
    .action(async (o: { db?: string; json: boolean }, c: Command) => {
      await withHub(c, o.db, async (a) => {
        const users = (await a.store.listUsers()).map(view);
        if (o.json) return printJsonLines(users);
        if (users.length === 0) process.stdout.write('no users (pwbridge hub makes the first admin when it starts)\n');
        for (const u of users) {
          process.stdout.write(`${u.name}  ${u.role}  ${u.permissions.join(',') || '-'}  ${u.disabled ? 'disabled' : 'enabled'}  created ${u.createdAt}\n`);
        }
      });
    });

  cmd.command('add <name>')
    .description('a new user; its password from stdin (one line), or asked twice at the terminal')
    .addOption(new Option('--role <role>', 'viewer, operator or admin').makeOptionMandatory())
    .option('--permission <permission>', `a permission (${PERMISSIONS.join(', ')}); repeatable`, collect)
    .option('--db <url>', DB_HELP)
    .action(async (name: string, o: { role: string; permission?: string[]; db?: string }, c: Command) => {
      checkNameArg(name);
      const role = usage('--role', () => checkRole(o.role));
      const permissions = usage('--permission', () => checkPermissions(role, o.permission ?? []));
      await withPassword(`hub-user add ${name}`, async (password) => {
        await withHub(c, o.db, async (a) => {
          const u = await createUser(a, name, role, permissions, password);
          process.stdout.write(`user "${u.name}" created: ${describe(u)}\n`);
        });
      });
    });

  cmd.command('passwd <name>')
    .description('set a user\'s password (stdin, one line; or asked twice at the terminal); its sessions end')
    .option('--db <url>', DB_HELP)
    .action(async (name: string, o: { db?: string }, c: Command) => {
      checkNameArg(name);
      await withPassword(`hub-user passwd ${name}`, async (password) => {
        await withHub(c, o.db, async (a) => {
          const r = await setPassword(a, name, password);
          process.stdout.write(`password of user "${r.user.name}" set; ${r.sessionsEnded} session(s) ended\n`);
        });
      });
    });

  for (const disabled of [true, false]) {
    cmd.command(`${disabled ? 'disable' : 'enable'} <name>`)
      .description(disabled ? 'a user may no longer log in; its sessions end (never the last enabled admin)' : 'a disabled user may log in again')
      .option('--db <url>', DB_HELP)
      .action(async (name: string, o: { db?: string }, c: Command) => {
        checkNameArg(name);
        await withHub(c, o.db, async (a) => {
          const r = await setDisabled(a, name, disabled);
          const state = disabled ? 'disabled' : 'enabled';
          process.stdout.write(!r.changed ? `user "${r.user.name}" was already ${state}\n`
            : `user "${r.user.name}" ${state}${disabled ? `; ${r.sessionsEnded} session(s) ended` : ''}\n`);
        });
      });
  }

  cmd.command('set <name>')
    .description('a new role and/or permissions (never demoting the last enabled admin)')
    .option('--role <role>', 'viewer, operator or admin')
    .option('--permission <permission>', `the permissions to hold (${PERMISSIONS.join(', ')}), replacing the current ones; repeatable`, collect)
    .option('--no-permissions', 'hold no permission')
    .option('--db <url>', DB_HELP)
    .action(async (name: string, o: { role?: string; permission?: string[]; permissions: boolean; db?: string }, c: Command) => {
      checkNameArg(name);
      if (o.permission && !o.permissions) throw new UsageError('hub-user set: --permission and --no-permissions exclude each other');
      const role = o.role === undefined ? undefined : usage('--role', () => checkRole(o.role));
      const permissions = !o.permissions ? [] : o.permission;
      if (role === undefined && permissions === undefined) throw new UsageError('hub-user set: nothing to change; give --role, --permission or --no-permissions');
      if (permissions?.length) usage('--permission', () => checkPermissions(role ?? 'admin', permissions));
      await withHub(c, o.db, async (a) => {
        const r = await changeAccess(a, name, { role, permissions: permissions as Permission[] | undefined });
        process.stdout.write(r.changed ? `user "${r.after.name}": ${describe(r.before)} → ${describe(r.after)}\n`
          : `user "${r.after.name}" already has ${describe(r.after)}\n`);
      });
    });

  cmd.command('mfa-reset <name>')
    .description('remove a user\'s TOTP second factor (a lost phone): they log in with the password alone and may enrol again; its sessions end')
    .option('--db <url>', DB_HELP)
    .action(async (name: string, o: { db?: string }, c: Command) => {
      checkNameArg(name);
      await withHub(c, o.db, async (a) => {
        const r = await resetUserMfa(a, name);
        process.stdout.write(`second factor of user "${r.user.name}" ${r.had ? 'removed' : 'reset (none was on)'}; ${r.sessionsEnded} session(s) ended\n`);
      });
    });

  cmd.command('unthrottle <name>')
    .description('forget a user\'s failed logins (and with --address, an address\'s): the next login is not slowed down')
    .option('--address <ip>', 'also forget the failed logins counted against this address (any user names)')
    .option('--db <url>', DB_HELP)
    .action(async (name: string, o: { address?: string; db?: string }, c: Command) => {
      checkNameArg(name);
      if (o.address !== undefined && net.isIP(o.address) === 0) throw new UsageError(`--address: not an IPv4 or IPv6 address: ${JSON.stringify(o.address)}`);
      await withHub(c, o.db, async (a) => {
        const r = await clearThrottle(a, name, o.address);
        process.stdout.write(`failed logins of user "${r.user.name}" cleared${r.userRows ? '' : ' (none were counted)'}`
          + `${o.address === undefined ? '' : `; of address ${o.address}: ${r.addressRows ? 'cleared' : 'none were counted'}`}\n`);
      });
    });
}

const view = (u: HubUser) => ({ name: u.name, role: u.role, permissions: u.permissions, disabled: u.disabled, mfa: u.mfa, createdAt: new Date(u.createdAt).toISOString() });
const describe = (u: { role: Role; permissions: Permission[] }) => `role ${u.role}, ${u.permissions.length ? `permissions ${u.permissions.join(', ')}` : 'no permissions'}`;

/** A check that throws VaultInputError becomes a usage error naming the argument. */
function usage<T>(arg: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof VaultInputError) throw new UsageError(`${arg}: ${err.message}`);
    throw err;
  }
}

function checkNameArg(name: string): void {
  usage('NAME', () => checkName('name', name));
}

/** The new password, checked by the API's rule, wiped when `fn` is done (or failed). */
async function withPassword(what: string, fn: (password: Buffer) => Promise<void>): Promise<void> {
  const password = await readNewPassword(what);
  try {
    try {
      checkUserPassword(password);
    } catch (err) {
      if (err instanceof HttpError) throw new UsageError(`${what}: the ${err.message}`);
      throw err;
    }
    await fn(password);
  } finally {
    password.fill(0);
  }
}

/**
 * The hub's vault and store on its database. The data dir must hold the hub's vault key (and, without
 * --db, its SQLite file): opening would otherwise make a new, empty hub instead of managing the real one.
 */
async function withHub(c: Command, db: string | undefined, fn: (a: UserAdmin) => Promise<void>): Promise<void> {
  if (db !== undefined) checkDbUrl(db);
  const dataDir = dataDirOf(c);
  const paths = dataPaths(dataDir);
  if (!fs.existsSync(paths.vaultKey)) {
    throw new UsageError(`no hub in ${dataDir}: it holds no vault key (give the hub's --data-dir, and its --db if it uses PostgreSQL)`);
  }
  if (db === undefined && !fs.existsSync(paths.vaultDb)) {
    throw new UsageError(`no hub database in ${dataDir} (${paths.vaultDb} does not exist); a hub on PostgreSQL needs its --db URL`);
  }
  const { vault, store } = await openHubDatabase(dataDir, db);
  try {
    await fn({ vault, store, by: BY_HOST_CLI });
  } finally {
    await store.close();
    await vault.close();
  }
}
