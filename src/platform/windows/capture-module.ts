// Which pwbridge_filter.dll this machine has, and its version: System32's, the one lsass loads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureModuleInfo } from '../capture-module';
import { readPeFileVersion } from './pe-version';
import { FILTER_DLL, system32 } from './places';

export function findFilterDll(dir: string = system32()): CaptureModuleInfo {
  const file = path.join(dir, FILTER_DLL);
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return { kind: 'lsa', problem: `not installed (no ${file})` };
  try {
    const version = readPeFileVersion(fs.readFileSync(file));
    return version ? { kind: 'lsa', path: file, version } : { kind: 'lsa', path: file, problem: 'the DLL carries no version resource (a build from before the modules carried their version)' };
  } catch (err) {
    return { kind: 'lsa', path: file, problem: (err as Error).message };
  }
}
