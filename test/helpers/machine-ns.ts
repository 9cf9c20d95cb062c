// A second (third…) "machine" on one host, for root tests: a private copy of /etc (its own passwd,
// shadow and pam.d) and of the PAM module folder, which only processes started in the machine's own
// mount namespace (unshare -m) see, bind-mounted over /etc and the module folder. useradd, chpasswd,
// passwd, libpam and pwbridge inside read and write the copies; the host's files are never touched, and
// the namespace ends with the last process in it. Each whole directory is bound (not single files), so
// the tools' lock files and write-then-rename land in the copy too.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPamModuleDirs } from '../../src/platform/linux/pam-module-dirs';
import { readShadow } from '../../src/platform/linux/shadow';
import { makeTempDir } from './tmp';

const UNSHARE = '/usr/bin/unshare';
/** Mount the copies, then exec the command: the process keeps the pid its parent spawned. */
const ENTER = 'mount --bind "$1" /etc && mount --bind "$2" "$3" && shift 3 && exec "$@"';

export interface Machine {
  name: string;
  /** Private folder holding the copies and anything else of this machine (removed by cleanup). */
  root: string;
  /** This machine's /etc, as the host sees it (read its shadow here). */
  etc: string;
  /** This machine's PAM module folder, as the host sees it. */
  security: string;
  /** Runs a command inside the machine: `[...prefix, cmd, ...args]`. */
  prefix: readonly string[];
  /** Run a command inside the machine to completion; `input` goes to its stdin (passwords go there, never argv). */
  exec(argv: string[], input?: string): SpawnSyncReturns<string>;
  cleanup(): void;
}

/** The real folder PAM loads bare module names from (the one holding pam_unix.so, symlinks resolved). */
export function hostSecurityDir(): string {
  const d = defaultPamModuleDirs().find((x) => fs.existsSync(path.join(x, 'pam_unix.so')));
  assert.ok(d, `pam_unix.so not found in ${defaultPamModuleDirs().join(', ')}`);
  return fs.realpathSync(d);
}

/** Why a private mount namespace cannot be made here (not root, no unshare, a sandbox refusing it), or undefined. */
export function mountNamespaceProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (!fs.existsSync(UNSHARE)) return `${UNSHARE} is missing (util-linux)`;
  const scratch = makeTempDir('pwbridge-ns-probe-');
  try {
    // The same steps a machine takes: a namespace, a bind mount over a folder, and the host not seeing it.
    fs.writeFileSync(path.join(scratch.dir, 'marker'), '');
    const target = makeTempDir('pwbridge-ns-target-');
    try {
      const r = spawnSync(UNSHARE, ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$1" "$2" && test -e "$2/marker"', 'probe', scratch.dir, target.dir], { encoding: 'utf8' });
      if (r.error) return `${UNSHARE} did not run: ${r.error.message}`;
      if (r.status !== 0) return `unshare --mount could not make a private mount namespace with a bind mount (exit ${r.status}): ${r.stderr.trim()}`;
      if (fs.existsSync(path.join(target.dir, 'marker'))) return 'the bind mount leaked out of the namespace (mount propagation is not private)';
      return undefined;
    } finally {
      target.cleanup();
    }
  } finally {
    scratch.cleanup();
  }
}

/** Copies the host's /etc and PAM module folder now: accounts made on the host later are not on this machine. */
export function makeMachine(name: string): Machine {
  const t = makeTempDir(`pwbridge-${name}-`);
  const etc = path.join(t.dir, 'etc');
  const security = path.join(t.dir, 'security');
  const securityTarget = hostSecurityDir();
  for (const [from, to] of [['/etc', etc], [securityTarget, security]]) {
    fs.mkdirSync(to);
    const r = spawnSync('/bin/cp', ['-a', `${from}/.`, `${to}/`], { encoding: 'utf8' });
    assert.equal(r.status, 0, `cp -a ${from} ${to}: ${r.stderr}`);
  }
  const prefix = [UNSHARE, '--mount', '--propagation', 'private', '/bin/sh', '-c', ENTER, `machine-${name}`, etc, security, securityTarget];
  return {
    name,
    root: t.dir,
    etc,
    security,
    prefix,
    exec(argv, input) {
      return spawnSync(prefix[0], [...prefix.slice(1), ...argv], {
        input: input ?? '',
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      });
    },
    cleanup: t.cleanup,
  };
}

/** The user's shadow line in this file, exactly as stored (to prove a file did or did not change). */
export function shadowLine(shadowPath: string, user: string): string | undefined {
  return fs.readFileSync(shadowPath, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
}

/** The user's crypt hash in this shadow file, through the project's own parser. */
export async function shadowHash(shadowPath: string, user: string): Promise<string> {
  const e = (await readShadow(shadowPath)).entries.find((x) => x.name === user);
  assert.ok(e, `${user} is not in ${shadowPath}`);
  return e.hash;
}
