// HubOptions.dbConnections: the size of the hub's PostgreSQL pools (DEFAULT_DB_CONNECTIONS when absent),
// and a clear refusal of a size that makes no sense.
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { DEFAULT_DB_CONNECTIONS, openHubDatabase } from '../../src/hub/server';
import { freshPostgresSchema } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';

const vaultPool = (vault: unknown): Pool => (vault as { pool: Pool }).pool;

describe('hub database pool size', function () {
  this.timeout(60_000);

  it('sizes the vault pool as asked, and by default', async () => {
    const schema = await freshPostgresSchema('hub');
    const tmp = makeTempDir('pwbridge-pool-');
    try {
      for (const [asked, expected] of [[3, 3], [undefined, DEFAULT_DB_CONNECTIONS]] as const) {
        const { vault, store } = await openHubDatabase(tmp.dir, schema.url, asked);
        try {
          assert.equal(vaultPool(vault).options.max, expected);
        } finally {
          await vault.close();
          await store.close();
        }
      }
    } finally {
      await schema.drop();
      tmp.cleanup();
    }
  });

  it('refuses a size that is not a positive integer, naming the setting', async () => {
    const tmp = makeTempDir('pwbridge-pool-');
    try {
      for (const bad of [0, -1, 2.5, 5000]) {
        await assert.rejects(openHubDatabase(tmp.dir, 'postgres://nobody@127.0.0.1:1/none', bad), /dbConnections must be an integer from 1 to 1000/);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
