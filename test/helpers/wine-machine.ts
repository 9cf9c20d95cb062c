// One Windows machine under Wine for the whole-product tests: its own prefix (C:\, the registry, the
// service manager), set to Windows 10, that can be "rebooted". Unlike wine.ts's shared prefix, which the
// filter tests use as a workbench, this one is a machine the MSI is installed on.
//
// Reboot: `wineserver -k` ends every process of the prefix (lsass's stand-in, the service: a power cut for
// them), then a new wineserver and `wineboot` boot it again: pending file renames are done and the
// automatic services start, as at a Windows boot. A persistent wineserver (-p) keeps the machine up
// between commands: without it Wine ends the services when the last ordinary program exits.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WINE } from './wine';

const WINESERVER = '/usr/lib/wine/wineserver';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class WineMachine {
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly prefix: string) {}

  /** A fresh machine: a new prefix (about 10 s) that says Windows 10, booted. */
  static create(): WineMachine {
    const m = new WineMachine(fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-machine-')));
    m.wine(['wineboot', '-i'], 180_000);
    // Windows 10 the way shared/TOOLCHAIN.md made a prefix say it (CurrentVersion alone; `winecfg /v win10`
    // also sets CurrentMajorVersionNumber): the MSI's OS condition and node.exe accept either.
    m.wine(['reg', 'add', 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'CurrentVersion', '/d', '10.0', '/f'], 60_000);
    // Windows gives a starting service 30 s to report running; Wine's services.exe gives 10 s unless this
    // value says otherwise, and node.exe under Wine on a busy machine can take longer than that to start.
    m.wine(['reg', 'add', 'HKLM\\SYSTEM\\CurrentControlSet\\Control', '/v', 'ServicesPipeTimeout', '/t', 'REG_DWORD', '/d', '30000', '/f'], 60_000);
    // Let that session end whole: a server still winding down when keepUp() makes it persistent keeps a
    // half-stopped services.exe, and the next program starts a second one beside it.
    spawnSync(WINESERVER, ['-w'], { env: m.env(), stdio: 'ignore', timeout: 60_000 });
    m.keepUp();
    return m;
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, WINEPREFIX: this.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree=d;mshtml=d', ...extra };
  }

  /** The host path of a path on this machine's C: drive. */
  hostPath(winPath: string): string {
    const m = /^([A-Za-z]):\\(.*)$/.exec(winPath);
    if (!m || m[1].toUpperCase() !== 'C') throw new Error(`not a C: path: ${winPath}`);
    return path.join(this.prefix, 'drive_c', ...m[2].split('\\').filter(Boolean));
  }

  /** Run a Windows program to completion, its stdout and stderr through files (Node's node.exe dies
   * writing to a pipe under Wine). */
  async run(exe: string, args: string[], timeoutMs = 120_000): Promise<RunResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-run-'));
    const out = fs.openSync(path.join(dir, 'out'), 'w');
    const err = fs.openSync(path.join(dir, 'err'), 'w');
    try {
      const child = spawn(WINE, [exe, ...args], { env: this.env(), stdio: ['ignore', out, err] });
      const code = await new Promise<number | null>((resolve, reject) => {
        const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${exe} ${args.join(' ')}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
        child.once('error', (e) => { clearTimeout(t); reject(e); });
        child.once('exit', (c) => { clearTimeout(t); resolve(c); });
      });
      return { code, stdout: fs.readFileSync(path.join(dir, 'out'), 'utf8'), stderr: fs.readFileSync(path.join(dir, 'err'), 'utf8') };
    } finally {
      fs.closeSync(out);
      fs.closeSync(err);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A long-running Windows program with pipes for stdio (C programs only: see run()). Ended by shutdown(). */
  spawn(exe: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    const child = spawn(WINE, [exe, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...opts, env: this.env(opts.env as NodeJS.ProcessEnv) });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** `reg query KEY /v NAME`: the value's type and data as reg prints them, or undefined when absent. */
  regQuery(key: string, name: string): { type: string; data: string } | undefined {
    const r = this.wine(['reg', 'query', key, '/v', name]);
    if (r.code !== 0) return undefined;
    for (const line of r.stdout.split(/\r?\n/)) {
      const m = /^\s+(.+?)\s{4}(REG_\w+)\s{4}(.*)$/.exec(line) ?? /^\s+(.+?)\s{4}(REG_\w+)$/.exec(line);
      if (m && m[1].toLowerCase() === name.toLowerCase()) return { type: m[2], data: m[3] ?? '' };
    }
    return undefined;
  }

  /** `reg query KEY`: whether the key exists. */
  regKeyExists(key: string): boolean {
    return this.wine(['reg', 'query', key]).code === 0;
  }

  /** A Windows program run synchronously (reg, sc, wineboot), its output as text. Its stdout and stderr
   * are files: the first program of a session starts Wine's own (services.exe, …), which inherit them and
   * live on with the persistent wineserver, so a pipe would never close. */
  wine(args: string[], timeoutMs = 60_000): RunResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-run-'));
    const out = fs.openSync(path.join(dir, 'out'), 'w');
    const err = fs.openSync(path.join(dir, 'err'), 'w');
    try {
      const r = spawnSync(WINE, args, { env: this.env(), stdio: ['ignore', out, err], timeout: timeoutMs });
      if (r.error) throw r.error;
      return { code: r.status, stdout: fs.readFileSync(path.join(dir, 'out'), 'utf8'), stderr: fs.readFileSync(path.join(dir, 'err'), 'utf8') };
    } finally {
      fs.closeSync(out);
      fs.closeSync(err);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A power cut and a boot: every process ends, then the automatic services start again. */
  reboot(): void {
    this.powerOff();
    this.keepUp();
    this.wine(['wineboot'], 120_000);
  }

  /** End every process of the machine (the prefix is kept). */
  powerOff(): void {
    for (const c of this.children) c.kill('SIGKILL');
    spawnSync(WINESERVER, ['-k'], { env: this.env(), stdio: 'ignore', timeout: 30_000 });
    // -k returns once the server is told; wait until it is gone, so the next start is a new boot.
    spawnSync(WINESERVER, ['-w'], { env: this.env(), stdio: 'ignore', timeout: 30_000 });
  }

  /** Power off and remove the prefix. */
  destroy(): void {
    this.powerOff();
    fs.rmSync(this.prefix, { recursive: true, force: true });
  }

  /** A machine that is up: a persistent wineserver, and one ordinary program that lives until power-off
   * (cmd.exe waiting on a stdin that never ends), as a logged-on session would. Without it Wine ends its
   * services.exe whenever the last ordinary program exits and starts another for the next, and while the old
   * one lingers a service created through one is unknown to the other. */
  private keepUp(): void {
    spawn(WINESERVER, ['-p'], { env: this.env(), stdio: 'ignore', detached: true }).unref();
    const session = spawn(WINE, ['cmd.exe'], { env: this.env(), stdio: ['pipe', 'ignore', 'ignore'] });
    session.stdin!.on('error', () => undefined);
    this.children.add(session);
    session.once('exit', () => this.children.delete(session));
  }
}
