// The Windows node.exe (the pinned Node 22 of packaging/node-runtimes.json) under Wine, for tests that run
// pwbridge's own JavaScript as Windows runs it. Its stdout and stderr must be files, not pipes: under Wine
// Node dies at the first write to a pipe (EBADF), so runWindowsNode hands it files and reads them after.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';
import { makeTempDir } from './tmp';
import { spawnWindows, winePrefix } from './wine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fetchNode } = require(path.join(repoRoot(), 'packaging', 'fetch-node.js')) as { fetchNode(platform: string): string };

/** The pinned Windows node.exe, fetched and checked on first use. */
export function windowsNodeExe(): string {
  return fetchNode('win32-x64');
}

export interface WindowsNodeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the Windows node.exe under Wine (directly on Windows) with `args`, to completion. `env` is added to
 * Wine's (a WINEPREFIX in it picks another prefix than the run's shared one); `stdin`, if given, is what
 * the program reads on its standard input (a file too: Wine's node.exe cannot read a pipe either).
 */
export async function runWindowsNode(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; stdin?: string } = {}): Promise<WindowsNodeResult> {
  if (!opts.env?.WINEPREFIX) winePrefix();
  const { dir, cleanup } = makeTempDir('winnode-');
  const outFile = path.join(dir, 'stdout');
  const errFile = path.join(dir, 'stderr');
  const out = fs.openSync(outFile, 'w');
  const err = fs.openSync(errFile, 'w');
  let input: number | 'ignore' = 'ignore';
  if (opts.stdin !== undefined) {
    fs.writeFileSync(path.join(dir, 'stdin'), opts.stdin);
    input = fs.openSync(path.join(dir, 'stdin'), 'r');
  }
  try {
    const child = spawnWindows(windowsNodeExe(), args, { cwd: opts.cwd, env: opts.env, stdio: [input, out, err] });
    const code = await new Promise<number | null>((resolve, reject) => {
      const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node.exe ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms`)); }, opts.timeoutMs ?? 60_000);
      child.once('error', (e) => { clearTimeout(t); reject(e); });
      child.once('exit', (c) => { clearTimeout(t); resolve(c); });
    });
    return { code, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
    if (typeof input === 'number') fs.closeSync(input);
    cleanup();
  }
}
