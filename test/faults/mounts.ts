// Small file systems for fault scenarios: a tmpfs of a given size mounted on a folder (root only), so a
// scenario can fill it to the last byte without touching the machine's own disks. Always unmounted after.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';

export interface SmallFs {
  dir: string;
  unmount(): void;
}

function sh(cmd: string, args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr || r.error?.message || '').trim() };
}

/** A tmpfs of `size` (mount's syntax: 16m, 256k) on `dir` (created 0700), owner-only. */
export function mountTmpfs(dir: string, size: string): SmallFs {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const r = sh('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  if (!r.ok) throw new Error(`mount -t tmpfs on ${dir}: ${r.err}`);
  let mounted = true;
  return {
    dir,
    unmount() {
      if (!mounted) return;
      // Lazy: a process that still has a file open there (a killed service's last descriptors) does not block it.
      const u = sh('umount', ['-l', dir]);
      if (!u.ok) throw new Error(`umount ${dir}: ${u.err}`);
      mounted = false;
    },
  };
}

/** Why a tmpfs cannot be mounted here (not root, no mount, a sandbox refusing it), or undefined. */
export function tmpfsProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (mounting a small tmpfs needs it)';
  const t = makeTempDir('pwbridge-faults-mount-probe-');
  try {
    const m = mountTmpfs(path.join(t.dir, 'm'), '64k');
    m.unmount();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    t.cleanup();
  }
}

/** Fill the file system holding `dir` with `dir/name` until a write fails (ENOSPC). Returns the bytes written. */
export function fill(dir: string, name: string): number {
  const fd = fs.openSync(path.join(dir, name), 'a', 0o600);
  let written = 0;
  try {
    for (let chunk = 1 << 20; chunk >= 512;) {
      try {
        written += fs.writeSync(fd, Buffer.alloc(chunk, 0x5a));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        chunk >>= 1;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/** Bytes free on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}
