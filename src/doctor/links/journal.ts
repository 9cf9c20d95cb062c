// The journal between capture and vault: how many changes wait, how long the oldest has, and the dead
// letters (changes that kept failing past maxEventAge, kept so they can be sent again once fixed).
import { fixesFor } from '../fixes';
import { asAdmin, deniedAccess, verdict, type DoctorContext, type LinkVerdict } from '../link';

/** A change still waiting after this long is more than a vault round trip or a retry: worth a look. */
export const STUCK_AFTER_MS = 5 * 60_000;

export function journal(ctx: DoctorContext): LinkVerdict {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  let db;
  try {
    db = ctx.state();
  } catch (e) {
    if (!deniedAccess(e)) throw e;
    return verdict('not-checked', `cannot read ${ctx.paths.stateDb} (${(e as NodeJS.ErrnoException).code}): run doctor ${asAdmin(ctx.machine.os)}`);
  }
  if (!db) return verdict('broken', 'there is no journal: the service has never run with this data dir', [`${ctx.paths.stateDb} does not exist`], fix.startService);
  const depth = db.journal.depth();
  const dead = db.journal.deadLetters(100);
  const oldest = depth > 0 ? db.journal.due(Number.MAX_SAFE_INTEGER, 1)[0] : undefined;
  const evidence = [`${depth} pending${oldest ? `, the oldest received ${new Date(oldest.receivedAt).toISOString()} (${oldest.attempts} attempts${oldest.lastError ? `, last error: ${oldest.lastError}` : ''})` : ''}`,
    `${dead.length}${dead.length === 100 ? ' or more' : ''} dead letters`,
    ...dead.slice(0, 5).map((d) => `dead: ${d.eventId} ${d.account} received ${new Date(d.receivedAt).toISOString()}: ${d.outcome ?? d.lastError ?? ''}`)];
  if (dead.length > 0) {
    return verdict('broken', `${dead.length} captured change${dead.length === 1 ? '' : 's'} never reached the vault (dead letters)`, evidence,
      `${fix.cli('journal dead')}, fix the cause it names, then ${fix.cli('journal requeue --all')}`);
  }
  if (oldest && ctx.now() - oldest.receivedAt > STUCK_AFTER_MS) {
    return verdict('warning', `${depth} change${depth === 1 ? '' : 's'} waiting, the oldest for ${Math.round((ctx.now() - oldest.receivedAt) / 60_000)} min: the vault does not take them`, evidence,
      'see the vault link; they go out by themselves once it is ok');
  }
  return verdict('ok', depth === 0 ? 'nothing waiting, no dead letters' : `${depth} waiting (recent), no dead letters`, evidence);
}
