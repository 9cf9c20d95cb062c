// The real service for a fault scenario: `bin/pwbridge run` in its own process (as systemd runs it, with
// the same V8 flags), on a data dir this helper prepares, and read back only through its files. A scenario
// can SIGKILL it, restart it on the same data dir, and read its memory figures from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBootId } from '../../src/platform/linux/pam-stack';
import { loadKeys, wipeKeys } from '../../src/protocol/keys';
import { openVaultAt } from '../../src/service/open';
import type { SqliteDatabase } from '../../src/sqlite/database';
import { defaultSqliteDriver } from '../../src/sqlite/drivers';
import type { SqliteVault } from '../../src/vault/sqlite.vault';
import { SERVICE_NODE_FLAGS } from '../../src/platform/linux/systemd-unit';
import { PAM_MODULE } from '../helpers/pam';
import { repoRoot } from '../vectors/repo-root';
import type { Ledger, Tally, VaultView } from './ledger';
import { EMBEDDED_CLIENT } from '../../src/domain/types';

export const FAULT_MACHINE = 'FAULTS';
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `cond` every `everyMs` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

/** The account name a scenario uses for its i-th account, and its vault username. */
export const accountName = (i: number) => `user${i}`;
export const vaultUsername = (account: string) => `${FAULT_MACHINE}\\${account}`;

/**
 * A data dir for `pwbridge run`: config (machine FAULTS, reconcile hourly so no pass runs during a
 * scenario), a pam.d with the module in the password stack (so the filter counts as active for spooled
 * changes too, which come with no hello), the embedded vault's client "local" and `accounts` credentials
 * user0… (created now, so every capture after this is newer than their passwordSetAt).
 */
export async function prepareDataDir(dir: string, accounts: number, config: Record<string, unknown> = {}): Promise<void> {
  const pamDir = path.join(dir, 'pam.d');
  fs.mkdirSync(pamDir, { recursive: true });
  fs.writeFileSync(path.join(pamDir, 'common-password'), `password required pam_unix.so\npassword optional ${PAM_MODULE} dir=${dir}\n`);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine: FAULT_MACHINE, reconcileInterval: '1h', pamDir, ...config }));
  const vault = (await openVaultAt(dir)) as SqliteVault;
  try {
    await vault.addClient(EMBEDDED_CLIENT);
    for (let i = 0; i < accounts; i += 1000) {
      vault.bulkAddCredentials(Array.from({ length: Math.min(1000, accounts - i) }, (_, k) => ({
        client: 'local', username: vaultUsername(accountName(i + k)), password: Buffer.from(`initial-${i + k}`), windowsSync: true, mode: 'report' as const,
      })));
    }
  } finally {
    await vault.close();
  }
}

export interface ServiceProcess {
  readonly dataDir: string;
  readonly socketPath: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the service wrote on stderr so far. */
  stderr(): string;
  /** Resolves when the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** VmRSS and VmHWM (bytes) from /proc, or undefined once it exited. */
  memory(): { rss: number; hwm: number } | undefined;
  /** SIGKILL: no handler runs, whatever the service was doing is cut off. */
  kill(): Promise<void>;
  /** SIGTERM and wait (the service's own orderly stop). */
  stop(): Promise<void>;
}

export const socketPathOf = (dataDir: string) => path.join(dataDir, 'run', 'capture.sock');

/**
 * Spawn `pwbridge run` on `dataDir`. With `waitForSocket` (the default), resolve once the socket exists
 * (the service drains its spool before it listens, so that is also "the drain at start is done").
 */
export async function startService(dataDir: string, opts: { waitForSocket?: boolean; socketTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const socketPath = socketPathOf(dataDir);
  // A socket file left by a SIGKILLed run would read as "listening" below.
  fs.rmSync(socketPath, { force: true });
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, path.join(repoRoot(), 'bin/pwbridge'), '--data-dir', dataDir, 'run'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let gone = false;
  void exited.then(() => { gone = true; });
  const svc: ServiceProcess = {
    dataDir,
    socketPath,
    child,
    pid: child.pid!,
    stderr: () => stderr,
    exited,
    alive: () => !gone,
    memory() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
        return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
      } catch {
        return undefined;
      }
    },
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
  if (opts.waitForSocket ?? true) {
    await waitFor(() => {
      if (gone) throw new Error(`pwbridge run exited before it listened: ${stderr.trim()}`);
      return fs.existsSync(socketPath);
    }, opts.socketTimeoutMs ?? 60_000, 'pwbridge run listening');
  }
  return svc;
}

/** What a capture on this machine knows: the install secret and bridge key (read from keys/), the boot id. */
export function captureIdentity(dataDir: string): { secret: Buffer; bridgePub: Buffer; bootId: Buffer; machine: string } {
  const keys = loadKeys(path.join(dataDir, 'keys'));
  const out = { secret: Buffer.from(keys.secret), bridgePub: Buffer.from(keys.publicKey), bootId: Buffer.from(readBootId().replace(/-/g, ''), 'hex'), machine: FAULT_MACHINE };
  wipeKeys(keys);
  return out;
}

export interface JournalCounts { pending: number; done: number; superseded: number; dead: number; total: number }

/**
 * Journal rows by state, read from a copy of state.db (and its WAL) so the read never disturbs the
 * file: after a SIGKILL the copy replays the WAL, as the next start would, and the original is untouched.
 */
export function journalCountsOfCopy(dataDir: string, scratch: string): JournalCounts {
  return withStateCopy(dataDir, scratch, countJournal);
}

/** The event ids the journal holds (any state), read from a copy as journalCountsOfCopy does. */
export function journalIdsOfCopy(dataDir: string, scratch: string): Set<string> {
  return withStateCopy(dataDir, scratch, (db) => new Set(db.prepare('SELECT event_id FROM journal').pluck().all() as string[]));
}

function withStateCopy<T>(dataDir: string, scratch: string, read: (db: SqliteDatabase) => T): T {
  fs.mkdirSync(scratch, { recursive: true });
  for (const f of ['state.db', 'state.db-wal']) {
    const from = path.join(dataDir, f);
    const to = path.join(scratch, f);
    fs.rmSync(to, { force: true });
    if (fs.existsSync(from)) fs.copyFileSync(from, to);
  }
  fs.rmSync(path.join(scratch, 'state.db-shm'), { force: true });
  const db = defaultSqliteDriver().open(path.join(scratch, 'state.db'));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function countJournal(db: SqliteDatabase): JournalCounts {
  const rows = db.prepare('SELECT state, count(*) AS n FROM journal GROUP BY state').all() as Array<{ state: string; n: number }>;
  const c: JournalCounts = { pending: 0, done: 0, superseded: 0, dead: 0, total: 0 };
  for (const r of rows) {
    (c as unknown as Record<string, number>)[r.state] = r.n;
    c.total += r.n;
  }
  return c;
}

/** Pending journal rows right now, through a read-only handle on the live file (WAL readers never block the writer). */
export function pendingNow(dataDir: string): number {
  const db = defaultSqliteDriver().open(path.join(dataDir, 'state.db'), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM journal WHERE state = 'pending'").pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Wait until the live service's journal holds no pending entry. */
export async function waitDrained(dataDir: string, timeoutMs: number): Promise<void> {
  await waitFor(() => pendingNow(dataDir) === 0, timeoutMs, 'the journal drained', 100);
}

/** The vault's view of each account (version, passwordSetAt, password), for Ledger.settle. Close it after. */
export async function openVaultView(dataDir: string): Promise<{ read(account: string): Promise<VaultView | undefined>; baseVersion(account: string): Promise<number>; close(): Promise<void> }> {
  const vault = await openVaultAt(dataDir);
  const find = (account: string) => vault.findCredential('local', vaultUsername(account));
  return {
    async read(account) {
      const cred = await find(account);
      if (!cred) return undefined;
      const pw = await vault.readPassword(cred.id);
      const view = { version: cred.version, passwordSetAt: cred.passwordSetAt, password: pw.toString('utf8') };
      pw.fill(0);
      return view;
    },
    async baseVersion(account) {
      return (await find(account))?.version ?? 0;
    },
    close: () => vault.close(),
  };
}

/** The ledger judged by the vault of a stopped service's data dir (the view is closed after). */
export async function settleInVault(dataDir: string, ledger: Ledger): Promise<Tally> {
  const view = await openVaultView(dataDir);
  try {
    return await ledger.settle((a) => view.read(a));
  } finally {
    await view.close();
  }
}

/** PRAGMA integrity_check of a SQLite file: 'ok' or the first problems it lists. */
export function integrityCheck(file: string): string {
  const db = defaultSqliteDriver().open(file, { readonly: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check(5)').pluck().all() as string[];
    return rows.join('; ');
  } finally {
    db.close();
  }
}

/** p-th percentile (0..100) of `xs` (sorted here), or 0 for none. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
