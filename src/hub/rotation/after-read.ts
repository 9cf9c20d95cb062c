/**
 * Rotate-after-read: a user's read of a password (a reveal in the dashboard, readPassword with a user's
 * login) asks for a rotation `graceMinutes` after it, when the credential's policy says afterRead. An
 * agent's read (push-down, reconcile) never does: it is how the password reaches the machine, not a use.
 * Called before the password leaves, so a read whose rotation could not be asked for sends nothing.
 */
import type { Sql } from '../sql';
import { effectivePolicy } from './rotate';
import { RotationStore } from './rotation-store';

export async function noteRead(sql: Sql, credentialId: number, now: number): Promise<void> {
  const store = new RotationStore(sql);
  const t = await store.target(credentialId);
  const policy = t && effectivePolicy(t);
  if (!policy?.afterRead) return;
  await store.markRead(credentialId, now + policy.graceMinutes * 60_000);
}
