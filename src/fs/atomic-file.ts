// Whole-file writes that a reader (or a crash) never sees half done. Two shapes, one place:
// - writeFileAtomic replaces a file: a temp file in the same directory gets its mode and owner, is fsynced,
//   renamed over the target, and the directory fsynced (so the rename itself survives a crash). Used for
//   /etc/pam.d files and the PAM module, read by every password change while we write them, and config.
// - createFileOnce creates a file that must never be replaced (keys, secrets, exports): the same temp file,
//   then link(2), which fails with EEXIST where rename would overwrite, so two processes starting together
//   cannot both create a key and nobody sees a half-written one.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileOwnership {
  mode: number;
  uid?: number;
  gid?: number;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function fsyncDir(dir: string): void {
  // Windows cannot fsync a directory (EPERM); NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeFileAtomic(file: string, data: Buffer | string, own: FileOwnership): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.pwbridge-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    try {
      // chown first: it may clear set-id bits, which the chmod then sets as asked.
      if (own.uid !== undefined || own.gid !== undefined) fs.fchownSync(fd, own.uid ?? -1, own.gid ?? -1);
      fs.fchmodSync(fd, own.mode & 0o7777);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

export interface CreateOnceOptions {
  /** The file's mode (set on the temp file before any byte is written: the umask does not narrow it). */
  mode: number;
  /** When the name exists already: 'keep' it (another process won the race; its file is used), or 'throw' EEXIST. */
  ifExists: 'keep' | 'throw';
}

/** Creates `file` holding `data`, or leaves an existing one alone (see ifExists). True when this call created it. */
export function createFileOnce(file: string, data: Buffer | string, o: CreateOnceOptions): boolean {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.pwbridge-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', o.mode & 0o777);
    try {
      fs.fchmodSync(fd, o.mode & 0o777);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && o.ifExists === 'keep') return false;
      throw err;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fsyncDir(dir);
  return true;
}

/** The mode bits (incl. set-id and sticky), uid and gid of an existing file. */
export function ownershipOf(file: string): Required<FileOwnership> {
  const st = fs.statSync(file);
  return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

export const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
