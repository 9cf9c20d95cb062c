// Which pam_pwbridge.so this machine has, and its version: the first PAM module folder (the ones libpam
// loads bare module names from, where install and the Debian package put it) that holds one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureModuleInfo } from '../capture-module';
import { cString, readElfNotes } from './elf-note';
import { defaultPamModuleDirs } from './pam-module-dirs';
import { PWBRIDGE_PAM_MODULE } from './pam-stack';

/** native/pam/version_note.c: the note's owner and type. */
export const VERSION_NOTE_NAME = 'pwbridge';
export const VERSION_NOTE_TYPE = 1;

export function findPamModule(dirs: readonly string[] = defaultPamModuleDirs()): CaptureModuleInfo {
  const file = dirs.map((d) => path.join(d, PWBRIDGE_PAM_MODULE)).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (!file) return { kind: 'pam', problem: `not installed (no ${PWBRIDGE_PAM_MODULE} in ${dirs.join(', ')})` };
  try {
    return { kind: 'pam', path: file, ...pamModuleVersion(fs.readFileSync(file)) };
  } catch (err) {
    return { kind: 'pam', path: file, problem: (err as Error).message };
  }
}

/** The version note's text, or a problem saying the module carries none. */
export function pamModuleVersion(bytes: Buffer): Pick<CaptureModuleInfo, 'version' | 'problem'> {
  const note = readElfNotes(bytes).find((n) => n.name === VERSION_NOTE_NAME && n.type === VERSION_NOTE_TYPE);
  return note ? { version: cString(note.desc) } : { problem: 'the module carries no version note (a build from before the modules carried their version)' };
}
