// The real pam_pwbridge.so, loaded by the real libpam (pamtester under pam_wrapper, service files in a
// private folder), talking to a real bridge over its real socket. pam_matrix plays the account database
// that made the change; what is under test is what our module does with it.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataPaths, ensureDataDir } from '../../src/config/paths';
import { MessageType } from '../../src/protocol/constants';
import { FrameReader, encodeFrame } from '../../src/protocol/frame';
import { ensureKeys } from '../../src/protocol/key-files';
import { startHarness, type Harness } from '../helpers/bridge-harness';
import { pamtester, requireModule, spooled, writeMatrixService } from '../helpers/pam';
import { isRoot } from '../platform/users';
import { filesUnder, makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const SERVICE = 'pwtest';
const PAM_PERMIT = '/lib/x86_64-linux-gnu/security/pam_permit.so';

/**
 * A data dir with this install's keys and config, but no bridge running on it. Its pam.d has the module
 * in the password stack, as `pwbridge install` leaves it, so the service's filter state is "active"
 * without a hello (a spooled event comes with none).
 */
function installWithoutBridge(): { dir: string; cleanup(): void } {
  const tmp = makeTempDir();
  ensureDataDir(dataPaths(tmp.dir));
  ensureKeys(path.join(tmp.dir, 'keys'));
  const pamDir = path.join(tmp.dir, 'pam.d');
  fs.mkdirSync(pamDir);
  fs.writeFileSync(path.join(pamDir, 'common-password'), `password required pam_unix.so\npassword optional ${requireModule()} dir=${tmp.dir}\n`);
  fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir }));
  return tmp;
}

async function vaultPasswordOf(h: Harness, user: string): Promise<string | undefined> {
  const creds = await h.install.vault.listCredentials(h.config.client);
  const cred = creds.find((c) => c.username.endsWith(`\\${user}`));
  return cred ? (await h.install.vault.readPassword(cred.id)).toString('utf8') : undefined;
}

/** Every byte a server on `socketPath` receives, per connection. It answers as `answer` says. */
function squatter(socketPath: string, answer: (socket: net.Socket, frame: Buffer[]) => void) {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (d) => {
      chunks.push(d);
      received.push(d);
      answer(socket, chunks);
    });
    socket.on('error', () => undefined);
    // A CHALLENGE as the bridge would send: the module's next step is its HELLO.
    socket.write(encodeFrame(MessageType.CHALLENGE, 1n, randomBytes(32)));
  });
  return {
    listen: () => new Promise<void>((resolve) => server.listen(socketPath, resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    bytes: () => Buffer.concat(received),
  };
}

function frameTypes(bytes: Buffer): number[] {
  const reader = new FrameReader();
  const types: number[] = [];
  for (const r of reader.feed(bytes)) if (r.kind === 'frame') types.push(r.frame.type);
  return types;
}

describe('pam_pwbridge.so under pam_wrapper', function () {
  this.timeout(60_000);
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a password change reaches the vault through the bridge, acked before pamtester returns', async () => {
    const h = await startHarness();
    cleanups.push(() => h.destroy());
    const svc = writeMatrixService(h.dir, SERVICE, { alice: 'old-pass' }, [`dir=${h.dir}`, 'debug']);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'alice', op: 'chauthtok', answers: ['old-pass', 'New pass ü 1', 'New pass ü 1'] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /change for alice delivered \(stored\)/);
    assert.deepEqual(spooled(h.dir), [], 'nothing spooled when the bridge acked');
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'alice'), 'New pass ü 1');
    // pam_matrix really changed it: the stack we sit in did its job and we did not disturb it.
    assert.match(fs.readFileSync(svc.passdb, 'utf8'), /^alice:New pass ü 1:/m);
  });

  it('bridge down: the change succeeds, is spooled sealed (no canary on disk), and reaches the vault when the bridge starts', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const canary = `canary-${randomBytes(6).toString('hex')}`;
    const svc = writeMatrixService(tmp.dir, SERVICE, { bob: 'old-pass' }, [`dir=${tmp.dir}`]);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'bob', op: 'chauthtok', answers: ['old-pass', canary, canary] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /bridge unavailable \(connect .*: No such file or directory\): change for bob spooled/);
    const files = spooled(tmp.dir);
    assert.equal(files.length, 1);
    const spoolDir = path.join(tmp.dir, 'spool');
    assert.equal(fs.statSync(spoolDir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(spoolDir, files[0])).mode & 0o777, 0o600);
    // pam_matrix's own password file is the "account database" that made the change: not ours to check.
    const ours = (f: string) => f !== svc.passdb;
    for (const f of filesUnder(tmp.dir).filter(ours)) assert.ok(!fs.readFileSync(f).includes(canary), `${f} holds the password in clear`);
    assert.ok(!run.stderr.includes(canary), 'the module logged the password');

    const h = await startHarness({ dir: tmp.dir });
    cleanups.push(() => h.stop());
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'bob'), canary);
    assert.deepEqual(spooled(tmp.dir), [], 'the drained spool file is gone');
    await h.install.events.flush();
    for (const f of filesUnder(tmp.dir).filter(ours)) {
      if (/\.db(-wal|-shm)?$/.test(f)) continue; // the vault holds it encrypted; SQLite pages are checked by the vault tests
      assert.ok(!fs.readFileSync(f).includes(canary), `${f} holds the password in clear`);
    }
  });

  it('a squatter on the socket that does not know the install secret gets one HELLO and nothing readable; the change is spooled', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const canary = `canary-${randomBytes(6).toString('hex')}`;
    const socketPath = path.join(tmp.dir, 'run', 'capture.sock');
    fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    // It answers the HELLO with a HELLO_ACK it had to tag with a key it guessed.
    const s = squatter(socketPath, (socket, chunks) => {
      if (frameTypes(Buffer.concat(chunks)).length === 1) socket.write(encodeFrame(MessageType.HELLO_ACK, 2n, Buffer.from([0, 1, 0, 0]), randomBytes(32)));
    });
    await s.listen();
    cleanups.push(() => s.close());
    const svc = writeMatrixService(tmp.dir, SERVICE, { carol: 'old-pass' }, [`dir=${tmp.dir}`]);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'carol', op: 'chauthtok', answers: ['old-pass', canary, canary] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /handshake: bad-tag.*spooled/);
    assert.deepEqual(frameTypes(s.bytes()), [MessageType.HELLO], 'the squatter got exactly one HELLO');
    assert.ok(!s.bytes().includes(canary));
    assert.equal(spooled(tmp.dir).length, 1);
  });

  it('a socket served by another user gets no byte at all', async function () {
    if (process.getuid?.() !== 0) skipBecause(this, 'serving as another uid needs root; CI is root');
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-squat-'));
    fs.chmodSync(open, 0o777);
    cleanups.push(() => fs.rmSync(open, { recursive: true, force: true }));
    const socketPath = path.join(open, 'capture.sock');
    // A server run as nobody, which counts what it receives and says so on stdout.
    const script = `const net=require('net');let n=0;net.createServer(s=>{s.on('data',d=>{n+=d.length;process.stdout.write('bytes '+n+'\\n')});s.on('error',()=>{});s.write(Buffer.alloc(44))}).listen(${JSON.stringify(socketPath)},()=>process.stdout.write('ready\\n'))`;
    const child: ChildProcess = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill());
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`squatter exited ${code}`)));
    });
    const svc = writeMatrixService(tmp.dir, SERVICE, { dave: 'old-pass' }, [`dir=${tmp.dir}`, `socket=${socketPath}`]);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'dave', op: 'chauthtok', answers: ['old-pass', 'x-new-1', 'x-new-1'] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /served by uid 65534 .*neither root nor the service's user/);
    assert.ok(!out.includes('bytes'), `the squatter received: ${out}`);
    assert.equal(spooled(tmp.dir).length, 1);
  });

  it('the same socket is accepted when uid= names its owner', async function () {
    if (process.getuid?.() !== 0) skipBecause(this, 'needs root (CI is root)');
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-squat-'));
    fs.chmodSync(open, 0o777);
    cleanups.push(() => fs.rmSync(open, { recursive: true, force: true }));
    const socketPath = path.join(open, 'capture.sock');
    const script = `const net=require('net');let n=0;net.createServer(s=>{s.on('data',d=>{n+=d.length;process.stdout.write('bytes '+n+'\\n')});s.on('error',()=>{});s.end()}).listen(${JSON.stringify(socketPath)},()=>process.stdout.write('ready\\n'))`;
    const child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill());
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    const svc = writeMatrixService(tmp.dir, SERVICE, { erin: 'old-pass' }, [`dir=${tmp.dir}`, `socket=${socketPath}`, 'uid=65534']);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'erin', op: 'chauthtok', answers: ['old-pass', 'x-new-2', 'x-new-2'] });
    assert.equal(run.code, 0, run.stderr);
    // Past the owner check this time: the server closed without a CHALLENGE, so the handshake failed.
    assert.match(run.syslog.join('\n'), /handshake: no answer in time or connection closed/);
  });

  it('a bridge given a forged HELLO (wrong install secret) refuses it; the change still succeeds', async () => {
    const h = await startHarness();
    cleanups.push(() => h.destroy());
    const forger = makeTempDir();
    cleanups.push(() => forger.cleanup());
    const keys = path.join(forger.dir, 'keys');
    fs.mkdirSync(keys, { mode: 0o700 });
    fs.copyFileSync(path.join(h.dir, 'keys', 'bridge.pub'), path.join(keys, 'bridge.pub'));
    fs.writeFileSync(path.join(keys, 'capture.secret'), randomBytes(32), { mode: 0o600 });
    const svc = writeMatrixService(forger.dir, SERVICE, { frank: 'old-pass' }, [`dir=${forger.dir}`, `socket=${h.config.socketPath}`]);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'frank', op: 'chauthtok', answers: ['old-pass', 'forged-1', 'forged-1'] });
    assert.equal(run.code, 0, run.stderr);
    await h.install.events.flush();
    const refused = await h.install.vault.queryEvents({ kind: 'frame-refused' });
    assert.equal(refused.length, 1);
    assert.match(refused[0].reason ?? '', /^bad-tag/);
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'frank'), undefined);
    // …and the bridge still serves the real capture afterwards.
    const good = writeMatrixService(h.dir, SERVICE, { frank: 'old-pass' }, [`dir=${h.dir}`]);
    const ok = await pamtester({ serviceDir: good.serviceDir, service: SERVICE, user: 'frank', op: 'chauthtok', answers: ['old-pass', 'real-1', 'real-1'] });
    assert.equal(ok.code, 0, ok.stderr);
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'frank'), 'real-1');
  });

  it('a bridge that accepts and never answers costs at most timeout=; the change succeeds and is spooled', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const socketPath = path.join(tmp.dir, 'run', 'capture.sock');
    fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    const silent = net.createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve));
    cleanups.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const svc = writeMatrixService(tmp.dir, SERVICE, { gina: 'old-pass' }, [`dir=${tmp.dir}`, 'timeout=100']);
    // killAfterMs: a module that hangs is killed, and a killed pamtester has no exit code: the test fails.
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'gina', op: 'chauthtok', answers: ['old-pass', 'slow-1', 'slow-1'], killAfterMs: 10_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /handshake: no answer in time.*spooled/);
    assert.equal(spooled(tmp.dir).length, 1);
  });

  it('bad arguments are logged and ignored; the change still goes through', async () => {
    const h = await startHarness();
    cleanups.push(() => h.destroy());
    const svc = writeMatrixService(h.dir, SERVICE, { hank: 'old-pass' }, [`dir=${h.dir}`, 'timeout=abc', 'bogus=1', 'socket=relative/path']);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'hank', op: 'chauthtok', answers: ['old-pass', 'args-1', 'args-1'] });
    assert.equal(run.code, 0, run.stderr);
    const log = run.syslog.join('\n');
    assert.match(log, /timeout= must be 10\.\.10000 ms/);
    assert.match(log, /unknown argument "bogus=1" ignored/);
    assert.match(log, /socket= must be an absolute path/);
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'hank'), 'args-1');
  });

  it('missing or loosely protected keys: the change succeeds and the loss is logged plainly', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    fs.chmodSync(path.join(tmp.dir, 'keys', 'capture.secret'), 0o644);
    const svc = writeMatrixService(tmp.dir, SERVICE, { ivan: 'old-pass' }, [`dir=${tmp.dir}`]);
    const loose = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'ivan', op: 'chauthtok', answers: ['old-pass', 'k-1', 'k-1'] });
    assert.equal(loose.code, 0, loose.stderr);
    assert.match(loose.syslog.join('\n'), /change for ivan LOST: .*capture\.secret has mode 0644, looser than 0600/);
    assert.deepEqual(spooled(tmp.dir), []);

    const empty = makeTempDir();
    cleanups.push(() => empty.cleanup());
    const svc2 = writeMatrixService(empty.dir, SERVICE, { ivan: 'k-1' }, [`dir=${empty.dir}`]);
    const none = await pamtester({ serviceDir: svc2.serviceDir, service: SERVICE, user: 'ivan', op: 'chauthtok', answers: ['k-1', 'k-2', 'k-2'] });
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.syslog.join('\n'), /LOST: cannot read the install's keys \(open .*capture\.secret: No such file or directory\)/);
  });

  it('valgrind finds no memory error and no leak in a change, bridge up and bridge down', async () => {
    const h = await startHarness();
    cleanups.push(() => h.destroy());
    const svc = writeMatrixService(h.dir, SERVICE, { kate: 'old-pass' }, [`dir=${h.dir}`]);
    const up = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'kate', op: 'chauthtok', answers: ['old-pass', 'vg-1', 'vg-1'], valgrind: true, killAfterMs: 60_000 });
    assert.equal(up.code, 0, up.stderr.split('\n').filter((l) => l.startsWith('==')).join('\n'));
    assert.match(up.stderr, /ERROR SUMMARY: 0 errors/);
    await h.stop();
    const down = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'kate', op: 'chauthtok', answers: ['vg-1', 'vg-2', 'vg-2'], valgrind: true, killAfterMs: 60_000 });
    assert.equal(down.code, 0, down.stderr.split('\n').filter((l) => l.startsWith('==')).join('\n'));
    assert.match(down.syslog.join('\n'), /spooled/);
    assert.match(down.stderr, /ERROR SUMMARY: 0 errors/);
  });

  it('the prelim pass and a failed change send nothing', async () => {
    const h = await startHarness();
    cleanups.push(() => h.destroy());
    const svc = writeMatrixService(h.dir, SERVICE, { judy: 'old-pass' }, [`dir=${h.dir}`, 'debug']);
    // Wrong old password: pam_matrix fails the change, so the update pass never reaches our module.
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'judy', op: 'chauthtok', answers: ['WRONG', 'n-1', 'n-1'] });
    assert.notEqual(run.code, 0);
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'judy'), undefined);
    assert.ok(!run.syslog.some((l) => l.includes('delivered')), run.syslog.join('\n'));
  });
  it('a key file that cannot be read is reported as an I/O problem, never as a wrong point format', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    fs.rmSync(path.join(tmp.dir, 'keys', 'bridge.pub'));
    const svc = writeMatrixService(tmp.dir, SERVICE, { kim: 'old-pass' }, [`dir=${tmp.dir}`]);
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'kim', op: 'chauthtok', answers: ['old-pass', 'kr-1', 'kr-1'] });
    assert.equal(run.code, 0, run.stderr);
    const log = run.syslog.join('\n');
    assert.match(log, /change for kim LOST: cannot read the install's keys \(open .*bridge\.pub: No such file or directory\)/);
    assert.doesNotMatch(log, /point|malformed/);
    assert.deepEqual(spooled(tmp.dir), []);
  });

  it('a key file that was read and is not a key is reported as malformed: its first byte, or its size', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const pub = path.join(tmp.dir, 'keys', 'bridge.pub');
    const key = fs.readFileSync(pub);
    const svc = writeMatrixService(tmp.dir, SERVICE, { lou: 'old-pass' }, [`dir=${tmp.dir}`]);
    fs.writeFileSync(pub, Buffer.concat([Buffer.from([0x02]), key.subarray(1)])); // a compressed-point prefix
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'lou', op: 'chauthtok', answers: ['old-pass', 'km-1', 'km-1'] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /change for lou LOST: the install's keys are malformed \(.*bridge\.pub starts with 0x02, not 0x04: not an uncompressed P-256 point\)/);
    fs.writeFileSync(pub, key.subarray(0, 64));
    const short = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'lou', op: 'chauthtok', answers: ['km-1', 'km-2', 'km-2'] });
    assert.equal(short.code, 0, short.stderr);
    assert.match(short.syslog.join('\n'), /the install's keys are malformed \(.*bridge\.pub holds 64 bytes, not 65\)/);
    assert.deepEqual(spooled(tmp.dir), []);
  });

  it('a bridge whose listen backlog is full: the module retries within timeout=, then spools and says the bridge was busy', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const socketPath = path.join(tmp.dir, 'run', 'capture.sock');
    fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    // A real listener that never accepts, its backlog filled by connections it holds: Node's own
    // servers accept at once, so Python's socket module plays it.
    const script = [
      'import socket, sys',
      'srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      'srv.bind(sys.argv[1]); srv.listen(0)',
      'held = []',
      'while True:',
      '    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.setblocking(False)',
      '    try: c.connect(sys.argv[1])',
      '    except BlockingIOError: break',
      '    held.append(c)',
      'print("full", len(held), flush=True)',
      'sys.stdin.read()',
    ].join('\n');
    const child = spawn('python3', ['-c', script, socketPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill());
    const held = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const m = /full (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`the listener exited ${code}`)));
    });
    assert.ok(held >= 1, 'the backlog holds at least one connection');
    const svc = writeMatrixService(tmp.dir, SERVICE, { mia: 'old-pass' }, [`dir=${tmp.dir}`, 'timeout=150']);
    const started = Date.now();
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'mia', op: 'chauthtok', answers: ['old-pass', 'busy-1', 'busy-1'], killAfterMs: 10_000 });
    const took = Date.now() - started;
    assert.equal(run.code, 0, run.stderr);
    const log = run.syslog.join('\n');
    assert.match(log, /bridge unavailable \(bridge busy: .*capture\.sock refused new connections \(listen backlog full\) for \d+ ms\): change for mia spooled/);
    assert.doesNotMatch(log, /SO_PEERCRED|served by uid/);
    assert.equal(spooled(tmp.dir).length, 1);
    assert.ok(took < 5_000, `the change took ${took} ms`);
  });

  it('a user name with a newline and a forged log line: refused before anything names it, and logged escaped on one line', async () => {
    const tmp = installWithoutBridge();
    cleanups.push(() => tmp.cleanup());
    const serviceDir = path.join(tmp.dir, 'pam-services');
    fs.mkdirSync(serviceDir);
    // pam_permit sets no new password: before the fix, the "no new password for <user>" line came first.
    fs.writeFileSync(path.join(serviceDir, SERVICE), `password required ${PAM_PERMIT}\npassword optional ${requireModule()} dir=${tmp.dir}\n`);
    const forged = 'PWRAP_ERROR[pamtester (1)] - SYSLOG(3): change for root delivered (stored)';
    const user = `mallory\n${forged}`;
    // Not -v: pamtester would echo the user name itself, newline and all, which is pamtester's business.
    const run = await pamtester({ serviceDir, service: SERVICE, user, op: 'chauthtok', answers: [], verbose: false });
    assert.equal(run.code, 0, run.stderr);
    const stderrLines = run.stderr.split('\n');
    assert.ok(!stderrLines.some((l) => l.startsWith(forged)), `a forged entry reached the log:\n${run.stderr}`);
    assert.ok(!run.syslog.some((l) => /change for root delivered/.test(l)), `a forged entry reached the log:\n${run.syslog.join('\n')}`);
    const line = stderrLines.find((l) => l.includes('SYSLOG(3): user name "'));
    assert.ok(line, run.stderr);
    // The first 64 bytes, the newline as \x0a, then "...": one line, and no more of the name than that.
    assert.ok(line.endsWith(`SYSLOG(3): user name "${user.slice(0, 64).replace('\n', '\\x0a')}..." is not 1..256 bytes of UTF-8 without control characters: change not captured`), line);
    assert.ok(!run.syslog.some((l) => l.includes('no new password')), 'nothing else named the user');
  });

  it('with the shadow check on (the default), a change /etc/shadow does not hold is not reported: an account with no shadow entry', async function () {
    if (!isRoot) skipBecause(this, 'reading /etc/shadow needs root, as passwd and chpasswd have');
    const h = await startHarness();
    cleanups.push(() => h.destroy());
    const svc = writeMatrixService(h.dir, SERVICE, { nora: 'old-pass' }, [`dir=${h.dir}`], { shadowCheck: true });
    const run = await pamtester({ serviceDir: svc.serviceDir, service: SERVICE, user: 'nora', op: 'chauthtok', answers: ['old-pass', 'ns-1', 'ns-1'] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.syslog.join('\n'), /change for nora NOT reported: nora has no entry in \/etc\/shadow, so it is no local password pam_unix keeps/);
    await h.bridge.drain();
    assert.equal(await vaultPasswordOf(h, 'nora'), undefined);
    assert.deepEqual(spooled(h.dir), []);
    // pam_matrix did change it: the check never alters the stack's result, only what is reported.
    assert.match(fs.readFileSync(svc.passdb, 'utf8'), /^nora:ns-1:/m);
  });
});
