// The VaultPort contract through HttpVault and a real in-process hub on one engine (and SQLite driver).
import type { SqliteDriver } from '../../src/sqlite/database';
import { HttpVault } from '../../src/vault/http.vault';
import { ADMIN, startTestHub, type Engine } from '../helpers/hub';
import { describeVaultContract } from '../vault/vault.contract';

export function describeHttpVaultContract(engine: Engine, sqlite?: SqliteDriver): void {
  describeVaultContract(`HttpVault → hub on ${engine}`, async () => {
    const t = await startTestHub(engine, { sqlite });
    const vault = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
    // The contract starts from an empty vault: the hub's own record of the admin's login goes.
    await t.hub.store.sql.run('DELETE FROM events');
    return { vault, cleanup: async () => { await vault.close(); await t.close(); } };
  }, {
    // The hub records who wrote from the login (the admin here), whatever source or restorer the caller names.
    resolvedBy: () => ADMIN,
    recorded: (given) => (given?.kind === 'restore' ? { ...given, by: ADMIN } : { kind: 'user', user: ADMIN }),
  });
}
