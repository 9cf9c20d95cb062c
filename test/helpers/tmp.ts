import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh private directory under the OS temp dir; removed by the returned function. */
export function makeTempDir(prefix = 'pwbridge-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir`, recursively (sockets and other special files skipped). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The bytes of every file under `dir`, for scans of a directory a live server still writes to: a file
 * the server removes between the listing and the read (PostgreSQL drops pg_internal.init, a WAL segment
 * is recycled) is skipped, since what is gone can no longer hold a secret. Any other error is thrown.
 */
export function liveFileContents(dir: string): Array<{ file: string; bytes: Buffer }> {
  const out: Array<{ file: string; bytes: Buffer }> = [];
  for (const file of filesUnder(dir)) {
    try {
      out.push({ file, bytes: fs.readFileSync(file) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}
