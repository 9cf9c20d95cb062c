/**
 * Write a file only its owner can read, all at once: the bytes go to a fresh temporary file (0600, created
 * exclusively) in the same directory, are synced, then linked to the name, so nobody sees a half-written
 * file and an existing file is never replaced (link fails with EEXIST where rename would overwrite).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writePrivateFileOnce(file: string, data: Buffer): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
