// Drives the real pam_pwbridge.so through libpam: pamtester under cwrap's pam_wrapper, with service
// files in a private folder (so /etc/pam.d is never touched), or the system's own stack as root.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';

export const PAM_MODULE = path.join(repoRoot(), 'native', 'build', 'pam', 'pam_pwbridge.so');
export const PAM_MATRIX = '/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so';
const PAM_WRAPPER = 'libpam_wrapper.so';

/** The module must have been built (npm run build does it); a missing one is a failure, not a skip. */
export function requireModule(): string {
  if (!fs.existsSync(PAM_MODULE)) {
    throw new Error(`${PAM_MODULE} is missing: npm run build:native (needs libpam0g-dev, nettle-dev, libcrypt-dev, cmake)`);
  }
  return PAM_MODULE;
}

export interface PamRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the module logged through pam_syslog (pam_wrapper prints it on stderr). */
  syslog: string[];
}

export interface PamtesterOptions {
  /** A private service folder for pam_wrapper; omit to use the system's /etc/pam.d (root tests). */
  serviceDir?: string;
  service: string;
  user: string;
  op: 'chauthtok' | 'authenticate';
  /** What the conversation reads, one answer per line. */
  answers: string[];
  /** Kill pamtester after this long (a hang is then a failure, not a stuck suite). */
  killAfterMs?: number;
  /** Run pamtester under valgrind memcheck; a memory error or a definite leak makes it exit 99. */
  valgrind?: boolean;
  /** pamtester -v (the default) echoes the service and user it starts with; false leaves that out. */
  verbose?: boolean;
  /** A command that execs the rest of its argv (e.g. `unshare … sh -c '…; exec "$@"'`): pamtester runs under it. */
  prefix?: string[];
}

export function pamtester(o: PamtesterOptions): Promise<PamRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (o.serviceDir) {
    Object.assign(env, {
      PAM_WRAPPER: '1',
      PAM_WRAPPER_SERVICE_DIR: o.serviceDir,
      PAM_WRAPPER_DEBUGLEVEL: '2', // pam_syslog lines go to stderr (level 3 would also trace PAM items, the password among them)
      LD_PRELOAD: PAM_WRAPPER,
    });
  }
  return new Promise((resolve, reject) => {
    const argv = [...(o.verbose === false ? [] : ['-v']), o.service, o.user, o.op];
    const command = o.valgrind
      ? ['valgrind', '--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite', 'pamtester', ...argv]
      : ['pamtester', ...argv];
    const [exe, ...args] = [...(o.prefix ?? []), ...command];
    const child = spawn(exe, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const syslog = stderr.split('\n').filter((l) => l.includes('SYSLOG(')).map((l) => l.replace(/^.*SYSLOG\(\d\): /, ''));
      resolve({ code, stdout, stderr, syslog });
    });
    child.stdin.end(o.answers.map((a) => `${a}\n`).join(''));
  });
}

/** A pam_matrix password file (user:password:service) and a service whose password stack is
 * pam_matrix (the "real" change) then our module, optional, with the given arguments. pam_matrix keeps
 * the passwords in its own file, never in /etc/shadow, so the module's check that the change really
 * happened there is off (`shadow_check=off`) unless `shadowCheck` says to keep it. */
export function writeMatrixService(dir: string, service: string, users: Record<string, string>, moduleArgs: string[], opts: { shadowCheck?: boolean } = {}): { serviceDir: string; passdb: string } {
  const serviceDir = path.join(dir, 'pam-services');
  fs.mkdirSync(serviceDir, { recursive: true });
  const passdb = path.join(dir, 'passdb');
  fs.writeFileSync(passdb, Object.entries(users).map(([u, p]) => `${u}:${p}:${service}\n`).join(''));
  fs.writeFileSync(path.join(serviceDir, service), [
    `password required ${PAM_MATRIX} passdb=${passdb}`,
    `password optional ${requireModule()} ${[...moduleArgs, ...(opts.shadowCheck ? [] : ['shadow_check=off'])].join(' ')}`,
    '',
  ].join('\n'));
  return { serviceDir, passdb };
}

/** The spooled event files in a data dir. */
export function spooled(dataDir: string): string[] {
  const dir = path.join(dataDir, 'spool');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.chg')) : [];
}
