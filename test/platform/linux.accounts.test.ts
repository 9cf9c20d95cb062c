import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountPermissionError } from '../../src/ports/account.port';
import { LinuxAccounts } from '../../src/platform/linux/linux.accounts';
import { createUser, isRoot, removeUser, setPasswordDirect } from './users';
import { skipBecause } from '../helpers/skip';

const key = randomBytes(32);

function requireRoot(ctx: Mocha.Context): void {
  if (!isRoot) {
    skipBecause(ctx, 'needs root to create throwaway users and read /etc/shadow');
  }
}

describe('platform/linux LinuxAccounts with a real throwaway user (root only)', function () {
  let user: string | undefined;
  const initial = Buffer.from('Initial pw 1!', 'utf8');
  const accounts = new LinuxAccounts({ fingerprintKey: key });

  before(function () {
    requireRoot(this);
    user = createUser();
    setPasswordDirect(user, initial);
  });
  after(() => removeUser(user));

  it('lists the user with its uid and a fingerprint that is not the hash', async () => {
    const list = await accounts.listAccounts();
    const me = list.find((a) => a.name === user);
    assert.ok(me, 'throwaway user listed');
    assert.ok(me.id >= 1000);
    assert.equal(me.locked, false);
    assert.match(me.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(!readFileSync('/etc/shadow', 'utf8').includes(me.fingerprint));
    assert.ok(list.some((a) => a.name === 'root' && a.id === 0));
    // lastchg is today (day precision)
    assert.ok(me.passwordLastSet !== undefined && Math.abs(Date.now() - me.passwordLastSet) < 2 * 86_400_000);
  });

  it('getAccount finds the user and not an unknown one', async () => {
    assert.equal((await accounts.getAccount(user!))?.name, user);
    assert.equal(await accounts.getAccount(`${user}_nope`), undefined);
  });

  it('verifies the right password true, a wrong one false, unknown account false', async () => {
    assert.equal(await accounts.verifyPassword(user!, initial), true);
    assert.equal(await accounts.verifyPassword(user!, Buffer.from('Initial pw 1')), false);
    assert.equal(await accounts.verifyPassword(`${user}_nope`, initial), false);
  });

  it('fingerprint is stable without a change and changes after setPassword; new password verifies, old does not', async () => {
    const before1 = (await accounts.getAccount(user!))!.fingerprint;
    const before2 = (await accounts.getAccount(user!))!.fingerprint;
    assert.equal(before1, before2);
    const next = Buffer.from('Next pw 2!', 'utf8');
    await accounts.setPassword(user!, next);
    const after = (await accounts.getAccount(user!))!.fingerprint;
    assert.notEqual(after, before1);
    assert.equal(await accounts.verifyPassword(user!, next), true);
    assert.equal(await accounts.verifyPassword(user!, initial), false);
  });

  it('a different fingerprint key gives a different fingerprint for the same entry', async () => {
    const other = new LinuxAccounts({ fingerprintKey: randomBytes(32) });
    assert.notEqual((await other.getAccount(user!))!.fingerprint, (await accounts.getAccount(user!))!.fingerprint);
  });

  for (const [label, pw] of [
    ['spaces', '  lead and trail  spaces  '],
    ['unicode', 'pässwörd ✓ 密码 🔑'],
    ['dollars and colons', '$6$not$a:hash:$$'],
    ['backslash and quotes', `\\'"\`;|&`],
  ] as const) {
    it(`a password with ${label} goes through chpasswd intact`, async () => {
      const pw1 = Buffer.from(pw, 'utf8');
      await accounts.setPassword(user!, pw1);
      assert.equal(await accounts.verifyPassword(user!, pw1), true);
      assert.equal(await accounts.verifyPassword(user!, Buffer.from(pw.trim() + 'x', 'utf8')), false);
    });
  }

  it('locked account (usermod -L) lists as locked and never verifies', async () => {
    const pw = Buffer.from('before lock');
    await accounts.setPassword(user!, pw);
    spawnSync('/usr/sbin/usermod', ['-L', user!]);
    try {
      assert.equal((await accounts.getAccount(user!))!.locked, true);
      assert.equal(await accounts.verifyPassword(user!, pw), false);
    } finally {
      spawnSync('/usr/sbin/usermod', ['-U', user!]);
    }
    assert.equal(await accounts.verifyPassword(user!, pw), true);
  });

  it('refuses a newline password with a message naming the problem, not the password', async () => {
    const canary = `CANARY${randomBytes(6).toString('hex')}`;
    const fp = (await accounts.getAccount(user!))!.fingerprint;
    await assert.rejects(accounts.setPassword(user!, Buffer.from(`${canary}\nsecond`)), (e: Error) => {
      assert.match(e.message, /newline/);
      assert.ok(!e.message.includes(canary) && !String(e.stack).includes(canary));
      return true;
    });
    assert.equal((await accounts.getAccount(user!))!.fingerprint, fp, 'password unchanged');
  });

  it('a canary password never appears in any error message', async () => {
    const canary = `CANARY${randomBytes(6).toString('hex')}`;
    const pw = Buffer.from(canary);
    const errors: Error[] = [];
    const attempts: Array<() => Promise<unknown>> = [
      () => accounts.setPassword(`${user}_nope`, pw),
      () => accounts.setPassword('bad:name', pw),
      () => accounts.setPassword('bad\nname', pw),
      () => accounts.setPassword(user!, Buffer.concat([pw, Buffer.from([0])])),
      () => accounts.setPassword(user!, Buffer.concat([pw, Buffer.from('\n')])),
      () => new LinuxAccounts({ fingerprintKey: key, chpasswdPath: '/nonexistent/chpasswd' }).setPassword(user!, pw),
      () => new LinuxAccounts({ fingerprintKey: key, shadowPath: '/nonexistent/shadow' }).verifyPassword(user!, pw),
    ];
    for (const attempt of attempts) {
      try {
        await attempt();
      } catch (e) {
        errors.push(e as Error);
      }
    }
    assert.equal(errors.length, attempts.length, 'every attempt failed');
    for (const e of errors) {
      assert.ok(!`${e.message}\n${e.stack}`.includes(canary), `leaked in: ${e.message}`);
    }
  });
});

describe('platform/linux LinuxAccounts on generated files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pwbt-acc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function files(n: number): { passwdPath: string; shadowPath: string } {
    const passwd: string[] = ['root:x:0:0:root:/root:/bin/bash'];
    const shadow: string[] = ['root:*:19000:0:99999:7:::'];
    for (let i = 0; i < n; i++) {
      passwd.push(`user${i}:x:${1000 + i}:${1000 + i}:User ${i},,,:/home/user${i}:/bin/bash`);
      shadow.push(`user${i}:$y$j9T$${'s'.repeat(22)}$${'h'.repeat(43)}${i}:${19000 + (i % 700)}:0:99999:7:::`);
    }
    shadow.push('ghost:$6$x$y:19000:0:99999:7:::'); // shadow without passwd: not an account
    passwd.push('nosh:x:5000:5000::/:/bin/false'); // passwd without shadow: not listed
    const passwdPath = join(dir, 'passwd');
    const shadowPath = join(dir, 'shadow');
    writeFileSync(passwdPath, passwd.join('\n') + '\n');
    writeFileSync(shadowPath, shadow.join('\n') + '\n');
    return { passwdPath, shadowPath };
  }

  it('joins passwd and shadow: shadow-only and passwd-only names are not listed', async () => {
    const acc = new LinuxAccounts({ fingerprintKey: key, machine: 'm1', ...files(3) });
    const names = (await acc.listAccounts()).map((a) => a.name);
    assert.deepEqual(names, ['root', 'user0', 'user1', 'user2']);
    assert.equal(acc.machine, 'm1');
  });

  it('fingerprint changes with the hash or with lastchg alone', async () => {
    const f = files(1);
    const acc = new LinuxAccounts({ fingerprintKey: key, ...f });
    const fp0 = (await acc.getAccount('user0'))!.fingerprint;
    const text = readFileSync(f.shadowPath, 'utf8');
    writeFileSync(f.shadowPath, text.replace(/^(user0:[^:]*):19000:/m, '$1:19001:'));
    const fp1 = (await acc.getAccount('user0'))!.fingerprint;
    assert.notEqual(fp1, fp0);
    writeFileSync(f.shadowPath, text.replace(/^user0:\$y\$/m, 'user0:$Y$'));
    assert.notEqual((await acc.getAccount('user0'))!.fingerprint, fp0);
  });

  it('rejects a short fingerprint key', () => {
    assert.throws(() => new LinuxAccounts({ fingerprintKey: Buffer.alloc(8) }), /at least 16 bytes/);
  });

  // Its speed is measured by the bench (reconcile_10k_unchanged_s); here, that all 10,000 come back.
  it('listAccounts reads a 10,000-entry shadow file in one pass, every account with a fingerprint', async () => {
    const acc = new LinuxAccounts({ fingerprintKey: key, ...files(10_000) });
    const list = await acc.listAccounts();
    assert.equal(list.length, 10_001);
    assert.equal(new Set(list.map((a) => a.name)).size, 10_001);
    assert.ok(list.every((a) => /^[0-9a-f]{32}$/.test(a.fingerprint)));
  });

  describe('setPassword through a fake chpasswd (root only: setPassword refuses otherwise)', () => {
    before(function () {
      requireRoot(this);
    });

    it('sends name:password\\n on stdin only: not in argv, not in env', async () => {
      const f = files(1);
      const out = join(dir, 'seen');
      const fake = join(dir, 'fake-chpasswd');
      writeFileSync(fake, `#!/bin/sh\n{ echo "ARGV:$*"; env | sed 's/^/ENV:/'; } > ${out}.meta\ncat > ${out}.stdin\n`);
      chmodSync(fake, 0o755);
      const canary = `CANARY${randomBytes(6).toString('hex')}`;
      const pw = Buffer.from(`${canary} ✓`);
      await new LinuxAccounts({ fingerprintKey: key, chpasswdPath: fake, ...f }).setPassword('user0', pw);
      assert.deepEqual(readFileSync(`${out}.stdin`), Buffer.concat([Buffer.from('user0:'), pw, Buffer.from('\n')]));
      const meta = readFileSync(`${out}.meta`, 'utf8');
      assert.match(meta, /^ARGV:$/m);
      assert.ok(!meta.includes(canary));
      assert.ok(!meta.includes('PWBRIDGE'), 'no service environment leaks into chpasswd');
      assert.equal(pw.toString(), `${canary} ✓`, "caller's buffer untouched");
    });

    it('reports chpasswd failure with its stderr, but withholds stderr that echoes the password', async () => {
      const f = files(1);
      const fake = join(dir, 'echo-chpasswd');
      writeFileSync(fake, '#!/bin/sh\necho "chpasswd: got:" >&2\ncat >&2\nexit 1\n');
      chmodSync(fake, 0o755);
      const canary = `CANARY${randomBytes(6).toString('hex')}`;
      await assert.rejects(new LinuxAccounts({ fingerprintKey: key, chpasswdPath: fake, ...f }).setPassword('user0', Buffer.from(canary)), (e: Error) => {
        assert.match(e.message, /chpasswd failed .* user0 \(exit 1\)/);
        assert.match(e.message, /withheld/);
        assert.ok(!e.message.includes(canary));
        return true;
      });
      const plain = join(dir, 'fail-chpasswd');
      writeFileSync(plain, '#!/bin/sh\ncat >/dev/null\necho "chpasswd: (user user0) pam_chauthtok() failed" >&2\nexit 1\n');
      chmodSync(plain, 0o755);
      await assert.rejects(new LinuxAccounts({ fingerprintKey: key, chpasswdPath: plain, ...f }).setPassword('user0', Buffer.from(canary)), /pam_chauthtok\(\) failed/);
    });
  });
});

describe('platform/linux LinuxAccounts when not root', () => {
  it('throws AccountPermissionError for listAccounts and setPassword (child process as nobody)', function () {
    if (!isRoot) {
      // Already unprivileged: test directly in this process.
      return assert.rejects(new LinuxAccounts({ fingerprintKey: key }).listAccounts(), AccountPermissionError);
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
    const r = spawnSync(process.execPath, ['-e', script, modulePath], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    const { uid, seen } = JSON.parse(r.stdout);
    assert.equal(uid, 65534);
    for (const k of ['list', 'verify', 'set']) {
      assert.equal(seen[k].name, 'AccountPermissionError', `${k}: ${JSON.stringify(seen[k])}`);
      assert.match(seen[k].message, /needs root/);
      assert.equal(seen[k].leaked, false);
    }
  });
});
