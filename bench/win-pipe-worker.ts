// Run by the Windows node.exe (under Wine here): the capture pipe served by pwbridge_pipe.node against the
// same pipe served by Node's net module, with libuv's pipe client in the same process for both. Prints one
// JSON object. bench/win-pipe.ts runs it (`npm run bench -- win_pipe`).
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { PipeServer } from '../src/channel/win-pipe/pipe-server';
import type { PipeConnection } from '../src/channel/win-pipe/pipe-connection';

const CONNECTIONS = Number(process.argv[2] ?? 500);
const TRIPS = Number(process.argv[3] ?? 5000);
const FRAME = 64; // about a HEARTBEAT or an ACK

type Conn = PipeConnection | net.Socket;
type Server = { kind: 'addon' | 'net'; close(): Promise<void> };

/** Says hello (one byte) on connect, echoes what it reads, ends when the client does. */
function handler(c: Conn): void {
  c.on('error', () => undefined);
  c.on('data', (d: Buffer) => c.write(d));
  c.on('end', () => c.end());
  c.write(Buffer.from([1]));
}

async function start(kind: 'addon' | 'net', name: string): Promise<Server> {
  if (kind === 'addon') {
    const s = new PipeServer(name);
    s.on('connection', handler);
    await s.listen();
    return { kind, close: () => s.close() };
  }
  const s = net.createServer({ allowHalfOpen: true }, handler);
  await new Promise<void>((resolve) => s.listen(name, resolve));
  return { kind, close: () => new Promise((resolve) => s.close(() => resolve())) };
}

/** One connection at a time: connect, wait for the server's first byte, close. */
async function connectionsPerSecond(name: string, n: number): Promise<number> {
  const one = () => new Promise<void>((resolve, reject) => {
    const c = net.connect(name);
    c.once('data', () => { c.destroy(); resolve(); });
    c.once('error', reject);
  });
  for (let i = 0; i < 20; i++) await one(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await one();
  return n / ((performance.now() - t0) / 1000);
}

/** One connection: `n` round trips of a FRAME-byte write and its echo, each timed. */
async function roundTrips(name: string, n: number): Promise<{ p50: number; p99: number; mean: number }> {
  const c = net.connect(name);
  await new Promise<void>((resolve) => c.once('data', () => resolve()));
  const frame = Buffer.alloc(FRAME, 0x42);
  const times: number[] = [];
  let pending: (() => void) | undefined;
  let got = 0;
  c.on('data', (d: Buffer) => {
    got += d.length;
    if (got >= FRAME && pending) {
      got -= FRAME;
      const p = pending;
      pending = undefined;
      p();
    }
  });
  for (let i = 0; i < n + 500; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      pending = resolve;
      c.write(frame);
    });
    if (i >= 500) times.push((performance.now() - t0) * 1000);
  }
  c.destroy();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { connections: CONNECTIONS, trips: TRIPS, frameBytes: FRAME, node: process.version };
  // Alternating twice, so neither is always measured on a colder or busier machine.
  for (const round of [1, 2]) {
    for (const kind of ['addon', 'net'] as const) {
      const name = `\\\\.\\pipe\\pwbridge-bench-${kind}-${process.pid}-${round}`;
      const server = await start(kind, name);
      const cps = await connectionsPerSecond(name, CONNECTIONS);
      const rtt = await roundTrips(name, TRIPS);
      await server.close();
      result[`${kind}_${round}`] = { connectionsPerS: cps, rttP50Us: rtt.p50, rttP99Us: rtt.p99, rttMeanUs: rtt.mean };
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ error: err.stack })}\n`);
  process.exitCode = 1;
});
