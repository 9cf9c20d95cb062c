import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';
import * as net from 'node:net';
import { randomBytes } from 'node:crypto';
import { MessageType } from '../../src/protocol/constants';
import { encodeFrame } from '../../src/protocol/frame';
import { assertExit, jsonLines, runCli, tempDataDir } from './cli';

interface StatusJson { serviceRunning: boolean; filter: { state: string; reason: string }; spool: { waiting: number; refused: number } }

describe('pwbridge status (CLI): the filter state as of now, with the service stopped', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;
  let pam: { dir: string; cleanup(): void };
  const status = async () => {
    const r = await runCli(['status', '--json'], { dataDir: dir });
    assertExit(r, 0, 'status --json');
    return jsonLines<StatusJson>(r)[0];
  };

  beforeEach(() => {
    pam = makeTempDir('pwbridge-cli-pam-');
    ({ dir, cleanup } = tempDataDir({ machine: 'TESTHOST', pamDir: pam.dir }));
  });
  afterEach(() => {
    cleanup();
    pam.cleanup();
  });

  it('counts the spool: events waiting for the service and refused ones kept as .bad', async () => {
    assertExit(await runCli(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
    assert.deepEqual((await status()).spool, { waiting: 0, refused: 0 });
    const spool = path.join(dir, 'spool');
    for (const n of ['a.chg', 'b.chg', 'c.chg.bad', '.d.tmp']) fs.writeFileSync(path.join(spool, n), 'x');
    assert.deepEqual((await status()).spool, { waiting: 2, refused: 1 });
    const text = await runCli(['status'], { dataDir: dir });
    assert.match(text.stdout, /spool: +2 waiting for the service, 1 refused/);
  });

  it('follows the PAM stack: not-installed, then active once the module is optional in it, faulted once its file is gone', async () => {
    assertExit(await runCli(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
    let s = await status();
    assert.equal(s.serviceRunning, false);
    assert.equal(s.filter.state, 'not-installed');

    const so = path.join(pam.dir, 'pam_pwbridge.so');
    fs.writeFileSync(so, '');
    fs.writeFileSync(path.join(pam.dir, 'common-password'),
      `password [success=1 default=ignore] pam_unix.so obscure yescrypt\npassword requisite pam_deny.so\npassword required pam_permit.so\npassword optional ${so}\n`);
    s = await status();
    assert.equal(s.filter.state, 'active', s.filter.reason);
    assert.match(s.filter.reason, /common-password/);

    fs.rmSync(so);
    s = await status();
    assert.equal(s.filter.state, 'faulted');
    assert.match(s.filter.reason, /missing|not found|does not exist/i);
  });
});

describe('pwbridge selftest (CLI) when the service is not there', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDataDir({ machine: 'TESTHOST' }));
    // An install whose service is not running: keys and journal exist.
    assertExit(await runCli(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
  });
  afterEach(() => cleanup());

  it('nothing listening: exit 1, says the service is not reachable', async () => {
    const r = await runCli(['selftest'], { dataDir: dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAILED: the service is not reachable/);
  });

  it('a squatter on the socket that cannot prove the secret: exit 1, says it is not this install\'s bridge', async () => {
    const socketPath = path.join(dir, 'run', 'capture.sock');
    fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    const got: Buffer[] = [];
    const squatter = net.createServer((c) => {
      c.write(encodeFrame(MessageType.CHALLENGE, 1n, randomBytes(32)));
      c.on('data', (d) => {
        got.push(d);
        c.write(encodeFrame(MessageType.HELLO_ACK, 2n, Buffer.alloc(4), randomBytes(32)));
      });
    });
    await new Promise<void>((r) => squatter.listen(socketPath, () => r()));
    try {
      const r = await runCli(['selftest', '--json'], { dataDir: dir });
      assert.equal(r.code, 1);
      const [res] = jsonLines<{ ok: boolean; detail: string }>(r);
      assert.equal(res.ok, false);
      assert.match(res.detail, /not this install's bridge/);
      assert.ok(Buffer.concat(got).length > 0, 'the squatter saw the HELLO, and nothing more is sent to it');
    } finally {
      squatter.close();
    }
  });
});
