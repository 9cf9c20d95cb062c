/**
 * A hub user's TOTP second factor (src/hub/totp.ts), kept in hub_users (migration 12):
 *
 * - begin: a new random secret, sealed with the vault key and stored as pending; the caller shows it once
 *   (base32 and otpauth:// URI) and wipes it. A second begin replaces the pending one.
 * - confirm: a code from the pending secret switches it on (sealed again under the "in force" context),
 *   and that code's step counts as used.
 * - check: a login's (or a step-up's) code against the secret in force. A step is taken by one UPDATE
 *   whose WHERE requires it to be after the last one taken, so a code cannot be used twice, not even by
 *   two hub processes at once.
 * - reset: removes both (an admin's or the host's way back in for a user who lost their phone).
 *
 * Secrets are opened only here and wiped after use; they never reach a log, an event or an error.
 */
import * as crypto from 'node:crypto';
import { HttpError } from './http-error';
import type { HubStore } from './store';
import { TOTP_SECRET_BYTES, matchTotp } from './totp';

/** AAD for a sealed secret: bound to the user's row and to its state, so a pending one cannot be copied in as in force. */
const context = (userId: number, state: 'pending' | 'active') => `hub-user-totp\u0000${state}\u0000${userId}`;

function boxOf(store: HubStore) {
  if (!store.box) throw new Error('the hub store was opened without the vault key: TOTP secrets cannot be sealed or opened');
  return store.box;
}

const asBuffer = (v: unknown): Buffer | undefined => (v == null ? undefined : Buffer.from(v as Uint8Array));

/** A new pending secret for the user (returned for the caller to show once and wipe). */
export async function beginMfa(store: HubStore, userId: number): Promise<Buffer> {
  const secret = crypto.randomBytes(TOTP_SECRET_BYTES);
  const sealed = boxOf(store).seal(secret, context(userId, 'pending'));
  await store.sql.run('UPDATE hub_users SET totp_pending_enc = $1 WHERE id = $2', [sealed, userId]);
  return secret;
}

/** Open the sealed secret in `column`, run `fn` on it, wipe it. Undefined: none stored. */
async function withSecret<T>(store: HubStore, userId: number, state: 'pending' | 'active', fn: (secret: Buffer) => Promise<T>): Promise<T | undefined> {
  const column = state === 'pending' ? 'totp_pending_enc' : 'totp_enc';
  const rows = await store.sql.all<{ enc: unknown }>(`SELECT ${column} AS enc FROM hub_users WHERE id = $1`, [userId]);
  const sealed = asBuffer(rows[0]?.enc);
  if (!sealed) return undefined;
  const secret = boxOf(store).open(sealed, context(userId, state));
  try {
    return await fn(secret);
  } finally {
    secret.fill(0);
  }
}

export type ConfirmResult = 'enabled' | 'wrong-code' | 'not-begun';

/** Switch the pending secret on if `code` is one of its codes now. */
export async function confirmMfa(store: HubStore, userId: number, code: string, now: number): Promise<ConfirmResult> {
  const r = await withSecret(store, userId, 'pending', async (secret) => {
    const step = matchTotp(secret, code, now);
    if (step === undefined) return 'wrong-code' as const;
    const sealed = boxOf(store).seal(secret, context(userId, 'active'));
    const n = await store.sql.run('UPDATE hub_users SET totp_enc = $1, totp_pending_enc = NULL, totp_last_step = $2 WHERE id = $3 AND totp_pending_enc IS NOT NULL',
      [sealed, step, userId]);
    return n > 0 ? 'enabled' as const : 'not-begun' as const;
  });
  return r ?? 'not-begun';
}

export type CodeResult = 'ok' | 'wrong' | 'replayed' | 'none';

/** A code against the secret in force: 'none' when the user has no second factor. */
export async function checkMfaCode(store: HubStore, userId: number, code: string, now: number): Promise<CodeResult> {
  const r = await withSecret(store, userId, 'active', async (secret) => {
    const step = matchTotp(secret, code, now);
    if (step === undefined) return 'wrong' as const;
    const taken = await store.sql.run(
      'UPDATE hub_users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)', [step, userId]);
    return taken > 0 ? 'ok' as const : 'replayed' as const;
  });
  return r ?? 'none';
}

/** Remove the user's second factor (and any pending one); their sessions end. `had`: one was in force. */
export async function resetMfa(store: HubStore, userId: number): Promise<{ had: boolean; sessionsEnded: number }> {
  return store.sql.tx(async (q) => {
    const rows = await q.all<{ enc: unknown }>('SELECT totp_enc AS enc FROM hub_users WHERE id = $1', [userId]);
    await q.run('UPDATE hub_users SET totp_enc = NULL, totp_pending_enc = NULL, totp_last_step = NULL WHERE id = $1', [userId]);
    const sessionsEnded = await q.run('DELETE FROM hub_sessions WHERE user_id = $1', [userId]);
    return { had: rows[0]?.enc != null, sessionsEnded };
  });
}

/** A code as typed: digits, spaces allowed (apps show "123 456"); anything else is a 400 naming the field. */
export function normaliseCode(code: string, field = 'code'): string {
  const c = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(c)) throw new HttpError(400, 'bad-request', `${field} must be the 6 digits your authenticator app shows`);
  return c;
}
