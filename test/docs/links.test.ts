// The docs check in CI: README.md and docs/*.md link only to files and headings that exist (GitHub's
// anchors), docs/events.md has an entry for every event ID, and no user doc names an issue number. A
// planted copy shows each check fails when it should.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { anchorsOf, githubAnchor } from '../../src/docs/github-anchor';
import { repoRoot } from '../vectors/repo-root';
import { checkDocs, docFiles, eventIdsInSource, linksOf } from './doc-check';

const ROOT = repoRoot();

/** A copy of the docs and of every file they link to, so the check sees the same repository. */
function copyDocs(to: string): void {
  const files = new Set<string>(['src/domain/event-ids.ts']);
  for (const file of docFiles(ROOT)) {
    files.add(file);
    for (const l of linksOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
      const target = l.target.split('#')[0];
      if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const rel = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target)));
      if (!rel.startsWith('..') && fs.existsSync(path.join(ROOT, rel))) files.add(rel);
    }
  }
  for (const rel of files) {
    const src = path.join(ROOT, rel);
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.cpSync(src, path.join(to, rel), { recursive: true });
  }
}

describe('docs', () => {
  it('GitHub anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered', () => {
    // GitHub's rule (github-slugger's): inline code and links keep their text, punctuation goes, each space is a hyphen.
    assert.equal(githubAnchor('Install (as an administrator)'), 'install-as-an-administrator');
    assert.equal(githubAnchor('The pipe: `\\\\.\\pipe\\pwbridge`'), 'the-pipe-pipepwbridge');
    assert.equal(githubAnchor('Windows Event Log (source `pwbridge`, Application log)'), 'windows-event-log-source-pwbridge-application-log');
    assert.equal(githubAnchor('2009 DEAD_LETTER'), '2009-dead_letter');
    assert.equal(githubAnchor('The Linux capture: pam_pwbridge.so'), 'the-linux-capture-pam_pwbridgeso');
    assert.equal(githubAnchor('What is real — and what is not'), 'what-is-real--and-what-is-not');
    assert.equal(githubAnchor('See [the hub](hub.md) *now*'), 'see-the-hub-now');
    assert.deepEqual([...anchorsOf('# A\n## Notes\n```\n# not a heading\n```\n### Notes\n## Notes ##\n')], ['a', 'notes', 'notes-1', 'notes-2']);
  });

  it('reads README.md and every docs/*.md, with their links, and every event ID', () => {
    const files = docFiles(ROOT);
    assert.ok(files.includes('README.md') && files.includes('docs/events.md') && files.includes('docs/security.md'), files.join(' '));
    const links = files.flatMap((f) => linksOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    assert.ok(links.length > 50, `only ${links.length} links found`);
    assert.ok(eventIdsInSource(ROOT).length >= 67 && eventIdsInSource(ROOT).includes(9000));
  });

  it('every relative link and anchor resolves, every event ID has its entry, no user doc names an issue', () => {
    const problems = checkDocs(ROOT);
    assert.ok(problems.length === 0, `${problems.length} problem(s):\n${problems.join('\n')}`);
  });

  it('fails on a planted copy: a missing file, a missing anchor, an issue number, a missing event entry', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-docs-'));
    try {
      copyDocs(tmp);
      const before = new Set(checkDocs(tmp));
      assert.deepEqual([...before].sort(), checkDocs(ROOT).sort(), 'the copy checks like the repository');
      fs.appendFileSync(path.join(tmp, 'docs/security.md'), '\nSee [the guide](no-such-guide.md), [keys](events.md#no-such-entry) and [here](#nowhere).\nFixed in issue 12 and #34.\n');
      const planted = checkDocs(tmp).filter((p) => !before.has(p));
      const lines = fs.readFileSync(path.join(tmp, 'docs/security.md'), 'utf8').split('\n').length;
      assert.deepEqual(planted.sort(), [
        `docs/security.md:${lines - 1}: names an issue ("#34"); user docs tell no development history`,
        `docs/security.md:${lines - 1}: names an issue ("issue 12"); user docs tell no development history`,
        `docs/security.md:${lines - 2}: #nowhere: no heading in docs/security.md has the anchor #nowhere`,
        `docs/security.md:${lines - 2}: events.md#no-such-entry: no heading in docs/events.md has the anchor #no-such-entry`,
        `docs/security.md:${lines - 2}: no-such-guide.md: no file docs/no-such-guide.md`,
      ].sort());
      // An entry gone from events.md: named as missing, and so is the index's link to it.
      const events = path.join(tmp, 'docs/events.md');
      fs.writeFileSync(events, fs.readFileSync(events, 'utf8').replace('\n### 2009 DEAD_LETTER\n', '\n### Dead letters\n'));
      const after = checkDocs(tmp);
      assert.ok(after.includes('docs/events.md: event ID 2009 (src/domain/event-ids.ts) has no entry "### 2009 …"'), after.join('\n'));
      assert.ok(after.some((p) => /^docs\/events\.md:\d+: #2009-dead_letter: no heading in docs\/events\.md/.test(p)), after.join('\n'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
