// One field of config.json, read as written (not merged with the defaults) and set or removed with every
// other field kept. install uses it for `serviceAccount` when the service runs as an account it did not
// create, so the service knows never to reconcile that account.

import * as fs from 'node:fs';
import { configPath } from '../config/config';
import { writeFileAtomic } from '../fs/atomic-file';

function readObject(dataDir: string): Record<string, unknown> | undefined {
  const file = configPath(dataDir);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The field as config.json has it, or undefined when the file or the field is absent. */
export function configField(dataDir: string, name: string): unknown {
  return readObject(dataDir)?.[name];
}

/** Set the field (undefined: remove it); the file is created when missing, and removed when `removeIfEmpty` and nothing is left. */
export function setConfigField(dataDir: string, name: string, value: unknown, removeIfEmpty = false): void {
  const current = readObject(dataDir) ?? {};
  if (value === undefined) delete current[name];
  else current[name] = value;
  const file = configPath(dataDir);
  if (removeIfEmpty && Object.keys(current).length === 0) fs.rmSync(file, { force: true });
  else writeFileAtomic(file, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
}
