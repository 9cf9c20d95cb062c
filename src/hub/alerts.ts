/**
 * Alerts: what makes them (events as they are stored, the periodic checks), and the loop that delivers
 * them from the outbox (alert-outbox.ts) with retries.
 *
 * An alert for an event is added to the outbox right after the event is stored (alertingVault wraps the
 * vault's appendEvents, which both the agents' route and the hub's own record() go through), keyed by the
 * event's uid, so an agent delivering its event again makes no second alert. The checks run on the hub's
 * clock at each tick. Each tick then delivers what is due: a failed attempt is tried again after 30 s,
 * 1, 2, 4 … minutes, at most an hour apart; after 72 hours of failures the alert is kept as failed, shown in
 * the dashboard, recorded as an event (alert-undelivered), and sent again only when an admin asks.
 * Alerts made while alerts are disabled are not added; those waiting stay waiting until enabled.
 */
import * as crypto from 'node:crypto';
import type pino from 'pino';
import type { EventRecord } from '../domain/types';
import type { VaultPort } from '../ports/vault.port';
import { foldName } from '../domain/fold-name';
import type { SecretBox } from '../vault/secret-box';
import { rebootPending, silentMachines, type Finding } from './alert-checks';
import { alertBody, deliver, type DeliveryResult } from './alert-delivery';
import { AlertOutbox, type AlertKind, type AlertPayload } from './alert-outbox';
import { AlertSettingsStore, type AlertSettings } from './alert-settings';
import { HUB_MACHINE } from './access';
import type { Sql } from './sql';

export const RETRY_FIRST_MS = 30_000;
export const RETRY_MAX_MS = 3600_000;
export const GIVE_UP_AFTER_MS = 72 * 3600_000;
/** How long a claim holds: well past the delivery's own deadline. */
const LEASE_MS = 60_000;
const PER_TICK = 50;
const KEEP_DELIVERED_MS = 30 * 24 * 3600_000;
export const DEFAULT_ALERT_EVERY_MS = 15_000;

/** The event kinds that make an alert, and the alert's kind. */
const EVENT_ALERTS: Record<string, AlertKind> = { 'mismatch-flagged': 'mismatch', conflict: 'conflict', 'policy-refused': 'policy-refused' };

/** The wait before attempt `attempts + 1` (attempts: failed attempts so far, at least 1). */
export function retryDelay(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(20, attempts - 1));
}

export type Deliver = (url: string, body: string, id: number, secret: Buffer, now: number) => Promise<DeliveryResult>;

export class AlertService {
  readonly outbox: AlertOutbox;
  readonly settings: AlertSettingsStore;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly sql: Sql, box: SecretBox, private readonly vault: VaultPort, private readonly now: () => number,
    private readonly logger: pino.Logger, private readonly send: Deliver = deliver) {
    this.outbox = new AlertOutbox(sql);
    this.settings = new AlertSettingsStore(sql, box);
  }

  /** Tick every `everyMs` (0: never; tests call tick()). */
  start(everyMs: number): void {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => { void this.tick(); }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Run the checks, then deliver what is due. One at a time in a process (the database orders processes). */
  tick(): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.tickOnce());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async tickOnce(): Promise<void> {
    try {
      const s = await this.settings.get();
      if (!s?.enabled) return;
      await this.runChecks(s);
      await this.deliverDue(s);
      await this.outbox.prune(this.now() - KEEP_DELIVERED_MS);
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message } }, 'alerts: a tick failed; the next one tries again');
    }
  }

  /** Events just stored: each one of an alerting kind the admin chose becomes an alert. */
  async fromEvents(events: readonly EventRecord[]): Promise<void> {
    const alerting = events.filter((e) => EVENT_ALERTS[e.kind] !== undefined);
    if (alerting.length === 0) return;
    const s = await this.settings.get();
    if (!s?.enabled) return;
    for (const e of alerting) {
      const kind = EVENT_ALERTS[e.kind];
      if (!s.kinds.includes(kind)) continue;
      const key = e.uid ? `event:${foldName(e.machine)}:${e.uid}` : `event:${crypto.randomUUID()}`;
      const where = e.machine === HUB_MACHINE ? 'on the hub' : `on machine "${e.machine}"`;
      await this.outbox.add(key, {
        kind, occurredAt: e.time, machine: e.machine, account: e.account, credentialId: e.credentialId,
        summary: `${kind} ${where}${e.account ? ` for account "${e.account}"` : ''}${e.reason ? `: ${e.reason}` : ''}`.slice(0, 1000),
      }, this.now());
    }
  }

  /** A test alert, delivered like any other (the dashboard's "send test"). */
  async addTest(by: string): Promise<number> {
    const now = this.now();
    const payload: AlertPayload = { kind: 'test', occurredAt: now, summary: `a test alert sent by ${by} from the pwbridge hub` };
    return (await this.outbox.add(`test:${crypto.randomUUID()}`, payload, now))!;
  }

  private async runChecks(s: AlertSettings): Promise<void> {
    const now = this.now();
    const found: Finding[] = [];
    if (s.kinds.includes('machine-silent')) found.push(...await silentMachines(this.sql, now, s.silentMinutes));
    if (s.kinds.includes('reboot-pending')) found.push(...await rebootPending(this.sql, now, s.rebootDays));
    for (const f of found) await this.outbox.add(f.dedupeKey, f.payload, now);
  }

  private async deliverDue(s: AlertSettings): Promise<void> {
    for (let i = 0; i < PER_TICK; i++) {
      const a = await this.outbox.claim(this.now(), LEASE_MS);
      if (!a) return;
      const secret = await this.settings.openSecret();
      if (!secret) return;
      let r: DeliveryResult;
      try {
        r = await this.send(s.url, alertBody(a.id, a.payload, a.payload.kind === 'test'), a.id, secret, this.now());
      } finally {
        secret.fill(0);
      }
      const now = this.now();
      if (r.ok) { await this.outbox.delivered(a, r.status, now); continue; }
      const giveUp = now - a.createdAt >= GIVE_UP_AFTER_MS;
      await this.outbox.retryLater(a, r, now, giveUp ? undefined : now + retryDelay(a.attempts + 1));
      this.logger.info({ alert: a.id, attempts: a.attempts + 1, error: r.error }, giveUp ? 'alerts: delivery given up' : 'alerts: delivery failed; retried later');
      if (giveUp) {
        await this.vault.appendEvents([{
          time: now, machine: HUB_MACHINE, kind: 'alert-undelivered', outcome: 'failed',
          reason: `alert #${a.id} (${a.payload.kind}) could not be delivered to ${s.url} in ${a.attempts + 1} attempts over ${Math.round((now - a.createdAt) / 3600_000)} h (last: ${r.error}); kept as failed, shown in the dashboard`,
        }]);
      }
    }
  }
}

/** The vault as the routes see it: appendEvents also adds the alerts the stored events make. */
export function alertingVault(vault: VaultPort, alerts: AlertService): VaultPort {
  const appendEvents = async (events: EventRecord[]): Promise<void> => {
    await vault.appendEvents(events);
    await alerts.fromEvents(events);
  };
  return new Proxy(vault, {
    get(target, prop, receiver) {
      if (prop === 'appendEvents') return appendEvents;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
