"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.requiredSqliteDrivers = requiredSqliteDrivers;
exports.loadableSqliteDrivers = loadableSqliteDrivers;
exports.forEachSqliteDriver = forEachSqliteDriver;
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
const strict_1 = __importDefault(require("node:assert/strict"));
const drivers_1 = require("../../src/sqlite/drivers");
/** Drivers the environment requires, checked against the known names (a typo must not pass quietly). */
function requiredSqliteDrivers() {
    const list = (process.env.PWBRIDGE_SQLITE_DRIVERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const name of list) {
        if (!drivers_1.SQLITE_DRIVER_NAMES.includes(name)) {
            throw new Error(`PWBRIDGE_SQLITE_DRIVERS names "${name}", not a driver (known: ${drivers_1.SQLITE_DRIVER_NAMES.join(', ')})`);
        }
    }
    return list;
}
/** The drivers that load here (what a test that needs one, not each, may pick from). */
function loadableSqliteDrivers() {
    return (0, drivers_1.probeSqliteDrivers)().flatMap((p) => ('driver' in p ? [p.driver] : []));
}
function forEachSqliteDriver(body) {
    const required = requiredSqliteDrivers();
    const probes = (0, drivers_1.probeSqliteDrivers)();
    for (const probe of probes) {
        describe(`[SQLite driver ${probe.name}]`, () => {
            if ('driver' in probe) {
                body(probe.driver);
            }
            else if (required.includes(probe.name)) {
                it(`loads on Node ${process.version} (PWBRIDGE_SQLITE_DRIVERS requires it)`, () => {
                    strict_1.default.fail(`${probe.name} does not load: ${probe.reason}`);
                });
            }
            else {
                // The reason's first sentence: better-sqlite3's ABI message goes on for three more.
                it(`cannot load on Node ${process.version}, its suite is not run here: ${probe.reason.split(/(?<=\.) /)[0]}`);
            }
        });
    }
    if (!probes.some((p) => 'driver' in p)) {
        it('at least one SQLite driver loads', () => {
            strict_1.default.fail(`no SQLite driver loads on Node ${process.version}: ${probes.map((p) => `${p.name}: ${'reason' in p ? p.reason : ''}`).join('; ')}`);
        });
    }
}
//# sourceMappingURL=sqlite-drivers.js.map