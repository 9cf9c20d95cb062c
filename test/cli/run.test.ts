import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesUnder, makeTempDir } from '../helpers/tmp';
import { CaptureClient } from '../helpers/capture-client';
import { Encoding } from '../../src/protocol/constants';
import {
  assertExit, assertRefused, findSecret, jsonLines, listing, modeOf, pollUntil, runCli, sleep, startCli, tempDataDir, transcript,
  type CliResult, type LiveCli,
} from './cli';

interface EventJson { id: number; time: number; machine: string; account?: string; credentialId?: number; kind: string; outcome: string; reason?: string; traceId?: string }
interface CredJson { id: number; client: string; username: string; windowsSync: boolean; mode: string; version: number; flags: string[] }

const HOUR = 3_600_000;

function bootId(): Buffer {
  return Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex');
}

/** A reference capture speaking to the service through its socket, keyed from the data dir's files. */
function connectCapture(dir: string): Promise<CaptureClient> {
  return CaptureClient.connect(path.join(dir, 'run', 'capture.sock'), {
    secret: fs.readFileSync(path.join(dir, 'keys', 'capture.secret')),
    bridgePub: fs.readFileSync(path.join(dir, 'keys', 'bridge.pub')),
    bootId: bootId(),
    machine: 'TESTHOST',
  });
}

/** Send one password change for `account` and wait for its ACK. */
async function sendChange(dir: string, account: string, password: string): Promise<{ eventIdHex: string; status: number }> {
  const c = await connectCapture(dir);
  try {
    const sent = c.send({ account, encoding: Encoding.raw, password: Buffer.from(password, 'utf8') });
    const ack = await sent.acked;
    return { eventIdHex: sent.eventIdHex, status: ack.status };
  } finally {
    c.destroy();
  }
}

const canaries: string[] = [];
function newCanary(): string {
  const c = `canary-${randomBytes(10).toString('hex')}`;
  canaries.push(c);
  return c;
}

describe('pwbridge run as a child process, driven through its socket and the CLI', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => void;
  let pam: { dir: string; cleanup(): void };
  let service: LiveCli;
  let firstOutput = 0;
  const sock = () => path.join(dir, 'run', 'capture.sock');
  const cli = (args: string[], stdin?: string) => runCli(args, { dataDir: dir, stdin });
  const events = async (...args: string[]) => {
    const r = await cli(['events', '--json', ...args]);
    assertExit(r, 0, `events ${args.join(' ')}`);
    return jsonLines<EventJson>(r);
  };

  before(async () => {
    firstOutput = transcript.length;
    pam = makeTempDir('pwbridge-cli-pam-');
    ({ dir, cleanup } = tempDataDir({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: pam.dir }));
    service = startCli(['run'], dir);
    await service.waitFor('the service to announce its socket', (_out, err) => /serving .*capture\.sock/.test(err));
    await pollUntil('the socket', () => (fs.existsSync(sock()) ? true : undefined));
  });

  after(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.done.catch(() => undefined);
    }
    cleanup?.();
    pam?.cleanup();
  });

  it('makes its run dir 0700, socket 0600, keys dir 0700, capture.secret 0600 (and the data dir 0700)', () => {
    assert.ok(fs.lstatSync(sock()).isSocket(), 'capture.sock is not a socket');
    assert.equal(modeOf(path.join(dir, 'run')), '0700', 'run dir');
    assert.equal(modeOf(sock()), '0600', 'socket');
    assert.equal(modeOf(path.join(dir, 'keys')), '0700', 'keys dir');
    assert.equal(modeOf(path.join(dir, 'keys', 'capture.secret')), '0600', 'capture.secret');
    assert.equal(modeOf(path.join(dir, 'keys', 'bridge.key')), '0600', 'bridge.key');
    assert.equal(modeOf(dir), '0700', 'data dir');
    assert.equal(fs.readFileSync(path.join(dir, 'keys', 'capture.secret')).length, 32);
    assert.equal(fs.readFileSync(path.join(dir, 'keys', 'bridge.pub')).length, 65);
  });

  it('status --json: service running, a filter state, a journal depth', async () => {
    const r = await cli(['status', '--json']);
    assertExit(r, 0, 'status --json');
    const [s] = jsonLines<{ serviceRunning: boolean; machine: string; client: string; socketPath: string; filter: { state: string; reason: string }; journalDepth: number; deadLetters: unknown[] }>(r);
    assert.equal(s.serviceRunning, true);
    assert.equal(s.machine, 'TESTHOST');
    assert.equal(s.client, 'local');
    assert.equal(s.socketPath, sock());
    // The PAM dir given to this data dir is empty: no stack holds the module, and the state says so.
    assert.equal(s.filter.state, 'not-installed');
    assert.match(s.filter.reason, /pam_pwbridge\.so is not on any password line/);
    assert.equal(typeof s.journalDepth, 'number');
    assert.ok(s.journalDepth >= 0);
    assert.deepEqual(s.deadLetters, []);
  });

  it('status (text) says running', async () => {
    const r = await cli(['status']);
    assertExit(r, 0, 'status');
    assert.match(r.stdout, /^service: +running \(socket /m);
    assert.match(r.stdout, /^machine: +TESTHOST +client: local$/m);
  });

  it('records service-started and the embedded client "local"', async () => {
    const all = await events();
    assert.ok(all.some((e) => e.kind === 'service-started' && e.machine === 'TESTHOST'), JSON.stringify(all));
    const clients = jsonLines<{ name: string; autoCreate: boolean; defaultMode: string; agentsWriteShared: boolean }>(await cli(['vault', 'client', 'list', '--json']));
    // The embedded client has the same defaults as any new client: Change Password, no shared writes from captures.
    assert.deepEqual(clients.map((c) => [c.name, c.autoCreate, c.defaultMode, c.agentsWriteShared]), [['local', true, 'change', false]]);
  });

  it('selftest: the service proves the install secret; exit 0; recorded, and the filter state is not touched by it', async () => {
    const before = jsonLines<{ filter: { state: string } }>(await cli(['status', '--json']))[0].filter.state;
    const r = await cli(['selftest', '--json']);
    assertExit(r, 0, 'selftest');
    const [res] = jsonLines<{ ok: boolean; detail: string }>(r);
    assert.equal(res.ok, true);
    assert.match(res.detail, /proved/);
    await pollUntil('the selftest event', async () => ((await events('--kind', 'selftest')).length === 1 ? true : undefined));
    assert.equal(jsonLines<{ filter: { state: string } }>(await cli(['status', '--json']))[0].filter.state, before);
  });

  let userEvent: EventJson;
  it('a capture change for an unknown account auto-creates TESTHOST\\user, seen by events and cred list', async () => {
    const canary = newCanary();
    const { eventIdHex, status } = await sendChange(dir, 'user', canary);
    assert.equal(status, 0, 'ack status stored');
    userEvent = await pollUntil('a credential-created event for user', async () =>
      (await events('--account', 'user')).find((e) => e.kind === 'credential-created'), 10_000);
    assert.equal(userEvent.outcome, 'ok');
    assert.equal(userEvent.traceId, eventIdHex, 'the event carries the capture\'s event id');
    const creds = jsonLines<CredJson>(await cli(['vault', 'cred', 'list', '--client', 'local', '--json']));
    const c = creds.find((x) => x.username === 'TESTHOST\\user');
    assert.ok(c, `no TESTHOST\\user in ${JSON.stringify(creds)}`);
    assert.equal(c.mode, 'change', 'the client\'s default mode, Change Password');
    assert.equal(c.version, 1);
    assert.equal(userEvent.credentialId, c.id);
    for (const k of Object.keys(c)) assert.doesNotMatch(k, /^(password|secret|sealed|ciphertext)$/i, `cred list --json has field ${k}`);
  });

  describe('events filters', () => {
    it('--account shows only that account', async () => {
      const rows = await events('--account', 'user');
      assert.ok(rows.length > 0);
      for (const e of rows) assert.equal(e.account, 'user', JSON.stringify(e));
      assert.deepEqual(await events('--account', 'nobody-at-all'), []);
    });

    it('--limit N shows the N most recent events, oldest first; a bad --limit is refused', async () => {
      const all = await events();
      assert.ok(all.length >= 3);
      assert.deepEqual((await events('--limit', '2')).map((e) => e.id), all.slice(-2).map((e) => e.id));
      const r = await cli(['events', '--limit', 'lots']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--limit/);
    });

    it('--kind shows only that kind', async () => {
      const rows = await events('--kind', 'credential-created');
      assert.ok(rows.some((e) => e.id === userEvent.id));
      for (const e of rows) assert.equal(e.kind, 'credential-created');
      const started = await events('--kind', 'service-started');
      assert.equal(started.length, 1);
    });

    it('--since 1h includes what just happened; events are in id order', async () => {
      const rows = await events('--since', '1h');
      assert.ok(rows.some((e) => e.id === userEvent.id));
      for (const e of rows) assert.ok(e.time >= Date.now() - HOUR - 60_000);
      const ids = rows.map((e) => e.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    });

    it('--since 1ms after a pause excludes older events', async () => {
      await sleep(50);
      const rows = await events('--since', '1ms', '--kind', 'credential-created');
      assert.deepEqual(rows, []);
    });

    it('text output has one line per event', async () => {
      const r = await cli(['events', '--kind', 'credential-created']);
      assertExit(r, 0, 'events --kind');
      assert.match(r.stdout, /^\d{4}-\d\d-\d\dT\S+Z {2}credential-created +ok +user {2}cred=\d+/m);
    });

    for (const bad of ['soon', '5 weeks', '-1h', '']) {
      it(`--since ${JSON.stringify(bad)}: exit 2 naming --since`, async () => {
        const r = await cli(['events', '--since', bad]);
        assertRefused(r, `--since ${bad}`, /--since/, /is not a duration/, /e\.g\. 30s/);
      });
    }

    it('--follow prints an event stored after it started, and stops on SIGINT with exit 0', async () => {
      const follow = startCli(['events', '--follow', '--json'], dir, 60_000);
      try {
        // It prints the history first; once that is out, it is polling.
        await follow.waitFor('the history', (out) => out.includes('"service-started"'));
        await sleep(300);
        const printedBefore = follow.stdout();
        const canary = newCanary();
        const { eventIdHex, status } = await sendChange(dir, 'follower', canary);
        assert.equal(status, 0);
        await follow.waitFor('the new event', (out) => out.includes(eventIdHex), 10_000);
        const rows = jsonLines<EventJson>(follow.stdout());
        const fresh = rows.slice(printedBefore.split('\n').length - 1);
        assert.ok(fresh.some((e) => e.kind === 'credential-created' && e.account === 'follower' && e.traceId === eventIdHex), JSON.stringify(fresh));
        // Nothing printed twice.
        const ids = rows.map((e) => e.id);
        assert.equal(new Set(ids).size, ids.length, `duplicated events: ${ids.join(',')}`);
      } finally {
        follow.child.kill('SIGINT');
      }
      const r = await follow.done;
      assertExit(r, 0, 'events --follow after SIGINT');
    });
  });

  // Mocha runs a describe's own tests before its nested ones: these come after the events filters.
  describe('a second instance, shutdown, restart and the canary check', () => {
    let second: CliResult;
    it('a second run on the same data dir exits 2 promptly, naming the other process', async () => {
      const before = fs.statSync(sock());
      second = await runCli(['run'], { dataDir: dir, timeoutMs: 15_000 });
      assert.match(second.stderr, /another process is already serving .*capture\.sock/);
      assert.match(second.stderr, /Stop the other pwbridge, or use another --data-dir/);
      assert.equal(fs.statSync(sock()).ino, before.ino, 'the second run replaced the socket');
      assertExit(second, 2, 'second run');
    });

    it('the first service keeps serving after the second run gave up', async () => {
      assert.ok(second, 'the second run did not run');
      const { status } = await sendChange(dir, 'user', newCanary());
      assert.equal(status, 0, 'the first service still acks');
      const s = jsonLines<{ serviceRunning: boolean }>(await cli(['status', '--json']))[0];
      assert.equal(s.serviceRunning, true);
      assert.equal(service.child.exitCode, null, 'the first service exited');
    });

    it('SIGTERM: exit 0, the socket is gone, status says not running, service-stopped recorded', async () => {
      service.child.kill('SIGTERM');
      const r = await service.done;
      assertExit(r, 0, 'run after SIGTERM');
      assert.equal(fs.existsSync(sock()), false, 'the socket outlived the service');
      const s = jsonLines<{ serviceRunning: boolean }>(await cli(['status', '--json']))[0];
      assert.equal(s.serviceRunning, false);
      const stopped = await events('--kind', 'service-stopped');
      assert.equal(stopped.length, 1);
    });

    it('a stale socket left by a killed service does not stop the next run', async () => {
      const again = startCli(['run'], dir);
      await again.waitFor('the service to start', (_o, e) => /serving/.test(e));
      await pollUntil('the socket', () => (fs.existsSync(sock()) ? true : undefined));
      again.child.kill('SIGKILL');
      await again.done;
      assert.ok(fs.lstatSync(sock()).isSocket(), 'SIGKILL leaves the socket file');
      const third = startCli(['run'], dir);
      try {
        await third.waitFor('the service to start over the stale socket', (_o, e) => /serving/.test(e));
        const { status } = await sendChange(dir, 'user', newCanary());
        assert.equal(status, 0);
      } finally {
        third.child.kill('SIGTERM');
      }
      assertExit(await third.done, 0, 'third run after SIGTERM');
    });

    it('no password (UTF-8 or UTF-16LE) in any file of the data dir or any command output', () => {
      assert.ok(canaries.length >= 3, 'the canaries were not sent');
      const files = filesUnder(dir);
      const names = files.map((f) => path.relative(dir, f));
      for (const must of ['vault.db', 'state.db', path.join('log', 'pwbridge.log'), path.join('keys', 'capture.secret')]) {
        assert.ok(names.includes(must), `${must} missing from ${names.join(', ')}`);
      }
      // The log must hold the decisions about those changes, or finding no canary in it proves nothing.
      const log = fs.readFileSync(path.join(dir, 'log', 'pwbridge.log'), 'utf8');
      assert.match(log, /"kind":"credential-created"/);
      assert.match(log, /"account":"user"/);
      for (const f of files) {
        const bytes = fs.readFileSync(f);
        for (const c of canaries) {
          const enc = findSecret(bytes, c);
          assert.equal(enc, undefined, `${path.relative(dir, f)} holds a password (${enc})`);
        }
      }
      const outputs = transcript.slice(firstOutput);
      assert.ok(outputs.length > 10);
      for (const r of outputs) {
        for (const c of canaries) {
          assert.equal(findSecret(r.stdoutBytes, c), undefined, `stdout holds a password:\n${r.stdout.slice(0, 2000)}`);
          assert.equal(findSecret(r.stderrBytes, c), undefined, `stderr holds a password:\n${r.stderr.slice(0, 2000)}`);
        }
      }
    });

    it('the data dir holds only what an install should (no stray temp files)', () => {
      const entries = listing(dir).map((l) => l.split(' ')[0]);
      for (const e of entries) {
        assert.match(e, /^(config\.json|vault\.db(-wal|-shm)?|state\.db(-wal|-shm)?|keys(\/(capture\.secret|bridge\.key|bridge\.pub|vault\.key))?|log(\/pwbridge\.log)?|run(\/capture\.sock)?|spool)$/, `unexpected ${e}`);
      }
    });
  });
});
