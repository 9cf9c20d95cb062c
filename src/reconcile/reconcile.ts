import { randomBytes } from 'node:crypto';
import { defer, type Observable } from 'rxjs';
import { safeMessage } from '../pipeline/password';
import { serialPerKey } from '../pipeline/serial-per-key';
import { checkOne } from './check-one';
import { carryOutResolutions } from './conflict-resolutions';
import { memoVerdict, type Verdict } from './memo-verdict';
import { selectTargets } from './select';
import type { ReconcileDeps, ReconcileItem, ReconcileOptions, ReconcileReport, Target } from './types';

const MIN_INTERVAL_MS = 10_000;
const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout/setInterval overflow (and fire at once) above this

/** An error message for an unusable reconcile interval, or undefined when it is fine. */
export function validateReconcileInterval(ms: unknown): string | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || !Number.isInteger(ms)) return 'reconcile interval must be a whole number of milliseconds';
  if (ms < MIN_INTERVAL_MS) return `reconcile interval must be at least ${MIN_INTERVAL_MS} ms (each pass may verify passwords)`;
  if (ms >= MAX_TIMER_MS) return `reconcile interval must be below ${MAX_TIMER_MS} ms (about 24.8 days; Node timers overflow above it)`;
  return undefined;
}

const emptyReport = (reason?: string): ReconcileReport =>
  ({ checked: 0, unchanged: 0, matched: 0, flagged: 0, cleared: 0, set: 0, failed: 0, skipped: 0, durationMs: 0, reason, items: [] });

/**
 * One reconcile pass for this machine's client. Reads the credentials, the local accounts and the memos
 * once each; unchanged credentials are settled in a synchronous loop; the rest are checked one at a time
 * (each may spawn chpasswd or call netapi, and a burst of failed verifications is what lockout counts).
 * Never rejects: a failure to read the inputs is the report's `reason` and an event.
 */
export async function reconcileOnce(deps: ReconcileDeps, opts: ReconcileOptions): Promise<ReconcileReport> {
  // One pass at a time across processes (the service's timer, `pwbridge reconcile --once`): two passes at
  // once could each verify the same credential, two failed logons where the memo allows one.
  const holder = `${process.pid}:${randomBytes(6).toString('hex')}`;
  const waitUntil = Date.now() + (opts.leaseWaitMs ?? 60_000);
  for (;;) {
    let got: boolean;
    try {
      got = deps.state.tryLease(LEASE, holder, LEASE_TTL_MS);
    } catch (err) {
      deps.events.record({ kind: 'reconcile-error', outcome: 'failed', reason: `taking the reconcile lease: ${safeMessage(err)}` });
      return emptyReport(`could not take the reconcile lease: ${safeMessage(err)}`);
    }
    if (got) break;
    if (Date.now() >= waitUntil) {
      deps.events.record({ kind: 'reconcile-skipped', outcome: 'skipped', reason: 'another reconcile pass is still running' });
      return emptyReport('another reconcile pass is still running (the service or another reconcile --once)');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await reconcilePass(deps, opts);
  } finally {
    try { deps.state.releaseLease(LEASE, holder); } catch { /* it expires on its own (LEASE_TTL_MS) */ }
  }
}

/** The lease's name, and how long it protects a holder that died without releasing it. */
const LEASE = 'reconcile';
const LEASE_TTL_MS = 15 * 60_000;

async function reconcilePass(deps: ReconcileDeps, opts: ReconcileOptions): Promise<ReconcileReport> {
  const started = opts.now();
  const finish = (report: ReconcileReport): ReconcileReport => {
    report.durationMs = opts.now() - started;
    const { items: _items, ...summary } = report;
    try { deps.state.setValue('lastReconcile', { at: started, ...summary }); } catch { /* a summary is not worth failing the pass */ }
    return report;
  };

  let targets: Target[];
  let skippedItems: ReconcileItem[];
  let memos;
  try {
    const client = await deps.vault.getClient(opts.client);
    if (!client) return finish(skippedPass(deps, `client '${opts.client}' not in the vault`));
    if (!client.windowsSync) return finish(skippedPass(deps, 'client windows sync off'));
    const [credentials, accounts] = await Promise.all([deps.vault.listCredentials(client.name), deps.accounts.listAccounts()]);
    memos = deps.state.allMemos();
    ({ targets, skipped: skippedItems } = selectTargets(credentials, accounts, opts.machine, opts.exclusions));
  } catch (err) {
    deps.events.record({ kind: 'reconcile-error', outcome: 'failed', reason: `reading inputs: ${safeMessage(err)}` });
    return finish(emptyReport(`could not read inputs: ${safeMessage(err)}`));
  }

  // The hub's conflict choices first: a "keep the vault's" sets its credential here, and the loop below skips it.
  const resolved = await carryOutResolutions(deps, opts, targets);

  const report = emptyReport();
  report.items = skippedItems;
  report.skipped = skippedItems.length;
  const work: Array<[Target, Exclude<Verdict, 'unchanged'>]> = [];
  for (const t of targets) {
    report.checked++;
    if (resolved.has(t.credential.id)) {
      report.set++;
      report.items.push({ credential: t.credential.id, username: t.credential.username, account: t.account.name, action: 'set' });
      continue;
    }
    const verdict = memoVerdict(t.credential, t.account, memos.get(t.credential.id));
    if (verdict === 'unchanged') {
      report.unchanged++;
      report.items.push({ credential: t.credential.id, username: t.credential.username, account: t.account.name, action: 'unchanged' });
    } else {
      work.push([t, verdict]);
    }
  }

  for (const [t, verdict] of work) {
    const item: ReconcileItem = { credential: t.credential.id, username: t.credential.username, account: t.account.name, action: 'failed' };
    report.items.push(item);
    if (deps.journal && hasPending(deps, t.account.name)) {
      // A captured change for this account is on its way to the vault: verifying now would fail (and
      // in change mode, undo the user's change). The next pass sees the new vault version.
      item.action = 'pending-capture';
      report.checked--;
      report.skipped++;
      continue;
    }
    const r = await checkOne(t, verdict, deps, opts);
    item.action = r.action;
    if (r.cleared) report.cleared++;
    if (r.action === 'matched') report.matched++;
    else if (r.action === 'flagged') report.flagged++;
    else if (r.action === 'set') report.set++;
    else if (r.action === 'failed') report.failed++;
  }
  return finish(report);
}

function hasPending(deps: ReconcileDeps, account: string): boolean {
  try {
    return (deps.journal?.pendingFor(account).length ?? 0) > 0;
  } catch {
    return false;
  }
}

function skippedPass(deps: ReconcileDeps, reason: string): ReconcileReport {
  deps.events.record({ kind: 'reconcile-skipped', outcome: 'skipped', reason });
  return emptyReport(reason);
}

/**
 * One reconciler per bridge: `once()` (the CLI's "reconcile now") and `stream()` (the interval) share a
 * queue, so a manual pass never overlaps an interval pass. `stream` runs one pass at a time, and triggers
 * that arrive during a pass fold into one more pass after it: "reconcile now" is never lost, and a burst of
 * triggers costs two passes, not one per trigger. Two overlapping passes could both verify the
 * same credential before either writes its memo: two failed logons where the lockout rule allows one.
 */
export function createReconciler(deps: ReconcileDeps, opts: ReconcileOptions) {
  let tail: Promise<unknown> = Promise.resolve();
  const once = (): Promise<ReconcileReport> => {
    const p = tail.then(() => reconcileOnce(deps, opts));
    tail = p.catch(() => undefined);
    return p;
  };
  const stream = (trigger$: Observable<unknown>): Observable<ReconcileReport> =>
    trigger$.pipe(
      serialPerKey<unknown, ReconcileReport>({
        key: () => 'reconcile',
        work: () => defer(once),
        concurrency: 1,
        coalesce: true,
        onError: (_t, err) => {
          deps.events.record({ kind: 'reconcile-error', outcome: 'failed', reason: safeMessage(err) });
          return undefined;
        },
      }),
    );
  return { once, stream };
}
