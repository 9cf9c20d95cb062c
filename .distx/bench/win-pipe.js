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
exports.benchWinPipe = benchWinPipe;
// win_pipe: the capture pipe on Windows, pwbridge_pipe.node against Node's own net pipe server, in the pinned
// Windows node.exe under Wine (bench/win-pipe-worker.ts). Wine's pipes go through its wineserver, so the
// absolute figures say little about Windows; the two servers side by side in one run say what the addon costs.
const path = __importStar(require("node:path"));
const windows_node_1 = require("../test/helpers/windows-node");
const wine_1 = require("../test/helpers/wine");
const node_child_process_1 = require("node:child_process");
async function benchWinPipe(emit, progress) {
    const missing = (0, wine_1.pipeAddonMissing)();
    if (missing.fail || missing.skip)
        throw new Error(`the win_pipe bench needs the pipe addon and Wine: ${missing.fail ?? missing.skip}`);
    const connections = Number(process.env.PWB_BENCH_PIPE_CONNECTIONS ?? 500);
    const trips = Number(process.env.PWB_BENCH_PIPE_TRIPS ?? 5000);
    const runtime = process.platform === 'win32' ? 'Windows' : (0, node_child_process_1.execFileSync)(wine_1.WINE, ['--version'], { encoding: 'utf8' }).trim();
    progress(`win_pipe: ${connections} connections and ${trips} round trips of 64 bytes per server, twice, under ${runtime}`);
    const worker = path.join(__dirname, 'win-pipe-worker.js');
    const r = await (0, windows_node_1.runWindowsNode)([(0, wine_1.winPath)(worker), String(connections), String(trips)], { timeoutMs: 600_000, env: { NODE_SKIP_PLATFORM_CHECK: '1' } });
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    if (out.error || r.code !== 0)
        throw new Error(`win_pipe worker failed (exit ${r.code}): ${String(out.error ?? r.stderr)}`);
    for (const kind of ['addon', 'net']) {
        const runs = [out[`${kind}_1`], out[`${kind}_2`]];
        // The better of the two rounds for each figure: both servers get the same rule.
        const best = {
            cps: Math.max(...runs.map((f) => f.connectionsPerS)),
            p50: Math.min(...runs.map((f) => f.rttP50Us)),
            p99: Math.min(...runs.map((f) => f.rttP99Us)),
        };
        const context = { server: kind === 'addon' ? 'pwbridge_pipe.node' : 'node:net', runtime, node: out.node, rounds: runs };
        emit('win_pipe_connections_per_s', best.cps, 'conn/s', { ...context, connections });
        emit('win_pipe_rtt_us_p50', best.p50, 'us', { ...context, trips, frame_bytes: 64 });
        emit('win_pipe_rtt_us_p99', best.p99, 'us', { ...context, trips, frame_bytes: 64 });
    }
}
//# sourceMappingURL=win-pipe.js.map