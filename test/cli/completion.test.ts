// `pwbridge completion bash`: the script loads in a real bash, and bash's own completion machinery
// (COMP_WORDS / COMP_CWORD into the function `complete -F` names, and bash-completion's loader where it is
// installed) offers the CLI's commands, subcommands, options and option values. The expected words come
// from buildProgram()'s tree, plus a few named outright so that an empty tree could not pass; and an option
// added to that tree in the test is completed, which a hand-kept list would not do.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main';
import { bashCompletionScript } from '../../src/cli/completion/bash';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';
import { repoRoot } from '../vectors/repo-root';

const MAIN_JS = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const LOADER = '/usr/share/bash-completion/bash_completion';

/** What bash offers for the command line `words` (the last one is being completed), with `script` loaded. */
function complete(scriptFile: string, words: string[], opts: { viaLoader?: string } = {}): string[] {
  const load = opts.viaLoader
    ? `source ${LOADER}; __load_completion pwbridge || exit 7; [[ $(complete -p pwbridge) == *'-F _pwbridge '* ]] || exit 8`
    : `source "$1"`;
  const body = `${load}
COMP_WORDS=("\${@:2}"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}
_pwbridge pwbridge "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: path.dirname(scriptFile), LC_ALL: 'C' };
  if (opts.viaLoader) env.BASH_COMPLETION_USER_DIR = opts.viaLoader;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', body, 'bash', scriptFile, ...words], { encoding: 'utf8', env });
  assert.equal(r.status, 0, `bash: ${r.stderr}`);
  assert.equal(r.stderr, '', 'bash said nothing on stderr');
  return r.stdout.split('\n').filter(Boolean);
}

function find(cmd: Command, ...names: string[]): Command {
  let c = cmd;
  for (const n of names) {
    const next = c.commands.find((x) => x.name() === n);
    assert.ok(next, `the CLI has "${names.join(' ')}"`);
    c = next;
  }
  return c;
}

const longFlags = (cmd: Command) => cmd.options.map((o) => o.long).filter((f): f is string => !!f);

describe('pwbridge completion bash', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let script: string;
  const program = buildProgram();
  before(function () {
    if (spawnSync('bash', ['-c', 'true']).status !== 0) skipBecause(this, 'no bash here');
    tmp = makeTempDir('pwbridge-completion-');
    const r = spawnSync(process.execPath, [MAIN_JS, 'completion', 'bash'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    script = path.join(tmp.dir, 'pwbridge');
    fs.writeFileSync(script, r.stdout);
  });
  after(() => tmp?.cleanup());

  it('prints the script made from the CLI\'s tree, and bash parses it (bash -n)', () => {
    assert.equal(fs.readFileSync(script, 'utf8'), bashCompletionScript(buildProgram()));
    const r = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('`pwbridge ` offers every top-level command', () => {
    const got = complete(script, ['pwbridge', '']);
    assert.deepEqual(got.sort(), program.commands.map((c) => c.name()).sort());
    for (const w of ['run', 'status', 'events', 'vault', 'install', 'completion']) assert.ok(got.includes(w), w);
  });

  it('`pwbridge vault ` offers vault\'s subcommands, `pwbridge vault client ` and `--data-dir D vault client ` the next level', () => {
    const got = complete(script, ['pwbridge', 'vault', '']);
    assert.deepEqual(got.sort(), find(program, 'vault').commands.map((c) => c.name()).sort());
    assert.ok(got.includes('client') && got.includes('cred'));
    const client = find(program, 'vault', 'client').commands.map((c) => c.name()).sort();
    assert.deepEqual(complete(script, ['pwbridge', 'vault', 'client', '']).sort(), client);
    assert.deepEqual(complete(script, ['pwbridge', '--data-dir', '/tmp', 'vault', 'client', '']).sort(), client, 'a global option and its value are skipped');
  });

  it('`pwbridge events --` offers events\' options, --help and the global --data-dir, not --version', () => {
    const got = complete(script, ['pwbridge', 'events', '--']);
    assert.deepEqual(got.sort(), [...longFlags(find(program, 'events')), '--help', '--data-dir'].sort());
    for (const f of ['--json', '--since', '--follow', '--limit']) assert.ok(got.includes(f), f);
    assert.ok(!got.includes('--version'));
    assert.deepEqual(complete(script, ['pwbridge', 'events', '--fo']), ['--follow']);
  });

  it('option values: <dir> completes directories, <on|off> and argument choices their words, free text nothing', () => {
    assert.ok(complete(script, ['pwbridge', '--data-dir', '/us']).includes('/usr'));
    assert.ok(complete(script, ['pwbridge', 'events', '--data-dir', '/us']).includes('/usr'), 'the global option after a subcommand');
    assert.deepEqual(complete(script, ['pwbridge', 'vault', 'client', 'set', 'acme', '--windows-sync', '']), ['on', 'off']);
    assert.deepEqual(complete(script, ['pwbridge', 'completion', '']), ['bash']);
    assert.deepEqual(complete(script, ['pwbridge', 'events', '--since', '']), []);
    assert.deepEqual(complete(script, ['pwbridge', 'events', '--since', '2h', '--j']), ['--json'], 'the value is skipped, not taken for a word');
  });

  it('an option added to the CLI\'s table is completed, with its value kind, with no list to edit', () => {
    const changed = buildProgram();
    const before = path.join(tmp.dir, 'before');
    fs.writeFileSync(before, bashCompletionScript(changed));
    assert.deepEqual(complete(before, ['pwbridge', 'events', '--added']), [], 'not there before');
    find(changed, 'events').option('--added-in-test <dir>', 'an option only this test has');
    find(changed, 'vault').command('added-sub').option('--added-flag');
    const after = path.join(tmp.dir, 'after');
    fs.writeFileSync(after, bashCompletionScript(changed));
    assert.deepEqual(complete(after, ['pwbridge', 'events', '--added']), ['--added-in-test']);
    assert.ok(complete(after, ['pwbridge', 'events', '--added-in-test', '/us']).includes('/usr'));
    assert.ok(complete(after, ['pwbridge', 'vault', '']).includes('added-sub'));
    assert.deepEqual(complete(after, ['pwbridge', 'vault', 'added-sub', '--added']), ['--added-flag']);
  });

  it('a name that is not safe in a shell script is refused when the script is made, not written into it', () => {
    const bad = buildProgram();
    find(bad, 'events').option('--x$(touch)', 'a flag no CLI should have');
    assert.throws(() => bashCompletionScript(bad), /completion: the flag "--x\$\(touch\)" cannot go into a shell script/);
  });

  it('loads through bash-completion\'s loader from a completions folder, as the Debian package installs it', function () {
    if (!fs.existsSync(LOADER)) skipBecause(this, `${LOADER} is missing (apt-get install bash-completion)`);
    const userDir = path.join(tmp.dir, 'user');
    fs.mkdirSync(path.join(userDir, 'completions'), { recursive: true });
    fs.copyFileSync(script, path.join(userDir, 'completions', 'pwbridge'));
    // The loader sources the file inside a function: the tables must still be there after it returns.
    assert.deepEqual(complete(script, ['pwbridge', 'vault', ''], { viaLoader: userDir }).sort(), find(program, 'vault').commands.map((c) => c.name()).sort());
    assert.ok(complete(script, ['pwbridge', 'events', '--'], { viaLoader: userDir }).includes('--follow'));
  });

  it('`pwbridge completion zsh` is refused with exit 2, naming the shells it has', () => {
    const r = spawnSync(process.execPath, [MAIN_JS, 'completion', 'zsh'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /value 'zsh' is invalid for argument 'shell'\. Allowed choices are bash\./);
  });
});
