// The Debian package as `npm run package:deb` builds it (packaging/debian/build-deb.sh), built once per
// version per test run and shared by the content and lintian checks and the install tests. The tests build
// it with gzip at level 1 (--compression gzip): the same files and control data, without minutes of xz.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';

export const BUILD_DEB = path.join(repoRoot(), 'packaging', 'debian', 'build-deb.sh');
export const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

let outDir: string | undefined;
const built = new Map<string, string>();

/** Why the package cannot be built here (a tool missing, no PAM module), or undefined. */
export function debBuildProblem(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  for (const tool of ['dpkg-deb', 'dpkg-architecture', 'dpkg-shlibdeps']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing (dpkg-dev)`;
  }
  if (!fs.existsSync(path.join(repoRoot(), 'native', 'build', 'pam', 'pam_pwbridge.so'))) return 'native/build/pam/pam_pwbridge.so is not built';
  return undefined;
}

export function hostArch(): { arch: string; multiarch: string } {
  const q = (v: string) => spawnSync('dpkg-architecture', [`-q${v}`], { encoding: 'utf8' }).stdout.trim();
  return { arch: q('DEB_HOST_ARCH'), multiarch: q('DEB_HOST_MULTIARCH') };
}

/** Run build-deb.sh with `args`: its exit status and everything it printed. */
export function runBuildDeb(args: string[]): { code: number | null; out: string } {
  const r = spawnSync('bash', [BUILD_DEB, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The path of the .deb for `version` (default: package.json's), built on first use. Throws with the build's output when it fails. */
export function buildDeb(version = PACKAGE_VERSION): string {
  const done = built.get(version);
  if (done) return done;
  if (!outDir) {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-deb-'));
    const dir = outDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const out = path.join(outDir, version);
  const r = runBuildDeb(['--version', version, '--out', out, '--compression', 'gzip']);
  const deb = path.join(out, `pwbridge_${version}_${hostArch().arch}.deb`);
  if (r.code !== 0 || !fs.existsSync(deb)) throw new Error(`build-deb.sh failed (exit ${r.code}):\n${r.out}`);
  built.set(version, deb);
  return deb;
}
