// pwbridge's compiled JavaScript laid out for the Windows node.exe: a copy of dist/ next to a node_modules
// installed as a Windows x64 machine gets it (npm --os=win32 --cpu=x64, so koffi's optional binary is
// @koromix/koffi-win32-x64; --ignore-scripts, so nothing is built for this Linux machine: better-sqlite3's
// JavaScript is there but not its addon, and loads only when a database is opened). The modules are
// installed once from package-lock.json, every version the locked one, into packaging/cache (gitignored).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';
import { winPath } from './wine';

function cacheDir(): string {
  const root = repoRoot();
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const key = createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).update(JSON.stringify(pkg.dependencies))
    .digest('hex').slice(0, 16);
  return path.join(root, 'packaging', 'cache', `win32-test-modules-${key}`);
}

/** The folder whose node_modules holds the Windows builds of the production dependencies (installed on first use). */
export function windowsModules(): string {
  const dest = cacheDir();
  if (fs.existsSync(path.join(dest, 'node_modules', '@koromix', 'koffi-win32-x64'))) return dest;
  const root = repoRoot();
  const tmp = `${dest}.${randomBytes(4).toString('hex')}.tmp`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    fs.copyFileSync(path.join(root, 'package.json'), path.join(tmp, 'package.json'));
    fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(tmp, 'package-lock.json'));
    execFileSync('npm', ['install', '--os=win32', '--cpu=x64', '--omit=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return dest;
}

export interface WindowsApp {
  /** The copy's root on this machine (it holds dist/). */
  root: string;
  /** main.js as the Windows node.exe names it (Z:\…). */
  mainJs: string;
  /** A compiled file of the copy (e.g. 'dist/test/platform/windows/acl-scenarios.wine.js'), as node.exe names it. */
  file(rel: string): string;
  remove(): void;
}

/** A fresh copy of dist/ beside the Windows node_modules, so node.exe resolves `require('koffi')` to the Windows build. */
export function windowsApp(): WindowsApp {
  const modules = windowsModules();
  const root = path.join(modules, `app-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.cpSync(path.join(repoRoot(), 'dist'), path.join(root, 'dist'), { recursive: true });
  // repo-root.ts finds the repository by its package.json; the copy's own makes it find the copy.
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "pwbridge-windows-test-copy", "private": true }\n');
  return {
    root,
    mainJs: winPath(path.join(root, 'dist', 'src', 'cli', 'main.js')),
    file: (rel) => winPath(path.join(root, ...rel.split('/'))),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

let shared: WindowsApp | undefined;

/** One copy for the whole test run (tests only read it), removed when the process exits. */
export function sharedWindowsApp(): WindowsApp {
  if (shared) return shared;
  const app = windowsApp();
  process.once('exit', () => app.remove());
  shared = app;
  return app;
}
