// Starting and stopping the installed service: through systemd when it is PID 1, otherwise as a detached
// process with a pid file (no restart on failure, none at boot: said plainly by install).

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { SYSTEMD_RUNNING_MARKER } from './systemd-unit';
import { writeFileAtomic } from '../../fs/atomic-file';

export function systemdRunning(marker: string = SYSTEMD_RUNNING_MARKER): boolean {
  try {
    return fs.statSync(marker).isDirectory();
  } catch {
    return false;
  }
}

/** Run systemctl; its stderr becomes the error's message when it fails. */
export function systemctl(args: string[]): void {
  try {
    execFileSync('systemctl', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const detail = e.stderr?.toString('utf8').trim() || e.message;
    throw new Error(`systemctl ${args.join(' ')} failed: ${detail}`);
  }
}

/** systemctl's answer to a yes/no question (is-active, is-enabled): exit status 0 is yes. */
export function systemctlYes(args: string[]): boolean {
  try {
    execFileSync('systemctl', [...args, '--quiet'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Start `argv` in its own session, detached from us, stdout and stderr appended to `logFile` (0600), and
 * write its pid to `pidFile`. Returns the pid.
 */
export function startDetached(argv: string[], logFile: string, pidFile: string): number {
  const out = fs.openSync(logFile, 'a', 0o600);
  let pid: number | undefined;
  try {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', out, out], cwd: '/' });
    pid = child.pid;
    child.unref();
  } finally {
    fs.closeSync(out);
  }
  if (pid === undefined) throw new Error(`could not start ${argv[0]}`);
  writeFileAtomic(pidFile, `${pid}\n`, { mode: 0o644 });
  return pid;
}

export function readPidFile(pidFile: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** Alive and not a zombie (a zombie answers kill 0, but it has exited; PID 1 may not reap it at once). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Is `pid` a `pwbridge run --data-dir DIR` of this data dir (and not some process that got its pid since)? */
export function isServiceOf(pid: number, dataDir: string): boolean {
  let args: string[];
  try {
    args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const i = args.indexOf('--data-dir');
  return args.includes('run') && i >= 0 && args[i + 1] === dataDir;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** SIGTERM `pid` and wait for it to exit; SIGKILL it if it has not after `graceMs`. */
export async function stopProcess(pid: number, graceMs = 15_000): Promise<'exited' | 'killed'> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };
  signal('SIGTERM');
  const until = Date.now() + graceMs;
  while (processAlive(pid)) {
    if (Date.now() > until) {
      signal('SIGKILL');
      while (processAlive(pid)) await sleep(50);
      return 'killed';
    }
    await sleep(50);
  }
  return 'exited';
}
