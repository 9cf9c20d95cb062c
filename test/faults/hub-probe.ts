// Asks a hub, every few tens of ms, what it answers while a fault is on: GET /readyz (public, pings the
// database) and POST /api/vault/getClient as the admin (a login check and a vault read, the database
// twice). Each answer's HTTP status, or the socket error when there was none, with its time.
import { HubClient } from '../../src/vault/hub-client';
import { sleep } from './hub-fleet';

export interface ProbeSample {
  at: number;
  route: string;
  /** The HTTP status, or e.g. 'ECONNREFUSED' when there was no answer. */
  status: number | string;
  ms: number;
}

export class HubProbe {
  readonly samples: ProbeSample[] = [];
  private stopped = false;
  private loop?: Promise<void>;

  constructor(private readonly url: string, private readonly fingerprint: string, private readonly token: string, private readonly client: string, private readonly everyMs = 50) {}

  start(): this {
    const http = new HubClient({ url: this.url, fingerprint: this.fingerprint }, this.token);
    const ask = async (route: string, fn: () => Promise<{ status: number }>) => {
      const t0 = Date.now();
      let status: number | string;
      try {
        status = (await fn()).status;
      } catch (err) {
        status = (err as NodeJS.ErrnoException).code ?? (err as Error).message.slice(0, 60);
      }
      this.samples.push({ at: t0, route, status, ms: Date.now() - t0 });
    };
    this.loop = (async () => {
      while (!this.stopped) {
        await Promise.all([
          ask('GET /readyz', () => http.request('GET', '/readyz')),
          ask('POST /api/vault/getClient', () => http.request('POST', '/api/vault/getClient', { name: this.client })),
        ]);
        await sleep(this.everyMs);
      }
      http.close();
    })();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Counts of each status per route within [from, to]. */
  statuses(from = 0, to = Infinity): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const s of this.samples) {
      if (s.at < from || s.at > to) continue;
      const r = (out[s.route] ??= {});
      r[String(s.status)] = (r[String(s.status)] ?? 0) + 1;
    }
    return out;
  }

  /** The first sample at or after `from` where every route answered 200 (the hub serves again). */
  firstAllOkAfter(from: number): number | undefined {
    const routes = new Set(this.samples.map((s) => s.route));
    const ok = new Map<string, number>();
    for (const s of this.samples) {
      if (s.at < from) continue;
      if (s.status === 200) { if (!ok.has(s.route)) ok.set(s.route, s.at); } else ok.delete(s.route);
      if (ok.size === routes.size) return Math.max(...ok.values());
    }
    return undefined;
  }
}

/** Statuses the hub itself logged (every request it answered, agents' included) within [from, to], by status. */
export function loggedStatuses(lines: Array<Record<string, unknown>>, from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    if (l.msg !== 'request' || typeof l.time !== 'number' || l.time < from || l.time > to) continue;
    const k = String(l.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
