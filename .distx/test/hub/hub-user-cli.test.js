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
// `pwbridge hub-user` on the hub host: the real CLI as a child process, on the database of a real hub
// that serves logins over HTTPS at the same time, on both engines. What it changes shows in logins
// (sessions end, passwords change, disabled users are refused), in the vault's events, and never leaks
// a password.
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const cli_1 = require("../cli/cli");
const hub_1 = require("../helpers/hub");
const ALICE_PW = 'Alice-Pw-canary-3f9e21';
const ALICE_NEW_PW = 'Alice-New-canary-77ab0c';
const ADMIN_NEW_PW = 'Admin-New-canary-c4d5e6';
const CANARIES = [ALICE_PW, ALICE_NEW_PW, ADMIN_NEW_PW];
for (const engine of ['sqlite', 'postgres']) {
    describe(`pwbridge hub-user (${engine})`, function () {
        this.timeout(120_000);
        let t;
        const seen = [];
        beforeEach(async () => {
            t = await (0, hub_1.startTestHub)(engine, { limits: { perUser: 3, perAddress: 50, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, windowMs: 3_600_000 } });
        });
        afterEach(async () => {
            await t.close();
        });
        after(() => {
            // Every CLI run of this file, stdout and stderr: no password, ever.
            for (const r of cli_1.transcript) {
                for (const c of CANARIES) {
                    node_assert_1.strict.equal((0, cli_1.findSecret)(r.stdoutBytes, c), undefined, `a password in stdout: ${r.stdout}`);
                    node_assert_1.strict.equal((0, cli_1.findSecret)(r.stderrBytes, c), undefined, `a password in stderr: ${r.stderr}`);
                }
            }
            node_assert_1.strict.ok(seen.length > 0);
        });
        /** `pwbridge --data-dir <hub's> hub-user ...args [--db URL]`. */
        async function cli(args, stdin) {
            const r = await (0, cli_1.runCli)(['hub-user', ...args, ...(t.db ? ['--db', t.db] : [])], { dataDir: t.dataDir, stdin, timeoutMs: 60_000 });
            seen.push(r);
            return r;
        }
        const me = async (token) => t.client(token).request('GET', '/api/me');
        const users = async () => (0, cli_1.jsonLines)(await cli(['list', '--json']));
        const events = async () => (await t.hub.vault.queryEvents({ limit: 100_000 })).filter((e) => e.kind.startsWith('user-'));
        it('adds a user who can log in, lists it, and records user-created by the hub host\'s CLI', async () => {
            const before = await users();
            node_assert_1.strict.deepEqual(before.map((u) => [u.name, u.role, u.disabled]), [[hub_1.ADMIN, 'admin', false]]);
            const r = await cli(['add', 'alice', '--role', 'operator', '--permission', 'setup-ad-sync'], `${ALICE_PW}\n`);
            (0, cli_1.assertExit)(r, 0, 'add');
            node_assert_1.strict.match(r.stdout, /user "alice" created: role operator, permissions setup-ad-sync/);
            const listed = (await users()).find((u) => u.name === 'alice');
            node_assert_1.strict.deepEqual(listed && { role: listed.role, permissions: listed.permissions, disabled: listed.disabled }, { role: 'operator', permissions: ['setup-ad-sync'], disabled: false });
            const login = await t.login('alice', ALICE_PW);
            node_assert_1.strict.equal(login.status, 200);
            node_assert_1.strict.equal((await me(login.body.token)).body.user.role, 'operator');
            const ev = await events();
            node_assert_1.strict.equal(ev.length, 1);
            node_assert_1.strict.equal(ev[0].kind, 'user-created');
            node_assert_1.strict.equal(ev[0].machine, 'hub');
            node_assert_1.strict.equal(ev[0].account, 'alice');
            node_assert_1.strict.match(ev[0].reason ?? '', /role operator, setup-ad-sync; by the hub host's CLI/);
            // The text list too.
            const text = await cli(['list']);
            (0, cli_1.assertExit)(text, 0, 'list');
            node_assert_1.strict.match(text.stdout, /^alice {2}operator {2}setup-ad-sync {2}enabled {2}created \d{4}-/m);
        });
        it('passwd: the new password works, the old does not, sessions end, failed logins are cleared', async () => {
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'viewer'], ALICE_PW), 0, 'add');
            const session = (await t.login('alice', ALICE_PW)).body.token;
            node_assert_1.strict.equal((await me(session)).status, 200);
            for (let i = 0; i < 3; i++)
                node_assert_1.strict.equal((await t.login('alice', `wrong-${i}-password`)).status, 401);
            node_assert_1.strict.equal((await t.login('alice', ALICE_PW)).status, 429, 'the limit is reached before passwd');
            const r = await cli(['passwd', 'alice'], `${ALICE_NEW_PW}\n`);
            (0, cli_1.assertExit)(r, 0, 'passwd');
            node_assert_1.strict.match(r.stdout, /password of user "alice" set; 1 session\(s\) ended/);
            node_assert_1.strict.equal((await me(session)).status, 401, 'the session from before the change has ended');
            node_assert_1.strict.equal((await t.login('alice', ALICE_NEW_PW)).status, 200, 'the new password, with the failures cleared');
            node_assert_1.strict.equal((await t.login('alice', ALICE_PW)).status, 401, 'the old password');
            const ev = (await events()).filter((e) => e.kind === 'user-password-set');
            node_assert_1.strict.equal(ev.length, 1);
            node_assert_1.strict.match(ev[0].reason ?? '', /password of user "alice" set by the hub host's CLI; 1 session ended, failed logins cleared/);
        });
        it('unthrottle: a user slowed down by failed logins gets in at once with the password it has; with --address, the address too; recorded', async () => {
            for (let i = 0; i < 3; i++)
                node_assert_1.strict.equal((await t.login(hub_1.ADMIN, `wrong-${i}-password`)).status, 401);
            node_assert_1.strict.equal((await t.login(hub_1.ADMIN, hub_1.ADMIN_PASSWORD)).status, 429, 'slowed down: the next attempt is an hour away');
            const r = await cli(['unthrottle', 'ADMIN']);
            (0, cli_1.assertExit)(r, 0, 'unthrottle');
            node_assert_1.strict.equal(r.stdout, 'failed logins of user "admin" cleared\n');
            node_assert_1.strict.equal((await t.login(hub_1.ADMIN, hub_1.ADMIN_PASSWORD)).status, 200, 'the same password, at once');
            const address = await t.hub.store.sql.all("SELECT key, failures FROM hub_login_failures WHERE key LIKE 'ip:%'");
            node_assert_1.strict.deepEqual(address, [{ key: 'ip:127.0.0.1', failures: 3 }], 'the address still counts the three');
            const both = await cli(['unthrottle', hub_1.ADMIN, '--address', '127.0.0.1']);
            (0, cli_1.assertExit)(both, 0, 'unthrottle --address');
            node_assert_1.strict.equal(both.stdout, 'failed logins of user "admin" cleared (none were counted); of address 127.0.0.1: cleared\n');
            node_assert_1.strict.deepEqual(await t.hub.store.sql.all('SELECT key FROM hub_login_failures'), []);
            const ev = (await t.hub.vault.queryEvents({ kind: 'login-throttle-cleared' })).map((e) => [e.machine, e.account, e.reason]);
            node_assert_1.strict.deepEqual(ev, [
                ['hub', hub_1.ADMIN, 'failed logins of user "admin" cleared by the hub host\'s CLI'],
                ['hub', hub_1.ADMIN, 'failed logins of user "admin" and of address 127.0.0.1 cleared by the hub host\'s CLI'],
            ]);
            (0, cli_1.assertRefused)(await cli(['unthrottle', hub_1.ADMIN, '--address', 'not-an-ip']), 'bad address', /--address: not an IPv4 or IPv6 address: "not-an-ip"/);
            const ghost = await cli(['unthrottle', 'ghost']);
            (0, cli_1.assertExit)(ghost, 1, 'unthrottle ghost');
            node_assert_1.strict.match(ghost.stderr, /user "ghost" does not exist/);
        });
        it('recovers a forgotten admin password', async () => {
            (0, cli_1.assertExit)(await cli(['passwd', hub_1.ADMIN], ADMIN_NEW_PW), 0, 'passwd admin');
            node_assert_1.strict.equal((await t.login(hub_1.ADMIN, hub_1.ADMIN_PASSWORD)).status, 401);
            const login = await t.login(hub_1.ADMIN, ADMIN_NEW_PW);
            node_assert_1.strict.equal(login.status, 200);
            node_assert_1.strict.equal((await t.client(login.body.token).request('GET', '/api/users')).status, 200);
        });
        it('disable ends the sessions and refuses logins; enable lets the user in again', async () => {
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'operator'], ALICE_PW), 0, 'add');
            const session = (await t.login('alice', ALICE_PW)).body.token;
            node_assert_1.strict.equal((await me(session)).status, 200);
            const off = await cli(['disable', 'alice']);
            (0, cli_1.assertExit)(off, 0, 'disable');
            node_assert_1.strict.match(off.stdout, /user "alice" disabled; 1 session\(s\) ended/);
            node_assert_1.strict.equal((await me(session)).status, 401);
            node_assert_1.strict.equal((await t.login('alice', ALICE_PW)).status, 401);
            node_assert_1.strict.equal((await users()).find((u) => u.name === 'alice')?.disabled, true);
            const again = await cli(['disable', 'alice']);
            (0, cli_1.assertExit)(again, 0, 'disable again');
            node_assert_1.strict.match(again.stdout, /already disabled/);
            (0, cli_1.assertExit)(await cli(['enable', 'alice']), 0, 'enable');
            const back = await t.login('alice', ALICE_PW);
            node_assert_1.strict.equal(back.status, 200);
            node_assert_1.strict.equal((await me(back.body.token)).status, 200);
            node_assert_1.strict.deepEqual((await events()).map((e) => e.kind), ['user-created', 'user-disabled', 'user-enabled'], 'no event for a change that changed nothing');
            const disabled = (await events()).find((e) => e.kind === 'user-disabled');
            node_assert_1.strict.match(disabled.reason ?? '', /user "alice" disabled by the hub host's CLI; 1 session ended/);
        });
        it('set changes role and permissions, and refuses setup-ad-sync for a viewer', async () => {
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'operator', '--permission', 'setup-ad-sync'], ALICE_PW), 0, 'add');
            const kept = await cli(['set', 'alice', '--role', 'viewer']);
            (0, cli_1.assertExit)(kept, 1, 'viewer keeping setup-ad-sync');
            node_assert_1.strict.match(kept.stderr, /setup-ad-sync needs role operator or admin/);
            const r = await cli(['set', 'alice', '--role', 'viewer', '--no-permissions']);
            (0, cli_1.assertExit)(r, 0, 'set');
            node_assert_1.strict.match(r.stdout, /role operator, permissions setup-ad-sync → role viewer, no permissions/);
            const login = await t.login('alice', ALICE_PW);
            node_assert_1.strict.deepEqual((await me(login.body.token)).body.user, { name: 'alice', role: 'viewer', permissions: [], disabled: false });
            (0, cli_1.assertExit)(await cli(['set', 'alice', '--role', 'admin', '--permission', 'setup-ad-sync']), 0, 'set admin');
            node_assert_1.strict.equal((await t.client(login.body.token).request('GET', '/api/users')).status, 200, 'the new role counts in a session from before');
            const changed = (await events()).filter((e) => e.kind === 'user-changed');
            node_assert_1.strict.equal(changed.length, 2);
            node_assert_1.strict.match(changed[0].reason ?? '', /^user "alice": role operator, setup-ad-sync → role viewer, no permissions; by the hub host's CLI$/);
        });
        it('never disables or demotes the last enabled admin', async () => {
            for (const args of [['disable', hub_1.ADMIN], ['set', hub_1.ADMIN, '--role', 'operator']]) {
                const r = await cli(args);
                (0, cli_1.assertExit)(r, 1, args.join(' '));
                node_assert_1.strict.match(r.stderr, /user "admin" is the last enabled admin/);
                node_assert_1.strict.equal(r.stdout, '');
            }
            node_assert_1.strict.equal((await t.login(hub_1.ADMIN, hub_1.ADMIN_PASSWORD)).status, 200, 'the admin still logs in');
            // With a second admin, the first may go; then the second is the last.
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'admin'], ALICE_PW), 0, 'add admin');
            (0, cli_1.assertExit)(await cli(['disable', hub_1.ADMIN]), 0, 'disable the first admin');
            (0, cli_1.assertExit)(await cli(['set', 'alice', '--role', 'operator']), 1, 'demote the last');
            (0, cli_1.assertExit)(await cli(['disable', 'alice']), 1, 'disable the last');
            // A disabled admin does not count, and may be demoted.
            (0, cli_1.assertExit)(await cli(['set', hub_1.ADMIN, '--role', 'viewer', '--no-permissions']), 0, 'demote a disabled admin');
            node_assert_1.strict.deepEqual((await users()).map((u) => [u.name, u.role, u.disabled]), [[hub_1.ADMIN, 'viewer', true], ['alice', 'admin', false]]);
        });
        it('refuses bad arguments with exit 2 naming them, unknown users and taken names with exit 1', async () => {
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'boss'], ALICE_PW), 'bad role', /--role: role must be one of admin, operator, viewer/);
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'viewer', '--permission', 'root'], ALICE_PW), 'bad permission', /--permission: permissions must be a list of setup-ad-sync/);
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'viewer', '--permission', 'setup-ad-sync'], ALICE_PW), 'viewer with setup-ad-sync', /--permission: .*needs role operator or admin/);
            (0, cli_1.assertRefused)(await cli(['add', 'alice'], ALICE_PW), 'no role', /--role/);
            (0, cli_1.assertRefused)(await cli(['add', ' ', '--role', 'viewer'], ALICE_PW), 'blank name', /NAME: /);
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'viewer'], 'short-pw\n'), 'short password', /password must be 12 to 1024 bytes/);
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'viewer'], `${ALICE_PW}\nsecond line\n`), 'two lines', /more than one line/);
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'viewer']), 'empty stdin', /stdin held no password/);
            (0, cli_1.assertRefused)(await cli(['add', 'alice', '--role', 'viewer', '--password', ALICE_PW]), 'password in argv', /unknown option '--password'/);
            (0, cli_1.assertRefused)(await cli(['set', 'alice']), 'nothing to set', /nothing to change/);
            (0, cli_1.assertRefused)(await cli(['set', 'alice', '--permission', 'setup-ad-sync', '--no-permissions']), 'both', /exclude each other/);
            (0, cli_1.assertRefused)(await cli(['frobnicate', 'alice']), 'unknown subcommand', /unknown command 'frobnicate'/);
            if (t.db)
                (0, cli_1.assertRefused)(await (0, cli_1.runCli)(['hub-user', 'list', '--db', 'postgres://u:pw@localhost/x'], { dataDir: t.dataDir }), 'password in --db', /--db: the URL holds a password/);
            const elsewhere = await (0, cli_1.runCli)(['hub-user', 'list'], { dataDir: path.join(t.dataDir, 'not-a-hub') });
            (0, cli_1.assertRefused)(elsewhere, 'no hub there', /no hub in .*not-a-hub/);
            node_assert_1.strict.equal(fs.existsSync(path.join(t.dataDir, 'not-a-hub')), false, 'nothing made where no hub is');
            node_assert_1.strict.deepEqual((await users()).map((u) => u.name), [hub_1.ADMIN], 'nothing was created');
            for (const args of [['passwd', 'ghost'], ['disable', 'ghost'], ['enable', 'ghost'], ['set', 'ghost', '--role', 'viewer']]) {
                const r = await cli(args, ALICE_PW);
                (0, cli_1.assertExit)(r, 1, args.join(' '));
                node_assert_1.strict.match(r.stderr, /user "ghost" does not exist/);
            }
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'viewer'], ALICE_PW), 0, 'add');
            const taken = await cli(['add', 'ALICE', '--role', 'viewer'], ALICE_PW);
            (0, cli_1.assertExit)(taken, 1, 'a name taken (case-insensitively)');
            node_assert_1.strict.match(taken.stderr, /user "ALICE" already exists/);
            node_assert_1.strict.equal((await events()).length, 1, 'refusals change nothing and record nothing');
        });
        it('asks twice at a terminal, echo off; two different answers change nothing', async () => {
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'viewer'], ALICE_PW), 0, 'add');
            const differ = await atTerminal(['passwd', 'alice'], [ALICE_NEW_PW, `${ALICE_NEW_PW}x`]);
            node_assert_1.strict.equal(differ.code, 2, differ.output);
            node_assert_1.strict.match(differ.output, /the two passwords typed differ; nothing changed/);
            node_assert_1.strict.equal((await t.login('alice', ALICE_PW)).status, 200);
            const same = await atTerminal(['passwd', 'alice'], [ALICE_NEW_PW, ALICE_NEW_PW]);
            node_assert_1.strict.equal(same.code, 0, same.output);
            node_assert_1.strict.match(same.output, /New password: [\s\S]*Same password again: [\s\S]*password of user "alice" set/);
            for (const r of [differ, same])
                node_assert_1.strict.equal((0, cli_1.findSecret)(Buffer.from(r.output), ALICE_NEW_PW), undefined, 'echoed at the terminal');
            node_assert_1.strict.equal((await t.login('alice', ALICE_NEW_PW)).status, 200);
        });
        /** The CLI on a pseudo-terminal (util-linux script), each answer typed after its prompt shows. */
        async function atTerminal(args, answers) {
            const quote = (a) => `'${a.replace(/'/g, `'\\''`)}'`;
            const argv = [process.execPath, cli_1.BIN, '--data-dir', t.dataDir, 'hub-user', ...args, ...(t.db ? ['--db', t.db] : [])];
            const child = (0, node_child_process_1.spawn)('script', ['-qec', argv.map(quote).join(' '), '/dev/null'], { cwd: cli_1.REPO, stdio: ['pipe', 'pipe', 'pipe'] });
            let output = '';
            child.stdout.on('data', (b) => { output += b.toString('utf8'); });
            child.stderr.on('data', (b) => { output += b.toString('utf8'); });
            const done = new Promise((resolve) => child.once('close', resolve));
            const prompts = ['New password: ', 'Same password again: '];
            for (let i = 0; i < answers.length; i++) {
                await (0, cli_1.pollUntil)(`prompt ${prompts[i]}`, () => (output.split(prompts[i]).length > 1 ? true : undefined), 30_000, 50);
                child.stdin.write(`${answers[i]}\r`);
            }
            const code = await done;
            child.stdin.end();
            return { code, output };
        }
        it('keeps every password out of events, the hub\'s log and (SQLite) the database file', async () => {
            (0, cli_1.assertExit)(await cli(['add', 'alice', '--role', 'operator'], ALICE_PW), 0, 'add');
            (0, cli_1.assertExit)(await cli(['passwd', 'alice'], ALICE_NEW_PW), 0, 'passwd');
            node_assert_1.strict.equal((await t.login('alice', ALICE_NEW_PW)).status, 200);
            const all = Buffer.from(JSON.stringify(await t.hub.vault.queryEvents({ limit: 100_000 })));
            const log = fs.readFileSync(t.logFile);
            const files = t.db ? [] : fs.readdirSync(t.dataDir).filter((f) => f.startsWith('vault.db')).map((f) => fs.readFileSync(path.join(t.dataDir, f)));
            if (!t.db)
                node_assert_1.strict.ok(files.length > 0);
            for (const c of CANARIES) {
                node_assert_1.strict.equal((0, cli_1.findSecret)(all, c), undefined, 'in events');
                node_assert_1.strict.equal((0, cli_1.findSecret)(log, c), undefined, 'in the hub log');
                for (const f of files)
                    node_assert_1.strict.equal((0, cli_1.findSecret)(f, c), undefined, 'in the SQLite file');
            }
        });
    });
}
//# sourceMappingURL=hub-user-cli.test.js.map