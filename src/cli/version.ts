// `pwbridge --version` / `-V` (and `--version --json`): what an administrator or a bug report needs to
// know about this install: pwbridge's version (package.json), the capture protocol it speaks, the capture
// module on this machine and the version that file carries, the Node runtime and the SQLite driver.
// Nothing here needs root or a data dir: it reads package.json, one module file, and opens SQLite in memory.
import { CommanderError, Option, type Command } from 'commander';
import { packageVersion } from '../package-version';
import type { CaptureModuleInfo } from '../platform/capture-module';
import { findCaptureModule } from '../platform';
import { VERSION as PROTOCOL_VERSION } from '../protocol/constants';
import { defaultSqliteDriver } from '../sqlite/drivers';

export interface SqliteInfo {
  driver?: string;
  /** better-sqlite3's package version (node:sqlite is Node's own). */
  driverVersion?: string;
  /** The SQLite library the driver runs. */
  sqliteVersion?: string;
  problem?: string;
}

export interface VersionReport {
  pwbridge: string;
  protocol: number;
  captureModule?: CaptureModuleInfo;
  node: string;
  sqlite: SqliteInfo;
}

export function collectVersions(): VersionReport {
  return { pwbridge: packageVersion(), protocol: PROTOCOL_VERSION, captureModule: findCaptureModule(), node: process.version, sqlite: sqliteInfo() };
}

function sqliteInfo(): SqliteInfo {
  try {
    const driver = defaultSqliteDriver();
    const db = driver.open(':memory:');
    try {
      return { driver: driver.name, driverVersion: driverPackageVersion(driver.name), sqliteVersion: String(db.prepare('SELECT sqlite_version()').pluck().get()) };
    } finally {
      db.close();
    }
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

function driverPackageVersion(name: string): string | undefined {
  if (name !== 'better-sqlite3') return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('better-sqlite3/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

const MODULE_NAMES: Record<CaptureModuleInfo['kind'], string> = { pam: 'pam_pwbridge.so', lsa: 'pwbridge_filter.dll' };

export function formatVersions(r: VersionReport): string {
  const s = r.sqlite;
  const sqlite = s.problem ?? `${s.driver}${s.driverVersion ? ` ${s.driverVersion}` : ''} (SQLite ${s.sqliteVersion})`;
  return [
    `pwbridge ${r.pwbridge}`,
    `capture protocol: ${r.protocol}`,
    `capture module: ${r.captureModule ? moduleLine(r.captureModule, r.pwbridge) : 'none on this platform'}`,
    `node: ${r.node}`,
    `sqlite: ${sqlite}`,
  ].join('\n') + '\n';
}

function moduleLine(m: CaptureModuleInfo, pwbridge: string): string {
  const name = MODULE_NAMES[m.kind];
  if (m.version !== undefined) {
    // A module left from an older install speaks the same protocol but is not what this release tested.
    const level = m.version === pwbridge ? '' : ` — not pwbridge's ${pwbridge}: reinstall to bring them level`;
    return `${name} ${m.version} (${m.path})${level}`;
  }
  return m.path ? `${name} at ${m.path}: ${m.problem}` : `${name} ${m.problem}`;
}

/**
 * The root's `-V, --version`. commander's own .version() prints one string; this prints the report, as JSON
 * when `--json` is also on the command line (a root `--json` option would take every subcommand's --json).
 */
export function addVersionOption(program: Command): void {
  program.addOption(new Option('-V, --version', 'print the versions of pwbridge, the capture protocol and module, Node and SQLite (with --json: as JSON) and exit'));
  program.on('option:version', () => {
    const report = collectVersions();
    // rawArgs (the argv given to parse) is set before options are read; commander's typings leave it out.
    const json = (program as Command & { rawArgs: string[] }).rawArgs.includes('--json');
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : formatVersions(report));
    throw new CommanderError(0, 'commander.version', 'versions printed');
  });
}
