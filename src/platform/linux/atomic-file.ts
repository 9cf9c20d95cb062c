// Replace a file so that a reader sees either the old content or the new, never a part: write a temp
// file in the same directory, give it its mode and owner, fsync it, rename it over the target, fsync
// the directory (so the rename itself survives a crash). Used for /etc/pam.d files and the PAM module,
// which are read by every password change while we write them.

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

/** The mode bits (incl. set-id and sticky), uid and gid of an existing file. */
export function ownershipOf(file: string): Required<FileOwnership> {
  const st = fs.statSync(file);
  return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

export const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
