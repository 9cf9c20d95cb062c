// The data dir on Windows: judged before install changes anything, then created (or re-secured) with the
// protected ACL before any key exists, and secured and read back again after every step that creates
// files in it (secure-tree.ts). A folder found there that lets anyone else in is refused, never adopted:
// whoever could write into it may have left a key or a config behind, or read what was there.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataPaths, ensureDataDir } from '../config/paths';
import { DataDirAclError, untrustedDirFix, type EntryProblem } from '../platform/windows/secure-tree';
import type { WindowsSystem } from '../platform/windows/system';
import { ensureKeys, wipeKeys } from '../protocol/keys';
import { PRIVATE_FILE, PUBLIC_FILE, SECRET_FILE } from '../protocol/key-files';
import { ensureVaultKey } from '../vault/secret-box';
import type { WindowsManifest } from './manifest';
import type { Plan } from './plan';

const SECURED_FIX = 'install secured it earlier, so someone changed it since: find out who and when. If nobody else could have read '
  + 'the keys, remove those entries (icacls "PATH" /remove:g SID, or the file\'s Security tab) and install again; otherwise stop the '
  + 'service, move the keys folder away (new keys are made) and install again';

/**
 * Refuse a data dir that lets anyone but SYSTEM, Administrators and `serviceSids` in. Before anything else
 * is believed from it (config.json, install.json): those are only trusted once the folder is. One case is
 * mended rather than refused, and returned: in a folder install secured (install.json says so, and the
 * folder's own entry is still private), files outside keys\ that others may only read. The service and
 * administrators make files there after install (on Windows they take the folder's ACL; under Wine each
 * takes its Unix mode, which lets Everyone read), and nobody untrusted can have put or changed them. A key
 * others could read is refused (it must be replaced, not hidden again), and so is an entry anyone else may
 * write, own or change: it may have been planted.
 */
export function checkDataDir(sys: WindowsSystem, dataDir: string, serviceSids: readonly string[], securedBefore: () => boolean): EntryProblem[] {
  if (!fs.existsSync(dataDir)) return [];
  const problems = sys.dataDir.problems(dataDir, serviceSids);
  if (!problems.length) return [];
  const keysDir = path.resolve(dataPaths(dataDir).keysDir).toLowerCase();
  const mendable = (p: EntryProblem): boolean => {
    const at = path.resolve(p.path).toLowerCase();
    return p.readOnly && at !== path.resolve(dataDir).toLowerCase() && at !== keysDir && !at.startsWith(keysDir + path.sep);
  };
  if (problems.every(mendable) && securedBefore()) return problems;
  throw new DataDirAclError(dataDir, problems, securedBefore() ? SECURED_FIX : untrustedDirFix(dataDir));
}

export interface DataDirStepsContext {
  sys: WindowsSystem;
  plan: Plan;
  win: WindowsManifest;
  dataDir: string;
  /** Whether the vault is this machine's own (vault.key in the data dir), not a hub's. */
  embeddedVault: boolean;
  /** Secure and verify the whole tree (with the service account's SID once the registry names it). */
  filesCreated(): void;
  serviceSid(): string | undefined;
  /** Entries of a folder install secured that others may read (checkDataDir): secured again. */
  readable?: readonly EntryProblem[];
}

/** Step 1: the folder itself, before anything is in it. */
export function planDataDirStep(c: DataDirStepsContext): void {
  const { sys, plan, win, dataDir } = c;
  const who = 'SYSTEM, Administrators and the service account';
  if (!fs.existsSync(dataDir)) {
    plan.steps.push({
      say: `create the data dir ${dataDir} with a protected ACL for ${who} only (owner Administrators), inherited by what is made in it`,
      apply: () => {
        fs.mkdirSync(path.dirname(dataDir), { recursive: true });
        sys.dataDir.create(dataDir, c.serviceSid());
        win.dataDirSecured = true;
        c.filesCreated();
      },
    });
  } else if (win.dataDirSecured && c.readable?.length) {
    const names = [...new Set(c.readable.map((p) => path.relative(dataDir, p.path) || '.'))];
    plan.steps.push({
      say: `secure again what others may read in ${dataDir} (made since install secured it; under Wine a new file's ACL comes from its Unix mode): ${names.join(', ')}`,
      apply: () => c.filesCreated(),
    });
  } else if (win.dataDirSecured) {
    plan.kept.push(`${dataDir} is private to ${who} (every entry's owner and ACL read back)`);
  } else {
    plan.steps.push({
      say: `give ${dataDir} and everything in it a protected ACL for ${who} only (owner Administrators)`,
      apply: () => {
        win.dataDirSecured = true;
        c.filesCreated();
      },
    });
  }
}

/** The keys and the vault key, once the folder and the service account (its ACL entry) are there. */
export function planKeySteps(c: DataDirStepsContext): void {
  const { plan, dataDir } = c;
  const paths = dataPaths(dataDir);
  const keysExist = [SECRET_FILE, PRIVATE_FILE, PUBLIC_FILE].every((f) => fs.existsSync(path.join(paths.keysDir, f)));
  if (keysExist) plan.kept.push(`the keys in ${paths.keysDir}`);
  else {
    plan.steps.push({
      say: `create what is missing of the keys: keys\\${SECRET_FILE}, keys\\${PRIVATE_FILE}, keys\\${PUBLIC_FILE}`,
      apply: () => {
        ensureDataDir(paths);
        wipeKeys(ensureKeys(paths.keysDir));
        c.filesCreated();
      },
    });
  }
  if (c.embeddedVault) {
    if (fs.existsSync(paths.vaultKey)) plan.kept.push(`the vault key ${paths.vaultKey}`);
    else {
      plan.steps.push({
        say: `create the vault key keys\\${path.basename(paths.vaultKey)} (the vault's passwords are encrypted with it)`,
        apply: () => {
          ensureVaultKey(paths.vaultKey).fill(0);
          c.filesCreated();
        },
      });
    }
  }
}
