// `<data dir>/install.json`: what `pwbridge install` did, so `pwbridge uninstall` reverts exactly that.
// Written (atomically) after every step, so an install that fails half way can still be undone.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config/config-error';
import { writeFileAtomic } from '../fs/atomic-file';
import { runPlan, type Plan } from './plan';

export interface FileRecord {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  sha256: string;
}

export interface InstallManifest {
  version: 1;
  dataDir: string;
  /** The pam.d file install works on (recorded even when install found its line there already). */
  pamFile?: string;
  /** The PAM module file install put in the security dir. */
  module?: { path: string; source: string; sha256: string };
  /** The pam.d file install edited (absent: install did not change it). */
  pam?: {
    file: string;
    /** Content before and after install's edit; uninstall restores the backup only from the latter. */
    beforeSha256: string;
    writtenSha256: string;
    /** The pristine file as it was before the first install: its bytes, mode and owner. */
    backup: FileRecord;
  };
  unit?: { path: string; sha256: string };
  /** How install started the service. */
  service?: { how: 'systemd'; unit: string } | { how: 'detached'; pidFile: string; log: string };
  /** What install did on Windows (src/setup/windows-install.ts). */
  windows?: WindowsManifest;
}

/** A registry value's type and bytes (base64), as recorded. */
export interface RecordedValue {
  type: number;
  data: string;
}

/** One registry value install set: what it was before (absent: there was none) and what install wrote. */
export interface RegistryRecord {
  key: string;
  name: string;
  before?: RecordedValue;
  written: RecordedValue;
}

/** Every change install made on Windows, so uninstall reverts exactly that. Never a password. */
export interface WindowsManifest {
  /** The data dir's ACL was restricted to SYSTEM and Administrators. */
  dataDirSecured?: boolean;
  /** The filter DLL in System32: copied by install (removed by uninstall), the package's, or found there. */
  dll?: { path: string; source: string; sha256: string; owner: 'install' | 'package' | 'found' };
  /** The service account install created (absent: install created none). */
  account?: { name: string; sid: string; group?: string; rights: string[] };
  /**
   * An account that was there before install and runs the service (--service-account, or the Wine user):
   * never deleted, its groups left alone; uninstall takes back only `rightsGranted`.
   */
  existingAccount?: { name: string; sid: string; rightsGranted: string[]; wine?: string };
  /** config.json's serviceAccount as install set it; uninstall puts `before` back if it still says `written`. */
  configServiceAccount?: { before?: string; written: string; createdFile: boolean };
  /** Its credential in the vault (kept by uninstall: the vault is kept); `vault`: the hub's URL once
   * enrolment carried it there (absent: the embedded vault). */
  credential?: { client: string; username: string; vault?: string };
  /** Registry keys install created. */
  createdKeys?: string[];
  /** Registry values install set, in the order it set them. */
  values?: RegistryRecord[];
  /** The service install created, and the command line it was last given. */
  service?: { name: string; binaryPath: string };
}

export function manifestPath(dataDir: string): string {
  return path.join(dataDir, 'install.json');
}

/** The files install keeps in the data dir besides the manifest. */
export function serviceFiles(dataDir: string): { manifest: string; pidFile: string; serviceOut: string } {
  return {
    manifest: manifestPath(dataDir),
    /** A detached service's pid (no systemd). */
    pidFile: path.join(dataDir, 'pwbridge.pid'),
    /** A detached service's stdout and stderr. */
    serviceOut: path.join(dataDir, 'log', 'service.out'),
  };
}

/** The manifest, or undefined when there is none. A file that is not one is refused. */
export function readManifest(dataDir: string): InstallManifest | undefined {
  const file = manifestPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'Run pwbridge as root');
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, `is not valid JSON (${(e as Error).message})`, 'Restore it from a backup, or undo the install by hand (see docs/linux.md or docs/windows.md, "What install does")');
  }
  if (m === null || typeof m !== 'object' || (m as { version?: unknown }).version !== 1) {
    throw new ConfigError(file, 'is not a pwbridge install record (version 1)', 'Restore it from a backup, or undo the install by hand (see docs/linux.md or docs/windows.md, "What install does")');
  }
  return m as InstallManifest;
}

export function writeManifest(m: InstallManifest): void {
  writeFileAtomic(manifestPath(m.dataDir), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Apply (or, dry, print) an install plan and keep its record: the manifest is written after every step,
 * so a half-finished install can still be undone, and once more at the end if anything in it changed.
 */
export async function applyAndRecord(
  plan: Plan, manifest: InstallManifest, previous: InstallManifest | undefined, where: string,
  o: { dryRun: boolean; out: (line: string) => void },
): Promise<void> {
  const changed = () => JSON.stringify(manifest) !== JSON.stringify(previous);
  await runPlan(plan, { dryRun: o.dryRun, out: o.out, afterEach: () => writeManifest(manifest) });
  if (o.dryRun) {
    if (changed() || plan.steps.length) o.out(`would record what was done in ${where}`);
  } else if (changed()) {
    writeManifest(manifest);
    o.out(`recorded what was done in ${where} (pwbridge uninstall reverts it)`);
  }
}
