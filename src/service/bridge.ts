import { packageVersion } from '../package-version';
import { parseVersion } from '../protocol/constants';
import { Opener } from '../protocol/seal';
import type { ReconcileReport } from '../reconcile';
import { HttpVault } from '../vault/http.vault';
import { startCaptureEndpoint } from './capture-endpoint';
import { watchCaptureHeartbeats } from './capture-heartbeats';
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './capture-peer-policy';
import { startEventDelivery } from './event-delivery';
import { watchHubAccess } from './hub-access-watch';
import type { Install } from './install';
import { startJournalProcessing } from './journal-processing';
import { startJournalPurge } from './journal-purge';
import { startJournalStage } from './journal-stage';
import { startMachineReport, type MachineReporter } from './machine-report';
import { startPushDown } from './push-down';
import { startReconcileTimer } from './reconcile-timer';
import type { SpoolDrainResult } from './spool-drain';
import { startSpoolLoop } from './spool-loop';
import { StartedJobs } from './started-jobs';

export interface Bridge {
  readonly socketPath: string;
  /** One reconcile pass now (the interval goes on). */
  reconcileNow(): Promise<ReconcileReport>;
  /** Process every due journal entry (tests and the bench wait on this). */
  drain(): Promise<void>;
  /** One spool drain now (the 30 s timer goes on); passes never overlap, a call waits for the running one. */
  drainSpool(): Promise<SpoolDrainResult>;
  /** Report this machine to the vault now (the heartbeat goes on); true when the vault took it. */
  reportMachine(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface BridgeOptions {
  /** Capture connections per peer uid and in all, and the HELLO deadline (tests make them small). */
  captureLimits?: CaptureLimits;
  /** The version HELLO_ACK tells captures; package.json's when absent (tests set another to see it travel). */
  version?: string;
}

/**
 * The running service: capture endpoint → journal (durable, then ack) → journal processor → vault, and
 * reconcile on its interval. Starting also drains whatever the journal and the spool held from before.
 *
 * The jobs start in this order and stop in the reverse one (StartedJobs), which is what keeps shutdown
 * safe: push-down stops (a pass it started finishes) before the reconcile timer and the machine report it
 * pokes; the endpoint closes before the journal stage journals what is still buffered; the spool pass
 * under way finishes before its key is wiped and before the journal closes; the opener's key goes last.
 */
export async function startBridge(install: Install, opts: BridgeOptions = {}): Promise<Bridge> {
  const { config, state, vault, events, logger, filter, platform } = install;
  const jobs = new StartedJobs();
  // This machine's row in the vault (the hub's dashboard) is reported once the endpoint serves; what
  // changes before then is in that first report.
  let report: MachineReporter | undefined;
  const pokeReport = () => report?.poke();

  // Events go from state.db's outbox to the vault; stopped last, what is left goes with the shutdown's
  // flush or at the next start.
  await jobs.start(() => startEventDelivery({ delivery: events.delivery, logger, retryBaseMs: config.retryBaseMs, retryMaxMs: config.retryMaxMs }));
  const { opener } = await jobs.start(() => {
    const o = new Opener(install.keys.privateKey);
    return { opener: o, stop: () => o.close() };
  });
  const processing = await jobs.start(() => startJournalProcessing(install, opener, pokeReport));
  // The hub's refusal of the agent token: reported once, held entries kept, resumed when it takes it again.
  const access = watchHubAccess(vault instanceof HttpVault ? vault.access : undefined, {
    store: state.state, journal: state.journal, events, logger, wake: processing.wake,
  });
  const journaling = await jobs.start(() => startJournalStage(state.journal, logger, () => {
    processing.wake();
    pokeReport();
  }));
  const spool = await jobs.start(() => startSpoolLoop({
    dir: install.paths.spoolDir, secret: install.keys.secret, journal: state.journal, events, logger, onStored: processing.wake,
  }));

  filter.refresh();
  await jobs.start(() => startCaptureEndpoint({
    socketPath: config.socketPath,
    secret: install.keys.secret,
    bridgeVersion: parseVersion(opts.version ?? packageVersion()),
    events,
    logger,
    filter,
    peerUid: (fd) => platform.peerUid(fd),
    limits: opts.captureLimits ?? DEFAULT_CAPTURE_LIMITS,
    onChange: journaling.accept,
    onHeartbeat: watchCaptureHeartbeats(events),
  }));
  // At start, on changes (capture batches, journal progress, reconcile passes), and every minute.
  report = await jobs.start(() => startMachineReport({
    vault,
    read: () => ({ name: config.machine, client: config.client, filterState: filter.current().state, journalDepth: state.journal.depth() }),
    logger,
    onDelivered: () => access.accepted(),
  }));
  const reconcile = await jobs.start(() => startReconcileTimer(install, pokeReport, processing.wake));
  await jobs.start(() => startJournalPurge(state.journal, config.maxEventAgeMs, logger));

  processing.resumeLeftovers();
  events.record({ kind: 'service-started', outcome: 'info', reason: `listening on ${config.socketPath}; client "${config.client}"; filter ${filter.current().state}` });
  if (config.hub && vault instanceof HttpVault) await jobs.start(() => startPushDown(vault, reconcile.passNow, logger));

  const machineReport = report;
  return {
    socketPath: config.socketPath,
    reconcileNow: reconcile.passNow,
    drain: () => processing.processor.drain(),
    drainSpool: spool.drainNow,
    reportMachine: () => machineReport.reportNow(),
    async stop() {
      await jobs.stopAll();
      events.record({ kind: 'service-stopped', outcome: 'info' });
    },
  };
}
