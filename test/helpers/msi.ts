// The MSI as `npm run package:msi` builds it (packaging/windows/build-msi.sh), built once per version per
// test run and shared by the table checks and the install tests.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';

export const BUILD_MSI = path.join(repoRoot(), 'packaging', 'windows', 'build-msi.sh');
export const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

let outDir: string | undefined;
const built = new Map<string, string>();

/** Run build-msi.sh with `args`: its exit status and everything it printed. */
export function runBuildMsi(args: string[]): { code: number | null; out: string } {
  const r = spawnSync('bash', [BUILD_MSI, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The path of the MSI for `version` (default: package.json's), built on first use. Throws with the
 * build's output when it fails. */
export function buildMsi(version = PACKAGE_VERSION): string {
  const done = built.get(version);
  if (done) return done;
  if (!outDir) {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-msi-'));
    const dir = outDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const out = path.join(outDir, version);
  const r = runBuildMsi(['--version', version, '--out', out]);
  const msi = path.join(out, `pwbridge-${version}-x64.msi`);
  if (r.code !== 0 || !fs.existsSync(msi)) throw new Error(`build-msi.sh failed (exit ${r.code}):\n${r.out}`);
  built.set(version, msi);
  return msi;
}
