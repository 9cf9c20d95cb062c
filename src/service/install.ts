import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import type pino from 'pino';
import type { Config } from '../config/config';
import { ConfigError } from '../config/config-error';
import { dataPaths, ensureDataDir, type DataPaths } from '../config/paths';
import { EMBEDDED_CLIENT } from '../domain/types';
import type { StateDb } from '../journal/sqlite.state';
import { EventLog } from '../log/event-log';
import { OutboxDelivery } from '../log/outbox-delivery';
import { createLogger } from '../log/logger';
import { selectKeyFileAccess, selectPlatform, type Platform } from '../platform';
import { VaultNotFoundError, VaultRefusedError, type VaultPort } from '../ports/vault.port';
import { VaultInputError } from '../vault/errors';
import { HubCertificateError } from '../vault/hub-client';
import type { ReconcileDeps, ReconcileOptions } from '../reconcile';
import { ensureKeys, wipeKeys, type BridgeKeys } from '../protocol/keys';
import { FilterStateTracker } from './filter-state';
import { openStateAt, openVaultAt } from './open';

/** Everything one install (data dir) consists of, opened once and shared by `run` and `reconcile --once`. */
export interface Install {
  config: Config;
  paths: DataPaths;
  keys: BridgeKeys;
  vault: VaultPort;
  state: StateDb;
  logger: pino.Logger;
  events: EventLog;
  platform: Platform;
  filter: FilterStateTracker;
  close(): Promise<void>;
}

/** What reconcile works with, the same for the service's passes and `pwbridge reconcile --once`. */
export function reconcileSetup(install: Install, wakeJournal?: () => void): { deps: ReconcileDeps; opts: ReconcileOptions } {
  const { config, state } = install;
  return {
    deps: {
      vault: install.vault, accounts: install.platform.accounts, state: state.state, echo: state.echo, events: install.events, journal: state.journal,
      wakeJournal,
    },
    opts: {
      machine: config.machine,
      client: config.client,
      echoTtlMs: config.echoTtlMs,
      now: Date.now,
      exclusions: { serviceAccount: config.serviceAccount, exclude: config.excludeAccounts },
    },
  };
}

/** Sub-keys derived from the install secret, one per use, so no key does two jobs. */
export function deriveKey(secret: Buffer, label: string): Buffer {
  return createHmac('sha256', secret).update(`pwbridge/1/${label}`).digest();
}

/** `servesCapture`: this process will serve the capture's endpoint (`run`), so who it runs as is checked (Windows). */
export async function openInstall(config: Config, opts: { stdoutLog?: boolean; wrapPlatform?: (real: Platform) => Platform; servesCapture?: boolean } = {}): Promise<Install> {
  const paths = dataPaths(config.dataDir);
  await checkClientExists(config, paths);
  ensureDataDir(paths);
  const keys = ensureKeys(paths.keysDir, selectKeyFileAccess());
  const logger = createLogger({ level: config.logLevel, file: paths.logFile, stdout: opts.stdoutLog });
  const vault = await openVaultAt(config.dataDir, config);
  const echoKey = deriveKey(keys.secret, 'echo');
  const state = openStateAt(config.dataDir, echoKey, {
    onWriteError: (err, writes) => logger.error({ err: { message: err.message }, writes }, 'state.db: a deferred commit (journal marks, outbox events) failed'),
    outbox: { onDropped: (dropped, total) => logger.warn({ dropped, total }, 'event outbox full: dropped the oldest events (one events-dropped event says how many)') },
  });
  echoKey.fill(0);
  const fingerprintKey = deriveKey(keys.secret, 'fingerprint');
  const real = selectPlatform(config, fingerprintKey, { store: state.state, servesCapture: opts.servesCapture });
  // Tests wrap the real platform (count verifications, fake a filter probe); production never does.
  const platform = opts.wrapPlatform ? opts.wrapPlatform(real) : real;
  const events = new EventLog(state.outbox, new OutboxDelivery(state.outbox, vault, logger), config.machine, logger, platform.osEvents);
  const filter = new FilterStateTracker(state.state, () => platform.probeFilter(), events, {
    captureEnabled: config.captureEnabled,
    bootId: () => platform.bootId(),
  });
  await ensureClient(vault, config, events, logger);
  return {
    config, paths, keys, vault, state, logger, events, platform, filter,
    async close() {
      await events.flush();
      await vault.close();
      state.close();
      wipeKeys(keys);
      fingerprintKey.fill(0);
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    },
  };
}

/** A client named in config must exist before anything is created: a refusal changes nothing. */
async function checkClientExists(config: Config, paths: DataPaths): Promise<void> {
  if (config.client === 'local' && !config.hub) return;
  const refuse = () => new ConfigError('client', `"${config.client}" does not exist in the vault`,
    `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync, or use --client with an existing one`);
  if (!config.hub && !fs.existsSync(paths.vaultDb)) throw refuse();
  const vault = await openVaultAt(config.dataDir, config);
  try {
    if (!(await vault.getClient(config.client))) throw refuse();
  } catch (err) {
    // A hub that does not answer now (down, restarting, its database away) says nothing about the
    // client: the service starts and takes captures into its journal (ensureClient logs it).
    if (!tokenRefused(err) && !(config.hub && hubDidNotSay(err))) throw err;
  } finally {
    await vault.close();
  }
}

/**
 * The machine serves one client. The embedded default ("local") is created on first start with every
 * sync option on and Report Mismatches as its mode, so a fresh install works with no setup; a client
 * named in config must already exist, or the config is wrong.
 */
async function ensureClient(vault: VaultPort, config: Config, events: EventLog, logger: pino.Logger): Promise<void> {
  let client;
  try {
    client = await vault.getClient(config.client);
  } catch (err) {
    if (tokenRefused(err)) return;
    if (config.hub && hubDidNotSay(err)) {
      // Found by the vault-down fault scenario: a machine that (re)started while its hub was down did not
      // start at all, so nothing it captured was acked. Its journal holds changes until the hub is back.
      logger.warn({ err: { message: (err as Error).message }, hub: config.hub.url }, 'the hub does not answer; serving captures, delivered when it is back');
      return;
    }
    throw err;
  }
  if (client) return;
  if (config.hub) {
    throw new ConfigError('client', `"${config.client}" does not exist on the hub ${config.hub.url}`, 'Enrol this machine again with: pwbridge setup --hub URL --client NAME');
  }
  if (config.client !== EMBEDDED_CLIENT.name) {
    throw new ConfigError('client', `"${config.client}" does not exist in the vault`,
      `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync, or use --client with an existing one`);
  }
  await vault.addClient(EMBEDDED_CLIENT);
  events.record({ kind: 'client-created', outcome: 'info', reason: `embedded default client "local" (windows sync, two-way sync, auto-create; ${EMBEDDED_CLIENT.defaultMode} mode)` });
}

/**
 * The hub refused the agent token (revoked, or the machine was enrolled again). The service starts anyway:
 * captures are journaled and kept, the refusal is reported (event, log, status), and a new setup resumes
 * delivery. Failing the start would only make the service manager restart it against the hub in a loop.
 */
/** No answer from the hub, or an answer that it cannot serve now (5xx): not a verdict on the client. */
function hubDidNotSay(err: unknown): boolean {
  if (err instanceof VaultInputError || err instanceof VaultNotFoundError || err instanceof VaultRefusedError || err instanceof HubCertificateError) return false;
  return !/failed with HTTP [1-4]\d\d/.test((err as Error)?.message ?? '');
}

function tokenRefused(err: unknown): boolean {
  return err instanceof VaultRefusedError && err.status === 401;
}

