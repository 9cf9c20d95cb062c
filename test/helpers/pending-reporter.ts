// The spec reporter, plus a summary of every pending test with its reason (test/helpers/skip.ts): CI's log
// ends with how many tests did not run and why, rather than a count alone.
import Mocha from 'mocha';
import { skipReasons } from './skip';

const { EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

type Suite = { fullTitle(): string; parent?: Suite };

function reasonFor(test: Mocha.Test): string {
  const reasons = skipReasons();
  const own = reasons.get(test.fullTitle());
  if (own) return own;
  for (let s = test.parent as Suite | undefined; s; s = s.parent) {
    const r = reasons.get(s.fullTitle());
    if (r) return r;
  }
  return 'no reason given (it.skip, or this.skip() without skipBecause)';
}

class SpecWithPending extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const pending: Mocha.Test[] = [];
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => pending.push(t));
    runner.once(EVENT_RUN_END, () => {
      console.log(`\n  ${pending.length} pending${pending.length ? ':' : ''}`);
      for (const t of pending) console.log(`    - ${t.fullTitle()}: ${reasonFor(t)}`);
    });
  }
}

export = SpecWithPending;
