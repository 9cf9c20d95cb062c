// What the links share, opened at most once and only when a link asks: state.db and the vault. Nothing
// here creates a file: a data dir that lacks one is what doctor reports, not what it repairs.
import * as fs from 'node:fs';
import type { Config } from '../config/config';
import { dataPaths } from '../config/paths';
import type { StateDb } from '../journal/sqlite.state';
import { openExistingState } from '../service/open';
import { KeyFileError } from '../protocol/errors';
import { HttpVault } from '../vault/http.vault';
import { SqliteVault } from '../vault/sqlite.vault';
import { ensureVaultKey } from '../vault/secret-box';
import { lockedOut, type DoctorContext, type DoctorMachine, type VaultOpening } from './link';

export interface OpenedContext extends DoctorContext {
  close(): Promise<void>;
}

export function doctorContext(config: Config, machine: DoctorMachine, now: () => number = Date.now): OpenedContext {
  const paths = dataPaths(config.dataDir);
  let state: { db?: StateDb } | undefined;
  let vault: Promise<VaultOpening> | undefined;
  return {
    config, paths, machine, now,
    state() {
      const denied = lockedOut(config.dataDir);
      if (denied) throw denied;
      state ??= { db: openExistingState(config.dataDir) };
      return state.db;
    },
    vault() {
      vault ??= openVault(config, machine, paths, now);
      return vault;
    },
    async close() {
      state?.db?.close();
      const v = vault && await vault;
      if (v && 'vault' in v) await v.vault.close();
    },
  };
}

async function openVault(config: Config, machine: DoctorMachine, paths: ReturnType<typeof dataPaths>, now: () => number): Promise<VaultOpening> {
  if (config.hub) {
    try {
      // Read again by HttpVault while the hub refuses the token, as the service does.
      const hub = HttpVault.open(config.hub, () => machine.readAgentToken(paths.agentToken), { now });
      return { kind: 'hub', vault: hub, clockOffsetMs: () => hub.clock.offsetMs };
    } catch (e) {
      return { kind: 'hub', error: e as Error };
    }
  }
  try {
    const denied = lockedOut(paths.dataDir);
    if (denied) throw denied;
    for (const f of [paths.vaultDb, paths.vaultKey]) {
      if (!fs.existsSync(f)) throw Object.assign(new Error(`${f} does not exist: the service creates the embedded vault at its first start`), { code: 'ENOENT' });
    }
    const problem = machine.keyFileAccess?.(paths.vaultKey, 'secret');
    if (problem) throw new KeyFileError(paths.vaultKey, problem);
    const key = ensureVaultKey(paths.vaultKey); // exists (checked above), so only read and checked
    try {
      return { kind: 'embedded', vault: new SqliteVault({ path: paths.vaultDb, key }) };
    } finally {
      key.fill(0);
    }
  } catch (e) {
    return { kind: 'embedded', error: e as Error };
  }
}
