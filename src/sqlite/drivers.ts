/**
 * The one place that picks the SQLite driver: node:sqlite where the running Node has it (what the Windows
 * package's node.exe runs on), better-sqlite3 otherwise (Node 20). Each is loaded only when asked for, so a
 * process on node:sqlite never loads better-sqlite3 (the Windows package does not ship it).
 */
import type { SqliteDriver, SqliteDriverName } from './database';

/** In the order of preference. */
export const SQLITE_DRIVER_NAMES: readonly SqliteDriverName[] = ['node:sqlite', 'better-sqlite3'];

export type DriverProbe = { name: SqliteDriverName; driver: SqliteDriver } | { name: SqliteDriverName; reason: string };

// Required lazily, each only when its driver is asked for.
const LOADERS: Record<SqliteDriverName, () => SqliteDriver> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'node:sqlite': () => (require('./node-sqlite.driver') as typeof import('./node-sqlite.driver')).loadNodeSqliteDriver(),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'better-sqlite3': () => (require('./better-sqlite3.driver') as typeof import('./better-sqlite3.driver')).loadBetterSqlite3Driver(),
};

const probes = new Map<SqliteDriverName, DriverProbe>();
let chosen: SqliteDriver | undefined;

/** Load one driver (once per process): the driver, or why it cannot load here. */
export function probeSqliteDriver(name: SqliteDriverName): DriverProbe {
  let probe = probes.get(name);
  if (!probe) {
    try {
      probe = { name, driver: LOADERS[name]() };
    } catch (err) {
      probe = { name, reason: oneLine(err) };
    }
    probes.set(name, probe);
  }
  return probe;
}

/** A driver by name, or an error saying why it does not load on this Node. */
export function sqliteDriver(name: SqliteDriverName): SqliteDriver {
  if (!LOADERS[name]) throw new Error(`unknown SQLite driver "${name}" (known: ${SQLITE_DRIVER_NAMES.join(', ')})`);
  const probe = probeSqliteDriver(name);
  if ('driver' in probe) return probe.driver;
  throw new Error(`SQLite driver ${name} does not load on Node ${process.version}: ${probe.reason}`);
}

/** Every driver, loaded or with its reason (tests and the bench: this loads both). */
export function probeSqliteDrivers(): DriverProbe[] {
  return SQLITE_DRIVER_NAMES.map(probeSqliteDriver);
}

/** The driver the stores use: the first that loads, in order of preference. */
export function defaultSqliteDriver(): SqliteDriver {
  if (chosen) return chosen;
  const failed: string[] = [];
  for (const name of SQLITE_DRIVER_NAMES) {
    const probe = probeSqliteDriver(name);
    if ('driver' in probe) return (chosen = probe.driver);
    failed.push(`${name}: ${probe.reason}`);
  }
  throw new Error(`no SQLite driver loads on Node ${process.version} (${failed.join('; ')})`);
}

/** An error's message on one line (a Node addon's ABI message spans five), bounded. */
function oneLine(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
