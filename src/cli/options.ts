import type { Command } from 'commander';
import { parseDuration } from '../config/duration';
import type { Mode } from '../domain/types';
import { UsageError } from './errors';

/** Turn flag strings into typed values, refusing bad ones with the flag's name and what would be right. */
export function parseMode(flag: string, value: string): Mode {
  if (value === 'report' || value === 'change') return value;
  throw new UsageError(`${flag}: "${value}" is not a mode; use report (Report Mismatches) or change (Change Password)`);
}

export function parseOnOff(flag: string, value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError(`${flag}: "${value}" is not on or off`);
}

export function parseSince(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`--since: "${value}" is not a duration; use e.g. 30s, 15m, 2h, 7d`);
  return ms;
}

export function requireName(flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag}: a name is required`);
  if (/[\u0000-\u001f]/.test(value)) throw new UsageError(`${flag}: the name has control characters`);
  if (value.length > 256) throw new UsageError(`${flag}: the name is longer than 256 characters`);
  return value;
}

/** The global --data-dir, from any subcommand. */
export function dataDirOf(cmd: Command): string {
  return (cmd.optsWithGlobals() as { dataDir: string }).dataDir;
}

export function printJsonLines(rows: unknown[]): void {
  for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
}
