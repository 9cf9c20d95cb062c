// Every skipped test says why: a bare this.skip() (or it.skip / describe.skip / xit) would print as a
// pending test with no reason in CI's summary (test/helpers/pending-reporter.ts). This reads the test
// sources and names each place that skips without skipBecause (test/helpers/skip.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';

// The last alternative is a test with a title and no function (`it('later');`), which mocha also reports
// as pending with no reason.
const BARE = /\b(?:this|ctx)\.skip\(\)|\b(?:it|describe)\.skip\(|\bx(?:it|describe)\(|\bit\(\s*(['"`])(?:(?!\1).)*\1\s*\)/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('tests: every skip says why', () => {
  it('no test skips without skipBecause', () => {
    const root = path.join(repoRoot(), 'test');
    const bare: string[] = [];
    for (const file of sources(root)) {
      const rel = path.relative(root, file);
      // The helper itself, the reporter that names the bare form, and this file's own examples.
      if ([path.join('helpers', 'skip.ts'), path.join('helpers', 'pending-reporter.ts'), path.join('meta', 'skip-reasons.test.ts')].includes(rel)) continue;
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (BARE.test(line) && !line.trimStart().startsWith('//') && !line.trimStart().startsWith('*')) bare.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(bare, [], 'use skipBecause(this, reason) from test/helpers/skip.ts');
  });

  it('the check sees a bare skip', () => {
    for (const line of ['    if (x) this.skip();', 'ctx.skip();', "it.skip('a', () => {});", "xit('a', () => {});", "describe.skip('s', () => {});", "  it('is written later');", '  it(`x`)']) {
      assert.ok(BARE.test(line), line);
    }
    assert.ok(!BARE.test("    if (x) skipBecause(this, 'why');"));
    assert.ok(!BARE.test("  it('runs', () => {});"), 'a test with its function is not pending');
    assert.ok(!BARE.test("  it('runs', async function () {"), 'nor one whose function starts on the line');
  });
});
