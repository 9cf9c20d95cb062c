import type * as net from 'node:net';
import { Subject, interval, merge, type Subscription } from 'rxjs';
import { serveCaptureConnection } from '../channel/capture-connection';
import { listenCaptureEndpoint } from '../channel/socket-listener';
import { createJournalProcessor, type JournalProcessor } from '../pipeline';
import { CaptureKind } from '../protocol/constants';
import { Opener } from '../protocol/seal';
import { reconcileOnce, reconcile$, type ReconcileReport } from '../reconcile';
import type { Install } from './install';
import { batchPerTick, journalStage, type Accepted } from './journal-stage';

export interface Bridge {
  readonly socketPath: string;
  /** One reconcile pass now (the interval goes on). */
  reconcileNow(): Promise<ReconcileReport>;
  /** Process every due journal entry (tests and the bench wait on this). */
  drain(): Promise<void>;
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

  subs.push(
    accepted$
      .pipe(batchPerTick(), journalStage(state.journal, (err, count) => {
        logger.error({ err: { message: err.message }, count }, 'journal append failed: events not acked, captures will re-send');
      }))
      .subscribe((stored) => {
        if (stored > 0) wake$.next();
      }),
  );

  filter.refresh();
  const sockets = new Set<net.Socket>();
  const server: net.Server = await listenCaptureEndpoint(config.socketPath, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveCaptureConnection(socket, {
      secret: install.keys.secret,
      onHello: (h) => {
        const kind = Object.entries(CaptureKind).find(([, code]) => code === h.kind)?.[0] ?? `kind ${h.kind}`;
        const v = h.captureVersion;
        filter.onHello({ kind, version: `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`, bootId: h.bootId.toString('hex'), at: Date.now() });
      },
      onChange: (a) => accepted$.next(a),
      onRefused: (reason, detail, peer) => events.record({ kind: 'frame-refused', outcome: 'refused', reason: `${reason}: ${detail} (${peer})` }),
      onHeartbeat: (h) => {
        if (h.dropped > 0) events.record({ kind: 'capture-dropped', outcome: 'failed', reason: `the capture could not keep ${h.dropped} events (queue and spool full)` });
      },
    });
  });
  server.on('error', (err) => logger.error({ err: { message: err.message } }, 'capture endpoint error'));

  const reconcileDeps = { vault, accounts: platform.accounts, state: state.state, echo: state.echo, events, journal: state.journal };
  const reconcileOpts = { machine: config.machine, client: config.client, echoTtlMs: config.echoTtlMs, now: Date.now };
  const manual$ = new Subject<void>();
  subs.push(
    reconcile$(merge(interval(config.reconcileIntervalMs), manual$), reconcileDeps, reconcileOpts).subscribe({
      next: (r) => recordMachine(install, r).catch(() => undefined),
      error: (err: Error) => logger.error({ err: { message: err.message } }, 'reconcile stream ended'),
    }),
  );

  wake$.next(); // whatever the journal held when the last run stopped
  events.record({ kind: 'service-started', outcome: 'info', reason: `listening on ${config.socketPath}; client "${config.client}"; filter ${filter.current().state}` });

  return {
    socketPath: config.socketPath,
    reconcileNow: async () => {
      const r = await reconcileOnce(reconcileDeps, { ...reconcileOpts, now: Date.now });
      await recordMachine(install, r);
      return r;
    },
    drain: () => processor.drain(),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy(); // un-acked events stay with their captures
      await closed;
      accepted$.complete();
      for (const s of subs) s.unsubscribe();
      opener.close();
      events.record({ kind: 'service-stopped', outcome: 'info' });
    },
  };
}

async function recordMachine(install: Install, r: ReconcileReport): Promise<void> {
  install.state.state.setValue('lastReconcile', { ...r, items: undefined, at: Date.now() });
  await install.vault.recordMachine({
    name: install.config.machine,
    client: install.config.client,
    filterState: install.filter.current().state,
    journalDepth: install.state.journal.depth(),
  });
}
