// windows_capture_to_vault (issue 10): the Windows service as the MSI installs it, under Wine 8 on this
// machine: `npm run package:msi`'s package installed into a fresh prefix, rebooted, LSA played by
// lsa_standin.exe, which calls the real pwbridge_filter.dll as lsass would. Each change is a new local
// account (auto-create), reported at a steady rate; the time is from the stand-in's PasswordChangeNotify
// (its clock, which is the machine's) to the event the service records after writing the vault (the
// vault's own time), after the service's first reconcile pass. The Linux figure beside it
// (capture_to_vault_*) starts at the load generator's send.
// Env: PWB_BENCH_WIN_RATE (changes/s, default 100), PWB_BENCH_WIN_SECONDS (default 10).
import { performance } from 'node:perf_hooks';
import { LsaStandIn } from '../test/helpers/lsa-standin';
import { buildMsi } from '../test/helpers/msi';
import { WineMachine } from '../test/helpers/wine-machine';
import { winPath } from '../test/helpers/wine';

type Emit = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const APP = 'C:\\Program Files\\pwbridge';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const intEnv = (name: string, dflt: number, min: number, max: number): number => {
  const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer ${min}..${max}`);
  return v;
};

interface EventJson { kind: string; account?: string; time: number }

export async function benchWindowsCapture(emit: Emit, progress: (msg: string) => void): Promise<void> {
  const rate = intEnv('PWB_BENCH_WIN_RATE', 100, 1, 2000);
  const seconds = intEnv('PWB_BENCH_WIN_SECONDS', 10, 1, 600);
  progress('windows: building the MSI and a fresh Wine machine');
  const msi = buildMsi();
  const m = WineMachine.create();
  try {
    const cli = async (...args: string[]) => {
      const r = await m.run(`${APP}\\bin\\pwbridge.cmd`, args);
      if (r.code !== 0) throw new Error(`pwbridge.cmd ${args.join(' ')}: exit ${r.code}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    const installed = await m.run('msiexec', ['/i', winPath(msi), '/qn', '/norestart'], 300_000);
    // 3010 (reboot required), as a Linux parent sees a Wine process's exit status: its low 8 bits.
    if (installed.code !== (3010 & 0xff)) throw new Error(`msiexec /i: exit ${installed.code}: ${installed.stdout}${installed.stderr}`);
    m.reboot();
    const lsa = await LsaStandIn.start(m);
    // Measure after the service's first reconcile pass (30 s after its start), so that pass is not in the
    // window: it would flag every one of the bench's accounts, which exist only in LSA's stand-in, in one
    // burst of vault writes (see docs/development.md, "Benchmarks").
    const end = Date.now() + 180_000;
    for (;;) {
      const st = JSON.parse(await cli('status', '--json')) as { filter: { state: string }; lastReconcile?: unknown };
      if (st.filter.state === 'active' && st.lastReconcile) break;
      if (Date.now() > end) throw new Error('the filter did not become active, or no reconcile pass ran, within 180 s of the boot');
      await sleep(1000);
    }

    const total = rate * seconds;
    progress(`windows: ${total} changes at ${rate}/s through lsa_standin.exe → pwbridge_filter.dll → pipe → service`);
    const sentAt = new Map<string, number>();
    const answers: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      const account = `wbench${i}`;
      lsa.send(account, 5000 + i, `bench-${i}-password`);
      answers.push(lsa.answer().then((a) => { sentAt.set(account, a.at); }));
    }
    await Promise.all(answers);

    // Every change must reach the vault; then the latencies.
    const created = new Map<string, number>();
    const deadline = Date.now() + 120_000;
    while (created.size < total && Date.now() < deadline) {
      await sleep(2000);
      const lines = (await cli('events', '--json', '--kind', 'credential-created', '--limit', String(total + 100))).split(/\r?\n/).filter(Boolean);
      for (const l of lines) {
        const e = JSON.parse(l) as EventJson;
        const a = e.account?.toLowerCase();
        if (a && sentAt.has(a) && !created.has(a)) created.set(a, e.time);
      }
    }
    if (created.size < total) throw new Error(`${total - created.size} of ${total} changes never reached the vault`);
    const first = Math.min(...sentAt.values());
    const samples = [...created].map(([a, t]) => ({ ms: t - sentAt.get(a)!, atS: Math.round((sentAt.get(a)! - first) / 100) / 10 }));
    const lat = samples.map((x) => x.ms).sort((x, y) => x - y);
    // Where the slowest ones fall in the run (seconds from the first send): a pause of the service shows as a cluster.
    const slowest = [...samples].sort((x, y) => y.ms - x.ms).slice(0, 8).map((x) => `${Math.round(x.ms)} ms at ${x.atS} s`);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
    const context = { rate_per_s: rate, changes: total, lost: 0, runtime: 'node.exe 22 under Wine 8' };
    emit('windows_capture_to_vault_p50_ms', pct(50), 'ms', context);
    emit('windows_capture_to_vault_p99_ms', pct(99), 'ms', { ...context, max_ms: lat[lat.length - 1], slowest });
    lsa.exit();
  } finally {
    m.destroy();
  }
}
