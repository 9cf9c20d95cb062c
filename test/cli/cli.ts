// Drive the real CLI (bin/pwbridge) as a user does: a child process, stdin piped, a private data dir.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';

/** The repository root: this file runs as dist/test/cli/cli.js. */
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(REPO, 'bin', 'pwbridge');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The raw bytes, for canary checks in any encoding. */
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
  /** The child did not exit in time and was killed with SIGKILL. */
  timedOut: boolean;
}

export interface RunOptions {
  /** Written to stdin, then stdin is closed. Absent: stdin is closed at once (empty, never a TTY). */
  stdin?: string | Buffer;
  dataDir: string;
  /** Kill the child after this long (a hung command fails the test instead of the suite). */
  timeoutMs?: number;
  /** A command the CLI runs under, e.g. one that enters a private mount namespace first (it must exec the rest). */
  prefix?: readonly string[];
}

/** Every CliResult produced in this process, so a test can check that no output ever held a secret. */
export const transcript: CliResult[] = [];

function childEnv(): NodeJS.ProcessEnv {
  // No colours or locale surprises; nothing else from the test's environment matters to the CLI.
  return { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
}

/** Run `pwbridge --data-dir DIR ...args` to completion. */
export function runCli(args: string[], opts: RunOptions): Promise<CliResult> {
  const child = spawnCli(args, opts.dataDir, opts.prefix);
  if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
  else child.stdin.end();
  return collect(child, opts.timeoutMs ?? 30_000);
}

/** Start `[...prefix] node bin/pwbridge --data-dir DIR ...args` and leave it running; stdin stays open. */
export function spawnCli(args: string[], dataDir: string, prefix: readonly string[] = []): ChildProcessWithoutNullStreams {
  const argv = [...prefix, process.execPath, BIN, '--data-dir', dataDir, ...args];
  return spawn(argv[0], argv.slice(1), {
    cwd: REPO,
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A long-running child with its output gathered as it comes. */
export interface LiveCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves when the child exits (the result is added to the transcript). */
  done: Promise<CliResult>;
  /** Wait until `pred(stdout, stderr)` holds, failing with both streams shown after `timeoutMs`. */
  waitFor(what: string, pred: (stdout: string, stderr: string) => boolean, timeoutMs?: number): Promise<void>;
}

export function startCli(args: string[], dataDir: string, timeoutMs = 120_000, prefix: readonly string[] = []): LiveCli {
  const child = spawnCli(args, dataDir, prefix);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const done = collect(child, timeoutMs, { out, err });
  let exited = false;
  done.then(() => { exited = true; }, () => { exited = true; });
  const live: LiveCli = {
    child,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
    done,
    async waitFor(what, pred, ms = 15_000) {
      const until = Date.now() + ms;
      while (!pred(live.stdout(), live.stderr())) {
        if (exited) assert.fail(`pwbridge ${args.join(' ')} exited while waiting for ${what}\nstdout:\n${live.stdout()}\nstderr:\n${live.stderr()}`);
        if (Date.now() > until) assert.fail(`timed out waiting for ${what}\nstdout:\n${live.stdout()}\nstderr:\n${live.stderr()}`);
        await sleep(50);
      }
    },
  };
  return live;
}

function collect(child: ChildProcessWithoutNullStreams, timeoutMs: number, hooked?: { out: Buffer[]; err: Buffer[] }): Promise<CliResult> {
  const out = hooked?.out ?? [];
  const err = hooked?.err ?? [];
  if (!hooked) {
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
  }
  child.stdin.on('error', () => undefined); // the child may exit before reading stdin (a refusal)
  let timedOut = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const stderrBytes = Buffer.concat(err);
      const r: CliResult = { code, signal, timedOut, stdoutBytes, stderrBytes, stdout: stdoutBytes.toString('utf8'), stderr: stderrBytes.toString('utf8') };
      transcript.push(r);
      resolve(r);
    });
  });
}

/** A failed exit-status check shows what the command printed. */
export function assertExit(r: CliResult, code: number, what: string): void {
  const how = r.timedOut ? 'did not exit in time (killed)' : `exit ${r.code} (signal ${r.signal})`;
  assert.equal(r.code, code, `${what}: ${how}, expected ${code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

/** A refusal: exit 2, a message on stderr matching every pattern, nothing on stdout. */
export function assertRefused(r: CliResult, what: string, ...patterns: RegExp[]): void {
  assertExit(r, 2, what);
  for (const p of patterns) assert.match(r.stderr, p, `${what}: stderr does not match ${p}\nstderr:\n${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: a refusal printed to stdout:\n${r.stdout}`);
}

/** `--json` output: one JSON object per line, every line parsable. */
export function jsonLines<T = Record<string, unknown>>(r: CliResult | string): T[] {
  const text = typeof r === 'string' ? r : r.stdout;
  if (text === '') return [];
  assert.ok(text.endsWith('\n'), `JSON output does not end with a newline: ${JSON.stringify(text)}`);
  return text.slice(0, -1).split('\n').map((line, i) => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      assert.fail(`line ${i + 1} is not JSON (${(e as Error).message}): ${line}`);
    }
    assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `line ${i + 1} is not a JSON object: ${line}`);
    return v as T;
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `fn` until it returns a value that is not undefined, or fail after `timeoutMs`. */
export async function pollUntil<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 150): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A private temp data dir; `config` (if given) is written as its config.json. */
export function tempDataDir(config?: Record<string, unknown>): { dir: string; cleanup(): void } {
  const t = makeTempDir('pwbridge-cli-');
  if (config) fs.writeFileSync(path.join(t.dir, 'config.json'), JSON.stringify(config));
  return t;
}

/** Every entry under `dir` (files, dirs, sockets) with its type and mode, sorted: a before/after snapshot. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      const rel = path.relative(dir, p);
      out.push(`${rel} ${e.isDirectory() ? 'dir' : e.isFile() ? `file ${st.size}` : e.isSocket() ? 'socket' : 'other'} ${(st.mode & 0o777).toString(8)}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function modeOf(p: string): string {
  return (fs.lstatSync(p).mode & 0o777).toString(8).padStart(4, '0');
}

/** Where `needle` occurs in `hay` in UTF-8 or UTF-16LE, or undefined. */
export function findSecret(hay: Buffer, needle: string): string | undefined {
  if (hay.includes(Buffer.from(needle, 'utf8'))) return 'UTF-8';
  if (hay.includes(Buffer.from(needle, 'utf16le'))) return 'UTF-16LE';
  return undefined;
}
