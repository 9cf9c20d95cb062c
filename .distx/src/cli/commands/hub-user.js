"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.BY_HOST_CLI = void 0;
exports.registerHubUser = registerHubUser;
/**
 * `pwbridge hub-user …`: the hub's users, managed on the hub host itself, straight on the hub's database
 * (the same data dir and --db as `pwbridge hub`; the hub may be running). Whoever holds the host holds
 * the vault key already, so this is how a hub whose only admin forgot the password is recovered.
 * Exit 0 done, 1 refused (no such user, the last admin, a name taken), 2 bad arguments. `passwd` and
 * `unthrottle` are the way in when the hub's login throttle slows an admin down (or their password is lost).
 */
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const commander_1 = require("commander");
const paths_1 = require("../../config/paths");
const api_1 = require("../../hub/api");
const http_error_1 = require("../../hub/http-error");
const server_1 = require("../../hub/server");
const store_1 = require("../../hub/store");
const user_admin_1 = require("../../hub/user-admin");
const errors_1 = require("../../vault/errors");
const validate_1 = require("../../vault/validate");
const errors_2 = require("../errors");
const options_1 = require("../options");
const hub_user_password_1 = require("./hub-user-password");
const hub_1 = require("./hub");
/** Said in every event's reason: who made the change. */
exports.BY_HOST_CLI = "the hub host's CLI";
const DB_HELP = 'the hub\'s PostgreSQL URL, as given to pwbridge hub; default: SQLite in the data dir';
const collect = (v, all = []) => [...all, v];
function registerHubUser(program) {
    const cmd = program.command('hub-user').description('the hub\'s users, on the hub host: list, add, passwd, disable, enable, set, unthrottle');
    cmd.command('list')
        .description('every hub user with role, permissions and whether it is enabled')
        .option('--db <url>', DB_HELP)
        .option('--json', 'one JSON object per line', false)
        .action(async (o, c) => {
        await withHub(c, o.db, async (a) => {
            const users = (await a.store.listUsers()).map(view);
            if (o.json)
                return (0, options_1.printJsonLines)(users);
            if (users.length === 0)
                process.stdout.write('no users (pwbridge hub makes the first admin when it starts)\n');
            for (const u of users) {
                process.stdout.write(`${u.name}  ${u.role}  ${u.permissions.join(',') || '-'}  ${u.disabled ? 'disabled' : 'enabled'}  created ${u.createdAt}\n`);
            }
        });
    });
    cmd.command('add <name>')
        .description('a new user; its password from stdin (one line), or asked twice at the terminal')
        .addOption(new commander_1.Option('--role <role>', 'viewer, operator or admin').makeOptionMandatory())
        .option('--permission <permission>', `a permission (${store_1.PERMISSIONS.join(', ')}); repeatable`, collect)
        .option('--db <url>', DB_HELP)
        .action(async (name, o, c) => {
        checkNameArg(name);
        const role = usage('--role', () => (0, store_1.checkRole)(o.role));
        const permissions = usage('--permission', () => (0, store_1.checkPermissions)(role, o.permission ?? []));
        await withPassword(`hub-user add ${name}`, async (password) => {
            await withHub(c, o.db, async (a) => {
                const u = await (0, user_admin_1.createUser)(a, name, role, permissions, password);
                process.stdout.write(`user "${u.name}" created: ${describe(u)}\n`);
            });
        });
    });
    cmd.command('passwd <name>')
        .description('set a user\'s password (stdin, one line; or asked twice at the terminal); its sessions end')
        .option('--db <url>', DB_HELP)
        .action(async (name, o, c) => {
        checkNameArg(name);
        await withPassword(`hub-user passwd ${name}`, async (password) => {
            await withHub(c, o.db, async (a) => {
                const r = await (0, user_admin_1.setPassword)(a, name, password);
                process.stdout.write(`password of user "${r.user.name}" set; ${r.sessionsEnded} session(s) ended\n`);
            });
        });
    });
    for (const disabled of [true, false]) {
        cmd.command(`${disabled ? 'disable' : 'enable'} <name>`)
            .description(disabled ? 'a user may no longer log in; its sessions end (never the last enabled admin)' : 'a disabled user may log in again')
            .option('--db <url>', DB_HELP)
            .action(async (name, o, c) => {
            checkNameArg(name);
            await withHub(c, o.db, async (a) => {
                const r = await (0, user_admin_1.setDisabled)(a, name, disabled);
                const state = disabled ? 'disabled' : 'enabled';
                process.stdout.write(!r.changed ? `user "${r.user.name}" was already ${state}\n`
                    : `user "${r.user.name}" ${state}${disabled ? `; ${r.sessionsEnded} session(s) ended` : ''}\n`);
            });
        });
    }
    cmd.command('set <name>')
        .description('a new role and/or permissions (never demoting the last enabled admin)')
        .option('--role <role>', 'viewer, operator or admin')
        .option('--permission <permission>', `the permissions to hold (${store_1.PERMISSIONS.join(', ')}), replacing the current ones; repeatable`, collect)
        .option('--no-permissions', 'hold no permission')
        .option('--db <url>', DB_HELP)
        .action(async (name, o, c) => {
        checkNameArg(name);
        if (o.permission && !o.permissions)
            throw new errors_2.UsageError('hub-user set: --permission and --no-permissions exclude each other');
        const role = o.role === undefined ? undefined : usage('--role', () => (0, store_1.checkRole)(o.role));
        const permissions = !o.permissions ? [] : o.permission;
        if (role === undefined && permissions === undefined)
            throw new errors_2.UsageError('hub-user set: nothing to change; give --role, --permission or --no-permissions');
        if (permissions?.length)
            usage('--permission', () => (0, store_1.checkPermissions)(role ?? 'admin', permissions));
        await withHub(c, o.db, async (a) => {
            const r = await (0, user_admin_1.changeAccess)(a, name, { role, permissions: permissions });
            process.stdout.write(r.changed ? `user "${r.after.name}": ${describe(r.before)} → ${describe(r.after)}\n`
                : `user "${r.after.name}" already has ${describe(r.after)}\n`);
        });
    });
    cmd.command('unthrottle <name>')
        .description('forget a user\'s failed logins (and with --address, an address\'s): the next login is not slowed down')
        .option('--address <ip>', 'also forget the failed logins counted against this address (any user names)')
        .option('--db <url>', DB_HELP)
        .action(async (name, o, c) => {
        checkNameArg(name);
        if (o.address !== undefined && net.isIP(o.address) === 0)
            throw new errors_2.UsageError(`--address: not an IPv4 or IPv6 address: ${JSON.stringify(o.address)}`);
        await withHub(c, o.db, async (a) => {
            const r = await (0, user_admin_1.clearThrottle)(a, name, o.address);
            process.stdout.write(`failed logins of user "${r.user.name}" cleared${r.userRows ? '' : ' (none were counted)'}`
                + `${o.address === undefined ? '' : `; of address ${o.address}: ${r.addressRows ? 'cleared' : 'none were counted'}`}\n`);
        });
    });
}
const view = (u) => ({ name: u.name, role: u.role, permissions: u.permissions, disabled: u.disabled, createdAt: new Date(u.createdAt).toISOString() });
const describe = (u) => `role ${u.role}, ${u.permissions.length ? `permissions ${u.permissions.join(', ')}` : 'no permissions'}`;
/** A check that throws VaultInputError becomes a usage error naming the argument. */
function usage(arg, fn) {
    try {
        return fn();
    }
    catch (err) {
        if (err instanceof errors_1.VaultInputError)
            throw new errors_2.UsageError(`${arg}: ${err.message}`);
        throw err;
    }
}
function checkNameArg(name) {
    usage('NAME', () => (0, validate_1.checkName)('name', name));
}
/** The new password, checked by the API's rule, wiped when `fn` is done (or failed). */
async function withPassword(what, fn) {
    const password = await (0, hub_user_password_1.readNewPassword)(what);
    try {
        try {
            (0, api_1.checkUserPassword)(password);
        }
        catch (err) {
            if (err instanceof http_error_1.HttpError)
                throw new errors_2.UsageError(`${what}: the ${err.message}`);
            throw err;
        }
        await fn(password);
    }
    finally {
        password.fill(0);
    }
}
/**
 * The hub's vault and store on its database. The data dir must hold the hub's vault key (and, without
 * --db, its SQLite file): opening would otherwise make a new, empty hub instead of managing the real one.
 */
async function withHub(c, db, fn) {
    if (db !== undefined)
        (0, hub_1.checkDbUrl)(db);
    const dataDir = (0, options_1.dataDirOf)(c);
    const paths = (0, paths_1.dataPaths)(dataDir);
    if (!fs.existsSync(paths.vaultKey)) {
        throw new errors_2.UsageError(`no hub in ${dataDir}: it holds no vault key (give the hub's --data-dir, and its --db if it uses PostgreSQL)`);
    }
    if (db === undefined && !fs.existsSync(paths.vaultDb)) {
        throw new errors_2.UsageError(`no hub database in ${dataDir} (${paths.vaultDb} does not exist); a hub on PostgreSQL needs its --db URL`);
    }
    const { vault, store } = await (0, server_1.openHubDatabase)(dataDir, db);
    try {
        await fn({ vault, store, by: exports.BY_HOST_CLI });
    }
    finally {
        await store.close();
        await vault.close();
    }
}
//# sourceMappingURL=hub-user.js.map