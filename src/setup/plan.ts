// A plan is everything install/uninstall will change, worked out (and every refusal raised) before the
// first change. Then each step is printed and applied in order; with --dry-run each is printed as
// "would …" and nothing is applied.

import { UsageError } from '../cli/errors';

export interface Step {
  /** What the step changes, in the imperative ("copy …", "add line 33 to …"). */
  say: string;
  apply(): void | Promise<void>;
}

export interface Plan {
  /** Things worth knowing first (e.g. systemd is not running here). */
  notes: string[];
  /** What is already as it should be: nothing to do for it. */
  kept: string[];
  steps: Step[];
}

export const emptyPlan = (): Plan => ({ notes: [], kept: [], steps: [] });

export async function runPlan(plan: Plan, o: { dryRun: boolean; out: (line: string) => void; afterEach?: () => void }): Promise<void> {
  for (const n of plan.notes) o.out(`note: ${n}`);
  for (const k of plan.kept) o.out(`unchanged: ${k}`);
  if (plan.steps.length === 0) o.out(o.dryRun ? 'would change nothing' : 'nothing to change');
  for (const s of plan.steps) {
    o.out(o.dryRun ? `would ${s.say}` : s.say);
    if (o.dryRun) continue;
    await s.apply();
    o.afterEach?.();
  }
}

/** install and uninstall change system files: root only, except a dry run, which only reads. */
export function requireRoot(command: string, uid: number | undefined, dryRun: boolean): void {
  if (dryRun || uid === undefined || uid === 0) return;
  throw new UsageError(`${command}: must be run as root (uid 0; this is uid ${uid}): it writes /etc/pam.d, the PAM module directory and the systemd unit. Run it with sudo, or add --dry-run to see what it would do`);
}
