// The password of an existing account (`pwbridge install --service-account NAME`): one line from stdin,
// more refused; at a terminal asked once with echo off. Run in a child process as the CLI runs it; the
// pseudo-terminal is util-linux `script`. (The flag itself is for Windows; on Linux install refuses it.)
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pollUntil } from './cli';
import { skipBecause } from '../helpers/skip';

const MODULE = path.resolve(__dirname, '..', '..', 'src', 'cli', 'existing-password.js');
const SCRIPT = `require(${JSON.stringify(MODULE)}).readExistingPassword('--service-account', 'opsadmin')`
  + '.then((b) => { process.stdout.write(`hex:${b.toString("hex")}\\n`); b.fill(0); }, (e) => { process.stdout.write(`refused:${e.message}\\n`); })';

const fromStdin = (input: string | Buffer) => spawnSync(process.execPath, ['-e', SCRIPT], { input, encoding: 'utf8' }).stdout.trim();
const hex = (s: string) => `hex:${Buffer.from(s).toString('hex')}`;

describe('cli: an existing account\'s password', () => {
  it('from stdin: one line (its newline dropped), bytes as given; more lines, none, or invalid UTF-8 refused', () => {
    assert.equal(fromStdin('Ops-Passw0rd!\n'), hex('Ops-Passw0rd!'));
    assert.equal(fromStdin('Ünïcode pass\r\n'), hex('Ünïcode pass'));
    assert.equal(fromStdin('first\nsecond\n'), 'refused:--service-account: stdin holds more than one line; give the password alone, on one line');
    assert.equal(fromStdin(''), 'refused:--service-account: stdin held no password');
    assert.equal(fromStdin(Buffer.from([0x61, 0xff, 0x0a])), 'refused:--service-account: the password is not valid UTF-8');
  });

  it('at a terminal: asked once, not echoed', async function () {
    if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) skipBecause(this, 'script(1) (util-linux) is missing: no terminal to test with');
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const child = spawn('script', ['-qec', [process.execPath, '-e', SCRIPT].map(quote).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString('utf8'); });
    const done = new Promise<number | null>((resolve) => child.once('close', resolve));
    await pollUntil('the prompt', () => (output.includes('Password of opsadmin: ') ? true : undefined), 30_000, 50);
    child.stdin.write('Typed-Secret-7\r');
    await done;
    child.stdin.end();
    assert.ok(output.includes(hex('Typed-Secret-7')), output);
    assert.equal(output.includes('Typed-Secret-7'), false, 'not echoed');
    assert.equal(output.split('Password of').length, 2, 'asked once');
  });
});
