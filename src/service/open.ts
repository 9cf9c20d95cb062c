import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { loadConfig, type Config } from '../config/config';
import { dataPaths, ensureDataDir } from '../config/paths';
import { openStateDb, type StateDb, type StateDbOptions } from '../journal/sqlite.state';
import type { VaultPort } from '../ports/vault.port';
import { selectAgentTokenStore, selectKeyFileAccess } from '../platform';
import { KeyFileError } from '../protocol/errors';
import { HttpVault } from '../vault/http.vault';
import { ensureVaultKey } from '../vault/secret-box';
import { SqliteVault } from '../vault/sqlite.vault';
import { openNamingDamage } from './data-file-check';

/**
 * The vault of one data dir, the one place that chooses the adapter: the hub (HttpVault with the agent
 * token from `pwbridge setup`) when config.json has `hub`, else the embedded SQLite vault, whose key is
 * read from its root-only file, used, then wiped. `config` is read from the data dir when not given.
 */
export async function openVaultAt(dataDir: string, config?: Config): Promise<VaultPort> {
  const p = dataPaths(dataDir);
  const hub = (config ?? loadConfig(dataDir)).hub;
  if (hub) {
    // Read again while the hub refuses the token in use: a new `pwbridge setup` takes effect without a restart.
    const tokens = selectAgentTokenStore();
    return HttpVault.open(hub, () => tokens.read(p.agentToken));
  }
  ensureDataDir(p);
  const key = ensureVaultKey(p.vaultKey);
  try {
    // ensureVaultKey reads mode bits, which say nothing on Windows; there the platform reads owner and DACL.
    const problem = selectKeyFileAccess()?.(p.vaultKey, 'secret');
    if (problem) throw new KeyFileError(p.vaultKey, problem);
    // The constructor opens the file synchronously, so a damaged one throws here, where it can be named.
    return openNamingDamage(p.vaultDb, 'vault', () => new SqliteVault({ path: p.vaultDb, key }));
  } finally {
    key.fill(0);
  }
}

/** The bridge's own state (journal, echo records, reconcile memos, filter state) of one data dir. */
export function openStateAt(dataDir: string, echoKey: Buffer, more: Omit<StateDbOptions, 'echoKey'> = {}): StateDb {
  const p = dataPaths(dataDir);
  ensureDataDir(p);
  return openNamingDamage(p.stateDb, 'state', () => openStateDb(p.stateDb, { ...more, echoKey }));
}

/**
 * The state of an install that exists, for commands that inspect or repair it (`status`, `journal`)
 * without running the service: undefined when the service never ran there. Such commands never touch
 * the echo store, so it gets a throwaway key instead of one derived from the install secret.
 */
export function openExistingState(dataDir: string): StateDb | undefined {
  const p = dataPaths(dataDir);
  if (!fs.existsSync(p.stateDb)) return undefined;
  return openNamingDamage(p.stateDb, 'state', () => openStateDb(p.stateDb, { echoKey: randomBytes(32) }));
}
