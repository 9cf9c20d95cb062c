// listCredentialsForMachine, the agent's listing done in SQL, answers exactly what listing the whole
// client and keeping what appliesToAgent accepts answered (the hub's former way), on both engines: case
// folding (ASCII and not), a machine name that is a prefix of another, LIKE's wildcards in names, a
// machine name holding a backslash, flags on some rows, other clients' rows.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { appliesToAgent } from '../../src/hub/access';
import type { HubAgent } from '../../src/hub/store';
import type { VaultPort } from '../../src/ports/vault.port';
import type { MachineListing } from '../../src/vault/machine-listing';
import { PostgresVault } from '../../src/vault/postgres.vault';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { testPostgres } from '../helpers/postgres';
import { makeTempDir } from '../helpers/tmp';

const USERNAMES = [
  'PC1\\alice', 'pc1\\Bob', 'Pc1\\svc\\odd', 'PC10\\carol', 'PC2\\dave', 'shared', 'Backup', 'Ärger',
  'ÄBC\\öl', 'äbc\\Ünter', 'p_1\\wild', 'p%1\\pct', 'PC\\short', 'A\\B\\C',
];
const MACHINES = ['PC1', 'pc1', 'PC10', 'PC2', 'äbc', 'ÄBC', 'p_1', 'p%1', 'PC', 'nobody', 'A\\B', 'A'];

type Opened = { vault: VaultPort & MachineListing; cleanup(): Promise<void> };

const engines: Record<string, () => Promise<Opened>> = {
  sqlite: async () => {
    const tmp = makeTempDir('pwbridge-listing-');
    const vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: crypto.randomBytes(32) });
    return { vault, cleanup: async () => { await vault.close(); tmp.cleanup(); } };
  },
  postgres: async () => {
    const pg = await testPostgres();
    const schema = await pg.createSchema(await pg.createDatabase('listing'));
    const vault = await PostgresVault.open({ url: schema.url, key: crypto.randomBytes(32) });
    return { vault, cleanup: async () => { await vault.close(); await schema.drop(); } };
  },
};

for (const [engine, open] of Object.entries(engines)) {
  describe(`listCredentialsForMachine on ${engine}`, function () {
    this.timeout(120_000);
    let o: Opened;

    before(async () => {
      o = await open();
      for (const name of ['Acme', 'Other']) {
        await o.vault.addClient({ name, windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
        for (const username of USERNAMES) {
          const c = await o.vault.addCredential({ client: name, username, password: Buffer.from('List-Pw-canary'), windowsSync: true, mode: 'change' });
          if (username.length % 3 === 0) await o.vault.setFlag(c.id, 'mismatch', true);
          if (username.length % 2 === 0) await o.vault.setFlag(c.id, 'conflict', true);
        }
      }
    });

    after(async () => { await o?.cleanup(); });

    for (const machine of MACHINES) {
      it(`machine ${JSON.stringify(machine)}: the same rows, flags and order as list-and-filter`, async () => {
        const agent = { machine, client: 'acme' } as HubAgent;
        const expected = (await o.vault.listCredentials('ACME')).filter((c) => appliesToAgent(agent, c.client, c.username));
        const got = await o.vault.listCredentialsForMachine('ACME', machine);
        assert.deepEqual(got, expected);
        assert.ok(got.some((c) => c.flags.length > 0), 'some rows carry flags');
        assert.ok(got.every((c) => c.client === 'Acme'));
      });
    }

    it('lists nothing for an unknown client', async () => {
      assert.deepEqual(await o.vault.listCredentialsForMachine('nope', 'PC1'), []);
    });
  });
}
