import { Subject, timer, type Subscription } from 'rxjs';
import { serveCaptureConnection, socketFd, type CaptureSocket } from '../channel/capture-connection';
import { listenCaptureEndpoint, type CaptureServer } from '../channel/socket-listener';
import { createJournalProcessor, type JournalProcessor } from '../pipeline';
import { CaptureKind, formatVersion } from '../protocol/constants';
import { spoolKey } from '../protocol/keys';
import { Opener } from '../protocol/seal';
import { HttpVault, HubAccessError } from '../vault/http.vault';
import { createReconciler, type ReconcileReport } from '../reconcile';
import { reconcileSetup, type Install } from './install';
import { batchPerTick, journalStage, type Accepted } from './journal-stage';
import { drainSpool, type SpoolDrainResult } from './spool-drain';
import { SPOOL_WARN_THRESHOLD, spoolThresholdWatch } from './spool-threshold';
import { watchHubAccess } from './hub-access-watch';
import { startEventDelivery } from './event-delivery';
import { startMachineReport, type MachineReporter } from './machine-report';

/** How soon after start the first reconcile pass runs (or the interval, when that is shorter). */
const FIRST_RECONCILE_MS = 30_000;
/** How often the capture spool is drained after the drain at start (docs/protocol.md "Spool"). */
const SPOOL_DRAIN_MS = 30_000;
/** Push-down: how long one GET /api/changes waits on the hub, and the backoff after a failed one. */
const PUSH_WAIT_MS = 25_000;
const PUSH_BACKOFF_MIN_MS = 1_000;
const PUSH_BACKOFF_MAX_MS = 60_000;

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

/**
 * The running service: capture endpoint → journal (durable, then ack) → journal processor → vault,
 * and reconcile on its interval. Starting also drains whatever the journal held from before a crash.
 */
export async function startBridge(install: Install): Promise<Bridge> {
  const { config, state, vault, events, logger, filter, platform } = install;
  const opener = new Opener(install.keys.privateKey);
  const accepted$ = new Subject<Accepted>();
  const wake$ = new Subject<void>();

  const processor: JournalProcessor = createJournalProcessor(
    {
      journal: state.journal,
      vault,
      echo: state.echo,
      events,
      open: (entry) => opener.open(entry.sealed, Buffer.from(entry.eventId, 'hex'), Buffer.from(entry.account, 'utf8'), entry.encoding as 1 | 2),
      filterActive: () => filter.isActive(),
      filterState: () => filter.current().state,
    },
    {
      machine: config.machine,
      client: config.client,
      serviceAccount: config.serviceAccount,
      exclude: config.excludeAccounts,
      concurrency: config.concurrency,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
      maxEventAgeMs: config.maxEventAgeMs,
      echoTtlMs: config.echoTtlMs,
      now: Date.now,
    },
  );
  const subs: Subscription[] = [processor.run(wake$)];
  const eventDelivery = startEventDelivery({ delivery: events.delivery, logger, retryBaseMs: config.retryBaseMs, retryMaxMs: config.retryMaxMs });

  // The hub's refusal of the agent token: reported once, held entries kept, resumed when it takes it again.
  const access = watchHubAccess(vault instanceof HttpVault ? vault.access : undefined, {
    store: state.state, journal: state.journal, events, logger, wake: () => wake$.next(),
  });
  // This machine's row in the vault (the hub's dashboard): started once the endpoint serves (below).
  let reporter: MachineReporter | undefined;
  subs.push(processor.outcomes$.subscribe(() => reporter?.poke()));

  subs.push(
    accepted$
      .pipe(batchPerTick(), journalStage(state.journal, (err, count) => {
        logger.error({ err: { message: err.message }, count }, 'journal append failed: events not acked, captures will re-send');
      }))
      .subscribe((stored) => {
        if (stored > 0) {
          wake$.next();
          reporter?.poke();
        }
      }),
  );

  // The capture spool: drained once before the endpoint accepts anything, so events a capture could not
  // deliver are journaled ahead of any newer live one, then on a timer. One pass at a time.
  const kSpool = spoolKey(install.keys.secret);
  let spoolPass: Promise<unknown> = Promise.resolve();
  let spoolClosed = false;
  const drainSpoolNow = (): Promise<SpoolDrainResult> => {
    const pass = spoolPass.then(async () => {
      // Stopped: the key is wiped (every record would fail its tag) and the journal is closing.
      if (spoolClosed) return { stored: 0, duplicate: 0, refused: 0 };
      const r = await drainSpool({ dir: install.paths.spoolDir, key: kSpool, journal: state.journal, events, logger });
      if (r.stored > 0) {
        events.record({ kind: 'spool-drained', outcome: 'info', reason: `spool: ${r.stored} stored, ${r.duplicate} duplicate, ${r.refused} refused` });
        wake$.next();
      }
      return r;
    });
    spoolPass = pass.catch(() => undefined);
    return pass;
  };
  await drainSpoolNow();
  subs.push(timer(SPOOL_DRAIN_MS, SPOOL_DRAIN_MS).subscribe(() => void drainSpoolNow().catch(() => undefined)));

  filter.refresh();
  // Who may connect: root (passwd, chpasswd, sshd run the PAM module as root; lsass is SYSTEM) and this
  // service's own user. The socket directory's 0700 already keeps others out; this holds if it ever did not.
  const allowedUids = new Set([0, process.getuid?.() ?? 0]);
  const refusePeer = (socket: CaptureSocket): string | undefined => {
    const fd = socketFd(socket);
    // A named pipe: the addon checked the client's token before handing it over (onRefused below).
    if (fd === undefined) return undefined;
    const uid = platform.peerUid(fd);
    if (uid === undefined) return 'the OS did not say who the peer is (SO_PEERCRED failed)';
    return allowedUids.has(uid) ? undefined : `peer uid ${uid} is neither root nor the service's user`;
  };
  const sockets = new Set<CaptureSocket>();
  const watchSpool = spoolThresholdWatch(SPOOL_WARN_THRESHOLD, (spooled) => events.record({
    kind: 'spool-over-threshold', outcome: 'info',
    reason: `the capture reports ${spooled} events waiting in its spool (threshold ${SPOOL_WARN_THRESHOLD}); they are delivered as the service takes them`,
  }));
  // A heartbeat's `dropped` counts since the capture loaded; one drop must be one event, not one per
  // heartbeat until the next reboot. Keyed by the capture's session id (one per load of the module).
  const droppedSeen = new Map<string, number>();
  // One wording for every refusal, whoever refused: the connection handler or the pipe itself.
  const onRefused = (reason: string, detail: string, peer: string) =>
    events.record({ kind: 'frame-refused', outcome: 'refused', reason: `${reason}: ${detail} (${peer})` });
  const onConnection = (socket: CaptureSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let session = '';
    serveCaptureConnection(socket, {
      secret: install.keys.secret,
      refusePeer,
      onHello: (h) => {
        if (h.kind === CaptureKind.selftest) {
          events.record({ kind: 'selftest', outcome: 'ok', reason: 'a self-test connected and the bridge proved the install secret' });
          return;
        }
        session = h.sessionId.toString('hex');
        const kind = Object.entries(CaptureKind).find(([, code]) => code === h.kind)?.[0] ?? `kind ${h.kind}`;
        filter.onHello({ kind, version: formatVersion(h.captureVersion), bootId: h.bootId.toString('hex'), at: Date.now() });
      },
      onChange: (a) => accepted$.next(a),
      onRefused,
      onHeartbeat: (h) => {
        watchSpool(h.spooled);
        const before = droppedSeen.get(session) ?? 0;
        if (h.dropped > before) {
          if (droppedSeen.size >= 1024 && !droppedSeen.has(session)) droppedSeen.clear(); // bounded: old sessions are long gone
          droppedSeen.set(session, h.dropped);
          events.record({ kind: 'capture-dropped', outcome: 'failed', reason: `the capture could not keep ${h.dropped - before} events (queue or spool full, or a spool file set aside; ${h.dropped} since it loaded)` });
        }
      },
    });
  };
  let server: CaptureServer;
  try {
    server = await listenCaptureEndpoint(config.socketPath, onConnection, { onRefused });
  } catch (err) {
    // Nothing may keep running when the endpoint cannot be had (another bridge serves it): exit promptly.
    for (const sub of subs) sub.unsubscribe();
    accepted$.complete();
    spoolClosed = true;
    await spoolPass;
    kSpool.fill(0);
    opener.close();
    throw err;
  }
  server.on('error', (err) => logger.error({ err: { message: err.message } }, 'capture endpoint error'));

  // At start, on changes (capture batches, journal progress, reconcile passes), and every minute.
  const machineReport = startMachineReport({
    vault,
    read: () => ({ name: config.machine, client: config.client, filterState: filter.current().state, journalDepth: state.journal.depth() }),
    logger,
    onDelivered: () => access.accepted(),
  });
  reporter = machineReport;

  // One reconciler: timed and on-demand passes share its queue, so two passes never verify the same
  // credential at once (two failed logons where one was allowed).
  const { deps: reconcileDeps, opts: reconcileOpts } = reconcileSetup(install);
  const reconciler = createReconciler(reconcileDeps, reconcileOpts);
  subs.push(
    // The first pass soon after start (status should not say "never" for a whole interval), then on the interval.
    reconciler.stream(timer(Math.min(config.reconcileIntervalMs, FIRST_RECONCILE_MS), config.reconcileIntervalMs)).subscribe({
      next: () => machineReport.poke(),
      error: (err: Error) => logger.error({ err: { message: err.message } }, 'reconcile stream ended'),
    }),
  );

  // Finished journal rows (their sealed part already emptied) are kept a while for `status` and audits,
  // then purged: hourly, those older than maxEventAge or a day, whichever is longer. A purged event id
  // that a capture re-sent would be accepted again, but the vault applies each event id once.
  const keepMs = Math.max(config.maxEventAgeMs, 86_400_000);
  subs.push(
    timer(0, 3_600_000).subscribe(() => {
      try {
        const n = state.journal.purgeFinished(Date.now() - keepMs);
        if (n > 0) logger.info({ purged: n }, 'journal: purged finished entries');
      } catch (err) {
        logger.error({ err: { message: (err as Error).message } }, 'journal purge failed');
      }
    }),
  );

  wake$.next(); // whatever the journal held when the last run stopped
  // …and entries still waiting out a backoff from before the restart: wake when the first falls due,
  // rather than at the processor's slow safety poll.
  const nextDue = state.journal.nextDueAt();
  if (nextDue !== undefined && nextDue > Date.now()) subs.push(timer(nextDue - Date.now() + 5).subscribe(() => wake$.next()));
  events.record({ kind: 'service-started', outcome: 'info', reason: `listening on ${config.socketPath}; client "${config.client}"; filter ${filter.current().state}` });

  const reconcileNow = async (): Promise<ReconcileReport> => {
    const r = await reconciler.once();
    machineReport.poke();
    return r;
  };

  // Push-down (hub only): one long poll open at a time; a change that matters to this machine runs one
  // reconcile pass at once instead of at the next interval. Every (re)connect runs one pass too, so a
  // machine that was offline catches up when it returns. Errors back off, doubling up to a minute.
  const pushAbort = new AbortController();
  let pushLoop: Promise<void> = Promise.resolve();
  if (config.hub && vault instanceof HttpVault) {
    const hubVault = vault;
    const sleep = (ms: number) => new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      pushAbort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    pushLoop = (async () => {
      let cursor = '';
      let backoff = PUSH_BACKOFF_MIN_MS;
      while (!pushAbort.signal.aborted) {
        let answer: { cursor: string; changed: boolean };
        try {
          answer = await hubVault.waitForChanges(cursor, PUSH_WAIT_MS, pushAbort.signal);
        } catch (err) {
          if (pushAbort.signal.aborted) break;
          cursor = ''; // the next answer is a (re)connect: one pass then
          if (err instanceof HubAccessError) {
            // The token is refused: the gate logged why and holds requests back; look again at the slowest pace.
            backoff = PUSH_BACKOFF_MAX_MS;
          } else {
            logger.warn({ err: { message: (err as Error).message }, retryMs: backoff }, 'push-down: no answer from the hub; retrying');
          }
          await sleep(backoff);
          backoff = Math.min(backoff * 2, PUSH_BACKOFF_MAX_MS);
          continue;
        }
        backoff = PUSH_BACKOFF_MIN_MS;
        const connected = cursor === '';
        cursor = answer.cursor;
        if ((connected || answer.changed) && !pushAbort.signal.aborted) {
          logger.info({ reason: connected ? 'connected' : 'changed' }, 'push-down: reconcile pass');
          await reconcileNow().catch((err) => logger.error({ err: { message: (err as Error).message } }, 'push-down: reconcile pass failed'));
        }
      }
    })();
  }

  return {
    socketPath: config.socketPath,
    reconcileNow,
    drain: () => processor.drain(),
    drainSpool: drainSpoolNow,
    reportMachine: () => machineReport.reportNow(),
    async stop() {
      pushAbort.abort();
      await pushLoop; // a pass it started finishes first
      await machineReport.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy(); // un-acked events stay with their captures
      await closed;
      accepted$.complete();
      for (const s of subs) s.unsubscribe();
      spoolClosed = true;
      await spoolPass; // a pass under way finishes before the journal closes
      kSpool.fill(0);
      opener.close();
      events.record({ kind: 'service-stopped', outcome: 'info' });
      await eventDelivery.stop(); // what is left goes with the shutdown's flush, or at the next start
    },
  };
}
