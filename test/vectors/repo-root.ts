// Compiled tests run from dist/test/... or /tmp/build-*/test/...; files they read live in the source tree.
// Walk up from here to the directory holding package.json, and fall back to the working directory
// (an out-of-tree build such as /tmp/build-proto has no package.json above it).
import * as fs from 'node:fs';
import * as path from 'node:path';

function findUp(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function repoRoot(): string {
  const root = findUp(__dirname) ?? findUp(process.cwd());
  if (!root) throw new Error(`cannot find the repository root (no package.json above ${__dirname} or ${process.cwd()})`);
  return root;
}

export function vectorsPath(): string {
  return path.join(repoRoot(), 'test', 'vectors', 'frames.json');
}
