import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { endpointServed } from '../channel/socket-listener';
import type { Config } from '../config/config';
import { dataPaths } from '../config/paths';
import type { FilterState } from '../domain/types';
import type { StateDb } from '../journal/sqlite.state';
import { openExistingState } from './open';
import { selectPlatform, serviceManagerSaysRunning } from '../platform';
import { FilterStateTracker } from './filter-state';
import { HUB_ACCESS_KEY } from './hub-access-watch';
import type { HubRefusal } from '../vault/hub-access';

/**
 * The filter state as of now (the platform probe and the last hello), not as the service last saved it:
 * the PAM stack may have changed since, or the service may not be running. Nothing is written.
 */
function freshFilterState(config: Config, db: StateDb): { state: FilterState; details?: string[] } {
  // The platform's accounts are not used here, so no install secret is read for their fingerprint key.
  const platform = selectPlatform(config, randomBytes(32));
  const noEvents = { record: () => undefined };
  const probe = platform.probeFilter();
  const state = new FilterStateTracker(db.state, () => probe, noEvents, {
    captureEnabled: config.captureEnabled,
    bootId: () => platform.bootId(),
  }).peek();
  return { state, details: probe.details };
}

export interface InstallStatus {
  dataDir: string;
  machine: string;
  client: string;
  socketPath: string;
  serviceRunning: boolean;
  /** Who said: the OS's service manager (Windows), or an answer on the socket (Linux). */
  serviceCheckedBy: 'service manager' | 'socket';
  filter: FilterState;
  /** More about the capture's registration (Windows: the full Notification Packages list). */
  filterDetails?: string[];
  journalDepth: number;
  /** Events a capture could not deliver, waiting in the spool for the service; refused ones kept as .bad. */
  spool: { waiting: number; refused: number };
  deadLetters: Array<{ eventId: string; account: string; receivedAt: number; reason?: string }>;
  /** The hub this machine is enrolled with, and its refusal of the agent token as the service last saw it. */
  hub?: { url: string; refused?: HubRefusal };
  lastReconcile?: { at: number; checked: number; unchanged: number; matched: number; flagged: number; cleared: number; set: number; failed: number; skipped: number; durationMs: number };
}

/**
 * What `status` shows, read from the data dir alone so it works whether or not the service runs.
 */
export async function describeInstall(config: Config): Promise<InstallStatus> {
  const managed = serviceManagerSaysRunning();
  const base = {
    dataDir: config.dataDir, machine: config.machine, client: config.client, socketPath: config.socketPath,
    serviceRunning: managed ?? await endpointServed(config.socketPath),
    serviceCheckedBy: managed === undefined ? 'socket' as const : 'service manager' as const,
    spool: spoolCounts(dataPaths(config.dataDir).spoolDir),
    ...(config.hub ? { hub: { url: config.hub.url } } : {}),
  };
  const db = openExistingState(config.dataDir);
  if (!db) {
    return { ...base, filter: { state: 'not-installed', reason: 'the service has never run with this data dir', since: Date.now() }, journalDepth: 0, deadLetters: [] };
  }
  try {
    const filter = freshFilterState(config, db);
    return {
      ...base,
      filter: filter.state,
      filterDetails: filter.details,
      journalDepth: db.journal.depth(),
      deadLetters: db.journal.deadLetters(100).map((d) => ({ eventId: d.eventId, account: d.account, receivedAt: d.receivedAt, reason: d.outcome ?? d.lastError })),
      lastReconcile: db.state.getValue('lastReconcile'),
      ...(config.hub ? { hub: { url: config.hub.url, refused: db.state.getValue<HubRefusal | null>(HUB_ACCESS_KEY) ?? undefined } } : {}),
    };
  } finally {
    db.close();
  }
}

/** Counted by name only: status never opens a spool record. A missing or unreadable spool counts as empty. */
function spoolCounts(dir: string): { waiting: number; refused: number } {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    /* no spool yet, or not ours to read */
  }
  return { waiting: names.filter((n) => n.endsWith('.chg')).length, refused: names.filter((n) => n.endsWith('.bad')).length };
}
