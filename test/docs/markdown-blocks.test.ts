import { strict as assert } from 'node:assert';
import { fencedBlockUnder } from '../helpers/markdown-blocks';

describe('fencedBlockUnder: the block a page shows under a heading', () => {
  const page = [
    '# Title', '```sh', 'top', '```',
    '## Quick start: Linux', 'text', '```bat', 'not this', '```', '```sh', 'apt-get install x', 'npm ci', '```', '```sh', 'second', '```',
    '### A subsection', '```sh', 'deeper', '```',
    '## Next', '```sh', 'next', '```',
    '## Empty', 'no block here',
    '## Open', '```sh', 'never closed',
  ].join('\n');

  it('takes the first block of that language under the heading, not one of another language or another section', () => {
    assert.equal(fencedBlockUnder(page, 'Quick start: Linux', 'sh'), 'apt-get install x\nnpm ci');
    assert.equal(fencedBlockUnder(page, 'Quick start: Linux', 'bat'), 'not this');
    assert.equal(fencedBlockUnder(page, 'Next', 'sh'), 'next');
  });

  it('refuses a missing heading, a section without such a block, and an unclosed block, naming which', () => {
    assert.throws(() => fencedBlockUnder(page, 'Quick start: Windows', 'sh'), /no heading "Quick start: Windows"/);
    assert.throws(() => fencedBlockUnder(page, 'Empty', 'sh'), /no ```sh block under "Empty"/);
    assert.throws(() => fencedBlockUnder(page, 'Open', 'sh'), /the ```sh block under "Open" is not closed/);
  });
});
