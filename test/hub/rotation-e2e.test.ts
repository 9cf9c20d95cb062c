// Rotation end to end, on SQLite and on PostgreSQL: a real hub in this process on the test's clock (so the
// test moves time, not waits for it), one machine set up with `pwbridge setup` and running `pwbridge run`
// (one-hour reconcile interval: only push-down can bring a change within seconds), a throwaway Linux user in
// Change Password mode. A rotation due on the test's clock puts a new password on the real local account,
// with the old one kept in the history; a reveal in the dashboard's API, once its grace is over on the
// test's clock, rotates it again and that one reaches the account too; the first password, restored from
// the history, opens the account again.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LinuxAccounts } from '../../src/platform/linux/linux.accounts';
import { REVEAL_PATH, STEP_UP_PATH } from '../../src/hub/api/reveal-routes';
import { DAY_MS } from '../../src/hub/rotation/policy';
import { HttpVault } from '../../src/vault/http.vault';
import { assertExit, pollUntil, runCli, startCli, type LiveCli } from '../cli/cli';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { ManualTimers } from '../helpers/manual-timers';
import { skipBecause } from '../helpers/skip';
import { makeTempDir } from '../helpers/tmp';
import { createUser, isRoot, removeUser } from '../platform/users';

const FIRST = `first-canary-${randomBytes(8).toString('hex')}`;
/** Well under the one-hour reconcile interval: only the push-down can bring it. */
const PUSH_BOUND_MS = 15_000;
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`rotation end to end (hub on ${engine}): a due rotation and a rotate-after-read reach a real local account through a real agent`, function () {
    this.timeout(180_000);
    let t: TestHub | undefined;
    let offset = 0;
    let user: string | undefined;
    let service: LiveCli | undefined;
    const agentDir = makeTempDir('pwbridge-rotation-agent-');
    const pamDir = makeTempDir('pwbridge-rotation-pam-');
    const accounts = new LinuxAccounts({ fingerprintKey: randomBytes(32) });
    const seen: string[] = [FIRST];
    let credentialId = 0;
    /** A fresh admin session (one made before the clock moved by days would have expired). */
    const admin = async () => HttpVault.open({ url: t!.hub.url, fingerprint: t!.hub.certificate.fingerprint }, await t!.token());
    const current = async () => {
      const pw = await t!.hub.vault.readPassword(credentialId);
      const s = pw.toString('utf8');
      pw.fill(0);
      seen.push(s);
      return s;
    };
    const onAccount = (pw: string) => async () => ((await accounts.verifyPassword(user!, Buffer.from(pw))) ? true : undefined);

    before(async function () {
      if (!isRoot) skipBecause(this, 'needs root (CI is root)');
      user = createUser();
      t = await startTestHub(engine, { now: () => Date.now() + offset, rotation: { timers: new ManualTimers() } });
      const a = await admin();
      try {
        await a.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
        credentialId = (await a.addCredential({ client: 'Acme', username: user, password: Buffer.from(FIRST), windowsSync: true, mode: 'change' })).id;
      } finally {
        await a.close();
      }
      fs.writeFileSync(path.join(agentDir.dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h', pamDir: pamDir.dir }));
      const setup = await runCli(['setup', '--hub', t.hub.url, '--insecure-fingerprint', t.hub.certificate.fingerprint, '--client', 'Acme'],
        { dataDir: agentDir.dir, stdin: `${ADMIN}\n${ADMIN_PASSWORD}\n` });
      assertExit(setup, 0, 'setup WS01');
      service = startCli(['run'], agentDir.dir);
      await service.waitFor('the service to serve its socket', (_o, err) => /serving .*capture\.sock/.test(err));
      await pollUntil('the first password on the account', onAccount(FIRST), 30_000);
    });
    after(async () => {
      if (service && service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGTERM');
        await service.done;
      }
      await t?.close();
      removeUser(user);
      agentDir.cleanup();
      pamDir.cleanup();
    });

    it('due on the test\'s clock (30 days), the rotation sets a new password on the account; the old one stays in the history', async () => {
      const api = t!.client(await t!.token());
      const set = await api.request('POST', '/api/rotation/client/set', { client: 'Acme', policy: { everyDays: 30, afterRead: true, graceMinutes: 10 } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(await t!.hub.rotation.runDue(), 0, 'not due yet');

      offset = 30 * DAY_MS + 60_000;
      assert.equal(await t!.hub.rotation.runDue(), 1);
      const rotated = await current();
      assert.notEqual(rotated, FIRST);
      assert.equal(rotated.length, 20);
      await pollUntil('the rotated password on the account', onAccount(rotated), PUSH_BOUND_MS);
      assert.equal(await accounts.verifyPassword(user!, Buffer.from(FIRST)), false, 'the old password no longer opens the account');

      const history = await t!.hub.vault.listPasswordHistory(credentialId);
      assert.deepEqual(history.map((e) => [e.version, e.source]), [[2, { kind: 'rotation', trigger: 'schedule' }], [1, { kind: 'user', user: ADMIN }]]);
      assert.equal(history[1].current, false);
      await pollUntil('the agent\'s password-set event for version 2', async () =>
        (await t!.hub.vault.queryEvents({ kind: 'password-set', account: user! })).find((e) => e.outcome === 'ok' && /from vault version 2\b/.test(e.reason ?? '')), 10_000);
    });

    it('a reveal rotates the password once its grace is over, and the account gets that one', async () => {
      const session = t!.client(await t!.token());
      assert.equal((await session.request('POST', STEP_UP_PATH, { password: b64(ADMIN_PASSWORD) })).status, 200);
      const revealed = await session.request('POST', REVEAL_PATH, { credentialId });
      assert.equal(revealed.status, 200);
      const read = Buffer.from(revealed.body.password, 'base64').toString('utf8');
      assert.equal(read, await current());
      assert.equal(await t!.hub.rotation.runDue(), 0, 'within the grace the read password still works');
      assert.ok(await accounts.verifyPassword(user!, Buffer.from(read)));

      offset += 11 * 60_000;
      assert.equal(await t!.hub.rotation.runDue(), 1);
      const after = await current();
      assert.notEqual(after, read);
      await pollUntil('the password rotated after the read on the account', onAccount(after), PUSH_BOUND_MS);
      assert.equal(await accounts.verifyPassword(user!, Buffer.from(read)), false, 'the revealed password no longer opens the account');
      const history = await t!.hub.vault.listPasswordHistory(credentialId);
      assert.deepEqual(history.slice(0, 2).map((e) => [e.version, e.source]), [[3, { kind: 'rotation', trigger: 'after-read' }], [2, { kind: 'rotation', trigger: 'schedule' }]]);
    });

    it('the passwords rotation replaced are kept: restoring the first one puts it back on the account', async () => {
      const restored = await t!.hub.vault.restorePassword(credentialId, 1, ADMIN);
      assert.equal(restored.version, 4);
      await pollUntil('the first password back on the account', onAccount(FIRST), PUSH_BOUND_MS);
    });

    it('no password in any event, nor in the hub\'s or the agent\'s log', async () => {
      const all = JSON.stringify(await t!.hub.vault.queryEvents({ limit: 10_000 })) + fs.readFileSync(t!.logFile, 'utf8')
        + fs.readdirSync(path.join(agentDir.dir, 'log')).map((f) => fs.readFileSync(path.join(agentDir.dir, 'log', f), 'utf8')).join('');
      for (const s of seen) assert.ok(!all.includes(s), 'a password leaked');
    });
  });
}
