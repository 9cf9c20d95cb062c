// Restoring an earlier password, end to end with real processes: `pwbridge hub` (SQLite), one machine set
// up with `pwbridge setup` and running `pwbridge run` (one-hour reconcile interval), a throwaway Linux user
// in Change Password mode. The vault's password changes, then an operator restores the first one: it is
// a new version, and the push-down takes it to the real local account within seconds, as any vault change.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { LinuxAccounts } from '../../src/platform/linux/linux.accounts';
import { pollUntil } from '../cli/cli';
import { startHubAgent, type HubAgent } from '../helpers/hub-agent';
import { createUser, isRoot, removeUser } from '../platform/users';
import { skipBecause } from '../helpers/skip';

const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;
const ADMIN_PW = canary('admin');
const PW1 = canary('first');
const PW2 = canary('second');
/** Well under the one-hour interval: only the push-down can bring it. */
const PUSH_BOUND_MS = 10_000;

describe('password history end to end: an operator restores an earlier password and the machine gets it by push-down', function () {
  this.timeout(180_000);
  let a: HubAgent | undefined;
  let user: string | undefined;
  const accounts = new LinuxAccounts({ fingerprintKey: randomBytes(32) });
  const has = (pw: string) => async () => ((await accounts.verifyPassword(user!, Buffer.from(pw))) ? true : undefined);

  before(async function () {
    if (!isRoot) skipBecause(this, 'needs root (CI is root)');
    user = createUser();
    a = await startHubAgent({ adminPassword: ADMIN_PW, machine: 'WS01', client: 'Acme' });
    await a.admin().addCredential({ client: 'Acme', username: user, password: Buffer.from(PW1), windowsSync: true, mode: 'change' });
    await a.startService();
  });
  after(async () => {
    await a?.cleanup();
    removeUser(user);
  });

  it('the first password, then a second one, reach the account; restoring version 1 puts the first back within seconds', async () => {
    await pollUntil('the first password on the account', has(PW1), 30_000);
    const second = await a!.admin().updateCredential('Acme', user!, { password: Buffer.from(PW2) });
    assert.equal(second.version, 2);
    await pollUntil('the second password on the account', has(PW2), PUSH_BOUND_MS);

    const asked = Date.now();
    const restored = await a!.admin().restorePassword(second.id, 1, 'admin');
    assert.equal(restored.version, 3, 'a restore is a new version');
    await pollUntil('the restored password on the account', has(PW1), PUSH_BOUND_MS);
    const took = Date.now() - asked;
    assert.ok(took < PUSH_BOUND_MS, `restored password applied after ${took} ms`);
    assert.equal(await accounts.verifyPassword(user!, Buffer.from(PW2)), false, 'the second password no longer opens the account');

    // The agent reports it set the account from version 3; the hub's history and audit trail say what happened.
    await pollUntil('the agent\'s password-set event for version 3', async () =>
      (await a!.admin().queryEvents({ kind: 'password-set', account: user! }))
        .find((e) => e.outcome === 'ok' && /from vault version 3\b/.test(e.reason ?? '')), 10_000);
    const history = await a!.admin().listPasswordHistory(second.id);
    assert.deepEqual(history.map((e) => [e.version, e.source]),
      [[3, { kind: 'restore', fromVersion: 1, by: 'admin' }], [2, { kind: 'user', user: 'admin' }], [1, { kind: 'user', user: 'admin' }]]);
    const events = await a!.admin().queryEvents({ kind: 'password-restored' });
    assert.equal(events.length, 1);
    assert.match(events[0].reason ?? '', /version 1 of credential .* restored by user "admin" \(admin\) as version 3/);
    const all = JSON.stringify(await a!.admin().queryEvents({}));
    for (const pw of [PW1, PW2]) assert.ok(!all.includes(pw), 'no password in any event');
  });
});
