// A throwaway Debian machine for package tests: /etc, /usr and /var are overlays (overlayfs) on the host's,
// with their writable upper layers in a temp folder, inside one private mount namespace. dpkg, its database
// (/var/lib/dpkg), pam-auth-update, useradd, passwd and the packaged service all run in it and write only the
// upper layers; the host's files are never touched, and the namespace ends when the holder and everything
// started in it have exited. One holder process mounts the overlays and then sleeps; every command enters
// its namespace with nsenter, so the service and a later `passwd` see the same files (unlike
// machine-ns.ts, whose each command makes a namespace of its own). /lib is usr/lib on a merged-/usr system,
// so /lib/systemd/system and the PAM module folder are in the /usr overlay.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mountNamespaceProblem } from './machine-ns';
import { makeTempDir } from './tmp';

const UNSHARE = '/usr/bin/unshare';
const NSENTER = '/usr/bin/nsenter';
const OVERLAID = ['etc', 'usr', 'var'] as const;
/** /run too, for a machine that plays one where systemd runs (its /run/systemd/system exists only there). */
export type OverlaidDir = (typeof OVERLAID)[number] | 'run';

/** Mount each overlay, say so, then become the holder: `sleep` keeps the namespace alive until killed. */
const hold = (dirs: readonly string[]) => `set -e
root=$1
for d in ${dirs.join(' ')}; do
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$root/upper/$d,workdir=$root/work/$d" "/$d"
done
echo ready
exec sleep infinity`;

const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' };

export interface OverlayMachine {
  /** The holder's pid: its mount namespace is the machine's. */
  pid: number;
  /** The host's path for an absolute path inside the machine (through /proc/PID/root, so it sees the overlays). */
  path(p: string): string;
  /** The upper layer of one overlaid folder, as the host sees it: everything the machine wrote there. */
  upper(dir: OverlaidDir): string;
  /** Run a command inside the machine to completion; `input` goes to its stdin (passwords go there, never argv). */
  exec(argv: string[], opts?: { input?: string | Buffer; timeoutMs?: number }): SpawnSyncReturns<string>;
  /** Start a long-running command inside the machine (nsenter execs it: the child's pid is the command's). */
  spawn(argv: string[]): ChildProcessWithoutNullStreams;
  /** Kill the holder, wait for it, and delete the upper layers; stop whatever you spawned first. */
  stop(): Promise<void>;
}

/** Why an overlay machine cannot be made here (not root, no unshare/nsenter, no overlayfs), or undefined. */
export function overlayMachineProblem(): string | undefined {
  const ns = mountNamespaceProblem();
  if (ns) return ns;
  if (!fs.existsSync(NSENTER)) return `${NSENTER} is missing (util-linux)`;
  const t = makeTempDir('pwbridge-overlay-probe-');
  try {
    for (const d of ['lower', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(t.dir, d));
    fs.writeFileSync(path.join(t.dir, 'lower', 'marker'), '');
    const r = spawnSync(UNSHARE, ['--mount', '--propagation', 'private', '/bin/sh', '-c',
      'mount -t overlay overlay -o "lowerdir=$1/lower,upperdir=$1/upper,workdir=$1/work" "$1/merged" && test -e "$1/merged/marker"', 'probe', t.dir],
    { encoding: 'utf8' });
    if (r.status !== 0) return `overlayfs cannot be mounted in a private mount namespace here (exit ${r.status}): ${(r.stderr ?? '').trim()}`;
    return undefined;
  } finally {
    t.cleanup();
  }
}

export async function startOverlayMachine(name: string, opts: { overlayRun?: boolean } = {}): Promise<OverlayMachine> {
  const dirs: readonly OverlaidDir[] = opts.overlayRun ? [...OVERLAID, 'run'] : OVERLAID;
  const t = makeTempDir(`pwbridge-${name}-`);
  for (const layer of ['upper', 'work']) for (const d of dirs) fs.mkdirSync(path.join(t.dir, layer, d), { recursive: true });
  const holder = spawn(UNSHARE, ['--mount', '--propagation', 'private', '/bin/sh', '-c', hold(dirs), `machine-${name}`, t.dir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: ENV });
  let err = '';
  holder.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the ${name} machine's holder did not mount its overlays in 15 s: ${err}`)), 15_000);
    holder.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready\n')) { clearTimeout(timer); resolve(); }
    });
    holder.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the ${name} machine's holder exited (${code}) before mounting: ${err}`)); });
  }).catch((e: unknown) => {
    holder.kill('SIGKILL');
    t.cleanup();
    throw e;
  });
  const pid = holder.pid!;
  const prefix = [NSENTER, `--mount=/proc/${pid}/ns/mnt`, '--'];
  return {
    pid,
    path: (p) => path.join(`/proc/${pid}/root`, p),
    upper: (d) => path.join(t.dir, 'upper', d),
    exec(argv, opts = {}) {
      return spawnSync(prefix[0], [...prefix.slice(1), ...argv], {
        input: opts.input ?? '',
        encoding: 'utf8',
        timeout: opts.timeoutMs ?? 120_000,
        env: ENV,
        cwd: '/',
      });
    },
    spawn(argv) {
      return spawn(prefix[0], [...prefix.slice(1), ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env: ENV, cwd: '/' });
    },
    async stop() {
      if (holder.exitCode === null && holder.signalCode === null) {
        const gone = new Promise((resolve) => holder.once('exit', resolve));
        holder.kill('SIGKILL');
        await gone;
      }
      t.cleanup();
    },
  };
}
