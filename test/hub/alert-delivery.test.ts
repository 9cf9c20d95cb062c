// One webhook delivery (src/hub/alert-delivery.ts) against real HTTP servers started here: a receiver that
// never answers is given up at the deadline (the deadline's timer is the test's, fired by hand: no waiting)
// and its connection is closed; a 2xx is a delivery, a 5xx a failure naming the status; nothing is followed.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERY_TIMEOUT_MS, deliver, type DeadlineTimer } from '../../src/hub/alert-delivery';

const SECRET = Buffer.from('whsec_delivery-test');

async function serve(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

describe('hub: one webhook delivery', function () {
  const servers: http.Server[] = [];
  after(async () => {
    for (const s of servers) { s.closeAllConnections(); await new Promise((r) => s.close(r)); }
  });

  it('a receiver that never answers is given up when the deadline fires, and its connection closed', async () => {
    let arrived!: () => void;
    const requestIn = new Promise<void>((r) => { arrived = r; });
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => { closed = r; });
    const { url, server } = await serve((req) => { req.socket.on('close', () => closed()); arrived(); /* never answers */ });
    servers.push(server);
    const armed: Array<{ fn: () => void; ms: number }> = [];
    const timer: DeadlineTimer = { set: (fn, ms) => { armed.push({ fn, ms }); return armed.length; }, clear: () => undefined };
    const result = deliver(url, '{"id":1}', 1, SECRET, Date.now(), timer);
    await requestIn;
    assert.deepEqual(armed.map((a) => a.ms), [DELIVERY_TIMEOUT_MS], 'one deadline per delivery');
    armed[0].fn();
    assert.deepEqual(await result, { ok: false, error: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` });
    await connectionClosed;
  });

  it('a 2xx is delivered; a 500 is a failure naming it; the deadline is cleared once answered', async () => {
    let status = 202;
    const { url, server } = await serve((_req, res) => { res.writeHead(status); res.end('ignored'); });
    servers.push(server);
    const cleared: unknown[] = [];
    const timer: DeadlineTimer = { set: () => 'deadline', clear: (h) => { cleared.push(h); } };
    assert.deepEqual(await deliver(url, '{}', 2, SECRET, Date.now(), timer), { ok: true, status: 202 });
    status = 500;
    assert.deepEqual(await deliver(url, '{}', 3, SECRET, Date.now(), timer), { ok: false, status: 500, error: 'HTTP 500 Internal Server Error' });
    assert.deepEqual(cleared, ['deadline', 'deadline']);
  });
});
