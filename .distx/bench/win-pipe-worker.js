"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// Run by the Windows node.exe (under Wine here): the capture pipe served by pwbridge_pipe.node against the
// same pipe served by Node's net module, with libuv's pipe client in the same process for both. Prints one
// JSON object. bench/win-pipe.ts runs it (`npm run bench -- win_pipe`).
const net = __importStar(require("node:net"));
const node_perf_hooks_1 = require("node:perf_hooks");
const pipe_server_1 = require("../src/channel/win-pipe/pipe-server");
const CONNECTIONS = Number(process.argv[2] ?? 500);
const TRIPS = Number(process.argv[3] ?? 5000);
const FRAME = 64; // about a HEARTBEAT or an ACK
/** Says hello (one byte) on connect, echoes what it reads, ends when the client does. */
function handler(c) {
    c.on('error', () => undefined);
    c.on('data', (d) => c.write(d));
    c.on('end', () => c.end());
    c.write(Buffer.from([1]));
}
async function start(kind, name) {
    if (kind === 'addon') {
        const s = new pipe_server_1.PipeServer(name);
        s.on('connection', handler);
        await s.listen();
        return { kind, close: () => s.close() };
    }
    const s = net.createServer({ allowHalfOpen: true }, handler);
    await new Promise((resolve) => s.listen(name, resolve));
    return { kind, close: () => new Promise((resolve) => s.close(() => resolve())) };
}
/** One connection at a time: connect, wait for the server's first byte, close. */
async function connectionsPerSecond(name, n) {
    const one = () => new Promise((resolve, reject) => {
        const c = net.connect(name);
        c.once('data', () => { c.destroy(); resolve(); });
        c.once('error', reject);
    });
    for (let i = 0; i < 20; i++)
        await one(); // warm-up
    const t0 = node_perf_hooks_1.performance.now();
    for (let i = 0; i < n; i++)
        await one();
    return n / ((node_perf_hooks_1.performance.now() - t0) / 1000);
}
/** One connection: `n` round trips of a FRAME-byte write and its echo, each timed. */
async function roundTrips(name, n) {
    const c = net.connect(name);
    await new Promise((resolve) => c.once('data', () => resolve()));
    const frame = Buffer.alloc(FRAME, 0x42);
    const times = [];
    let pending;
    let got = 0;
    c.on('data', (d) => {
        got += d.length;
        if (got >= FRAME && pending) {
            got -= FRAME;
            const p = pending;
            pending = undefined;
            p();
        }
    });
    for (let i = 0; i < n + 500; i++) {
        const t0 = node_perf_hooks_1.performance.now();
        await new Promise((resolve) => {
            pending = resolve;
            c.write(frame);
        });
        if (i >= 500)
            times.push((node_perf_hooks_1.performance.now() - t0) * 1000);
    }
    c.destroy();
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}
async function main() {
    const result = { connections: CONNECTIONS, trips: TRIPS, frameBytes: FRAME, node: process.version };
    // Alternating twice, so neither is always measured on a colder or busier machine.
    for (const round of [1, 2]) {
        for (const kind of ['addon', 'net']) {
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
main().catch((err) => {
    process.stdout.write(`${JSON.stringify({ error: err.stack })}\n`);
    process.exitCode = 1;
});
//# sourceMappingURL=win-pipe-worker.js.map