// hub_views (issue 12 item 2): the dashboard's views at MSP scale answer within 300 ms on PostgreSQL.
//
// - PostgreSQL: the throwaway cluster of test/helpers/postgres.ts (fsync off; these are reads).
// - The hub: `bin/pwbridge hub --db postgres://…` in its own process, as deployed (same V8 flags).
// - The fill (not measured): CLIENTS clients × CREDS credentials (nine in ten `WS-nn\userK` of one of the
//   client's MACHINES machines, the rest shared `svc-K`), 1 % of them flagged, EVENTS events per machine;
//   straight into the database through PostgresVault with the hub's own vault key (the API would take
//   minutes), then VACUUM ANALYZE, as autovacuum would have done on a hub that grew to that size.
// - The measure: ROUNDS rounds, each one request of every view's route after the other, from one client
//   (no concurrency: the time one administrator waits), a random client each time:
//   clients list, one client (options, counts, machines), a client's first credentials page, a page deep
//   in a client (the 19th of 50), a search across clients (substring and prefix), a client's events, and the
//   summary reads every view makes (flags, machines). p50 and p99 per route, client side, over HTTPS.
// Env: PWB_BENCH_VIEWS_CLIENTS, _CREDS, _MACHINES, _EVENTS, _ROUNDS.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dataPaths } from '../src/config/paths';
import type { EventRecord } from '../src/domain/types';
import { PostgresVault } from '../src/vault/postgres.vault';
import { ensureVaultKey } from '../src/vault/secret-box';
import { HubClient } from '../src/vault/hub-client';
import { testPostgres } from '../test/helpers/postgres';
import { makeTempDir } from '../test/helpers/tmp';
import { startHubProcess, type HubProcess } from './hub-agents';

type Emit = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const TARGET_MS = 300;
const PAGE = 50;
const intEnv = (name: string, dflt: number, min: number, max: number): number => {
  const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer ${min}..${max}`);
  return v;
};
const progress = (msg: string) => process.stderr.write(`bench: hub_views: ${msg}\n`);
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

async function inParallel(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => { while (next < n) await fn(next++); }));
}

export async function benchHubViews(emit: Emit, nodeFlags: string[]): Promise<void> {
  const clientsN = intEnv('PWB_BENCH_VIEWS_CLIENTS', 100, 1, 10_000);
  const credsN = intEnv('PWB_BENCH_VIEWS_CREDS', 1000, 1, 100_000);
  const machinesN = intEnv('PWB_BENCH_VIEWS_MACHINES', 10, 1, 1000);
  const eventsN = intEnv('PWB_BENCH_VIEWS_EVENTS', 100, 0, 100_000);
  const rounds = intEnv('PWB_BENCH_VIEWS_ROUNDS', 200, 10, 100_000);
  const clientName = (c: number) => `Client-${String(c).padStart(3, '0')}`;
  const machineName = (c: number, m: number) => `WS-${String(c).padStart(3, '0')}-${String(m).padStart(2, '0')}`;
  const username = (c: number, k: number) => (k % 10 === 9 ? `svc-${k}` : `${machineName(c, k % machinesN)}\\user${k}`);
  progress(`${clientsN} clients × ${credsN} credentials, ${machinesN} machines and ${machinesN * eventsN} events per client, ${rounds} rounds`);

  const pg = await testPostgres();
  const database = await pg.createDatabase('bench_views');
  const tmp = makeTempDir('pwbridge-bench-views-');
  const adminPw = Buffer.from(randomBytes(18).toString('base64url'));
  let hub: HubProcess | undefined;
  let http: HubClient | undefined;
  try {
    hub = await startHubProcess(tmp.dir, pg.url(database), adminPw, nodeFlags);
    http = new HubClient({ url: hub.url, fingerprint: hub.fingerprint });
    const login = await http.request('POST', '/api/login', { user: 'admin', password: adminPw.toString('base64'), bearer: true });
    adminPw.fill(0);
    if (login.status !== 200) throw new Error(`admin login: HTTP ${login.status}`);
    const token = login.body.token as string;

    // ---- the fill (not measured) -------------------------------------------------------------------------
    const t0 = performance.now();
    const key = ensureVaultKey(dataPaths(tmp.dir).vaultKey);
    const direct = await PostgresVault.open({ url: pg.url(database), key, maxConnections: 4 });
    key.fill(0);
    try {
      for (let c = 0; c < clientsN; c++) await direct.addClient({ name: clientName(c), windowsSync: true, defaultMode: 'report' });
      await inParallel(clientsN, 3, async (c) => {
        const made = await direct.bulkAddCredentials(Array.from({ length: credsN }, (_, k) => ({
          client: clientName(c), username: username(c, k), password: Buffer.from(`bench-${c}-${k}`), windowsSync: k % 2 === 0, mode: k % 5 === 0 ? 'change' as const : 'report' as const,
        })));
        for (let k = 0; k < made.length; k += 100) await direct.setFlag(made[k].id, 'mismatch', true);
        for (let m = 0; m < machinesN; m++) {
          await direct.recordMachine({ name: machineName(c, m), client: clientName(c), filterState: 'active', journalDepth: 0 });
          const events: EventRecord[] = Array.from({ length: eventsN }, (_, i) => ({
            time: Date.now() - (eventsN - i) * 1000, machine: machineName(c, m), account: username(c, (i * machinesN + m) % credsN),
            credentialId: made[(i * machinesN + m) % made.length].id, kind: i % 3 ? 'verified' : 'password-set', outcome: 'ok', reason: `bench event ${i}`,
          }));
          for (let i = 0; i < events.length; i += 2000) await direct.appendEvents(events.slice(i, i + 2000));
        }
        if (c % 10 === 9) progress(`filled ${c + 1} of ${clientsN} clients (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      });
    } finally {
      await direct.close();
    }
    // What autovacuum does to a hub that grew to this size (PostgreSQL 13+ vacuums after inserts too): statistics,
    // and the visibility map, without which counts and index-only scans visit every heap page.
    await pg.query(database, 'VACUUM ANALYZE');
    progress(`filled in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    // ---- cursors deep in each client (a walk per client, not measured) -------------------------------------
    const get = async (path: string) => {
      const r = await http!.request('GET', path, undefined, token);
      if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${JSON.stringify(r.body?.error ?? r.body)}`);
      return r.body;
    };
    const deepPage = Math.min(18, Math.floor(credsN / PAGE) - 1);
    const deep = new Map<number, string>();
    for (let c = 0; c < clientsN && deepPage > 0; c++) {
      let after = '';
      for (let p = 0; p < deepPage; p++) after = (await get(`/api/dashboard/credentials?client=${clientName(c)}&limit=${PAGE}${after ? `&after=${after}` : ''}`)).next;
      deep.set(c, after);
    }

    // ---- the measure -----------------------------------------------------------------------------------
    const pick = () => Math.floor(Math.random() * clientsN);
    const views: Array<[string, () => string]> = [
      ['clients', () => '/api/dashboard/clients'],
      ['client', () => `/api/dashboard/client?name=${clientName(pick())}`],
      ['credentials_first', () => `/api/dashboard/credentials?client=${clientName(pick())}&limit=${PAGE}`],
      ['credentials_deep', () => { const c = pick(); return `/api/dashboard/credentials?client=${clientName(c)}&limit=${PAGE}&after=${deep.get(c)}`; }],
      ['search_substring', () => `/api/dashboard/credentials?q=user${Math.floor(Math.random() * credsN)}&limit=${PAGE}`],
      ['search_prefix', () => `/api/dashboard/credentials?q=${encodeURIComponent(`${machineName(pick(), 0)}\\user1`)}&match=prefix&limit=${PAGE}`],
      ['client_events', () => `/api/dashboard/client-events?client=${clientName(pick())}&limit=${PAGE}`],
      ['summary_flags', () => '/api/dashboard/flags'],
      ['summary_machines', () => '/api/dashboard/machines'],
    ];
    const times = new Map(views.map(([name]) => [name, [] as number[]]));
    for (let r = 0; r < 5; r++) for (const [, path] of views) await get(path()); // warm-up: connections, plans, JIT
    for (let r = 0; r < rounds; r++) {
      for (const [name, path] of views) {
        const p = path();
        const s = performance.now();
        await get(p);
        times.get(name)!.push(performance.now() - s);
      }
    }
    const date = new Date().toISOString();
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    for (const [name, list] of times) {
      const sorted = [...list].sort((a, b) => a - b);
      const p50 = pct(sorted, 0.5);
      const p99 = pct(sorted, 0.99);
      progress(`${name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms${p99 > TARGET_MS ? ' (over the target)' : ''}`);
      const context = { view: name, clients: clientsN, credentials: clientsN * credsN, requests: list.length, target_ms: TARGET_MS, date, loadavg_1m: Number(load) };
      emit('hub_views_ms_p50', p50, 'ms', context);
      emit('hub_views_ms_p99', p99, 'ms', { ...context, max_ms: Math.round(sorted[sorted.length - 1] * 10) / 10 });
    }
  } finally {
    http?.close();
    await hub?.stop();
    tmp.cleanup();
  }
}
