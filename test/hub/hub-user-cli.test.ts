// `pwbridge hub-user` on the hub host: the real CLI as a child process, on the database of a real hub
// that serves logins over HTTPS at the same time, on both engines. What it changes shows in logins
// (sessions end, passwords change, disabled users are refused), in the vault's events, and never leaks
// a password.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { totpAt, totpStep } from '../../src/hub/totp';
import { fromBase32 } from '../helpers/base32';
import { BIN, REPO, assertExit, assertRefused, findSecret, jsonLines, pollUntil, runCli, transcript, type CliResult } from '../cli/cli';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const ALICE_PW = 'Alice-Pw-canary-3f9e21';
const ALICE_NEW_PW = 'Alice-New-canary-77ab0c';
const ADMIN_NEW_PW = 'Admin-New-canary-c4d5e6';
const CANARIES = [ALICE_PW, ALICE_NEW_PW, ADMIN_NEW_PW];

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`pwbridge hub-user (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    const seen: CliResult[] = [];

    beforeEach(async () => {
      t = await startTestHub(engine, { limits: { perUser: 3, perAddress: 50, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, windowMs: 3_600_000 } });
    });
    afterEach(async () => {
      await t.close();
    });
    after(() => {
      // Every CLI run of this file, stdout and stderr: no password, ever.
      for (const r of transcript) {
        for (const c of CANARIES) {
          assert.equal(findSecret(r.stdoutBytes, c), undefined, `a password in stdout: ${r.stdout}`);
          assert.equal(findSecret(r.stderrBytes, c), undefined, `a password in stderr: ${r.stderr}`);
        }
      }
      assert.ok(seen.length > 0);
    });

    /** `pwbridge --data-dir <hub's> hub-user ...args [--db URL]`. */
    async function cli(args: string[], stdin?: string): Promise<CliResult> {
      const r = await runCli(['hub-user', ...args, ...(t.db ? ['--db', t.db] : [])], { dataDir: t.dataDir, stdin, timeoutMs: 60_000 });
      seen.push(r);
      return r;
    }
    const me = async (token: string) => t.client(token).request('GET', '/api/me');
    const users = async () => jsonLines<{ name: string; role: string; permissions: string[]; disabled: boolean; mfa: boolean }>(await cli(['list', '--json']));
    const events = async () => (await t.hub.vault.queryEvents({ limit: 100_000 })).filter((e) => e.kind.startsWith('user-'));

    it('adds a user who can log in, lists it, and records user-created by the hub host\'s CLI', async () => {
      const before = await users();
      assert.deepEqual(before.map((u) => [u.name, u.role, u.disabled]), [[ADMIN, 'admin', false]]);
      const r = await cli(['add', 'alice', '--role', 'operator', '--permission', 'setup-ad-sync'], `${ALICE_PW}\n`);
      assertExit(r, 0, 'add');
      assert.match(r.stdout, /user "alice" created: role operator, permissions setup-ad-sync/);
      const listed = (await users()).find((u) => u.name === 'alice');
      assert.deepEqual(listed && { role: listed.role, permissions: listed.permissions, disabled: listed.disabled },
        { role: 'operator', permissions: ['setup-ad-sync'], disabled: false });
      const login = await t.login('alice', ALICE_PW);
      assert.equal(login.status, 200);
      assert.equal((await me(login.body.token)).body.user.role, 'operator');
      const ev = await events();
      assert.equal(ev.length, 1);
      assert.equal(ev[0].kind, 'user-created');
      assert.equal(ev[0].machine, 'hub');
      assert.equal(ev[0].account, 'alice');
      assert.match(ev[0].reason ?? '', /role operator, setup-ad-sync; by the hub host's CLI/);
      // The text list too.
      const text = await cli(['list']);
      assertExit(text, 0, 'list');
      assert.match(text.stdout, /^alice {2}operator {2}setup-ad-sync {2}enabled {2}created \d{4}-/m);
    });

    it('passwd: the new password works, the old does not, sessions end, failed logins are cleared', async () => {
      assertExit(await cli(['add', 'alice', '--role', 'viewer'], ALICE_PW), 0, 'add');
      const session = (await t.login('alice', ALICE_PW)).body.token as string;
      assert.equal((await me(session)).status, 200);
      for (let i = 0; i < 3; i++) assert.equal((await t.login('alice', `wrong-${i}-password`)).status, 401);
      assert.equal((await t.login('alice', ALICE_PW)).status, 429, 'the limit is reached before passwd');

      const r = await cli(['passwd', 'alice'], `${ALICE_NEW_PW}\n`);
      assertExit(r, 0, 'passwd');
      assert.match(r.stdout, /password of user "alice" set; 1 session\(s\) ended/);
      assert.equal((await me(session)).status, 401, 'the session from before the change has ended');
      assert.equal((await t.login('alice', ALICE_NEW_PW)).status, 200, 'the new password, with the failures cleared');
      assert.equal((await t.login('alice', ALICE_PW)).status, 401, 'the old password');
      const ev = (await events()).filter((e) => e.kind === 'user-password-set');
      assert.equal(ev.length, 1);
      assert.match(ev[0].reason ?? '', /password of user "alice" set by the hub host's CLI; 1 session ended, failed logins cleared/);
    });

    it('unthrottle: a user slowed down by failed logins gets in at once with the password it has; with --address, the address too; recorded', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await t.login(ADMIN, `wrong-${i}-password`)).status, 401);
      assert.equal((await t.login(ADMIN, ADMIN_PASSWORD)).status, 429, 'slowed down: the next attempt is an hour away');
      const r = await cli(['unthrottle', 'ADMIN']);
      assertExit(r, 0, 'unthrottle');
      assert.equal(r.stdout, 'failed logins of user "admin" cleared\n');
      assert.equal((await t.login(ADMIN, ADMIN_PASSWORD)).status, 200, 'the same password, at once');

      const address = await t.hub.store.sql.all<{ key: string; failures: number }>("SELECT key, failures FROM hub_login_failures WHERE key LIKE 'ip:%'");
      assert.deepEqual(address, [{ key: 'ip:127.0.0.1', failures: 3 }], 'the address still counts the three');
      const both = await cli(['unthrottle', ADMIN, '--address', '127.0.0.1']);
      assertExit(both, 0, 'unthrottle --address');
      assert.equal(both.stdout, 'failed logins of user "admin" cleared (none were counted); of address 127.0.0.1: cleared\n');
      assert.deepEqual(await t.hub.store.sql.all('SELECT key FROM hub_login_failures'), []);
      const ev = (await t.hub.vault.queryEvents({ kind: 'login-throttle-cleared' })).map((e) => [e.machine, e.account, e.reason]);
      assert.deepEqual(ev, [
        ['hub', ADMIN, 'failed logins of user "admin" cleared by the hub host\'s CLI'],
        ['hub', ADMIN, 'failed logins of user "admin" and of address 127.0.0.1 cleared by the hub host\'s CLI'],
      ]);
      assertRefused(await cli(['unthrottle', ADMIN, '--address', 'not-an-ip']), 'bad address', /--address: not an IPv4 or IPv6 address: "not-an-ip"/);
      const ghost = await cli(['unthrottle', 'ghost']);
      assertExit(ghost, 1, 'unthrottle ghost');
      assert.match(ghost.stderr, /user "ghost" does not exist/);
    });

    it('recovers a forgotten admin password', async () => {
      assertExit(await cli(['passwd', ADMIN], ADMIN_NEW_PW), 0, 'passwd admin');
      assert.equal((await t.login(ADMIN, ADMIN_PASSWORD)).status, 401);
      const login = await t.login(ADMIN, ADMIN_NEW_PW);
      assert.equal(login.status, 200);
      assert.equal((await t.client(login.body.token).request('GET', '/api/users')).status, 200);
    });

    it('disable ends the sessions and refuses logins; enable lets the user in again', async () => {
      assertExit(await cli(['add', 'alice', '--role', 'operator'], ALICE_PW), 0, 'add');
      const session = (await t.login('alice', ALICE_PW)).body.token as string;
      assert.equal((await me(session)).status, 200);

      const off = await cli(['disable', 'alice']);
      assertExit(off, 0, 'disable');
      assert.match(off.stdout, /user "alice" disabled; 1 session\(s\) ended/);
      assert.equal((await me(session)).status, 401);
      assert.equal((await t.login('alice', ALICE_PW)).status, 401);
      assert.equal((await users()).find((u) => u.name === 'alice')?.disabled, true);
      const again = await cli(['disable', 'alice']);
      assertExit(again, 0, 'disable again');
      assert.match(again.stdout, /already disabled/);

      assertExit(await cli(['enable', 'alice']), 0, 'enable');
      const back = await t.login('alice', ALICE_PW);
      assert.equal(back.status, 200);
      assert.equal((await me(back.body.token)).status, 200);
      assert.deepEqual((await events()).map((e) => e.kind), ['user-created', 'user-disabled', 'user-enabled'], 'no event for a change that changed nothing');
      const disabled = (await events()).find((e) => e.kind === 'user-disabled')!;
      assert.match(disabled.reason ?? '', /user "alice" disabled by the hub host's CLI; 1 session ended/);
    });

    it('set changes role and permissions, and refuses setup-ad-sync for a viewer', async () => {
      assertExit(await cli(['add', 'alice', '--role', 'operator', '--permission', 'setup-ad-sync'], ALICE_PW), 0, 'add');
      const kept = await cli(['set', 'alice', '--role', 'viewer']);
      assertExit(kept, 1, 'viewer keeping setup-ad-sync');
      assert.match(kept.stderr, /setup-ad-sync needs role operator or admin/);

      const r = await cli(['set', 'alice', '--role', 'viewer', '--no-permissions']);
      assertExit(r, 0, 'set');
      assert.match(r.stdout, /role operator, permissions setup-ad-sync → role viewer, no permissions/);
      const login = await t.login('alice', ALICE_PW);
      assert.deepEqual((await me(login.body.token)).body.user, { name: 'alice', role: 'viewer', permissions: [], disabled: false });
      assertExit(await cli(['set', 'alice', '--role', 'admin', '--permission', 'setup-ad-sync']), 0, 'set admin');
      assert.equal((await t.client(login.body.token).request('GET', '/api/users')).status, 200, 'the new role counts in a session from before');
      const changed = (await events()).filter((e) => e.kind === 'user-changed');
      assert.equal(changed.length, 2);
      assert.match(changed[0].reason ?? '', /^user "alice": role operator, setup-ad-sync → role viewer, no permissions; by the hub host's CLI$/);
    });

    it('never disables or demotes the last enabled admin', async () => {
      for (const args of [['disable', ADMIN], ['set', ADMIN, '--role', 'operator']]) {
        const r = await cli(args);
        assertExit(r, 1, args.join(' '));
        assert.match(r.stderr, /user "admin" is the last enabled admin/);
        assert.equal(r.stdout, '');
      }
      assert.equal((await t.login(ADMIN, ADMIN_PASSWORD)).status, 200, 'the admin still logs in');
      // With a second admin, the first may go; then the second is the last.
      assertExit(await cli(['add', 'alice', '--role', 'admin'], ALICE_PW), 0, 'add admin');
      assertExit(await cli(['disable', ADMIN]), 0, 'disable the first admin');
      assertExit(await cli(['set', 'alice', '--role', 'operator']), 1, 'demote the last');
      assertExit(await cli(['disable', 'alice']), 1, 'disable the last');
      // A disabled admin does not count, and may be demoted.
      assertExit(await cli(['set', ADMIN, '--role', 'viewer', '--no-permissions']), 0, 'demote a disabled admin');
      assert.deepEqual((await users()).map((u) => [u.name, u.role, u.disabled]), [[ADMIN, 'viewer', true], ['alice', 'admin', false]]);
    });

    it('refuses bad arguments with exit 2 naming them, unknown users and taken names with exit 1', async () => {
      assertRefused(await cli(['add', 'alice', '--role', 'boss'], ALICE_PW), 'bad role', /--role: role must be one of admin, operator, viewer/);
      assertRefused(await cli(['add', 'alice', '--role', 'viewer', '--permission', 'root'], ALICE_PW), 'bad permission', /--permission: permissions must be a list of setup-ad-sync/);
      assertRefused(await cli(['add', 'alice', '--role', 'viewer', '--permission', 'setup-ad-sync'], ALICE_PW), 'viewer with setup-ad-sync', /--permission: .*needs role operator or admin/);
      assertRefused(await cli(['add', 'alice'], ALICE_PW), 'no role', /--role/);
      assertRefused(await cli(['add', ' ', '--role', 'viewer'], ALICE_PW), 'blank name', /NAME: /);
      assertRefused(await cli(['add', 'alice', '--role', 'viewer'], 'short-pw\n'), 'short password', /password must be 12 to 1024 bytes/);
      assertRefused(await cli(['add', 'alice', '--role', 'viewer'], `${ALICE_PW}\nsecond line\n`), 'two lines', /more than one line/);
      assertRefused(await cli(['add', 'alice', '--role', 'viewer']), 'empty stdin', /stdin held no password/);
      assertRefused(await cli(['add', 'alice', '--role', 'viewer', '--password', ALICE_PW]), 'password in argv', /unknown option '--password'/);
      assertRefused(await cli(['set', 'alice']), 'nothing to set', /nothing to change/);
      assertRefused(await cli(['set', 'alice', '--permission', 'setup-ad-sync', '--no-permissions']), 'both', /exclude each other/);
      assertRefused(await cli(['frobnicate', 'alice']), 'unknown subcommand', /unknown command 'frobnicate'/);
      if (t.db) assertRefused(await runCli(['hub-user', 'list', '--db', 'postgres://u:pw@localhost/x'], { dataDir: t.dataDir }), 'password in --db', /--db: the URL holds a password/);
      const elsewhere = await runCli(['hub-user', 'list'], { dataDir: path.join(t.dataDir, 'not-a-hub') });
      assertRefused(elsewhere, 'no hub there', /no hub in .*not-a-hub/);
      assert.equal(fs.existsSync(path.join(t.dataDir, 'not-a-hub')), false, 'nothing made where no hub is');
      assert.deepEqual((await users()).map((u) => u.name), [ADMIN], 'nothing was created');

      for (const args of [['passwd', 'ghost'], ['disable', 'ghost'], ['enable', 'ghost'], ['set', 'ghost', '--role', 'viewer']]) {
        const r = await cli(args, ALICE_PW);
        assertExit(r, 1, args.join(' '));
        assert.match(r.stderr, /user "ghost" does not exist/);
      }
      assertExit(await cli(['add', 'alice', '--role', 'viewer'], ALICE_PW), 0, 'add');
      const taken = await cli(['add', 'ALICE', '--role', 'viewer'], ALICE_PW);
      assertExit(taken, 1, 'a name taken (case-insensitively)');
      assert.match(taken.stderr, /user "ALICE" already exists/);
      assert.equal((await events()).length, 1, 'refusals change nothing and record nothing');
    });

    it('asks twice at a terminal, echo off; two different answers change nothing', async () => {
      assertExit(await cli(['add', 'alice', '--role', 'viewer'], ALICE_PW), 0, 'add');
      const differ = await atTerminal(['passwd', 'alice'], [ALICE_NEW_PW, `${ALICE_NEW_PW}x`]);
      assert.equal(differ.code, 2, differ.output);
      assert.match(differ.output, /the two passwords typed differ; nothing changed/);
      assert.equal((await t.login('alice', ALICE_PW)).status, 200);
      const same = await atTerminal(['passwd', 'alice'], [ALICE_NEW_PW, ALICE_NEW_PW]);
      assert.equal(same.code, 0, same.output);
      assert.match(same.output, /New password: [\s\S]*Same password again: [\s\S]*password of user "alice" set/);
      for (const r of [differ, same]) assert.equal(findSecret(Buffer.from(r.output), ALICE_NEW_PW), undefined, 'echoed at the terminal');
      assert.equal((await t.login('alice', ALICE_NEW_PW)).status, 200);
    });

    /** The CLI on a pseudo-terminal (util-linux script), each answer typed after its prompt shows. */
    async function atTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
      const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
      const argv = [process.execPath, BIN, '--data-dir', t.dataDir, 'hub-user', ...args, ...(t.db ? ['--db', t.db] : [])];
      const child = spawn('script', ['-qec', argv.map(quote).join(' '), '/dev/null'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (b: Buffer) => { output += b.toString('utf8'); });
      child.stderr.on('data', (b: Buffer) => { output += b.toString('utf8'); });
      const done = new Promise<number | null>((resolve) => child.once('close', resolve));
      const prompts = ['New password: ', 'Same password again: '];
      for (let i = 0; i < answers.length; i++) {
        await pollUntil(`prompt ${prompts[i]}`, () => (output.split(prompts[i]).length > 1 ? true : undefined), 30_000, 50);
        child.stdin.write(`${answers[i]}\r`);
      }
      const code = await done;
      child.stdin.end();
      return { code, output };
    }

    it('keeps every password out of events, the hub\'s log and (SQLite) the database file', async () => {
      assertExit(await cli(['add', 'alice', '--role', 'operator'], ALICE_PW), 0, 'add');
      assertExit(await cli(['passwd', 'alice'], ALICE_NEW_PW), 0, 'passwd');
      assert.equal((await t.login('alice', ALICE_NEW_PW)).status, 200);
      const all = Buffer.from(JSON.stringify(await t.hub.vault.queryEvents({ limit: 100_000 })));
      const log = fs.readFileSync(t.logFile);
      const files = t.db ? [] : fs.readdirSync(t.dataDir).filter((f) => f.startsWith('vault.db')).map((f) => fs.readFileSync(path.join(t.dataDir, f)));
      if (!t.db) assert.ok(files.length > 0);
      for (const c of CANARIES) {
        assert.equal(findSecret(all, c), undefined, 'in events');
        assert.equal(findSecret(log, c), undefined, 'in the hub log');
        for (const f of files) assert.equal(findSecret(f, c), undefined, 'in the SQLite file');
      }
    });

    it('mfa-reset: a user who lost their phone logs in with the password alone again; sessions end; recorded', async () => {
      assertExit(await cli(['add', 'alice', '--role', 'operator'], ALICE_PW), 0, 'add');
      const token = (await t.login('alice', ALICE_PW)).body.token as string;
      const alice = t.client(token);
      const secret = fromBase32((await alice.request('POST', '/api/account/mfa/begin', {})).body.secret);
      assert.equal((await alice.request('POST', '/api/account/mfa/confirm', { code: totpAt(secret, totpStep(Date.now())) })).status, 200);
      assert.equal((await t.login('alice', ALICE_PW)).body.error.code, 'mfa-required');
      assert.equal((await users()).find((u) => u.name === 'alice')?.mfa, true);
      const r = await cli(['mfa-reset', 'alice']);
      assertExit(r, 0, 'mfa-reset');
      assert.match(r.stdout, /second factor of user "alice" removed; 1 session\(s\) ended/);
      assert.equal((await me(token)).status, 401, 'her session ended');
      assert.equal((await t.login('alice', ALICE_PW)).status, 200, 'the password alone logs in');
      assert.equal((await users()).find((u) => u.name === 'alice')?.mfa, false);
      const ev = (await t.hub.vault.queryEvents({ kind: 'mfa-reset', limit: 10 }));
      assert.equal(ev.length, 1);
      assert.match(ev[0].reason ?? '', /second factor of user "alice" removed by the hub host's CLI/);
      const ghost = await cli(['mfa-reset', 'ghost']);
      assertExit(ghost, 1, 'mfa-reset ghost');
      assert.match(ghost.stderr, /user "ghost" does not exist/);
    });
  });
}
