import { catchError, concatMap, defer, from, of, type Observable } from 'rxjs';
import type { Client, Credential, EventRecord } from '../domain/types';
import type { JournalEntry } from '../ports/journal.port';
import type { StageContext } from './deps';
import { exclusionReason } from './exclusions';
import { normalisePassword, safeMessage, wipe } from './password';

/** A decision that needs no vault write: record an event, close the journal entry. */
export interface SkipDecision {
  type: 'skip';
  kind: string;
  outcome: EventRecord['outcome'];
  reason: string;
  /** Journal outcome for markDone, or 'dead' for markDead. */
  journal: string;
  result: 'ignored' | 'echo' | 'filter-inactive' | 'refused' | 'dead';
  credentialId?: number;
}

export type Decision =
  | SkipDecision
  | { type: 'sync'; credential: Credential }
  | { type: 'create'; client: Client }
  /** A conflicted capture a person chose on the hub: sent over the conflict (takeConflictedCapture). */
  | { type: 'take'; credential: Credential }
  | { type: 'conflict'; credentialId: number; reason: string }
  /** Something transient (the vault did not answer): retry with backoff, or dead-letter when too old. */
  | { type: 'fail'; error: string; cause?: unknown };

/** The entry, what to do with it, and (for sync/create only) the UTF-8 password, owned by the next stage. */
export interface Classified {
  entry: JournalEntry;
  decision: Decision;
  password?: Buffer;
}

const skip = (kind: string, outcome: EventRecord['outcome'], reason: string, journal: string, result: SkipDecision['result'], credentialId?: number): SkipDecision =>
  ({ type: 'skip', kind, outcome, reason, journal, result, credentialId });

/**
 * A conflicted capture sent again: a person chose it over the vault's password, so neither the race rule
 * nor the sync switches are asked again (they were when it was captured); only the credential must still be there.
 */
async function decideResend(entry: JournalEntry, ctx: StageContext): Promise<Decision> {
  const { deps, options } = ctx;
  const cred =
    (await deps.vault.findCredential(options.client, `${options.machine}\\${entry.account}`)) ??
    (await deps.vault.findCredential(options.client, entry.account));
  if (!cred) return skip('change-ignored', 'skipped', 'conflicted capture chosen on the hub, but the credential is no longer in the vault', 'skipped', 'ignored');
  return { type: 'take', credential: cred };
}

/** Journal entry → decision. Opens the password only when the decision can need it. */
export function classify(entry$: Observable<JournalEntry>, ctx: StageContext): Observable<Classified> {
  return entry$.pipe(
    concatMap((entry) =>
      defer(() => from(decide(entry, ctx))).pipe(
        // decide() wipes the password itself on every path that throws; here only the decision is made.
        catchError((err) => of<Classified>({ entry, decision: { type: 'fail', error: safeMessage(err), cause: err } })),
      ),
    ),
  );
}

async function decide(entry: JournalEntry, ctx: StageContext): Promise<Classified> {
  const { deps, options } = ctx;
  const done = (decision: Decision): Classified => ({ entry, decision });

  // Exclusions first: they need no password, so an excluded account's password is never even decrypted.
  const excluded = exclusionReason(entry.account, options);
  if (excluded) return done(skip('change-ignored', 'skipped', excluded, 'excluded', 'ignored'));

  let raw: Buffer;
  try {
    raw = deps.open(entry);
  } catch (err) {
    // Not transient: the sealed bytes or the bridge key are wrong, a retry opens nothing. Dead letter
    // (kept for an operator) rather than refused, since the password itself was never judged.
    return done(skip('dead-letter', 'failed', `cannot open the sealed password: ${safeMessage(err)}`, 'dead', 'dead'));
  }
  const norm = normalisePassword(raw, entry.encoding);
  if (!norm.ok) {
    wipe(raw);
    return done(skip('change-refused', 'refused', norm.reason, 'refused', 'refused'));
  }
  if (norm.utf8 !== raw) wipe(raw);
  const password = norm.utf8;
  try {
    const decision = await decideWith(entry, password, ctx);
    if (decision.type === 'sync' || decision.type === 'create' || decision.type === 'take') return { entry, decision, password };
    wipe(password);
    return done(decision);
  } catch (err) {
    const error = safeMessage(err, password);
    wipe(password);
    return done({ type: 'fail', error, cause: err });
  }
}

async function decideWith(entry: JournalEntry, password: Buffer, ctx: StageContext): Promise<Decision> {
  const { deps, options } = ctx;
  const now = options.now();
  if (entry.resend) return decideResend(entry, ctx);

  if (deps.echo.consume(entry.account, password, now)) {
    return skip('echo-suppressed', 'skipped', 'pwbridge set this password itself (reconcile, change mode)', 'echo', 'echo');
  }
  if (!deps.filterActive()) {
    const state = deps.filterState?.() ?? 'unknown';
    return skip('change-ignored', 'skipped', `filter not active (${state})`, 'filter-inactive', 'filter-inactive');
  }

  const client = await deps.vault.getClient(options.client);
  if (!client) return skip('change-ignored', 'skipped', `client '${options.client}' not in the vault`, 'skipped', 'ignored');
  if (!client.windowsSync) return skip('change-ignored', 'skipped', 'client windows sync off', 'skipped', 'ignored');

  // `MACHINE\user` wins over the shared `user`, even when its own sync is off: the machine-specific
  // credential is the one that describes this account here (reconcile uses the same rule).
  const cred =
    (await deps.vault.findCredential(client.name, `${options.machine}\\${entry.account}`)) ??
    (await deps.vault.findCredential(client.name, entry.account));

  if (!cred) {
    if (client.autoCreate) return { type: 'create', client };
    return skip('change-ignored', 'skipped', 'unknown account, auto-create off', 'skipped', 'ignored');
  }
  if (!cred.windowsSync) return skip('change-ignored', 'skipped', 'credential windows sync off', 'skipped', 'ignored', cred.id);
  if (!client.twoWaySync) return skip('change-ignored', 'skipped', 'two-way sync off', 'skipped', 'ignored', cred.id);

  // The race rule. A local change "raced" a vault change when the password now in the vault was chosen
  // after this change was captured (passwordSetAt > capturedAt; passwordSetAt is the capture time for a
  // password that came from a machine, the write time for one set in the vault). Then the vault holds the
  // newer intent and pushing the older local password would silently undo it: flag a conflict, never
  // write. Otherwise the local change is the newer one and is pushed with the version just read as the
  // base; a vault change landing between that read and our write is caught by the vault itself
  // (VaultConflictError) and flagged the same way.
  // Why not updatedAt: flags and mode changes move it too (false conflicts), and a retry whose earlier
  // attempt did land (answer lost) would see its own write as newer. With passwordSetAt, our own earlier
  // write has passwordSetAt == capturedAt: not raced, and the vault answers "already applied".
  // Equal times count as not raced (ms resolution). Both times are on this machine's clock: a hub's
  // adapter moves the vault's times across the skew it measures (src/vault/hub-clock.ts), so a machine
  // minutes off neither flags false conflicts nor outranks a later vault write. A stale capture arriving after a newer one of the same account was pushed
  // is flagged too (we cannot tell it from a vault edit, and flagging is the safe side).
  const setAt = cred.passwordSetAt ?? cred.updatedAt;
  if (setAt > entry.capturedAt) {
    return {
      type: 'conflict',
      credentialId: cred.id,
      reason: `vault password is newer than the local change (vault password set ${new Date(setAt).toISOString()}, captured ${new Date(entry.capturedAt).toISOString()})`,
    };
  }
  return { type: 'sync', credential: cred };
}
