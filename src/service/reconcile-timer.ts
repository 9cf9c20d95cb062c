/**
 * Reconcile passes while the service runs: the first soon after start (status should not say "never" for
 * a whole interval), then on the interval, and on demand. One reconciler: timed and on-demand passes share
 * its queue, so two passes never verify the same credential at once (two failed logons where one was allowed).
 */
import { timer } from 'rxjs';
import { createReconciler, type ReconcileReport } from '../reconcile';
import { reconcileSetup, type Install } from './install';

/** How soon after start the first reconcile pass runs (or the interval, when that is shorter). */
const FIRST_RECONCILE_MS = 30_000;

export interface ReconcileTimer {
  /** One pass now (the interval goes on). */
  passNow(): Promise<ReconcileReport>;
  stop(): void;
}

/** `onPass`: after every pass, timed or not (the machine report has news). `wakeJournal`: a conflicted capture is to be sent again. */
export function startReconcileTimer(install: Install, onPass: () => void, wakeJournal?: () => void): ReconcileTimer {
  const { config, logger } = install;
  const { deps, opts } = reconcileSetup(install, wakeJournal);
  const reconciler = createReconciler(deps, opts);
  const sub = reconciler.stream(timer(Math.min(config.reconcileIntervalMs, FIRST_RECONCILE_MS), config.reconcileIntervalMs)).subscribe({
    next: () => onPass(),
    error: (err: Error) => logger.error({ err: { message: err.message } }, 'reconcile stream ended'),
  });
  return {
    async passNow() {
      const r = await reconciler.once();
      onPass();
      return r;
    },
    stop: () => sub.unsubscribe(),
  };
}
