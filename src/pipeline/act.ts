import { catchError, concatMap, defer, from, of, type Observable } from 'rxjs';
import type { Credential } from '../domain/types';
import type { JournalEntry } from '../ports/journal.port';
import { VaultConflictError, VaultInputError, VaultNotFoundError, VaultPolicyError, VaultRefusedError } from '../ports/vault.port';
import type { Outcome, StageContext } from './deps';
import type { Classified, Decision } from './classify';
import { recordFor } from './record';
import { safeMessage, wipe } from './password';
import { backoffDelay } from './retry';

/**
 * Decision → vault write, journal state and one event. Every path ends in exactly one of: markDone,
 * markSuperseded (earlier stage), markRetry, markDead, each with an event traced by the event id.
 * The password is wiped when the item is finished, whatever happened.
 */
export function act(classified$: Observable<Classified>, ctx: StageContext): Observable<Outcome> {
  return classified$.pipe(
    concatMap((item) =>
      defer(() => from(perform(item, ctx))).pipe(
        catchError((err) => {
          // The journal itself failed (disk, lock): the entry stays pending and is picked up again;
          // the vault write, if any, is idempotent per event id, so the second pass has no second effect.
          recordFor(ctx, item.entry, 'pipeline-error', 'failed', safeMessage(err));
          return of<Outcome>({ eventId: item.entry.eventId, account: item.entry.account, result: 'error' });
        }),
      ),
    ),
  );
}

async function perform(item: Classified, ctx: StageContext): Promise<Outcome> {
  try {
    return await apply(item.entry, item.decision, item.password, ctx);
  } finally {
    wipe(item.password);
  }
}

async function apply(entry: JournalEntry, d: Decision, password: Buffer | undefined, ctx: StageContext): Promise<Outcome> {
  const { journal, vault } = ctx.deps;
  const out = (result: Outcome['result'], credentialId?: number): Outcome => ({ eventId: entry.eventId, account: entry.account, result, credentialId });

  switch (d.type) {
    case 'skip':
      if (d.journal === 'dead') journal.markDead(entry.eventId, d.reason);
      else journal.markDone(entry.eventId, d.journal);
      recordFor(ctx, entry, d.kind, d.outcome, d.reason, d.credentialId);
      return out(d.result, d.credentialId);

    case 'conflict':
      return flagConflict(entry, d.credentialId, d.reason, ctx);

    case 'take':
      return take(entry, d.credential, password as Buffer, ctx);

    case 'fail':
      return failed(entry, d.error, ctx, d.cause);

    case 'sync': {
      const cred = d.credential;
      let r;
      try {
        r = await vault.setPasswordFromCapture(cred.id, password as Buffer, cred.version, entry.eventId, entry.capturedAt,
          { kind: 'capture', machine: ctx.options.machine });
      } catch (err) {
        if (err instanceof VaultConflictError) {
          return flagConflict(entry, cred.id, `vault moved to version ${err.actual} while pushing a change based on version ${err.expected}`, ctx);
        }
        if (err instanceof VaultPolicyError) return refusedByPolicy(entry, safeMessage(err, password), ctx, cred.id);
        return failed(entry, safeMessage(err, password), ctx, err);
      }
      if (!r.applied) return duplicate(entry, cred.id, ctx);
      journal.markDone(entry.eventId, 'synced');
      dropOlderConflicted(entry, ctx);
      recordFor(ctx, entry, 'change-synced', 'ok', `vault version ${r.credential.version}`, cred.id);
      return out('synced', cred.id);
    }

    case 'create': {
      const username = `${ctx.options.machine}\\${entry.account}`;
      let r;
      try {
        r = await vault.createFromCapture(
          { client: d.client.name, username, password: password as Buffer, windowsSync: true, mode: d.client.defaultMode },
          entry.eventId,
          entry.capturedAt,
          { kind: 'capture', machine: ctx.options.machine },
        );
      } catch (err) {
        if (err instanceof VaultConflictError) {
          return flagConflict(entry, err.credentialId, 'credential appeared in the vault while creating it', ctx);
        }
        if (err instanceof VaultPolicyError) return refusedByPolicy(entry, safeMessage(err, password), ctx);
        return failed(entry, safeMessage(err, password), ctx, err);
      }
      if (!r.applied) return duplicate(entry, r.credential.id, ctx);
      journal.markDone(entry.eventId, 'created');
      dropOlderConflicted(entry, ctx);
      recordFor(ctx, entry, 'credential-created', 'ok', `${username}, mode ${d.client.defaultMode}`, r.credential.id);
      return out('created', r.credential.id);
    }
  }
}

/**
 * A conflicted capture a person chose on the hub, sent over the conflict. The vault takes it only while
 * that choice stands for this very capture; when it no longer does (the choice was changed to the vault's,
 * or a newer conflict replaced it), the capture is closed here and the hub's conflict stays for a person.
 */
async function take(entry: JournalEntry, cred: Credential,
  password: Buffer, ctx: StageContext): Promise<Outcome> {
  const out = (result: Outcome['result']): Outcome => ({ eventId: entry.eventId, account: entry.account, result, credentialId: cred.id });
  let r;
  try {
    r = await ctx.deps.vault.takeConflictedCapture(cred.id, password, entry.eventId, ctx.options.machine);
  } catch (err) {
    if (err instanceof VaultInputError || err instanceof VaultNotFoundError) {
      ctx.deps.journal.markDone(entry.eventId, 'conflict-take-refused');
      recordFor(ctx, entry, 'conflict-capture-sent', 'refused', `the vault no longer takes this capture: ${safeMessage(err, password)}`, cred.id);
      return out('refused');
    }
    return failed(entry, safeMessage(err, password), ctx, err);
  }
  if (!r.applied) return duplicate(entry, cred.id, ctx);
  ctx.deps.journal.markDone(entry.eventId, 'conflict-taken');
  recordFor(ctx, entry, 'conflict-capture-sent', 'ok', `conflicted capture sent again as chosen on the hub; vault version ${r.credential.version}`, cred.id);
  return out('synced');
}

/** Conflicted captures of the account older than one the vault just took would put an older password back: wiped. */
function dropOlderConflicted(entry: JournalEntry, ctx: StageContext): void {
  for (const old of ctx.deps.journal.conflicted(entry.account)) {
    if (old.eventId === entry.eventId || old.capturedAt > entry.capturedAt) continue;
    if (ctx.deps.journal.dropConflicted(old.eventId, `superseded by ${entry.eventId}`)) {
      recordFor(ctx, old, 'change-superseded', 'skipped', `conflicted capture superseded by a later change (${entry.eventId})`);
    }
  }
}

/** The vault already has this event's effect (a re-delivered or re-tried event): nothing more to do. */
function duplicate(entry: JournalEntry, credentialId: number, ctx: StageContext): Outcome {
  ctx.deps.journal.markDone(entry.eventId, 'duplicate');
  recordFor(ctx, entry, 'change-duplicate', 'info', 'already applied for this event id', credentialId);
  return { eventId: entry.eventId, account: entry.account, result: 'duplicate', credentialId };
}

/**
 * The vault's own rules refuse this write (a shared credential while the client does not let agents write
 * them): the same write would be refused on every try, so the entry is closed, not retried. The vault
 * keeps its password; in Change Password mode reconcile then sets it back on this machine.
 */
function refusedByPolicy(entry: JournalEntry, reason: string, ctx: StageContext, credentialId?: number): Outcome {
  ctx.deps.journal.markDone(entry.eventId, 'refused');
  recordFor(ctx, entry, 'shared-write-refused', 'refused', reason, credentialId);
  return { eventId: entry.eventId, account: entry.account, result: 'refused', credentialId };
}

/**
 * Never overwrite: flag the credential with this machine's side of the conflict (no password) so a person
 * decides, and keep the capture sealed in the journal ('conflicted') until they have: "take the machine's"
 * sends it again (src/service/conflict-resolutions.ts). An older conflicted capture of the account is
 * wiped: the vault keeps one side per machine, the newest.
 */
async function flagConflict(entry: JournalEntry, credentialId: number, reason: string, ctx: StageContext): Promise<Outcome> {
  try {
    await ctx.deps.vault.recordConflict(credentialId, { machine: ctx.options.machine, capturedAt: entry.capturedAt, eventId: entry.eventId });
  } catch (err) {
    return failed(entry, `flagging the conflict: ${safeMessage(err)}`, ctx, err);
  }
  ctx.deps.journal.markConflicted(entry.eventId, 'conflict');
  for (const old of ctx.deps.journal.conflicted(entry.account)) {
    if (old.eventId !== entry.eventId) ctx.deps.journal.dropConflicted(old.eventId, `superseded by conflicted ${entry.eventId}`);
  }
  recordFor(ctx, entry, 'conflict', 'flagged', `${reason}; the capture is kept until the conflict is resolved on the hub`, credentialId);
  return { eventId: entry.eventId, account: entry.account, result: 'conflict', credentialId };
}

/**
 * A transient failure: back off and retry, or give up into the dead letters once the event is too old.
 * A vault that refuses this caller (the hub no longer takes the agent token) is not transient but not the
 * event's fault either: the entry is kept, however old, and tried again only after the vault's own wait.
 */
function failed(entry: JournalEntry, error: string, ctx: StageContext, cause?: unknown): Outcome {
  const { options, deps } = ctx;
  const now = options.now();
  const attempts = entry.attempts + 1;
  if (cause instanceof VaultRefusedError) {
    const at = now + Math.max(cause.retryAfterMs, 1000);
    deps.journal.markRetry(entry.eventId, attempts, at, error);
    recordFor(ctx, entry, 'delivery-held', 'failed', `attempt ${attempts} refused (${error}); kept, next in ${at - now} ms`);
    ctx.retryAt(at);
    return { eventId: entry.eventId, account: entry.account, result: 'retry' };
  }
  if (now - entry.receivedAt > options.maxEventAgeMs) {
    const reason = `gave up after ${attempts} attempt(s): ${error}`;
    deps.journal.markDead(entry.eventId, reason);
    recordFor(ctx, entry, 'dead-letter', 'failed', reason);
    return { eventId: entry.eventId, account: entry.account, result: 'dead' };
  }
  const delay = backoffDelay(entry.attempts, options, deps.random);
  deps.journal.markRetry(entry.eventId, attempts, now + delay, error);
  recordFor(ctx, entry, 'delivery-retry', 'info', `attempt ${attempts} failed (${error}); next in ${delay} ms`);
  ctx.retryAt(now + delay);
  return { eventId: entry.eventId, account: entry.account, result: 'retry' };
}
