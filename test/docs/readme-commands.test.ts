// The README opens with the project's two commands: one that installs pwbridge and runs it on its embedded
// default, one that runs the tests. .ci/run runs that test command; this holds the two together.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** A line's command, without its trailing comment. */
const command = (line: string) => line.replace(/\s+#.*$/, '').trim();

describe('README: the first two commands, and the one .ci/run runs', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const first = readme.match(/^```sh\n([\s\S]*?)\n```/m);

  it('the first block is two commands: install and run on the embedded vault, then the tests', () => {
    assert.ok(first, 'README.md has a ```sh block');
    assert.ok(readme.indexOf(first[0]) < readme.indexOf('\n## '), 'the block comes before the first section');
    const lines = first[1].split('\n').map(command);
    assert.deepEqual(lines, ['npm ci && npm run build && ./bin/pwbridge run', 'npm test']);
  });

  it('.ci/run ends by running the README\'s test command', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n').map(command).filter((l) => l && !l.startsWith('#'));
    assert.equal(ci[ci.length - 1], command(first![1].split('\n')[1]));
  });
});
