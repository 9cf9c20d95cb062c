// The periodic checks' SQL (src/hub/alert-checks.ts) on both engines, with the vault's clock injected: a
// filter that reports pending-reboot again keeps the time it entered that state (migration 11's
// filter_state_since), one that left it and came back starts over; a silent machine is found from its last
// report; a finding already in the outbox is not found again.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { rebootPending, silentMachines } from '../../src/hub/alert-checks';
import { AlertOutbox } from '../../src/hub/alert-outbox';
import { postgresSql, sqliteSql, type Sql } from '../../src/hub/sql';
import type { VaultPort } from '../../src/ports/vault.port';
import { vaultMigrations } from '../../src/vault/migrations';
import { openPool } from '../../src/vault/postgres-open';
import { PostgresVault } from '../../src/vault/postgres.vault';
import { openDatabase } from '../../src/sqlite/open-database';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { testPostgres } from '../helpers/postgres';
import { makeTempDir } from '../helpers/tmp';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
type Opened = { vault: VaultPort; sql: Sql; cleanup(): Promise<void> };

const engines: Record<string, (now: () => number) => Promise<Opened>> = {
  sqlite: async (now) => {
    const tmp = makeTempDir('pwbridge-alert-checks-');
    const file = path.join(tmp.dir, 'vault.db');
    const vault = await SqliteVault.open({ path: file, key: crypto.randomBytes(32), now });
    const sql = sqliteSql(openDatabase(file, vaultMigrations('sqlite')));
    return { vault, sql, cleanup: async () => { await sql.close(); await vault.close(); tmp.cleanup(); } };
  },
  postgres: async (now) => {
    const pg = await testPostgres();
    const schema = await pg.createSchema(await pg.createDatabase('alerts'));
    const vault = await PostgresVault.open({ url: schema.url, key: crypto.randomBytes(32), now });
    const sql = postgresSql(openPool({ url: schema.url, max: 2 }));
    return { vault, sql, cleanup: async () => { await sql.close(); await vault.close(); await schema.drop(); } };
  },
};

for (const [engine, open] of Object.entries(engines)) {
  describe(`alert checks on ${engine}`, function () {
    this.timeout(120_000);
    let o: Opened;
    let t = 1_000_000_000_000;
    const report = (name: string, filterState: string) => o.vault.recordMachine({ name, client: 'Acme', filterState, journalDepth: 0 });
    const names = (f: Array<{ payload: { machine?: string } }>) => f.map((x) => x.payload.machine).sort();

    before(async () => {
      o = await open(() => t);
      await o.vault.addClient({ name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
    });
    after(async () => o?.cleanup());

    it('a filter that stays in pending-reboot keeps its start; leaving the state and coming back starts over', async () => {
      const start = t;
      await report('WS01', 'pending-reboot');
      await report('WS02', 'pending-reboot');
      t += DAY;
      await report('WS01', 'pending-reboot');
      await report('WS02', 'active');
      t += MINUTE;
      await report('WS02', 'pending-reboot');
      t += DAY;
      await report('WS01', 'pending-reboot');
      await report('WS02', 'pending-reboot');
      const found = await rebootPending(o.sql, t, 2);
      assert.deepEqual(names(found), ['WS01'], 'WS02 re-entered the state a day ago');
      assert.equal(found[0].dedupeKey, `reboot-pending:ws01:${start}`);
      assert.deepEqual(names(await rebootPending(o.sql, t + DAY, 2)), ['WS01', 'WS02']);
    });

    it('a machine is silent from its last report; a finding in the outbox is not found again', async () => {
      await report('WS01', 'active');
      const seen = t;
      t += 10 * MINUTE;
      await report('WS02', 'active');
      const found = await silentMachines(o.sql, t + MINUTE, 5);
      assert.deepEqual(names(found), ['WS01']);
      assert.equal(found[0].dedupeKey, `machine-silent:ws01:${seen}`);
      const outbox = new AlertOutbox(o.sql);
      assert.notEqual(await outbox.add(found[0].dedupeKey, found[0].payload, t), undefined);
      assert.equal(await outbox.add(found[0].dedupeKey, found[0].payload, t), undefined, 'the same key again adds nothing');
      assert.deepEqual(names(await silentMachines(o.sql, t + MINUTE, 5)), []);
      assert.deepEqual(names(await silentMachines(o.sql, t + 6 * MINUTE, 5)), ['WS02']);
    });
  });
}
