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
exports.PgCluster = void 0;
// A PostgreSQL cluster of the scenario's own, run by pg_ctl (as the `postgres` user under root), for the
// scenarios that restart it: the run's shared cluster (test/helpers/postgres.ts) is held by a guard that
// deletes it when its server exits, which a restart does. On a Unix socket in a private folder only, trust
// authentication, fsync off (the figures leave out the disk's flush; the hub's commits stay synchronous).
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const pg_1 = require("pg");
const postgres_1 = require("../helpers/postgres");
class PgCluster {
    dir;
    dataDir;
    logFile;
    bin;
    user;
    stopped = false;
    onExit = () => this.stopNow();
    constructor(dir, dataDir, logFile, bin, user) {
        this.dir = dir;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.bin = bin;
        this.user = user;
        process.once('exit', this.onExit);
    }
    static async start() {
        const bin = (0, postgres_1.findBinDir)();
        const user = (0, postgres_1.serverUser)();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-faults-pg-'));
        fs.chmodSync(dir, 0o700);
        if (user)
            fs.chownSync(dir, user.uid, user.gid);
        const c = new PgCluster(dir, path.join(dir, 'data'), path.join(dir, 'server.log'), bin, user);
        c.run('initdb', ['-D', c.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
        c.ctl(['start', '-w', '-t', '60', '-o', `-k ${dir} -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=200 -c unix_socket_permissions=0700`]);
        await c.createDatabase('faults');
        return c;
    }
    /** `database` as the superuser, over the socket. */
    url(database) {
        return `postgresql://postgres@/${database}?host=${encodeURIComponent(this.dir)}`;
    }
    async createDatabase(name) {
        const c = new pg_1.Client({ host: this.dir, user: 'postgres', database: 'postgres' });
        await c.connect();
        try {
            await c.query(`CREATE DATABASE ${name}`);
        }
        finally {
            await c.end();
        }
    }
    /** `pg_ctl restart -m fast`: every session is ended, the server stops and starts again. Resolves when it accepts connections. */
    restartFast() {
        // Asynchronous: the scenario's probes and captures go on while pg_ctl waits.
        return new Promise((resolve, reject) => {
            (0, node_child_process_1.execFile)(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-l', this.logFile, 'restart', '-m', 'fast', '-w', '-t', '60'], { ...(this.user ?? {}), cwd: this.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } }, (err, _out, stderr) => (err ? reject(new Error(`pg_ctl restart: ${stderr || err.message}\n${this.tail()}`)) : resolve()));
        });
    }
    ctl(args) {
        // pg_ctl's -l keeps the server's output in the log file, so the server holds no pipe of this process.
        this.run('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, ...args]);
    }
    run(prog, args) {
        try {
            (0, node_child_process_1.execFileSync)(path.join(this.bin, prog), args, { ...(this.user ?? {}), cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } });
        }
        catch (err) {
            const stderr = err.stderr?.toString().trim();
            throw new Error(`${prog} ${args[0]}: ${stderr || err.message}\n${this.tail()}`);
        }
    }
    tail() {
        try {
            return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
        }
        catch {
            return '';
        }
    }
    /** Stop the server (immediate: nothing in it is kept) and remove the folder. */
    stopNow() {
        if (this.stopped)
            return;
        this.stopped = true;
        process.off('exit', this.onExit);
        (0, node_child_process_1.spawnSync)(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, 'stop', '-m', 'immediate', '-w'], { ...(this.user ?? {}), cwd: this.dir, stdio: 'ignore' });
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
exports.PgCluster = PgCluster;
//# sourceMappingURL=pg-cluster.js.map