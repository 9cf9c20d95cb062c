/**
 * A session's step-up: its user re-entered their own password (POST /api/dashboard/step-up), so for
 * STEP_UP_MS the session may reveal passwords in the dashboard (src/hub/api/reveal-routes.ts). Kept in the
 * session's row (migration 5), not in a process, so every hub process on the database honours it and it
 * ends with the session (logout, a new password, a disabled user all delete the row).
 *
 * The time is the hub's `now` (HubOptions.now), the same clock the reveal checks it against.
 */
import type { SqlQueries } from './sql';

/** How long a step-up lets a session reveal passwords. */
export const STEP_UP_MS = 5 * 60_000;

/** Mark the session stepped up until `until`; false when the session is gone. */
export async function markSteppedUp(sql: SqlQueries, tokenHash: string, until: number): Promise<boolean> {
  return (await sql.run('UPDATE hub_sessions SET stepped_up_until = $1 WHERE token_hash = $2', [until, tokenHash])) > 0;
}

/** Until when the session is stepped up; undefined when it never was (or is gone). */
export async function steppedUpUntil(sql: SqlQueries, tokenHash: string): Promise<number | undefined> {
  const rows = await sql.all<{ until: number | null }>('SELECT stepped_up_until AS until FROM hub_sessions WHERE token_hash = $1', [tokenHash]);
  return rows[0]?.until == null ? undefined : Number(rows[0].until);
}
