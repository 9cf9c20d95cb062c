/**
 * A rotation policy: when a credential's password is replaced (every N days, and/or once it was read, after
 * a grace), and what the new one is generated to (length, character classes). A client's policy is the
 * default of its credentials; a credential's own replaces its client's whole (no field-by-field merge, so
 * what the dialog shows is exactly what applies).
 */
import { DEFAULT_PASSWORD_POLICY, policyProblem, type PasswordPolicy } from '../../domain/password-policy';
import { VaultInputError } from '../../vault/errors';

export interface RotationPolicy extends PasswordPolicy {
  /** Rotate when the password is this many days old (null: no schedule). */
  everyDays: number | null;
  /** Rotate after each read (a reveal in the dashboard, readPassword by a user), `graceMinutes` after it. */
  afterRead: boolean;
  graceMinutes: number;
}

export const MAX_EVERY_DAYS = 3650;
export const MAX_GRACE_MINUTES = 7 * 24 * 60;
/**
 * One hour after a read: the admin who revealed a password has it for the job they revealed it for (a
 * console login, a service to fix) and it is replaced the same hour. LAPS's own default waits 24 hours;
 * a shorter one leaves a read password usable for less time. 0 rotates at the scheduler's next pass.
 */
export const DEFAULT_GRACE_MINUTES = 60;
export const DAY_MS = 24 * 3600_000;

/** What a new policy is when the caller gives only some fields: 30 days, after reads, 20 characters of all four classes. */
export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  everyDays: 30, afterRead: true, graceMinutes: DEFAULT_GRACE_MINUTES, ...DEFAULT_PASSWORD_POLICY,
};

/** Fill in the defaults and check every field; a bad one is a VaultInputError (400) naming it. */
export function checkPolicy(given: Partial<RotationPolicy>): RotationPolicy {
  const p: RotationPolicy = { ...DEFAULT_ROTATION_POLICY, ...given, classes: [...(given.classes ?? DEFAULT_ROTATION_POLICY.classes)] };
  if (p.everyDays !== null && (!Number.isInteger(p.everyDays) || p.everyDays < 1 || p.everyDays > MAX_EVERY_DAYS)) {
    throw new VaultInputError(`everyDays must be a whole number from 1 to ${MAX_EVERY_DAYS}, or null for no schedule; got ${JSON.stringify(p.everyDays)}`);
  }
  if (!Number.isInteger(p.graceMinutes) || p.graceMinutes < 0 || p.graceMinutes > MAX_GRACE_MINUTES) {
    throw new VaultInputError(`graceMinutes must be a whole number from 0 to ${MAX_GRACE_MINUTES}; got ${JSON.stringify(p.graceMinutes)}`);
  }
  if (p.everyDays === null && !p.afterRead) {
    throw new VaultInputError('a rotation policy needs everyDays or afterRead (or both); to stop rotating, remove the policy (policy: null)');
  }
  const problem = policyProblem(p);
  if (problem) throw new VaultInputError(problem);
  return p;
}

/** One line for events. */
export function describePolicy(p: RotationPolicy): string {
  const when = [p.everyDays !== null ? `every ${p.everyDays} day(s)` : '', p.afterRead ? `after each read (grace ${p.graceMinutes} min)` : '']
    .filter(Boolean).join(' and ');
  return `${when}; ${p.length} characters of ${p.classes.join(', ')}`;
}

/**
 * When a credential's password is next due, from its policy: the schedule's date (password set + N days)
 * or a pending read's, whichever is first. Undefined: nothing due, ever (no schedule, no read pending).
 */
export function nextDue(p: RotationPolicy, passwordSetAt: number, readDueAt: number | null): number | undefined {
  const times = [p.everyDays !== null ? passwordSetAt + p.everyDays * DAY_MS : undefined, p.afterRead && readDueAt !== null ? readDueAt : undefined]
    .filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : undefined;
}
