// A skipped test says why. `skipBecause(this, reason)` instead of `this.skip()`: the reason is kept for the
// pending summary that CI prints at the end of the run (test/helpers/pending-reporter.ts), so a suite that
// quietly stops running on CI shows up there with its cause.

type Runnable = { title: string; type?: string; parent?: { fullTitle(): string }; fullTitle(): string };

const REASONS_KEY = Symbol.for('pwbridge.skipReasons');

/** Reasons by full title: a test's own, or a suite's when a hook skipped all of its tests. */
export function skipReasons(): Map<string, string> {
  const g = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;
  return (g[REASONS_KEY] ??= new Map());
}

export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const r = ctx.test as unknown as Runnable | undefined;
  if (r) {
    const inHook = r.type === 'hook';
    skipReasons().set(inHook ? (r.parent?.fullTitle() ?? '') : r.fullTitle(), reason);
  }
  return ctx.skip();
}
