/**
 * One suite, every SQLite driver this Node can load (parcel-watcher style): `forEachSqliteDriver(body)`
 * registers `body` once per driver that loads, inside a describe named after it. A driver that cannot load
 * here is a pending test that says why (better-sqlite3's addon on the Node 22 run, node:sqlite on Node 20),
 * never silence. A run where no driver loads fails.
 *
 * PWBRIDGE_SQLITE_DRIVERS=node:sqlite (a comma-separated list) says those drivers MUST load: the
 * `npm test` run on the pinned Node 22 sets it, so that a Node without node:sqlite fails there instead of
 * quietly testing nothing, or the other driver.
 */
import assert from 'node:assert/strict';
import type { SqliteDriver, SqliteDriverName } from '../../src/sqlite/database';
import { SQLITE_DRIVER_NAMES, probeSqliteDrivers } from '../../src/sqlite/drivers';
import { skipBecause } from './skip';

/** Drivers the environment requires, checked against the known names (a typo must not pass quietly). */
export function requiredSqliteDrivers(): SqliteDriverName[] {
  const list = (process.env.PWBRIDGE_SQLITE_DRIVERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of list) {
    if (!SQLITE_DRIVER_NAMES.includes(name as SqliteDriverName)) {
      throw new Error(`PWBRIDGE_SQLITE_DRIVERS names "${name}", not a driver (known: ${SQLITE_DRIVER_NAMES.join(', ')})`);
    }
  }
  return list as SqliteDriverName[];
}

/** The drivers that load here (what a test that needs one, not each, may pick from). */
export function loadableSqliteDrivers(): SqliteDriver[] {
  return probeSqliteDrivers().flatMap((p) => ('driver' in p ? [p.driver] : []));
}

export function forEachSqliteDriver(body: (driver: SqliteDriver) => void): void {
  const required = requiredSqliteDrivers();
  const probes = probeSqliteDrivers();
  for (const probe of probes) {
    describe(`[SQLite driver ${probe.name}]`, () => {
      if ('driver' in probe) {
        body(probe.driver);
      } else if (required.includes(probe.name)) {
        it(`loads on Node ${process.version} (PWBRIDGE_SQLITE_DRIVERS requires it)`, () => {
          assert.fail(`${probe.name} does not load: ${probe.reason}`);
        });
      } else {
        // The reason's first sentence: better-sqlite3's ABI message goes on for three more.
        const why = probe.reason.split(/(?<=\.) /)[0];
        it(`cannot load on Node ${process.version}, its suite is not run here`, function () { skipBecause(this, why); });
      }
    });
  }
  if (!probes.some((p) => 'driver' in p)) {
    it('at least one SQLite driver loads', () => {
      assert.fail(`no SQLite driver loads on Node ${process.version}: ${probes.map((p) => `${p.name}: ${'reason' in p ? p.reason : ''}`).join('; ')}`);
    });
  }
}
