// win_pipe: the capture pipe on Windows, pwbridge_pipe.node against Node's own net pipe server, in the pinned
// Windows node.exe under Wine (bench/win-pipe-worker.ts). Wine's pipes go through its wineserver, so the
// absolute figures say little about Windows; the two servers side by side in one run say what the addon costs.
import * as path from 'node:path';
import { runWindowsNode } from '../test/helpers/windows-node';
import { WINE, pipeAddonMissing, winPath } from '../test/helpers/wine';
import { execFileSync } from 'node:child_process';

type Emit = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

interface Figures { connectionsPerS: number; rttP50Us: number; rttP99Us: number; rttMeanUs: number }

export async function benchWinPipe(emit: Emit, progress: (msg: string) => void): Promise<void> {
  const missing = pipeAddonMissing();
  if (missing.fail || missing.skip) throw new Error(`the win_pipe bench needs the pipe addon and Wine: ${missing.fail ?? missing.skip}`);
  const connections = Number(process.env.PWB_BENCH_PIPE_CONNECTIONS ?? 500);
  const trips = Number(process.env.PWB_BENCH_PIPE_TRIPS ?? 5000);
  const runtime = process.platform === 'win32' ? 'Windows' : execFileSync(WINE, ['--version'], { encoding: 'utf8' }).trim();
  progress(`win_pipe: ${connections} connections and ${trips} round trips of 64 bytes per server, twice, under ${runtime}`);
  const worker = path.join(__dirname, 'win-pipe-worker.js');
  const r = await runWindowsNode([winPath(worker), String(connections), String(trips)], { timeoutMs: 600_000, env: { NODE_SKIP_PLATFORM_CHECK: '1' } });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  if (out.error || r.code !== 0) throw new Error(`win_pipe worker failed (exit ${r.code}): ${String(out.error ?? r.stderr)}`);
  for (const kind of ['addon', 'net'] as const) {
    const runs = [out[`${kind}_1`], out[`${kind}_2`]] as Figures[];
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
