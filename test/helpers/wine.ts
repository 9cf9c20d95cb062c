// Windows programs from the test suite: under Wine on Linux (one prefix per test run, in a temp dir, made
// on first use and removed when the process exits), or directly on Windows (the Windows CI workflow).
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';

export const WINE = '/usr/lib/wine/wine64';
const WINESERVER = '/usr/lib/wine/wineserver';
const MINGW_GCC = 'x86_64-w64-mingw32-gcc';

/** native/build-win: the DLL at the top, the test programs in test/ (both toolchains lay it out so). */
export const BUILD_WIN = path.join(repoRoot(), 'native', 'build-win');
export const FILTER_DLL = path.join(BUILD_WIN, 'pwbridge_filter.dll');
export const HARNESS_EXE = path.join(BUILD_WIN, 'test', 'harness.exe');
export const CODEC_TEST_EXE = path.join(BUILD_WIN, 'test', 'codec_test.exe');
export const MESSAGES_DLL = path.join(BUILD_WIN, 'pwbridge_messages.dll');
export const MESSAGES_TEST_EXE = path.join(BUILD_WIN, 'test', 'messages_test.exe');
/** The service's pipe addon (native/win-pipe) and its tests' client, squatter and DACL reader. */
export const PIPE_ADDON = path.join(BUILD_WIN, 'pwbridge_pipe.node');
export const PIPE_PROBE_EXE = path.join(BUILD_WIN, 'test', 'pipe_probe.exe');

const onWindows = process.platform === 'win32';

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Why the Windows tests cannot run here, or undefined when they can. A machine with neither mingw-w64
 * nor Wine is not set up for the Windows parts (skip, and say so); one with half of it is a broken setup
 * (fail: .ci/run installs both, and a silently skipped suite would hide that).
 */
export function windowsPartsMissing(): { skip?: string; fail?: string } {
  if (onWindows) {
    if (!fs.existsSync(FILTER_DLL) || !fs.existsSync(HARNESS_EXE)) return { fail: `${FILTER_DLL} or ${HARNESS_EXE} is missing: build native/lsa into native/build-win` };
    // The tests rewrite HKLM\SOFTWARE\pwbridge: never on a machine where pwbridge is really installed.
    const installed = spawnSync('reg', ['query', 'HKLM\\SOFTWARE\\pwbridge', '/v', 'ServiceSid'], { stdio: 'ignore' }).status === 0;
    return installed ? { skip: 'pwbridge is installed on this machine (HKLM\\SOFTWARE\\pwbridge has a ServiceSid): the tests would rewrite its settings' } : {};
  }
  const mingw = onPath(MINGW_GCC);
  const wine = fs.existsSync(WINE);
  if (!mingw && !wine) return { skip: 'mingw-w64 and wine64 are not installed (apt-get install mingw-w64 wine64)' };
  if (!wine) return { fail: `${WINE} is missing: apt-get install wine64` };
  if (!fs.existsSync(FILTER_DLL) || !fs.existsSync(HARNESS_EXE)) {
    return { fail: `${FILTER_DLL} or ${HARNESS_EXE} is missing: npm run build:native (needs mingw-w64 and cmake)` };
  }
  return {};
}

/**
 * windowsPartsMissing, and then the pipe addon: built by the same script wherever the filter is (it needs the
 * devDependency node-api-headers too), so a filter without the addon is a broken build: fail, never skip.
 */
export function pipeAddonMissing(): { skip?: string; fail?: string } {
  const m = windowsPartsMissing();
  if (m.fail || m.skip) return m;
  if (!fs.existsSync(PIPE_ADDON) || !fs.existsSync(PIPE_PROBE_EXE)) {
    return { fail: `${PIPE_ADDON} or ${PIPE_PROBE_EXE} is missing: npm run build:native (needs mingw-w64, cmake and node-api-headers from npm ci)` };
  }
  return {};
}

let prefix: string | undefined;

/** The environment Wine programs run with in the prefix `dir` (default: the run's shared one). */
export function wineEnv(dir: string = winePrefix()): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WINEPREFIX: dir,
    WINEDEBUG: '-all',
    // No Mono or Gecko: console programs need neither, and Wine would offer to download them.
    WINEDLLOVERRIDES: 'mscoree=d;mshtml=d',
  };
}

/**
 * Make a Wine prefix in `dir` (about 8 s): booted, set to Windows 10, with a persistent wineserver.
 * Persistent because each start of a wineserver is a boot there: Wine's boot time (the server's start)
 * changes, and services.exe starts every auto-start service again.
 */
function bootPrefix(dir: string): NodeJS.ProcessEnv {
  const env = wineEnv(dir);
  execFileSync(WINE, ['wineboot', '-i'], { env, stdio: 'ignore', timeout: 120_000 });
  // Windows 10, as pwbridge requires (the MSI refuses older ones, and Node 22's node.exe will not start on them).
  execFileSync(WINE, ['winecfg', '/v', 'win10'], { env, stdio: 'ignore', timeout: 60_000 });
  // The server those started lingers a few seconds and is not persistent, and a `wineserver -p` while it
  // runs exits at once: wait for it to end, then start the persistent one (it returns once it serves).
  execFileSync(WINESERVER, ['-w'], { env, stdio: 'ignore', timeout: 60_000 });
  execFileSync(WINESERVER, ['-p'], { env, stdio: 'ignore', timeout: 60_000 });
  return env;
}

/** The run's Wine prefix, made on first use, with a wineserver kept running until exit.
 * On Windows there is none to make: an empty string. */
export function winePrefix(): string {
  if (onWindows) return '';
  if (prefix) return prefix;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-wine-'));
  prefix = dir;
  const env = bootPrefix(dir);
  process.once('exit', () => {
    spawnSync(WINESERVER, ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * A Wine prefix of its own, for a test that changes the machine (HKLM, services, System32) and must not
 * disturb the shared one. `env` runs programs in it; `remove()` stops its wineserver and deletes it.
 */
export function privateWinePrefix(): { dir: string; env: NodeJS.ProcessEnv; remove(): void } {
  if (onWindows) throw new Error('privateWinePrefix: only under Wine');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-wine-own-'));
  let env: NodeJS.ProcessEnv;
  try {
    env = bootPrefix(dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    spawnSync(WINESERVER, ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', remove);
  return { dir, env, remove };
}

/** Where a Windows path of the prefix (C:\...) is on this machine. */
export function hostPathIn(prefixDir: string, windowsPath: string): string {
  const m = /^([A-Za-z]):\\(.*)$/.exec(windowsPath);
  if (!m) throw new Error(`not a drive path: ${windowsPath}`);
  if (m[1].toUpperCase() === 'Z') return `/${m[2].replace(/\\/g, '/')}`;
  if (m[1].toUpperCase() !== 'C') throw new Error(`only C: and Z: are mapped: ${windowsPath}`);
  // drive_c keeps Windows' folder names, in the case Wine made them (windows\system32 is lower case).
  let p = path.join(prefixDir, 'drive_c');
  for (const part of m[2].split('\\').filter(Boolean)) {
    const found = fs.existsSync(p) ? fs.readdirSync(p).find((n) => n.toLowerCase() === part.toLowerCase()) : undefined;
    p = path.join(p, found ?? part);
  }
  return p;
}

/** The path a Windows program sees for a host path (Wine maps / to Z:). */
export function winPath(p: string): string {
  return onWindows ? p : `Z:${path.resolve(p).replace(/\//g, '\\')}`;
}

/** Run a Windows program: through Wine here, directly on Windows. */
export function spawnWindows(exe: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  if (onWindows) return spawn(exe, args, opts);
  return spawn(WINE, [exe, ...args], { ...opts, env: { ...wineEnv(), ...opts.env } });
}

/** Run a Windows program to completion (under Wine: in `env`'s prefix, default the shared one). */
export function runWindows(exe: string, args: string[], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = onWindows
    ? spawnSync(exe, args, { encoding: 'utf8', timeout: timeoutMs })
    : spawnSync(WINE, [exe, ...args], { encoding: 'utf8', timeout: timeoutMs, env: env ?? wineEnv() });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** objdump for PE files: mingw-w64's here; absent on Windows (the checks that need it skip there). */
export function peDump(file: string): string | undefined {
  if (onWindows || !onPath('x86_64-w64-mingw32-objdump')) return undefined;
  return execFileSync('x86_64-w64-mingw32-objdump', ['-p', file], { encoding: 'utf8' });
}
