/**
 * Write a file only its owner can read, all at once, never replacing an existing one (an export must not
 * overwrite a file the operator meant to keep): createFileOnce, mode 0600, EEXIST when the name is taken.
 */
import { createFileOnce } from '../../fs/atomic-file';

export function writePrivateFileOnce(file: string, data: Buffer): void {
  createFileOnce(file, data, { mode: 0o600, ifExists: 'throw' });
}
