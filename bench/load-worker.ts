// A capture load generator in its own process, as the PAM module and LSA filter are: the bridge under
// test keeps its thread to itself and its RSS is its own. Speaks the real protocol over the real socket.
import { performance } from 'node:perf_hooks';
import { CaptureClient } from '../test/helpers/capture-client';

export interface LoadSpec {
  socketPath: string;
  /** hex: the spec crosses a process boundary as JSON. */
  secret: string;
  bridgePub: string;
  bootId: string;
  machine: string;
  count: number;
  accounts: number;
  /** Events per second; 0 = as fast as the window allows. */
  rate: number;
  /** At most this many un-acked events in flight. */
  window: number;
}

export interface LoadResult {
  sent: string[];
  /**
   * Date.now() at each send: the service stamps its events with Date.now() too, so a latency is one clock
   * read twice (performance.timeOrigin differs per process and drifts from the wall clock).
   */
  sentAt: number[];
  acked: number;
  failed: number;
  elapsedMs: number;
}

/** Pacing and elapsed time: monotonic. */
const now = () => performance.now();

async function main(spec: LoadSpec): Promise<LoadResult> {
  const client = await CaptureClient.connect(spec.socketPath, {
    secret: Buffer.from(spec.secret, 'hex'), bridgePub: Buffer.from(spec.bridgePub, 'hex'), bootId: Buffer.from(spec.bootId, 'hex'), machine: spec.machine, timeoutMs: 20_000,
  });
  const sent: string[] = [];
  const sentAt: number[] = [];
  let acked = 0;
  let failed = 0;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const start = now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < spec.count; i++) {
    if (spec.rate > 0) {
      const due = start + (i * 1000) / spec.rate;
      const wait = due - now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
    while (inFlight >= spec.window) await new Promise<void>((r) => (wake = r));
    const account = `user${i % spec.accounts}`;
    const password = Buffer.from(`bench-${i}-${account}`);
    inFlight++;
    sentAt.push(Date.now());
    const s = client.send({ account, encoding: 1, password });
    sent.push(s.eventIdHex);
    pending.push(s.acked.then(
      () => { acked++; },
      () => { failed++; },
    ).finally(() => { inFlight--; wake?.(); wake = undefined; }));
    // Yield now and then so acks are read while sending at full speed.
    if (spec.rate === 0 && i % 256 === 255) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pending);
  const elapsedMs = now() - start;
  client.destroy();
  return { sent, sentAt, acked, failed, elapsedMs };
}

process.once('message', (spec: LoadSpec) => {
  main(spec).then(
    (r) => process.send!({ ok: true, result: r }, () => process.exit(0)),
    (e: Error) => process.send!({ ok: false, error: e.message }, () => process.exit(1)),
  );
});
