// Loads pwbridge_pipe.node, on Windows only and only when first asked (src/channel/socket-listener.ts asks
// when the endpoint is a named pipe). Where it may be, in this order:
//   <package>/addons/pwbridge_pipe.node          what the MSI installs (addons\ beside dist\ and package.json)
//   <package>/native/build-win/pwbridge_pipe.node  a development build (native/build-windows.sh, or MSVC)
// A failure lists every path tried and why each did not do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PipeAddon } from './native';

export const ADDON_FILE = 'pwbridge_pipe.node';

let loaded: PipeAddon | undefined;

/** The folder holding package.json above this file (dist/src/channel/win-pipe → the package). */
function packageRoot(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Where the addon is looked for, in order. */
export function addonCandidates(root = packageRoot()): string[] {
  if (!root) return [];
  return [path.join(root, 'addons', ADDON_FILE), path.join(root, 'native', 'build-win', ADDON_FILE)];
}

/** `opts` is for tests: another platform's answer, other candidate paths (nothing is cached then). */
export function loadPipeAddon(opts: { platform?: NodeJS.Platform; candidates?: string[] } = {}): PipeAddon {
  if (loaded && !opts.candidates) return loaded;
  const platform = opts.platform ?? process.platform;
  if (platform !== 'win32') throw new Error(`${ADDON_FILE} is the Windows named-pipe server; this is ${platform}`);
  const tried: string[] = [];
  const candidates = opts.candidates ?? addonCandidates();
  if (candidates.length === 0) tried.push(`no package.json above ${__dirname}, so neither addons\\ nor native\\build-win\\ could be found`);
  for (const file of candidates) {
    if (!fs.existsSync(file)) {
      tried.push(`${file}: not there`);
      continue;
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const addon = require(file) as PipeAddon;
      if (!opts.candidates) loaded = addon;
      return addon;
    } catch (err) {
      tried.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`cannot load ${ADDON_FILE}, which serves the capture pipe on Windows; tried:\n  ${tried.join('\n  ')}\n`
    + 'Reinstall pwbridge, or build it (native/build-windows.sh with mingw-w64, or cmake -S native/win-pipe with MSVC).');
}
