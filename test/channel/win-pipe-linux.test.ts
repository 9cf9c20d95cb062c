// The Windows pipe's TypeScript side, seen from Linux: never loaded by the service here, a loader that says
// what it tried, and the two places that read an "access denied" on the pipe as a running service.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createECDH } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { servedThoughRefused } from '../../src/channel/socket-listener';
import { addonCandidates, loadPipeAddon } from '../../src/channel/win-pipe/load-addon';
import { connectFailure, handshake, REFUSED_BEFORE_FIRST_BYTE } from '../../src/cli/commands/selftest';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';
import { skipBecause } from '../helpers/skip';

const PIPE = '\\\\.\\pipe\\pwbridge';

describe('the Windows pipe modules on Linux', function () {
  this.timeout(60_000);

  it('a running bridge takes a CHANGE over its Unix socket without ever loading the loader, the listener or the addon', function () {
    if (process.platform !== 'linux') skipBecause(this, 'Linux only');
    // In a process of its own: mocha's has loaded this file's imports.
    const harness = path.join(repoRoot(), 'dist', 'test', 'helpers', 'bridge-harness.js');
    const script = `
      const { startHarness } = require(${JSON.stringify(harness)});
      (async () => {
        const h = await startHarness();
        const c = await h.connect();
        const ack = await c.send({ account: 'alice', encoding: 1, password: Buffer.from('pw') }).acked;
        c.destroy();
        await h.destroy();
        const loaded = Object.keys(require.cache).filter((k) => /win-pipe|pwbridge_pipe/.test(k));
        const channel = Object.keys(require.cache).filter((k) => k.includes('socket-listener'));
        process.stdout.write(JSON.stringify({ status: ack.status, loaded, channel: channel.length }));
      })().catch((e) => { process.stdout.write(JSON.stringify({ error: e.stack })); });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 50_000 }));
    assert.equal(out.error, undefined, out.error);
    assert.equal(out.status, 0);
    assert.equal(out.channel, 1, 'the listener module that would load it was used');
    assert.deepEqual(out.loaded, []);
  });

  it('the loader refuses on another platform, naming it', () => {
    assert.throws(() => loadPipeAddon({ platform: 'linux' }), /pwbridge_pipe\.node is the Windows named-pipe server; this is linux/);
  });

  it('looks in the package\'s addons/ (the MSI) and then native/build-win/ (a development build)', () => {
    assert.deepEqual(addonCandidates('/opt/pwb'), ['/opt/pwb/addons/pwbridge_pipe.node', '/opt/pwb/native/build-win/pwbridge_pipe.node']);
    assert.deepEqual(addonCandidates(), [path.join(repoRoot(), 'addons', 'pwbridge_pipe.node'), path.join(repoRoot(), 'native', 'build-win', 'pwbridge_pipe.node')]);
  });

  it('a failed load lists every path it tried and why each did not do', () => {
    const t = makeTempDir();
    try {
      const absent = path.join(t.dir, 'addons', 'pwbridge_pipe.node');
      const broken = path.join(t.dir, 'pwbridge_pipe.node');
      fs.writeFileSync(broken, 'not a shared library');
      assert.throws(() => loadPipeAddon({ platform: 'win32', candidates: [absent, broken] }), (err: Error) => {
        assert.match(err.message, /cannot load pwbridge_pipe\.node, which serves the capture pipe on Windows; tried:/);
        assert.ok(err.message.includes(`${absent}: not there`), err.message);
        assert.ok(err.message.includes(`${broken}: `) && !err.message.includes(`${broken}: not there`), err.message);
        assert.match(err.message, /Reinstall pwbridge, or build it/);
        return true;
      });
    } finally {
      t.cleanup();
    }
  });

  it('access denied on the pipe means a running service that refuses this account; nothing else does', () => {
    assert.equal(servedThoughRefused(PIPE, 'EPERM', 'win32'), true);
    assert.equal(servedThoughRefused(PIPE, 'EACCES', 'win32'), true);
    assert.equal(servedThoughRefused(PIPE, 'ENOENT', 'win32'), false);
    assert.equal(servedThoughRefused(PIPE, 'EPERM', 'linux'), false);
    assert.equal(servedThoughRefused('C:\\data\\capture.sock', 'EPERM', 'win32'), false);
  });

  it('selftest says plainly when the pipe refuses the account, and when nothing serves it', () => {
    assert.match(connectFailure(PIPE, 'EPERM', 'win32'), /^the service is running, but its pipe does not let this account in \(access denied, EPERM\): only SYSTEM and the service account may open it/);
    assert.equal(connectFailure(PIPE, 'ENOENT', 'win32'), 'the service is not reachable (ENOENT)');
    assert.equal(connectFailure('/run/pwbridge/capture.sock', 'EACCES', 'linux'), 'the service is not reachable (EACCES)');
  });

  it('selftest against a server that hangs up before its first byte says it was refused, not that the handshake broke', async () => {
    const t = makeTempDir();
    const sock = path.join(t.dir, 's.sock');
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const r = await handshake(sock, Buffer.alloc(32, 1), ecdh.getPublicKey(), 'host');
      assert.deepEqual(r, { ok: false, detail: REFUSED_BEFORE_FIRST_BYTE });
    } finally {
      await new Promise((r) => server.close(r));
      t.cleanup();
    }
  });
});
