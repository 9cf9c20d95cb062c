// Under Wine, the Windows node.exe cannot open a std handle that is a pipe as a stream (EBADF), so the CLI
// replaces such a stream with plain reads and writes on its descriptor (src/cli/stdio.ts). Here node.exe
// runs with pipes for stdin, stdout and stderr, as `pwbridge.cmd status | findstr` or a password piped to
// `pwbridge.cmd setup` would give it: without the repair it dies; with it, every byte goes through.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { windowsNodeExe } from '../helpers/windows-node';
import { spawnWindows, windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const STDIO_JS = winPath(path.join(__dirname, '..', '..', 'src', 'cli', 'stdio.js'));

function runPiped(script: string, input: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnWindows(windowsNodeExe(), ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin!.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

const ECHO = `
  console.log('out: ready');
  console.error('err: ready');
  (async () => {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    process.stdout.write('in: ' + JSON.stringify(Buffer.concat(chunks).toString()) + '\\n');
  })();
`;

describe('the CLI\'s std streams when they are pipes (Windows node.exe under Wine)', function () {
  this.timeout(120_000);
  before(function () {
    if (process.platform === 'win32' || windowsPartsMissing().skip) skipBecause(this, windowsPartsMissing().skip ?? 'on Windows there is no Wine to test');
  });

  it('without the repair, node.exe dies at the first write to a pipe (what the repair is for)', async () => {
    const r = await runPiped(ECHO, 'x\n');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /EBADF/);
  });

  it('with it, stdout, stderr and stdin all carry their bytes, and none is taken for a terminal', async () => {
    const r = await runPiped(`require(${JSON.stringify(STDIO_JS)}).repairStdio();\nif (process.stdin.isTTY || process.stdout.isTTY) throw new Error('a pipe taken for a terminal');\n${ECHO}`, 'alice\nsecret-line\n');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'out: ready\nin: "alice\\nsecret-line\\n"\n');
    assert.equal(r.err, 'err: ready\n');
  });
});
