// One link of the capture-to-vault chain as `pwbridge doctor` judges it. The ids are a contract: the
// troubleshooting guide and scripts reading `doctor --json` name links by them.
import * as fs from 'node:fs';
import type { Config } from '../config/config';
import type { DataPaths } from '../config/paths';
import type { FilterProbe } from '../service/filter-state';
import type { KeyFileAccessCheck } from '../protocol/key-files';
import type { VaultPort } from '../ports/vault.port';
import type { StateDb } from '../journal/sqlite.state';

export const LINK_IDS = [
  'capture-module', 'filter-loaded', 'service', 'key-files', 'journal', 'spool', 'vault', 'client', 'reconcile',
] as const;
export type LinkId = (typeof LINK_IDS)[number];

/**
 * ok: nothing to do. warning: works, but something needs a look. broken: a password change will not reach
 * the vault (or the vault's password the machine) until fixed. not-checked: doctor could not tell (no root,
 * or an earlier link it depends on is down); `summary` says why.
 */
export type LinkState = 'ok' | 'warning' | 'broken' | 'not-checked';

export interface LinkResult {
  id: LinkId;
  state: LinkState;
  /** One line: what doctor found. */
  summary: string;
  /** What it rests on: files, lines, counts, times. Never a secret. */
  evidence: string[];
  /** What to run (or do) to repair it, when there is one. */
  fix?: string;
}

export type LinkVerdict = Omit<LinkResult, 'id'>;

/** What the links may ask of this machine; chosen once (machine.ts), a fake Windows in tests. */
export interface DoctorMachine {
  os: 'linux' | 'win32';
  /** The capture module's registration as the platform reads it (PAM stack / Notification Packages). */
  probeFilter(): FilterProbe;
  /** What is unsafe about the module's place that the probe does not judge (Linux: the PAM flow around it). */
  captureStackProblems(): string[];
  /** This boot's id, as the capture's HELLO carries it. */
  bootId(): string;
  /** The service manager's word (Windows); undefined where the capture socket is the answer (Linux). */
  serviceManagerRunning(): boolean | undefined;
  /** Who may open key files where mode bits do not say (Windows); undefined on POSIX. */
  keyFileAccess?: KeyFileAccessCheck;
  /** The hub's agent token as this OS keeps it (DPAPI on Windows, a 0600 file elsewhere); throws when it cannot. */
  readAgentToken(file: string): string;
}

/** The vault as opened once for the vault and client links, or why it could not be. */
export type VaultOpening =
  | { vault: VaultPort; kind: 'embedded' }
  /** `clockOffsetMs`: the hub's time minus this machine's, as the last answer showed (hub-clock.ts). */
  | { vault: VaultPort; kind: 'hub'; clockOffsetMs(): number }
  | { error: Error; kind: 'embedded' | 'hub' };

export interface DoctorContext {
  config: Config;
  paths: DataPaths;
  machine: DoctorMachine;
  now(): number;
  /** state.db, opened read-mostly once; undefined when the service never ran here. Throws when unreadable. */
  state(): StateDb | undefined;
  /** The vault, opened once (embedded, or the hub with the agent token). */
  vault(): Promise<VaultOpening>;
}

export type Link = (ctx: DoctorContext) => Promise<LinkVerdict> | LinkVerdict;

export const verdict = (state: LinkState, summary: string, evidence: string[] = [], fix?: string): LinkVerdict =>
  ({ state, summary, evidence, ...(fix ? { fix } : {}) });

/** An error code that means "not allowed to look", so the link is not-checked rather than broken. */
export function deniedAccess(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** "needs root" on Linux, "needs an administrator" on Windows: what a not-checked link asks for. */
export const asAdmin = (os: DoctorMachine['os']): string => (os === 'win32' ? 'from an elevated prompt (as an administrator)' : 'as root (sudo)');

/**
 * The error when this account may not look inside `dir` (a root-only data dir, as a normal user), else
 * undefined. Without it a missing-looking file would read as "not there" (existsSync says false).
 */
export function lockedOut(dir: string): NodeJS.ErrnoException | undefined {
  try {
    fs.accessSync(dir, fs.constants.X_OK);
    return undefined;
  } catch (e) {
    return deniedAccess(e) ? e as NodeJS.ErrnoException : undefined;
  }
}
