// A PostgreSQL cluster of the scenario's own, run by pg_ctl (as the `postgres` user under root), for the
// scenarios that restart it: the run's shared cluster (test/helpers/postgres.ts) is held by a guard that
// deletes it when its server exits, which a restart does. On a Unix socket in a private folder only, trust
// authentication, fsync off (the figures leave out the disk's flush; the hub's commits stay synchronous).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { findBinDir, serverUser } from '../helpers/postgres';

export class PgCluster {
  private stopped = false;
  private readonly onExit = () => this.stopNow();

  private constructor(readonly dir: string, readonly dataDir: string, readonly logFile: string, private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined) {
    process.once('exit', this.onExit);
  }

  static async start(): Promise<PgCluster> {
    const bin = findBinDir();
    const user = serverUser();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-faults-pg-'));
    fs.chmodSync(dir, 0o700);
    if (user) fs.chownSync(dir, user.uid, user.gid);
    const c = new PgCluster(dir, path.join(dir, 'data'), path.join(dir, 'server.log'), bin, user);
    c.run('initdb', ['-D', c.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    c.ctl(['start', '-w', '-t', '60', '-o', `-k ${dir} -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=200 -c unix_socket_permissions=0700`]);
    await c.createDatabase('faults');
    return c;
  }

  /** `database` as the superuser, over the socket. */
  url(database: string): string {
    return `postgresql://postgres@/${database}?host=${encodeURIComponent(this.dir)}`;
  }

  async createDatabase(name: string): Promise<void> {
    const c = new Client({ host: this.dir, user: 'postgres', database: 'postgres' });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
  }

  /** `pg_ctl restart -m fast`: every session is ended, the server stops and starts again. Resolves when it accepts connections. */
  restartFast(): Promise<void> {
    // Asynchronous: the scenario's probes and captures go on while pg_ctl waits.
    return new Promise((resolve, reject) => {
      execFile(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-l', this.logFile, 'restart', '-m', 'fast', '-w', '-t', '60'],
        { ...(this.user ?? {}), cwd: this.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } },
        (err, _out, stderr) => (err ? reject(new Error(`pg_ctl restart: ${stderr || err.message}\n${this.tail()}`)) : resolve()));
    });
  }

  private ctl(args: string[]): void {
    // pg_ctl's -l keeps the server's output in the log file, so the server holds no pipe of this process.
    this.run('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, ...args]);
  }

  private run(prog: string, args: string[]): void {
    try {
      execFileSync(path.join(this.bin, prog), args, { ...(this.user ?? {}), cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`${prog} ${args[0]}: ${stderr || (err as Error).message}\n${this.tail()}`);
    }
  }

  tail(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  }

  /** Stop the server (immediate: nothing in it is kept) and remove the folder. */
  stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    spawnSync(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, 'stop', '-m', 'immediate', '-w'], { ...(this.user ?? {}), cwd: this.dir, stdio: 'ignore' });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
