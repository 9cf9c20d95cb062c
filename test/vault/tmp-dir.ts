/** A fresh temp directory per test, removed afterwards. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function makeTmpDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pwbridge-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
