"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SQLITE_DRIVER_NAMES = void 0;
exports.probeSqliteDriver = probeSqliteDriver;
exports.sqliteDriver = sqliteDriver;
exports.probeSqliteDrivers = probeSqliteDrivers;
exports.defaultSqliteDriver = defaultSqliteDriver;
/** In the order of preference. */
exports.SQLITE_DRIVER_NAMES = ['node:sqlite', 'better-sqlite3'];
// Required lazily, each only when its driver is asked for.
const LOADERS = {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    'node:sqlite': () => require('./node-sqlite.driver').loadNodeSqliteDriver(),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    'better-sqlite3': () => require('./better-sqlite3.driver').loadBetterSqlite3Driver(),
};
const probes = new Map();
let chosen;
/** Load one driver (once per process): the driver, or why it cannot load here. */
function probeSqliteDriver(name) {
    let probe = probes.get(name);
    if (!probe) {
        try {
            probe = { name, driver: LOADERS[name]() };
        }
        catch (err) {
            probe = { name, reason: oneLine(err) };
        }
        probes.set(name, probe);
    }
    return probe;
}
/** A driver by name, or an error saying why it does not load on this Node. */
function sqliteDriver(name) {
    if (!LOADERS[name])
        throw new Error(`unknown SQLite driver "${name}" (known: ${exports.SQLITE_DRIVER_NAMES.join(', ')})`);
    const probe = probeSqliteDriver(name);
    if ('driver' in probe)
        return probe.driver;
    throw new Error(`SQLite driver ${name} does not load on Node ${process.version}: ${probe.reason}`);
}
/** Every driver, loaded or with its reason (tests and the bench: this loads both). */
function probeSqliteDrivers() {
    return exports.SQLITE_DRIVER_NAMES.map(probeSqliteDriver);
}
/** The driver the stores use: the first that loads, in order of preference. */
function defaultSqliteDriver() {
    if (chosen)
        return chosen;
    const failed = [];
    for (const name of exports.SQLITE_DRIVER_NAMES) {
        const probe = probeSqliteDriver(name);
        if ('driver' in probe)
            return (chosen = probe.driver);
        failed.push(`${name}: ${probe.reason}`);
    }
    throw new Error(`no SQLite driver loads on Node ${process.version} (${failed.join('; ')})`);
}
/** An error's message on one line (a Node addon's ABI message spans five), bounded. */
function oneLine(err) {
    const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
    return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
//# sourceMappingURL=drivers.js.map