"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.testPostgres = testPostgres;
exports.findBinDir = findBinDir;
exports.serverUser = serverUser;
/**
 * A throwaway PostgreSQL cluster for the test run: initdb into a private temp folder, the server on a
 * Unix socket in that folder only (no TCP port), trust authentication (only the folder's owner and root
 * can reach the socket). Started once per run by the first test that asks, shared by every test file;
 * each file takes its own database, each test a fresh schema or database.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: then initdb and the server run as the
 * `postgres` user that Debian's postgresql package creates. The server is started under a small bash
 * guard that holds the read end of a pipe from this process: when this process ends, however it ends
 * (mocha's exit, a crash, SIGKILL), the guard sees end-of-file, stops the server and deletes the folder.
 *
 * Missing binaries are an error with the fix in its message, never a skip: the PostgreSQL vault would
 * otherwise go untested without anyone noticing.
 */
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const pg_1 = require("pg");
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 30_000;
let shared;
/** The run's cluster, started on first use. */
function testPostgres() {
    shared ??= startCluster();
    return shared;
}
/** initdb and postgres: $PWBRIDGE_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin (Debian), else PATH. */
function findBinDir() {
    const candidates = [];
    if (process.env.PWBRIDGE_PG_BINDIR)
        candidates.push(process.env.PWBRIDGE_PG_BINDIR);
    const debian = '/usr/lib/postgresql';
    if (fs.existsSync(debian)) {
        for (const v of fs.readdirSync(debian).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a))) {
            candidates.push(path.join(debian, v, 'bin'));
        }
    }
    candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
    const found = candidates.find((d) => ['initdb', 'postgres'].every((b) => fs.existsSync(path.join(d, b))));
    if (!found) {
        throw new Error('PostgreSQL is not installed: the PostgreSQL vault tests need its server programs (initdb, postgres) and '
            + `found them neither in ${debian}/*/bin nor on PATH${process.env.PWBRIDGE_PG_BINDIR ? ` nor in PWBRIDGE_PG_BINDIR` : ''}. `
            + 'On Debian: apt-get install postgresql (.ci/run installs it); elsewhere set PWBRIDGE_PG_BINDIR to the folder that holds initdb.');
    }
    return found;
}
/** Who runs the server: this process's user, or `postgres` when this process is root. */
function serverUser() {
    if (process.getuid?.() !== 0)
        return undefined;
    const r = (0, node_child_process_1.spawnSync)('getent', ['passwd', SUPERUSER], { encoding: 'utf8' });
    const fields = r.status === 0 ? r.stdout.trim().split(':') : [];
    if (fields.length < 4) {
        throw new Error('PostgreSQL refuses to run as root, and there is no "postgres" user to run the test cluster as '
            + '(the postgresql package creates it: apt-get install postgresql).');
    }
    return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
/**
 * Runs as the server's user. $1 bin dir, $2 data dir, $3 the folder (socket, removed at the end), $4 log.
 * Stops the server when stdin reaches end-of-file (this process ended or called stop()), or exits by
 * itself when the server dies (then the log's tail goes to stderr for the error message).
 */
const GUARD = String.raw `
set -u
"$1/postgres" -D "$2" -k "$3" -c listen_addresses= -c fsync=off -c full_page_writes=off \
  -c max_connections=100 -c unix_socket_permissions=0700 >"$4" 2>&1 &
pg=$!
cat <&0 >/dev/null &
eof=$!
wait -n "$pg" "$eof"
if kill -0 "$pg" 2>/dev/null; then
  kill -INT "$pg"
  wait "$pg"
else
  tail -n 20 "$4" >&2
fi
kill "$eof" 2>/dev/null
rm -rf -- "$3"
`;
async function startCluster() {
    const bin = findBinDir();
    const user = serverUser();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-pg-'));
    fs.chmodSync(dir, 0o700);
    if (user)
        fs.chownSync(dir, user.uid, user.gid);
    const dataDir = path.join(dir, 'data');
    const logFile = path.join(dir, 'server.log');
    const asServer = { ...(user ?? {}), cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } };
    try {
        (0, node_child_process_1.execFileSync)(path.join(bin, 'initdb'), ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { ...asServer, stdio: ['ignore', 'ignore', 'pipe'] });
    }
    catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        const stderr = err.stderr?.toString().trim();
        throw new Error(`initdb of the test PostgreSQL cluster failed: ${stderr || err.message}`);
    }
    const guard = (0, node_child_process_1.spawn)('bash', ['-c', GUARD, 'pwbridge-test-postgres', bin, dataDir, dir, logFile], { ...asServer, stdio: ['pipe', 'ignore', 'pipe'] });
    let guardErr = '';
    guard.stderr.on('data', (d) => { guardErr += d.toString(); });
    const exited = new Promise((resolve) => guard.on('exit', (code) => resolve(code)));
    let guardDone = false;
    void exited.then(() => { guardDone = true; });
    // Neither the guard nor its pipes keep this process alive; its end is what stops the server.
    guard.unref();
    guard.stdin.unref();
    guard.stderr.unref();
    const connect = (database) => new pg_1.Client({ host: dir, user: SUPERUSER, database });
    await waitReady(connect, () => guardDone, () => guardErr || readTail(logFile));
    const pools = new Map();
    const pool = (database) => {
        let p = pools.get(database);
        if (!p) {
            p = new pg_1.Pool({ host: dir, user: SUPERUSER, database, max: 2, allowExitOnIdle: true });
            p.on('error', () => undefined);
            pools.set(database, p);
        }
        return p;
    };
    let counter = 0;
    const url = (database, schema) => {
        const params = new URLSearchParams({ host: dir });
        if (schema)
            params.set('options', `-c search_path=${schema}`);
        return `postgresql://${SUPERUSER}@/${encodeURIComponent(database)}?${params.toString()}`;
    };
    const query = (database, sql, params) => pool(database).query(sql, params);
    return {
        dir, dataDir, logFile, url, query,
        async createDatabase(prefix) {
            const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${++counter}`;
            await query('postgres', `CREATE DATABASE ${name}`);
            return name;
        },
        async createSchema(database) {
            const schema = `test_${++counter}`;
            await query(database, `CREATE SCHEMA ${schema}`);
            return { schema, url: url(database, schema), drop: async () => { await query(database, `DROP SCHEMA ${schema} CASCADE`); } };
        },
        async stop() {
            await Promise.all([...pools.values()].map((p) => p.end()));
            pools.clear();
            guard.stdin.end();
            await exited;
            shared = undefined;
        },
    };
}
async function waitReady(connect, died, why) {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
        if (died())
            throw new Error(`the test PostgreSQL server did not start:\n${why()}`);
        const c = connect('postgres');
        try {
            await c.connect();
            await c.query('SELECT 1');
            return;
        }
        catch (err) {
            if (Date.now() > deadline)
                throw new Error(`the test PostgreSQL server did not answer in ${START_TIMEOUT_MS / 1000} s (${err.message}):\n${why()}`);
        }
        finally {
            await c.end().catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 50));
    }
}
function readTail(file) {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
    }
    catch {
        return '(no server log)';
    }
}
//# sourceMappingURL=postgres.js.map