// POST /api/users/<passwd|disable|enable|set>: an admin's changes to users over HTTPS, the same operations
// as `pwbridge hub-user`, against a real hub on both engines.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { findSecret } from '../cli/cli';
import { ADMIN, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP_PW = 'Op-Pw-canary-a81d3e';
const OP_NEW_PW = 'Op-New-canary-5c0f92';
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`POST /api/users/<op> (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    beforeEach(async () => {
      t = await startTestHub(engine);
      await t.addUser('olivia', 'operator', ['setup-ad-sync'], OP_PW);
    });
    afterEach(async () => {
      await t.close();
    });
    const post = async (path: string, body: unknown, token?: string) => t.client().request('POST', path, body, token ?? await t.token());

    it('an admin sets a password, disables, enables and changes a user; each is an event by that admin', async () => {
      const session = await t.token('olivia', OP_PW);
      const pw = await post('/api/users/passwd', { name: 'olivia', password: b64(OP_NEW_PW) });
      assert.equal(pw.status, 200, JSON.stringify(pw.body));
      assert.equal((await t.client(session).request('GET', '/api/me')).status, 401, 'the session ended');
      assert.equal((await t.login('olivia', OP_PW)).status, 401);
      const fresh = await t.token('olivia', OP_NEW_PW);

      const off = await post('/api/users/disable', { name: 'olivia' });
      assert.deepEqual(off.body, { user: { name: 'olivia', role: 'operator', permissions: ['setup-ad-sync'], disabled: true } });
      assert.equal((await t.client(fresh).request('GET', '/api/me')).status, 401);
      assert.equal((await t.login('olivia', OP_NEW_PW)).status, 401);
      assert.equal((await post('/api/users/enable', { name: 'olivia' })).status, 200);
      const set = await post('/api/users/set', { name: 'olivia', role: 'viewer', permissions: [] });
      assert.deepEqual(set.body, { user: { name: 'olivia', role: 'viewer', permissions: [], disabled: false } });
      const back = await t.token('olivia', OP_NEW_PW);
      assert.equal((await t.client(back).request('GET', '/api/me')).body.user.role, 'viewer');

      const ev = (await t.hub.vault.queryEvents({ limit: 1000 })).filter((e) => e.kind.startsWith('user-') && e.account === 'olivia');
      assert.deepEqual(ev.map((e) => e.kind), ['user-created', 'user-password-set', 'user-disabled', 'user-enabled', 'user-changed']);
      for (const e of ev.slice(1)) assert.match(e.reason ?? '', /by user "admin" \(admin\)/);
      const all = Buffer.concat([Buffer.from(JSON.stringify(await t.hub.vault.queryEvents({ limit: 100_000 }))), fs.readFileSync(t.logFile)]);
      for (const c of [OP_PW, OP_NEW_PW]) assert.equal(findSecret(all, c), undefined);
    });

    it('refuses non-admins (403, recorded), the last admin (409), unknown users (404) and bad bodies (400, the field named)', async () => {
      const op = await t.token('olivia', OP_PW);
      const refused = await post('/api/users/disable', { name: ADMIN }, op);
      assert.equal(refused.status, 403);
      assert.ok((await t.hub.vault.queryEvents({ kind: 'access-refused', limit: 10 })).some((e) => /may not disable user "admin"/.test(e.reason ?? '')));
      const last = await post('/api/users/set', { name: ADMIN, role: 'operator' });
      assert.equal(last.status, 409);
      assert.match(last.body.error.message, /last enabled admin/);
      assert.equal((await post('/api/users/disable', { name: 'ghost' })).status, 404);
      const noName = await post('/api/users/enable', {});
      assert.equal(noName.status, 400);
      assert.match(noName.body.error.message, /name is required/);
      const short = await post('/api/users/passwd', { name: 'olivia', password: b64('short') });
      assert.equal(short.status, 400);
      assert.match(short.body.error.message, /password must be 12 to 1024 bytes/);
      const role = await post('/api/users/set', { name: 'olivia', role: 'boss' });
      assert.equal(role.status, 400);
      assert.match(role.body.error.message, /role must be one of/);
      assert.equal((await post('/api/users/set', { name: 'olivia' })).status, 400);
      assert.equal((await t.login('olivia', OP_PW)).status, 200, 'nothing changed');
    });
  });
}
