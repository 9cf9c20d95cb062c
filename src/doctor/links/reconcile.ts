// The last reconcile pass: when, what it found, what failed. The service runs one soon after start and then
// every reconcileInterval, so a pass much older than that means the service is not running them.
import type { ReconcileReport } from '../../reconcile/types';
import { fixesFor } from '../fixes';
import { asAdmin, deniedAccess, verdict, type DoctorContext, type LinkVerdict } from '../link';

/** As reconcile.ts keeps it in state.db: the report without its items, and when the pass started. */
type ReconcileSummary = Omit<ReconcileReport, 'items'> & { at: number };

export function reconcile(ctx: DoctorContext): LinkVerdict {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  let last: ReconcileSummary | undefined;
  try {
    last = ctx.state()?.state.getValue<ReconcileSummary>('lastReconcile');
  } catch (e) {
    if (!deniedAccess(e)) throw e;
    return verdict('not-checked', `cannot read ${ctx.paths.stateDb} (${(e as NodeJS.ErrnoException).code}): run doctor ${asAdmin(ctx.machine.os)}`);
  }
  if (!last) return verdict('warning', 'no reconcile pass has run yet', [], fix.cli('reconcile --once'));
  const evidence = [`${new Date(last.at).toISOString()}: ${last.checked} checked, ${last.unchanged} unchanged, ${last.flagged} flagged, ${last.cleared} cleared, ${last.set} set, ${last.failed} failed, ${last.skipped} skipped (${last.durationMs} ms)`];
  if (last.reason) evidence.push(`the pass did nothing: ${last.reason}`);
  if (last.failed > 0) {
    return verdict('broken', `the last pass failed for ${last.failed} credential${last.failed === 1 ? '' : 's'}`, evidence,
      `${fix.cli(`events --kind reconcile-error --since ${sinceOf(ctx.now() - last.at)}`)} names each, then ${fix.cli('reconcile --once')}`);
  }
  const age = ctx.now() - last.at;
  if (age > 3 * ctx.config.reconcileIntervalMs) {
    return verdict('warning', `the last pass was ${Math.round(age / 60_000)} min ago, and passes are due every ${Math.round(ctx.config.reconcileIntervalMs / 60_000)} min`, evidence,
      `see the service link; ${fix.cli('reconcile --once')} runs one now`);
  }
  return verdict('ok', 'the last pass found nothing it could not handle', evidence);
}

/** `events --since` as a whole number of hours (at least 1), covering the pass. */
const sinceOf = (ms: number): string => `${Math.max(1, Math.ceil(ms / 3_600_000) + 1)}h`;
