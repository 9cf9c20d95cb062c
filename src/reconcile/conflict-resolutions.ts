/**
 * Carrying out the choices a person made on the hub for this machine's conflicts, at the start of every
 * reconcile pass (push-down wakes one as soon as a choice is made: the choice is part of the cursor).
 *
 * - "Take the machine's": the capture kept sealed in the journal ('conflicted') is made pending again,
 *   marked resend, and the journal processor is woken; it sends it over the conflict (pipeline/act.ts). When
 *   the journal no longer holds it (the machine was reinstalled, or a later change of the account replaced
 *   it), the vault is told ('capture-missing': the choice is undone, the flag stays) and a
 *   conflict-capture-missing event says so, so the dashboard offers only "keep the vault's".
 * - "Keep the vault's": the rule is that the vault's password is set on the machine once, in either mode:
 *   a person looked at both sides and chose the vault's, which is the Change Password action for this one
 *   credential; afterwards its own mode applies again (Report Mismatches goes back to flagging only). It is
 *   set only where the credential reaches a local account here (a reconcile target: the account exists,
 *   is not excluded, and Windows Sync is on); otherwise there is nothing local to set. Then the conflicted
 *   capture is wiped and the vault told ('vault-kept'). A set that fails (the local policy refuses it) keeps
 *   everything as it is, and the next pass tries again. A change of the account still on its way to the
 *   vault waits: setting the vault's password now would undo it.
 */
import type { Conflict } from '../ports/vault.port';
import { safeMessage } from '../pipeline/password';
import { checkOne } from './check-one';
import type { ReconcileDeps, ReconcileOptions, Target } from './types';

/** Carry out the open choices; returns the credential ids this pass already set (the pass skips them). */
export async function carryOutResolutions(deps: ReconcileDeps, opts: ReconcileOptions, targets: Target[]): Promise<Set<number>> {
  const handled = new Set<number>();
  const journal = deps.journal;
  if (!journal?.conflicted) return handled;
  let conflicts: Conflict[];
  try {
    conflicts = (await deps.vault.listConflicts({ client: opts.client, machine: opts.machine })).filter((k) => k.resolution);
  } catch (err) {
    deps.events.record({ kind: 'reconcile-error', outcome: 'failed', reason: `reading this machine's conflicts: ${safeMessage(err)}` });
    return handled;
  }
  let woke = false;
  for (const k of conflicts) {
    const ev = (kind: string, outcome: 'ok' | 'flagged' | 'failed', reason: string) =>
      deps.events.record({ kind, outcome, reason, account: k.username, credentialId: k.credentialId, traceId: k.eventId });
    try {
      if (k.resolution!.choice === 'machine') {
        const entry = journal.get?.(k.eventId);
        if (entry?.state === 'pending' && entry.resend) continue; // sent already, on its way
        if (journal.resendConflicted!(k.eventId, opts.now())) {
          woke = true;
          continue;
        }
        await deps.vault.settleConflict(k.credentialId, opts.machine, 'capture-missing');
        ev('conflict-capture-missing', 'flagged', `${k.resolution!.by} chose this machine's capture of ${new Date(k.capturedAt).toISOString()} `
          + `(event ${k.eventId}), but the journal no longer holds it (reinstalled, or a later change replaced it); the flag stays: keep the vault's instead`);
        continue;
      }
      const t = targets.find((x) => x.credential.id === k.credentialId);
      if (t) {
        if (journal.pendingFor(t.account.name).some((e) => !e.resend)) continue; // a newer change goes first
        const r = await checkOne(t, 'set-known', deps, opts);
        if (r.action !== 'set') continue; // checkOne recorded why; tried again next pass
        handled.add(k.credentialId);
      }
      journal.dropConflicted!(k.eventId, 'conflict resolved: vault kept');
      await deps.vault.settleConflict(k.credentialId, opts.machine, 'vault-kept');
      ev('conflict-vault-kept', 'ok', `${k.resolution!.by} kept the vault's password (version ${k.vault.version}); `
        + `${t ? `set on local account "${t.account.name}" once (mode ${t.credential.mode})` : 'no local account here to set'}; the conflicted capture was wiped`);
    } catch (err) {
      ev('reconcile-error', 'failed', `carrying out the conflict resolution of credential ${k.credentialId}: ${safeMessage(err)}`);
    }
  }
  if (woke) deps.wakeJournal?.();
  return handled;
}
