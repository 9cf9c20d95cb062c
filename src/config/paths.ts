import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config-error';

/** Where each file of one install lives inside its data dir. One place, so nothing guesses a path. */
export interface DataPaths {
  dataDir: string;
  keysDir: string;
  vaultKey: string;
  vaultDb: string;
  stateDb: string;
  logDir: string;
  logFile: string;
  /** Events a capture could not deliver, one file each (docs/protocol.md "Spool"); drained by the service. */
  spoolDir: string;
  /** The agent token from `pwbridge setup` (root-only), when this machine uses a hub. */
  agentToken: string;
}

export function dataPaths(dataDir: string): DataPaths {
  const keysDir = path.join(dataDir, 'keys');
  return {
    dataDir,
    keysDir,
    vaultKey: path.join(keysDir, 'vault.key'),
    vaultDb: path.join(dataDir, 'vault.db'),
    stateDb: path.join(dataDir, 'state.db'),
    logDir: path.join(dataDir, 'log'),
    logFile: path.join(dataDir, 'log', 'pwbridge.log'),
    spoolDir: path.join(dataDir, 'spool'),
    agentToken: path.join(keysDir, 'agent.token'),
  };
}

/** The data dir holds keys and the journal: owner-only, whatever the umask says. */
export function ensureDataDir(p: DataPaths): void {
  for (const dir of [p.dataDir, p.keysDir, p.logDir, p.spoolDir]) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM') throw err;
      throw new ConfigError('--data-dir', `cannot create or secure ${dir} (permission denied)`,
        'Run pwbridge as root (the service needs it for local accounts), or give --data-dir a directory you own');
    }
  }
}
