// The machine names the hub writes its own events under ("hub") cannot be enrolled: an agent reads and
// appends its own machine's events, so a machine called "hub" would read the hub's audit trail (logins,
// password reads, user changes). Against a real hub over HTTPS, on both engines; and a token enrolled
// under such a name before the rule (a row already in the database) no longer authenticates.
import { strict as assert } from 'node:assert';
import { RESERVED_MACHINE_NAMES } from '../../src/hub/access';
import { newToken, tokenHash } from '../../src/hub/passwords';
import { HttpVault, HubAccessError } from '../../src/vault/http.vault';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'oscar';
const OP_PW = 'Operator-Pw-canary-2f71';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: reserved machine names (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let session: string;
    before(async () => {
      t = await startTestHub(engine);
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      const admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
      await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
      await admin.close();
      session = await t.token(OP, OP_PW);
    });
    after(async () => t?.close());

    it('"hub" is the only name the hub gives its own events, and it is reserved', async () => {
      const machines = new Set((await t.hub.vault.queryEvents({ limit: 100_000 })).map((e) => e.machine));
      assert.deepEqual([...machines], ['hub'], 'the logins and the user created above are the hub\'s own events');
      assert.deepEqual(RESERVED_MACHINE_NAMES, ['hub']);
    });

    for (const name of ['hub', 'HUB', 'Hub']) {
      it(`enrolling machine "${name}" is refused (400) with a message naming the reserved name; nothing is stored`, async () => {
        const r = await t.client(session).request('POST', '/api/agents', { client: 'Acme', machine: name });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'input');
        assert.equal(r.body.error.message,
          `machine name "${name}" is reserved: the hub records its own events under "hub"; enrol this machine under another name (the "machine" setting of its config.json)`);
        assert.deepEqual(await t.hub.store.sql.all('SELECT id FROM hub_agents'), []);
        assert.equal((await t.hub.vault.queryEvents({ kind: 'agent-enrolled' })).length, 0);
      });
    }

    it('a name that only starts with it ("hub2") is enrolled as before, and reads none of the hub\'s events', async () => {
      const r = await t.client(session).request('POST', '/api/agents', { client: 'Acme', machine: 'hub2' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const agent = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, r.body.token);
      try {
        const seen = await agent.queryEvents({ limit: 1000 });
        assert.ok(seen.every((e) => e.machine === 'hub2'), JSON.stringify(seen));
      } finally {
        await agent.close();
      }
    });

    it('a token enrolled as "hub" before the rule is refused (401, saying why), so it reads none of the hub\'s events', async () => {
      const token = newToken('pwa');
      const client = await t.hub.store.sql.all<{ id: number }>('SELECT id FROM clients');
      await t.hub.store.sql.run(
        'INSERT INTO hub_agents (token_hash, client_id, machine, machine_key, enrolled_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [tokenHash(token), client[0].id, 'hub', 'hub', OP, Date.now()]);
      const agent = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, token);
      try {
        await assert.rejects(agent.queryEvents({ limit: 1000 }), (err: unknown) => {
          assert.ok(err instanceof HubAccessError, String(err));
          assert.equal(err.status, 401);
          assert.match(err.message, /machine name "hub" is reserved/);
          return true;
        });
      } finally {
        await agent.close();
      }
    });
  });
}
