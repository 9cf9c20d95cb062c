// The VaultPort contract, unchanged, through HttpVault and a real hub (HTTPS, pinned certificate) on
// SQLite and on PostgreSQL. The contract adds clients and works across them, which only a user may do,
// so it runs with the admin's bearer token; an agent token's scope is tested in access.test.ts.
import { HttpVault } from '../../src/vault/http.vault';
import { startTestHub, type Engine } from '../helpers/hub';
import { describeVaultContract } from '../vault/vault.contract';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describeVaultContract(`HttpVault → hub on ${engine}`, async () => {
    const t = await startTestHub(engine);
    const vault = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
    // The contract starts from an empty vault: the hub's own record of the admin's login goes.
    await t.hub.store.sql.run('DELETE FROM events');
    return { vault, cleanup: async () => { await vault.close(); await t.close(); } };
  });
}
