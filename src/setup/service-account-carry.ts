// After `pwbridge setup` (or `install --hub`) points this machine at a hub: the service account's
// credential, which `pwbridge install` stored in the embedded vault (the machine had no hub then), is
// copied into the hub's vault under the enrolled client, and install.json records where it now lives. The
// vendor guide's step 18 ("confirm the newly created Windows Service account has been populated") holds
// whichever order the administrator took: install then enrol, or enrol during install.
import * as fs from 'node:fs';
import { loadConfig } from '../config/config';
import { dataPaths } from '../config/paths';
import type { VaultPort } from '../ports/vault.port';
import { openVaultAt } from '../service/open';
import { ensureVaultKey } from '../vault/secret-box';
import { SqliteVault } from '../vault/sqlite.vault';
import { readManifest, writeManifest } from './manifest';

export async function carryServiceAccount(dataDir: string, out: (line: string) => void): Promise<void> {
  const manifest = readManifest(dataDir);
  const cred = manifest?.windows?.credential;
  const config = loadConfig(dataDir);
  if (!manifest?.windows || !cred || !config.hub || cred.vault === config.hub.url) return;
  const p = dataPaths(dataDir);
  if (!fs.existsSync(p.vaultDb) || !fs.existsSync(p.vaultKey)) {
    out(`the service account's credential ${cred.username} was recorded in the embedded vault, which is gone: add it to the hub by hand`);
    return;
  }
  const key = ensureVaultKey(p.vaultKey);
  let local: VaultPort;
  try {
    local = await SqliteVault.open({ path: p.vaultDb, key });
  } finally {
    key.fill(0);
  }
  let hub: VaultPort | undefined;
  let password: Buffer | undefined;
  try {
    const found = await local.findCredential(cred.client, cred.username);
    if (!found) {
      out(`the service account's credential ${cred.username} is not in the embedded vault (client "${cred.client}"): add it to the hub by hand`);
      return;
    }
    password = await local.readPassword(found.id);
    hub = await openVaultAt(dataDir, config);
    const there = await hub.findCredential(config.client, cred.username);
    if (there) await hub.updateCredential(config.client, cred.username, { password });
    else await hub.addCredential({ client: config.client, username: cred.username, password, windowsSync: false, mode: 'report' });
    manifest.windows.credential = { client: config.client, username: cred.username, vault: config.hub.url };
    writeManifest(manifest);
    out(`the service account's credential ${cred.username} is now in the hub's vault (client "${config.client}", Windows Sync off: it is never reconciled)`);
  } catch (e) {
    throw new Error(`the machine is enrolled, but the service account's credential ${cred.username} could not be copied to the hub (${(e as Error).message}); `
      + 'run pwbridge setup again to retry');
  } finally {
    password?.fill(0);
    await local.close();
    await hub?.close();
  }
}
