// The real pwbridge_filter.dll, driven by native/lsa/test/harness.c (harness.exe, under Wine here) the way
// lsass.exe drives it, talking to the real TypeScript bridge. Wine has no AF_UNIX, so the bytes travel
//
//   DLL ─ named pipe ─▶ harness.exe (serves the pipe) ─ TCP 127.0.0.1 ─▶ startRelay() ─ Unix socket ─▶ bridge
//
// and the relay can hand a connection to a squatter instead of the bridge.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { dataPaths, ensureDataDir } from '../../src/config/paths';
import { ensureKeys } from '../../src/protocol/key-files';
import { defaultSqliteDriver } from '../../src/sqlite/drivers';
import { startHarness, type Harness } from './bridge-harness';
import { makeTempDir } from './tmp';
import { BUILD_WIN, FILTER_DLL, HARNESS_EXE, spawnWindows, winPath } from './wine';

/** The test build of the filter whose second thread fails to start (CMake target pwbridge_filter_failstart). */
export const FAILSTART_DLL = path.join(BUILD_WIN, 'test', 'pwbridge_filter_failstart.dll');
import type { ChildProcess } from 'node:child_process';

/** A UTF-16LE string as the harness takes it: hex, with "" for the empty string. */
export function utf16hex(s: string | Buffer): string {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf16le') : s;
  return b.length ? b.toString('hex') : '""';
}

export interface RelayStats {
  connections: number;
  /** Pipe connections open now (the DLL's hang-up shows here). */
  open: number;
  hello: number;
  change: number;
  heartbeat: number;
  ack: number;
  hb_queued: number;
  hb_spooled: number;
  hb_dropped: number;
}

/** One harness.exe process: commands on its stdin, one "ok …"/"err …" answer line each. */
export class LsaHarness {
  private readonly answers: string[] = [];
  private wake?: () => void;
  private chain: Promise<unknown> = Promise.resolve();
  readonly exited: Promise<number | null>;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      this.answers.push(l);
      this.wake?.();
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      this.wake?.();
      resolve(code);
    }));
    child.stdin!.on('error', () => undefined);
  }

  /** wineDebug: WINEDEBUG for this process under Wine (e.g. `-all,warn+eventlog`, whose lines on stderr are
   * what ReportEventW was given: Wine keeps no event log). */
  static async start(opts: { wineDebug?: string } = {}): Promise<LsaHarness> {
    const env = opts.wineDebug ? { WINEDEBUG: opts.wineDebug } : undefined;
    const h = new LsaHarness(spawnWindows(HARNESS_EXE, [], { stdio: ['pipe', 'pipe', 'pipe'], env }));
    await h.next(60_000);
    return h;
  }

  /** What the process wrote to stderr so far. */
  stderrText(): string {
    return this.stderr;
  }

  private async next(timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const line = this.answers.shift();
      if (line !== undefined) return line;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`harness.exe exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`harness.exe did not answer in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  /** Send one command; resolves with what follows "ok ", rejects with the "err" line. In order. */
  cmd(line: string, timeoutMs = 60_000): Promise<string> {
    const run = this.chain.then(async () => {
      this.child.stdin!.write(`${line}\n`);
      const answer = await this.next(timeoutMs);
      if (!answer.startsWith('ok')) throw new Error(`harness: ${line.split(' ')[0]}: ${answer}`);
      return answer.slice(3);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async notify(account: string | Buffer | null, rid: number, password: string | Buffer | null): Promise<{ status: number; ns: number }> {
    const a = account === null ? '-' : utf16hex(account);
    const p = password === null ? '-' : utf16hex(password);
    const [, status, ns] = (await this.cmd(`notify ${a} ${rid} ${p}`)).split(' ');
    return { status: parseInt(status, 16), ns: Number(ns) };
  }

  async stats(): Promise<RelayStats> {
    const out: Record<string, number> = {};
    for (const kv of (await this.cmd('stats')).split(' ').slice(1)) {
      const [k, v] = kv.split('=');
      out[k] = Number(v);
    }
    return out as unknown as RelayStats;
  }

  async spooled(): Promise<number> {
    return Number((await this.cmd('spool')).split(' ')[1]);
  }

  async reg(name: string, type: 'dword' | 'sz' | 'multi', value: string | number): Promise<void> {
    await this.cmd(`reg set ${name} ${type} ${value}`);
  }

  /** Hits of `bytes` anywhere in the harness's committed memory (its own read buffer excepted). */
  async scan(bytes: Buffer): Promise<{ hits: number; detail: string }> {
    const out = await this.cmd(`scan ${bytes.toString('hex')}`, 120_000);
    return { hits: Number(out.split(' ')[1]), detail: out };
  }

  /** lsass at shutdown: the process ends with the worker wherever it was; nothing is unloaded. */
  async exit(): Promise<void> {
    this.child.stdin!.write('exit\n');
    await this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** A TCP listener on 127.0.0.1 whose connections go wherever `route` says at that moment. */
export interface Relay {
  port: number;
  route: (socket: net.Socket) => void;
  close(): Promise<void>;
}

export async function startRelay(route: (socket: net.Socket) => void): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const relay: Relay = {
    port: 0,
    route,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  const server = net.createServer((s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    relay.route(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as net.AddressInfo).port;
  return relay;
}

/** Route: carry the connection's bytes both ways to a Unix socket (the bridge's). */
export function toSocket(socketPath: string): (s: net.Socket) => void {
  return (s) => {
    const up = net.connect(socketPath);
    up.on('error', () => s.destroy());
    s.on('error', () => up.destroy());
    s.on('close', () => up.destroy());
    up.on('close', () => s.destroy());
    s.pipe(up);
    up.pipe(s);
  };
}

/** Route: nobody home (the connection is closed at once). */
export const closeAtOnce = (s: net.Socket): void => {
  s.destroy();
};

/** Route: accept and never answer (a hung bridge). */
export const neverAnswer = (s: net.Socket): void => {
  s.on('data', () => undefined);
};

/** Values for HKLM\SOFTWARE\pwbridge, by name. */
export type Settings = Record<string, ['dword' | 'sz' | 'multi', string | number]>;

/**
 * One test's world: a data dir with the install's keys and config (TESTHOST, reconcile off), the relay,
 * and a harness.exe with the DLL loaded and HKLM\SOFTWARE\pwbridge pointing at that data dir, at a pipe
 * of its own, and at the harness's own account as the service (under Wine every process has one SID).
 * The bridge is started on demand; its filter state takes the DLL's boot id as this boot's.
 */
export class LsaWorld {
  bridge?: Harness;
  harness!: LsaHarness;
  relay!: Relay;
  bootId = '';
  machine = '';
  sid = '';
  readonly pipe = `\\\\.\\pipe\\pwbridge-test-${randomBytes(6).toString('hex')}`;
  private readonly tmp = makeTempDir('pwbridge-lsa-');
  readonly dir = this.tmp.dir;

  /** WINEDEBUG for the harness processes this world boots (LsaHarness.start). */
  wineDebug?: string;

  static async create(opts: { bridge: boolean; settings?: Settings; keyMadeAfterInit?: boolean; wineDebug?: string }): Promise<LsaWorld> {
    const w = new LsaWorld();
    w.wineDebug = opts.wineDebug;
    ensureDataDir(dataPaths(w.dir));
    ensureKeys(path.join(w.dir, 'keys'));
    fs.writeFileSync(path.join(w.dir, 'config.json'), JSON.stringify({
      machine: 'TESTHOST', reconcileInterval: '1h', pamDir: path.join(w.dir, 'no-pam.d'),
    }));
    w.relay = await startRelay(closeAtOnce);
    if (opts.bridge) await w.startBridge();
    await w.boot(opts.settings, true, opts.keyMadeAfterInit);
    return w;
  }

  /** A harness process with the DLL loaded and configured, serving the pipe, InitializeChangeNotify called.
   * keyMadeAfterInit: HKLM\SOFTWARE\pwbridge does not exist at InitializeChangeNotify and is written after. */
  async boot(settings: Settings = {}, serve = true, keyMadeAfterInit = false): Promise<LsaHarness> {
    const h = await LsaHarness.start({ wineDebug: this.wineDebug });
    this.harness = h;
    await h.cmd(`load ${winPath(FILTER_DLL)}`);
    await h.cmd(keyMadeAfterInit ? 'reg drop' : 'reg clear');
    this.sid = (await h.cmd('sid')).split(' ')[1];
    const [, boot, machine] = (await h.cmd('facts')).split(' ');
    this.bootId = boot;
    this.machine = machine;
    const all: Settings = {
      DataDir: ['sz', winPath(this.dir)],
      PipeName: ['sz', this.pipe],
      ServiceSid: ['sz', this.sid],
      TimeoutMs: ['dword', 2000],
      HeartbeatSeconds: ['dword', 1],
      ...settings,
    };
    if (keyMadeAfterInit) await h.cmd('init');
    for (const [name, [type, value]] of Object.entries(all)) await h.reg(name, type, value);
    if (serve) await h.cmd(`serve relay ${this.relay.port}`); // serves the PipeName just written
    if (!keyMadeAfterInit) await h.cmd('init');
    return h;
  }

  /** The simulated reboot: this harness process ends (lsass at shutdown), a new one loads the DLL. */
  async reboot(settings?: Settings): Promise<LsaHarness> {
    await this.harness.exit();
    return this.boot(settings);
  }

  async startBridge(): Promise<Harness> {
    this.bridge = await startHarness({ dir: this.dir, platform: (real) => ({ ...real, bootId: () => this.bootId || real.bootId() }) });
    this.relay.route = toSocket(this.bridge.config.socketPath);
    return this.bridge;
  }

  async stopBridge(): Promise<void> {
    this.relay.route = closeAtOnce;
    await this.bridge?.stop();
    this.bridge = undefined;
  }

  /** The journal's rows (what the bridge accepted), oldest first. */
  journal(): Array<{ event_id: string; account: string; account_id: number; encoding: number; machine: string }> {
    const db = defaultSqliteDriver().open(path.join(this.dir, 'state.db'), { readonly: true });
    try {
      return db.prepare('SELECT event_id, account, account_id, encoding, machine FROM journal ORDER BY seq').all() as never;
    } finally {
      db.close();
    }
  }

  /** The vault's password for MACHINE\account, or undefined. */
  async vaultPassword(account: string): Promise<Buffer | undefined> {
    const b = this.bridge!;
    await b.bridge.drain();
    const cred = (await b.install.vault.listCredentials(b.config.client)).find((c) => c.username.toLowerCase().endsWith(`\\${account.toLowerCase()}`));
    return cred ? b.install.vault.readPassword(cred.id) : undefined;
  }

  async events(kind: string): Promise<Array<{ reason?: string; account?: string }>> {
    await this.bridge!.install.events.flush();
    return this.bridge!.install.vault.queryEvents({ kind });
  }

  spoolFiles(): string[] {
    const dir = path.join(this.dir, 'spool');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  }

  async destroy(): Promise<void> {
    // On a real Windows the settings key outlives the process: leave it as it was found (absent).
    if (this.harness) await this.harness.cmd('reg drop', 10_000).catch(() => undefined);
    this.harness?.kill();
    await this.harness?.exited;
    await this.relay?.close();
    await this.bridge?.stop().catch(() => undefined);
    this.tmp.cleanup();
  }
}

/** Poll `check` until it returns something other than undefined/false, or fail after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
