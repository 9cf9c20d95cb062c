// A profiling probe for the hub_agents bench (bench/hub-agents.ts), preloaded into the hub process with
// `--require` when PWB_BENCH_HUB_PROBE names an output file. It is diagnostics only: the hub's own code is
// untouched and the probe is never loaded outside the bench.
//
// The first SIGUSR2 (sent by the bench as its measured window opens) starts it; the second (as the window
// closes) writes the file and stops it. Over the window it records:
// - the event loop's delay (perf_hooks.monitorEventLoopDelay): time a ready callback waited for the thread;
// - the wait for a PostgreSQL connection from a pool (pg's Pool.prototype.connect, callback or promise form,
//   which pool.query uses too), and how long each was held;
// - the hub's own time per request, from the 'request' event to the response's 'finish' (server side, so
//   the client-side figure minus this is the agents' and the network's share);
// - a CPU profile of the window (node:inspector), written beside the output as <out>.cpuprofile.
// SIGUSR1 is not used: Node starts its inspector on it.
import * as fs from 'node:fs';
import * as https from 'node:https';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const out = process.env.PWB_BENCH_HUB_PROBE;
if (out) install(out);

function install(outFile: string): void {
  let on = false;
  const delay = monitorEventLoopDelay({ resolution: 2 });
  const poolWait: number[] = [];
  const poolHeld: number[] = [];
  const requests: Record<string, number[]> = {};
  const session = new Session();
  session.connect();

  // pg is resolved from this file's place, the same node_modules the hub loads it from.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Pool } = require('pg') as typeof import('pg');
  const connect = Pool.prototype.connect as (...args: unknown[]) => unknown;
  const timeHeld = (client: { release: (...a: unknown[]) => void } | undefined, t1: number) => {
    if (!client || !on) return;
    const release = client.release;
    client.release = function (this: unknown, ...a: unknown[]) {
      client.release = release;
      poolHeld.push(performance.now() - t1);
      return release.apply(this, a);
    };
  };
  Pool.prototype.connect = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const cb = args[0];
    if (typeof cb === 'function') {
      return connect.call(this, (err: unknown, client: { release: (...a: unknown[]) => void }, done: unknown) => {
        const t1 = performance.now();
        if (on) poolWait.push(t1 - t0);
        // pool.query releases through `done`, which is client.release bound: time it from here too.
        if (!err && on) {
          const doneFn = done as (...a: unknown[]) => void;
          return (cb as (...a: unknown[]) => void)(err, client, (...a: unknown[]) => { poolHeld.push(performance.now() - t1); return doneFn(...a); });
        }
        return (cb as (...a: unknown[]) => void)(err, client, done);
      });
    }
    return (connect.call(this) as Promise<{ release: (...a: unknown[]) => void }>).then((client) => {
      const t1 = performance.now();
      if (on) poolWait.push(t1 - t0);
      timeHeld(client, t1);
      return client;
    });
  } as typeof Pool.prototype.connect;

  const emit = https.Server.prototype.emit;
  https.Server.prototype.emit = function (this: https.Server, event: string, ...args: unknown[]) {
    if (event === 'request' && on) {
      const t0 = performance.now();
      const req = args[0] as { method?: string; url?: string };
      const res = args[1] as { once(e: string, f: () => void): void };
      const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      res.once('finish', () => (requests[key] ??= []).push(performance.now() - t0));
    }
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof https.Server.prototype.emit;

  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => // eslint-disable-line @typescript-eslint/no-explicit-any
    session.post(method, params ?? {}, (err, r) => (err ? reject(err) : resolve(r))));

  const pcts = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const p = (q: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(s.length * q))] * 10) / 10 : null);
    return { n: s.length, mean: s.length ? Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10 : null, p50: p(0.5), p90: p(0.9), p99: p(0.99), max: p(1) };
  };

  process.on('SIGUSR2', () => {
    if (!on) {
      on = true;
      delay.enable();
      void post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 500 })).then(() => post('Profiler.start'));
      return;
    }
    on = false;
    delay.disable();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const report = {
      eventLoopDelayMs: { mean: ms(delay.mean), p50: ms(delay.percentile(50)), p90: ms(delay.percentile(90)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      poolWaitMs: pcts(poolWait),
      poolHeldMs: pcts(poolHeld),
      serverMs: Object.fromEntries(Object.entries(requests).map(([k, xs]) => [k, pcts(xs)])),
    };
    fs.writeFileSync(outFile, JSON.stringify(report, null, 1));
    void post('Profiler.stop').then((r) => fs.writeFileSync(`${outFile}.cpuprofile`, JSON.stringify(r.profile)));
  });
}
