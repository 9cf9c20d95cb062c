import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { dataPaths, ensureDataDir } from '../config/paths';
import { openStateDb, type StateDb } from '../journal/sqlite.state';
import type { VaultPort } from '../ports/vault.port';
import { ensureVaultKey } from '../vault/secret-box';
import { SqliteVault } from '../vault/sqlite.vault';

/** The embedded vault of one data dir. The key is read from its root-only file, used, then wiped. */
export async function openVaultAt(dataDir: string): Promise<VaultPort> {
  const p = dataPaths(dataDir);
  ensureDataDir(p);
  const key = ensureVaultKey(p.vaultKey);
  try {
    return SqliteVault.open({ path: p.vaultDb, key });
  } finally {
    key.fill(0);
  }
}

/** The bridge's own state (journal, echo records, reconcile memos, filter state) of one data dir. */
export function openStateAt(dataDir: string, echoKey: Buffer): StateDb {
  const p = dataPaths(dataDir);
  ensureDataDir(p);
  return openStateDb(p.stateDb, { echoKey });
}

/**
 * The state of an install that exists, for commands that inspect or repair it (`status`, `journal`)
 * without running the service: undefined when the service never ran there. Such commands never touch
 * the echo store, so it gets a throwaway key instead of one derived from the install secret.
 */
export function openExistingState(dataDir: string): StateDb | undefined {
  const p = dataPaths(dataDir);
  if (!fs.existsSync(p.stateDb)) return undefined;
  return openStateDb(p.stateDb, { echoKey: randomBytes(32) });
}
