// Push-down's per-client change counter (migration 13: clients.change_seq, bumped by triggers) on both
// engines: every kind of write that can move an agent's cursor bumps its client's counter in the same
// transaction (a rolled-back write leaves it as it was), another client's counter stays, and the watcher's
// per-tick query reads one row per client and no credential row, where the query it replaced read them all
// (the databases' own plans say so; PostgreSQL's EXPLAIN ANALYZE counts the rows).
import { strict as assert } from 'node:assert';
import { CHANGE_SIGNATURES_SQL, type HubStore } from '../../src/hub/store';
import type { VaultPort } from '../../src/ports/vault.port';
import { foldName } from '../../src/domain/fold-name';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const pw = (s: string) => Buffer.from(s);
const eventId = (n: number): string => (0x7100 + n).toString(16).padStart(32, '0');

/** The query migration 13 replaced: sums over every credential row of every client. */
const SUMMING_SIGNATURES_SQL = `SELECT cl.name_key AS k, cl.windows_sync AS ws, cl.two_way_sync AS tw, cl.auto_create AS ac, cl.default_mode AS dm,
   COUNT(c.id) AS n, COALESCE(MAX(c.id), 0) AS top, COALESCE(SUM(c.version), 0) AS versions,
   COALESCE(SUM(c.updated_at), 0) AS touched, COALESCE(SUM(c.windows_sync), 0) AS synced,
   COALESCE(SUM(CASE WHEN c.mode = 'change' THEN 1 ELSE 0 END), 0) AS changing
 FROM clients cl LEFT JOIN credentials c ON c.client_id = cl.id GROUP BY cl.id`;

const CREDENTIALS = 300;

/** Rows each relation's scans returned, from PostgreSQL's EXPLAIN (ANALYZE, FORMAT JSON). */
function rowsByRelation(plan: unknown, into = new Map<string, number>()): Map<string, number> {
  const node = plan as { 'Relation Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; Plans?: unknown[] };
  if (node['Relation Name']) into.set(node['Relation Name'], (into.get(node['Relation Name']) ?? 0) + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1));
  for (const p of node.Plans ?? []) rowsByRelation(p, into);
  return into;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: push-down's change counter (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let vault: VaultPort;
    let store: HubStore;

    const seq = async (client: string) => {
      const rows = await store.sql.all<{ s: number | string }>('SELECT change_seq AS s FROM clients WHERE name_key = $1', [foldName(client)]);
      return Number(rows[0].s);
    };
    /** Runs `write` and says by how much it moved each client's counter. */
    const moved = async (write: () => Promise<unknown>) => {
      const [a, b] = [await seq('Acme'), await seq('Other')];
      await write();
      return { acme: (await seq('Acme')) - a, other: (await seq('Other')) - b };
    };

    before(async () => {
      t = await startTestHub(engine);
      vault = t.hub.vault;
      store = t.hub.store;
      for (const name of ['Acme', 'Other']) {
        await vault.addClient({ name, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change', agentsWriteShared: true });
      }
    });
    after(async () => t?.close());

    it('every write a cursor reads bumps its own client\'s counter, and only that client\'s', async () => {
      let c = await vault.addCredential({ client: 'Acme', username: 'WS01\\alice', password: pw('One-1'), windowsSync: true, mode: 'change' });
      assert.deepEqual(await moved(() => vault.addCredential({ client: 'Acme', username: 'shared', password: pw('One-1'), windowsSync: true, mode: 'change' })), { acme: 1, other: 0 }, 'added');
      for (const [what, change] of [['password', { password: pw('Two-2') }], ['mode', { mode: 'report' as const }], ['windows sync', { windowsSync: false }]] as const) {
        const m = await moved(() => vault.updateCredential('Acme', 'WS01\\alice', change));
        assert.ok(m.acme >= 1 && m.other === 0, `${what}: ${JSON.stringify(m)}`);
      }
      c = (await vault.findCredential('Acme', 'WS01\\alice'))!;
      const conflict = await moved(() => vault.recordConflict(c.id, { machine: 'WS01', capturedAt: Date.now() - 1000, eventId: eventId(1) }));
      assert.ok(conflict.acme >= 1 && conflict.other === 0, `conflict recorded: ${JSON.stringify(conflict)}`);
      const choice = await moved(() => vault.resolveConflict(c.id, 'WS01', 'vault', 'admin'));
      assert.ok(choice.acme >= 1 && choice.other === 0, `conflict resolved: ${JSON.stringify(choice)}`);
      const deleted = await moved(() => vault.deleteCredential('Acme', 'shared'));
      assert.ok(deleted.acme >= 1 && deleted.other === 0, `deleted: ${JSON.stringify(deleted)}`);
      // SQL typed straight into the database, as an operator or a restore might.
      assert.deepEqual(await moved(() => store.sql.run('UPDATE credentials SET version = version + 1 WHERE id = $1', [c.id])), { acme: 1, other: 0 }, 'raw SQL');
    });

    it('a write that rolls back leaves the counter as it was (the bump is in the writer\'s transaction)', async () => {
      const c = (await vault.findCredential('Acme', 'WS01\\alice'))!;
      const m = await moved(() => store.sql.tx(async (q) => {
        await q.run('UPDATE credentials SET version = version + 1 WHERE id = $1', [c.id]);
        throw new Error('rolled back on purpose');
      }).catch((e: Error) => assert.equal(e.message, 'rolled back on purpose')));
      assert.deepEqual(m, { acme: 0, other: 0 });
    });

    it('the signature moves with the counter and with the client\'s sync options, and not for a flag', async () => {
      const before = (await store.changeSignatures()).get('acme');
      await vault.updateClient('Acme', { twoWaySync: false });
      const afterOptions = (await store.changeSignatures()).get('acme');
      assert.notEqual(afterOptions, before, 'a sync option');
      const c = (await vault.findCredential('Acme', 'WS01\\alice'))!;
      await vault.updateCredential('Acme', 'WS01\\alice', { password: pw('Three-3') });
      const afterWrite = (await store.changeSignatures()).get('acme');
      assert.notEqual(afterWrite, afterOptions, 'a credential write');
      await vault.setFlag(c.id, 'mismatch', true);
      assert.equal((await store.changeSignatures()).get('acme'), afterWrite, 'flags do not wake reconcile');
    });

    it(`the per-tick query reads one row per client and no credential, where the summing one read all ${CREDENTIALS}`, async () => {
      for (let i = 0; i < CREDENTIALS; i++) {
        await vault.addCredential({ client: 'Other', username: `WS${i}\\u`, password: pw('Bulk-1'), windowsSync: true, mode: 'change' });
      }
      const clients = (await vault.listClients()).length;
      if (engine === 'postgres') {
        const plan = async (sql: string) => {
          const rows = await store.sql.all<{ 'QUERY PLAN': Array<{ Plan: unknown }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`);
          return rowsByRelation(rows[0]['QUERY PLAN'][0].Plan);
        };
        const now = await plan(CHANGE_SIGNATURES_SQL);
        const then = await plan(SUMMING_SIGNATURES_SQL);
        assert.deepEqual([...now], [['clients', clients]], 'one row per client, nothing else');
        assert.ok((then.get('credentials') ?? 0) >= CREDENTIALS, `the summing query read ${then.get('credentials')} credential rows`);
      } else {
        const tables = async (sql: string) => (await store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)).map((r) => r.detail);
        assert.deepEqual(await tables(CHANGE_SIGNATURES_SQL), ['SCAN clients'], 'one scan of clients, nothing else');
        assert.ok((await tables(SUMMING_SIGNATURES_SQL)).some((d) => /\bc\b|credentials/.test(d)), 'the summing query reads credentials');
      }
      assert.equal((await store.changeSignatures()).size, clients);
    });
  });
}
