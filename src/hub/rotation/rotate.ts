/**
 * One rotation of one credential, the same for the scheduler and "Rotate now":
 *
 *   claim (rotation-store.ts: one statement, so one hub process of several rotates a given version)
 *   → the `rotation` event, stored before anything changes (if it cannot be stored, nothing is rotated)
 *   → a new password generated to the policy, written as a new version with source `rotation`: the vault
 *     moves the old one into the history in the same transaction, and agents take the new one to the
 *     machines by push-down like any vault change (Change Password mode only; see rotationBlocker).
 *
 * A failure after the claim records a `rotation` failed event and gives the claim back, so the next
 * pass tries again. The new password exists only in the Buffer the vault seals, which is wiped.
 */
import { generatePassword } from '../../domain/password-policy';
import type { Credential } from '../../domain/types';
import type { RotationTrigger, VaultPort } from '../../ports/vault.port';
import { describeRotation } from '../../vault/password-history';
import { HUB_MACHINE } from '../access';
import { DEFAULT_ROTATION_POLICY, type RotationPolicy } from './policy';
import type { RotationStore, RotationTarget } from './rotation-store';

/** How long a claim holds if its process dies mid-rotation: a rotation takes well under a second. */
export const CLAIM_MS = 5 * 60_000;

export interface RotationDeps {
  vault: VaultPort;
  store: RotationStore;
  now: () => number;
}

/** The policy that applies: the credential's own, else its client's; undefined when neither has one. */
export const effectivePolicy = (t: RotationTarget): RotationPolicy | undefined => (t.own ?? t.inherited)?.policy;

/**
 * Why this credential cannot be rotated, or undefined. Report Mismatches mode: the agent never sets a
 * password in that mode, so a rotated vault password would open nothing and only flag a mismatch on
 * every machine; rotation needs Change Password mode.
 */
export function rotationBlocker(t: Pick<RotationTarget, 'mode' | 'username' | 'client'>): string | undefined {
  if (t.mode !== 'change') {
    return `credential "${t.username}" of client "${t.client}" is in Report Mismatches mode: rotation needs Change Password mode (the agent sets a password only in that mode)`;
  }
  return undefined;
}

export const describeTarget = (t: RotationTarget) => `credential "${t.username}" (id ${t.id}) of client "${t.client}"`;

/**
 * Rotate `t` (as read just now). Undefined: another process (or request) holds the claim, or the
 * credential moved to another version since it was read; nothing was done.
 */
export async function rotate(deps: RotationDeps, t: RotationTarget, trigger: RotationTrigger, by?: string, who = by ?? 'the hub\'s scheduler'): Promise<Credential | undefined> {
  const blocker = rotationBlocker(t);
  if (blocker) throw new Error(blocker);
  const policy = effectivePolicy(t) ?? DEFAULT_ROTATION_POLICY;
  const now = deps.now();
  if (!(await deps.store.claim(t.id, t.version, now, now + CLAIM_MS))) return undefined;
  const event = (outcome: 'info' | 'failed', reason: string) => deps.vault.appendEvents([{
    time: deps.now(), machine: HUB_MACHINE, kind: 'rotation', outcome, credentialId: t.id, account: t.username, reason,
  }]);
  const why = describeRotation(trigger, by);
  try {
    await event('info', `rotating ${describeTarget(t)} from version ${t.version} (${why}; asked by ${who}); the new password: ${policy.length} characters of ${policy.classes.join(', ')}`);
  } catch (err) {
    await deps.store.release(t.id, trigger === 'after-read' ? t.readDueAt : null);
    throw err;
  }
  const password = generatePassword(policy);
  try {
    return await deps.vault.updateCredential(t.client, t.username, { password }, { kind: 'rotation', trigger, ...(by ? { by } : {}) });
  } catch (err) {
    await deps.store.release(t.id, trigger === 'after-read' ? t.readDueAt : null);
    await event('failed', `rotating ${describeTarget(t)} failed: ${(err as Error).message}; tried again at the next pass`).catch(() => undefined);
    throw err;
  } finally {
    password.fill(0);
  }
}
