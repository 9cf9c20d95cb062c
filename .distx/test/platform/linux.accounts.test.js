"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const account_port_1 = require("../../src/ports/account.port");
const linux_accounts_1 = require("../../src/platform/linux/linux.accounts");
const users_1 = require("./users");
const key = (0, node_crypto_1.randomBytes)(32);
function requireRoot(ctx) {
    if (!users_1.isRoot) {
        console.log('      (skipped: needs root to create throwaway users and read /etc/shadow)');
        ctx.skip();
    }
}
describe('platform/linux LinuxAccounts with a real throwaway user (root only)', function () {
    let user;
    const initial = Buffer.from('Initial pw 1!', 'utf8');
    const accounts = new linux_accounts_1.LinuxAccounts({ fingerprintKey: key });
    before(function () {
        requireRoot(this);
        user = (0, users_1.createUser)();
        (0, users_1.setPasswordDirect)(user, initial);
    });
    after(() => (0, users_1.removeUser)(user));
    it('lists the user with its uid and a fingerprint that is not the hash', async () => {
        const list = await accounts.listAccounts();
        const me = list.find((a) => a.name === user);
        node_assert_1.strict.ok(me, 'throwaway user listed');
        node_assert_1.strict.ok(me.id >= 1000);
        node_assert_1.strict.equal(me.locked, false);
        node_assert_1.strict.match(me.fingerprint, /^[0-9a-f]{32}$/);
        node_assert_1.strict.ok(!(0, node_fs_1.readFileSync)('/etc/shadow', 'utf8').includes(me.fingerprint));
        node_assert_1.strict.ok(list.some((a) => a.name === 'root' && a.id === 0));
        // lastchg is today (day precision)
        node_assert_1.strict.ok(me.passwordLastSet !== undefined && Math.abs(Date.now() - me.passwordLastSet) < 2 * 86_400_000);
    });
    it('getAccount finds the user and not an unknown one', async () => {
        node_assert_1.strict.equal((await accounts.getAccount(user))?.name, user);
        node_assert_1.strict.equal(await accounts.getAccount(`${user}_nope`), undefined);
    });
    it('verifies the right password true, a wrong one false, unknown account false', async () => {
        node_assert_1.strict.equal(await accounts.verifyPassword(user, initial), true);
        node_assert_1.strict.equal(await accounts.verifyPassword(user, Buffer.from('Initial pw 1')), false);
        node_assert_1.strict.equal(await accounts.verifyPassword(`${user}_nope`, initial), false);
    });
    it('fingerprint is stable without a change and changes after setPassword; new password verifies, old does not', async () => {
        const before1 = (await accounts.getAccount(user)).fingerprint;
        const before2 = (await accounts.getAccount(user)).fingerprint;
        node_assert_1.strict.equal(before1, before2);
        const next = Buffer.from('Next pw 2!', 'utf8');
        await accounts.setPassword(user, next);
        const after = (await accounts.getAccount(user)).fingerprint;
        node_assert_1.strict.notEqual(after, before1);
        node_assert_1.strict.equal(await accounts.verifyPassword(user, next), true);
        node_assert_1.strict.equal(await accounts.verifyPassword(user, initial), false);
    });
    it('a different fingerprint key gives a different fingerprint for the same entry', async () => {
        const other = new linux_accounts_1.LinuxAccounts({ fingerprintKey: (0, node_crypto_1.randomBytes)(32) });
        node_assert_1.strict.notEqual((await other.getAccount(user)).fingerprint, (await accounts.getAccount(user)).fingerprint);
    });
    for (const [label, pw] of [
        ['spaces', '  lead and trail  spaces  '],
        ['unicode', 'pässwörd ✓ 密码 🔑'],
        ['dollars and colons', '$6$not$a:hash:$$'],
        ['backslash and quotes', `\\'"\`;|&`],
    ]) {
        it(`a password with ${label} goes through chpasswd intact`, async () => {
            const pw1 = Buffer.from(pw, 'utf8');
            await accounts.setPassword(user, pw1);
            node_assert_1.strict.equal(await accounts.verifyPassword(user, pw1), true);
            node_assert_1.strict.equal(await accounts.verifyPassword(user, Buffer.from(pw.trim() + 'x', 'utf8')), false);
        });
    }
    it('locked account (usermod -L) lists as locked and never verifies', async () => {
        const pw = Buffer.from('before lock');
        await accounts.setPassword(user, pw);
        (0, node_child_process_1.spawnSync)('/usr/sbin/usermod', ['-L', user]);
        try {
            node_assert_1.strict.equal((await accounts.getAccount(user)).locked, true);
            node_assert_1.strict.equal(await accounts.verifyPassword(user, pw), false);
        }
        finally {
            (0, node_child_process_1.spawnSync)('/usr/sbin/usermod', ['-U', user]);
        }
        node_assert_1.strict.equal(await accounts.verifyPassword(user, pw), true);
    });
    it('refuses a newline password with a message naming the problem, not the password', async () => {
        const canary = `CANARY${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
        const fp = (await accounts.getAccount(user)).fingerprint;
        await node_assert_1.strict.rejects(accounts.setPassword(user, Buffer.from(`${canary}\nsecond`)), (e) => {
            node_assert_1.strict.match(e.message, /newline/);
            node_assert_1.strict.ok(!e.message.includes(canary) && !String(e.stack).includes(canary));
            return true;
        });
        node_assert_1.strict.equal((await accounts.getAccount(user)).fingerprint, fp, 'password unchanged');
    });
    it('a canary password never appears in any error message', async () => {
        const canary = `CANARY${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
        const pw = Buffer.from(canary);
        const errors = [];
        const attempts = [
            () => accounts.setPassword(`${user}_nope`, pw),
            () => accounts.setPassword('bad:name', pw),
            () => accounts.setPassword('bad\nname', pw),
            () => accounts.setPassword(user, Buffer.concat([pw, Buffer.from([0])])),
            () => accounts.setPassword(user, Buffer.concat([pw, Buffer.from('\n')])),
            () => new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, chpasswdPath: '/nonexistent/chpasswd' }).setPassword(user, pw),
            () => new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, shadowPath: '/nonexistent/shadow' }).verifyPassword(user, pw),
        ];
        for (const attempt of attempts) {
            try {
                await attempt();
            }
            catch (e) {
                errors.push(e);
            }
        }
        node_assert_1.strict.equal(errors.length, attempts.length, 'every attempt failed');
        for (const e of errors) {
            node_assert_1.strict.ok(!`${e.message}\n${e.stack}`.includes(canary), `leaked in: ${e.message}`);
        }
    });
});
describe('platform/linux LinuxAccounts on generated files', () => {
    let dir;
    beforeEach(() => {
        dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'pwbt-acc-'));
    });
    afterEach(() => (0, node_fs_1.rmSync)(dir, { recursive: true, force: true }));
    function files(n) {
        const passwd = ['root:x:0:0:root:/root:/bin/bash'];
        const shadow = ['root:*:19000:0:99999:7:::'];
        for (let i = 0; i < n; i++) {
            passwd.push(`user${i}:x:${1000 + i}:${1000 + i}:User ${i},,,:/home/user${i}:/bin/bash`);
            shadow.push(`user${i}:$y$j9T$${'s'.repeat(22)}$${'h'.repeat(43)}${i}:${19000 + (i % 700)}:0:99999:7:::`);
        }
        shadow.push('ghost:$6$x$y:19000:0:99999:7:::'); // shadow without passwd: not an account
        passwd.push('nosh:x:5000:5000::/:/bin/false'); // passwd without shadow: not listed
        const passwdPath = (0, node_path_1.join)(dir, 'passwd');
        const shadowPath = (0, node_path_1.join)(dir, 'shadow');
        (0, node_fs_1.writeFileSync)(passwdPath, passwd.join('\n') + '\n');
        (0, node_fs_1.writeFileSync)(shadowPath, shadow.join('\n') + '\n');
        return { passwdPath, shadowPath };
    }
    it('joins passwd and shadow: shadow-only and passwd-only names are not listed', async () => {
        const acc = new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, machine: 'm1', ...files(3) });
        const names = (await acc.listAccounts()).map((a) => a.name);
        node_assert_1.strict.deepEqual(names, ['root', 'user0', 'user1', 'user2']);
        node_assert_1.strict.equal(acc.machine, 'm1');
    });
    it('fingerprint changes with the hash or with lastchg alone', async () => {
        const f = files(1);
        const acc = new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, ...f });
        const fp0 = (await acc.getAccount('user0')).fingerprint;
        const text = (0, node_fs_1.readFileSync)(f.shadowPath, 'utf8');
        (0, node_fs_1.writeFileSync)(f.shadowPath, text.replace(/^(user0:[^:]*):19000:/m, '$1:19001:'));
        const fp1 = (await acc.getAccount('user0')).fingerprint;
        node_assert_1.strict.notEqual(fp1, fp0);
        (0, node_fs_1.writeFileSync)(f.shadowPath, text.replace(/^user0:\$y\$/m, 'user0:$Y$'));
        node_assert_1.strict.notEqual((await acc.getAccount('user0')).fingerprint, fp0);
    });
    it('rejects a short fingerprint key', () => {
        node_assert_1.strict.throws(() => new linux_accounts_1.LinuxAccounts({ fingerprintKey: Buffer.alloc(8) }), /at least 16 bytes/);
    });
    // Its speed is measured by the bench (reconcile_10k_unchanged_s); here, that all 10,000 come back.
    it('listAccounts reads a 10,000-entry shadow file in one pass, every account with a fingerprint', async () => {
        const acc = new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, ...files(10_000) });
        const list = await acc.listAccounts();
        node_assert_1.strict.equal(list.length, 10_001);
        node_assert_1.strict.equal(new Set(list.map((a) => a.name)).size, 10_001);
        node_assert_1.strict.ok(list.every((a) => /^[0-9a-f]{32}$/.test(a.fingerprint)));
    });
    describe('setPassword through a fake chpasswd (root only: setPassword refuses otherwise)', () => {
        before(function () {
            requireRoot(this);
        });
        it('sends name:password\\n on stdin only: not in argv, not in env', async () => {
            const f = files(1);
            const out = (0, node_path_1.join)(dir, 'seen');
            const fake = (0, node_path_1.join)(dir, 'fake-chpasswd');
            (0, node_fs_1.writeFileSync)(fake, `#!/bin/sh\n{ echo "ARGV:$*"; env | sed 's/^/ENV:/'; } > ${out}.meta\ncat > ${out}.stdin\n`);
            (0, node_fs_1.chmodSync)(fake, 0o755);
            const canary = `CANARY${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
            const pw = Buffer.from(`${canary} ✓`);
            await new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, chpasswdPath: fake, ...f }).setPassword('user0', pw);
            node_assert_1.strict.deepEqual((0, node_fs_1.readFileSync)(`${out}.stdin`), Buffer.concat([Buffer.from('user0:'), pw, Buffer.from('\n')]));
            const meta = (0, node_fs_1.readFileSync)(`${out}.meta`, 'utf8');
            node_assert_1.strict.match(meta, /^ARGV:$/m);
            node_assert_1.strict.ok(!meta.includes(canary));
            node_assert_1.strict.ok(!meta.includes('PWBRIDGE'), 'no service environment leaks into chpasswd');
            node_assert_1.strict.equal(pw.toString(), `${canary} ✓`, "caller's buffer untouched");
        });
        it('reports chpasswd failure with its stderr, but withholds stderr that echoes the password', async () => {
            const f = files(1);
            const fake = (0, node_path_1.join)(dir, 'echo-chpasswd');
            (0, node_fs_1.writeFileSync)(fake, '#!/bin/sh\necho "chpasswd: got:" >&2\ncat >&2\nexit 1\n');
            (0, node_fs_1.chmodSync)(fake, 0o755);
            const canary = `CANARY${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
            await node_assert_1.strict.rejects(new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, chpasswdPath: fake, ...f }).setPassword('user0', Buffer.from(canary)), (e) => {
                node_assert_1.strict.match(e.message, /chpasswd failed .* user0 \(exit 1\)/);
                node_assert_1.strict.match(e.message, /withheld/);
                node_assert_1.strict.ok(!e.message.includes(canary));
                return true;
            });
            const plain = (0, node_path_1.join)(dir, 'fail-chpasswd');
            (0, node_fs_1.writeFileSync)(plain, '#!/bin/sh\ncat >/dev/null\necho "chpasswd: (user user0) pam_chauthtok() failed" >&2\nexit 1\n');
            (0, node_fs_1.chmodSync)(plain, 0o755);
            await node_assert_1.strict.rejects(new linux_accounts_1.LinuxAccounts({ fingerprintKey: key, chpasswdPath: plain, ...f }).setPassword('user0', Buffer.from(canary)), /pam_chauthtok\(\) failed/);
        });
    });
});
describe('platform/linux LinuxAccounts when not root', () => {
    it('throws AccountPermissionError for listAccounts and setPassword (child process as nobody)', function () {
        if (!users_1.isRoot) {
            // Already unprivileged: test directly in this process.
            return node_assert_1.strict.rejects(new linux_accounts_1.LinuxAccounts({ fingerprintKey: key }).listAccounts(), account_port_1.AccountPermissionError);
        }
        const modulePath = require.resolve('../../src/platform/linux/linux.accounts');
        // The child makes its own canary: a password must not travel through argv or env, even in tests.
        const script = `
      const { LinuxAccounts } = require(process.argv[1]);
      const canary = 'CANARY' + require('crypto').randomBytes(6).toString('hex');
      process.setgroups([]); process.setgid(65534); process.setuid(65534);
      const acc = new LinuxAccounts({ fingerprintKey: Buffer.alloc(32, 1) });
      const seen = {};
      const grab = (k, p) => p.then(() => { seen[k] = 'no error'; }, (e) => { seen[k] = { name: e.name, message: e.message, leaked: String(e.stack).includes(canary) }; });
      Promise.all([
        grab('list', acc.listAccounts()),
        grab('verify', acc.verifyPassword('root', Buffer.from(canary))),
        grab('set', acc.setPassword('root', Buffer.from(canary))),
      ]).then(() => process.stdout.write(JSON.stringify({ uid: process.getuid(), seen })));
    `;
        const r = (0, node_child_process_1.spawnSync)(process.execPath, ['-e', script, modulePath], { encoding: 'utf8', timeout: 20_000 });
        node_assert_1.strict.equal(r.status, 0, r.stderr);
        const { uid, seen } = JSON.parse(r.stdout);
        node_assert_1.strict.equal(uid, 65534);
        for (const k of ['list', 'verify', 'set']) {
            node_assert_1.strict.equal(seen[k].name, 'AccountPermissionError', `${k}: ${JSON.stringify(seen[k])}`);
            node_assert_1.strict.match(seen[k].message, /needs root/);
            node_assert_1.strict.equal(seen[k].leaked, false);
        }
    });
});
//# sourceMappingURL=linux.accounts.test.js.map