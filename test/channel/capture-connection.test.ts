import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { serveCaptureConnection } from '../../src/channel/capture-connection';
import { Encoding } from '../../src/protocol/constants';
import { CaptureClient } from '../helpers/capture-client';
import { makeTempDir } from '../helpers/tmp';

// A hook that throws (state.db full while the HELLO is recorded) must end that one connection with a
// refusal, never the process: before, the throw escaped the socket's 'data' handler.
describe('a capture connection whose hook throws', () => {
  it('is refused and closed; the server keeps serving the next connection', async () => {
    const tmp = makeTempDir('pwbridge-conn-');
    const socketPath = path.join(tmp.dir, 'c.sock');
    const secret = randomBytes(32);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const bridgePub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    const refusals: string[] = [];
    let helloThrows = true;
    const server = net.createServer({ allowHalfOpen: true }, (socket) => serveCaptureConnection(socket, {
      secret,
      onHello: () => { if (helloThrows) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); },
      onChange: (a) => a.ack('stored'),
      onRefused: (reason, detail) => refusals.push(`${reason}: ${detail}`),
    }));
    await new Promise<void>((r) => server.listen(socketPath, r));
    try {
      const opts = { secret, bridgePub, bootId: randomBytes(16), machine: 'TESTHOST', timeoutMs: 2000 };
      // The HELLO_ACK goes out before the hook runs; the connection is closed right after it.
      const first = await CaptureClient.connect(socketPath, opts);
      await first.closed;
      assert.equal(refusals.length, 1);
      assert.match(refusals[0], /^internal: the bridge could not handle the frame: database or disk is full/);
      helloThrows = false;
      const c = await CaptureClient.connect(socketPath, opts);
      const ack = await c.send({ account: 'alice', encoding: Encoding.raw, password: Buffer.from('pw') }).acked;
      assert.equal(ack.status, 0);
      c.destroy();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      tmp.cleanup();
    }
  });
});
