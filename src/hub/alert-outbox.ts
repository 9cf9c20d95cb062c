/**
 * The alert outbox (migration 11): every alert is a row before anyone tries to send it, so a receiver
 * that is down loses nothing, and every hub process on the database delivers from the same rows.
 *
 * Contract: `add` is idempotent per dedupe key (a repeated cause makes no second alert). `claim` hands a
 * due row to exactly one caller: one UPDATE whose WHERE says "due and nobody holds it" (SQLite orders
 * writers; PostgreSQL re-checks the WHERE on the row's latest version once it has the row lock, so the
 * loser of a race updates nothing). A claim lapses at claimed_until, so a process that died mid-delivery
 * does not keep its rows. `delivered`/`retryLater` only act while the caller still holds its claim.
 */
import * as crypto from 'node:crypto';
import type { Sql } from './sql';

export type AlertKind = 'mismatch' | 'conflict' | 'policy-refused' | 'machine-silent' | 'reboot-pending' | 'test';
/** The kinds an admin can choose ('test' is always sent when asked for). */
export const ALERT_KINDS: readonly AlertKind[] = ['mismatch', 'conflict', 'policy-refused', 'machine-silent', 'reboot-pending'];

/** What an alert says; the webhook body is this with the row's id (alert-delivery.ts). Never a secret. */
export interface AlertPayload {
  kind: AlertKind;
  /** When the cause happened (ms since the epoch). */
  occurredAt: number;
  summary: string;
  client?: string;
  machine?: string;
  account?: string;
  credentialId?: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AlertDelivery {
  id: number;
  kind: AlertKind;
  summary: string;
  createdAt: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  failedAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface ClaimedAlert {
  id: number;
  payload: AlertPayload;
  createdAt: number;
  attempts: number;
  claimToken: string;
}

interface Row {
  id: number; kind: AlertKind; payload: string; created_at: number; attempts: number; next_attempt_at: number;
  delivered_at: number | null; failed_at: number | null; last_status: number | null; last_error: string | null;
}

const n = (v: number | null): number | null => (v == null ? null : Number(v));

function toDelivery(r: Row): AlertDelivery {
  const status: DeliveryStatus = r.delivered_at != null ? 'delivered' : r.failed_at != null ? 'failed' : 'pending';
  return {
    id: Number(r.id), kind: r.kind, summary: (JSON.parse(r.payload) as AlertPayload).summary, createdAt: Number(r.created_at), status,
    attempts: Number(r.attempts), nextAttemptAt: status === 'pending' ? Number(r.next_attempt_at) : null,
    deliveredAt: n(r.delivered_at), failedAt: n(r.failed_at), lastStatus: n(r.last_status), lastError: r.last_error,
  };
}

const COLUMNS = 'id, kind, payload, created_at, attempts, next_attempt_at, delivered_at, failed_at, last_status, last_error';

export class AlertOutbox {
  constructor(private readonly sql: Sql) {}

  /** A new alert, due now; undefined when one with this dedupe key exists already. */
  async add(dedupeKey: string, payload: AlertPayload, now: number): Promise<number | undefined> {
    const rows = await this.sql.all<{ id: number }>(
      `INSERT INTO hub_alert_outbox (dedupe_key, kind, payload, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`, [dedupeKey, payload.kind, JSON.stringify(payload), now]);
    return rows[0] && Number(rows[0].id);
  }

  /** Whether an alert with this dedupe key was ever made (and not pruned). */
  async has(dedupeKey: string): Promise<boolean> {
    return (await this.sql.all('SELECT 1 AS x FROM hub_alert_outbox WHERE dedupe_key = $1', [dedupeKey])).length > 0;
  }

  /** One due alert, now held by this caller until `now + leaseMs`; undefined when none is due. */
  async claim(now: number, leaseMs: number): Promise<ClaimedAlert | undefined> {
    const token = crypto.randomBytes(12).toString('hex');
    const rows = await this.sql.all<Row & { claim_token: string }>(
      `UPDATE hub_alert_outbox SET claim_token = $1, claimed_until = $2
       WHERE id = (SELECT id FROM hub_alert_outbox
                   WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
                   ORDER BY next_attempt_at, id LIMIT 1)
         AND delivered_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $3)
       RETURNING ${COLUMNS}`, [token, now + leaseMs, now]);
    const r = rows[0];
    return r && { id: Number(r.id), payload: JSON.parse(r.payload) as AlertPayload, createdAt: Number(r.created_at), attempts: Number(r.attempts), claimToken: token };
  }

  async delivered(a: ClaimedAlert, status: number, now: number): Promise<boolean> {
    return (await this.sql.run(
      `UPDATE hub_alert_outbox SET delivered_at = $1, attempts = attempts + 1, last_status = $2, last_error = NULL, claim_token = NULL, claimed_until = NULL
       WHERE id = $3 AND claim_token = $4`, [now, status, a.id, a.claimToken])) > 0;
  }

  /** A failed attempt: tried again at `nextAt`, or (nextAt undefined) given up and kept as failed. */
  async retryLater(a: ClaimedAlert, why: { status?: number; error: string }, now: number, nextAt: number | undefined): Promise<boolean> {
    return (await this.sql.run(
      `UPDATE hub_alert_outbox SET attempts = attempts + 1, last_status = $1, last_error = $2, next_attempt_at = $3, failed_at = $4,
         claim_token = NULL, claimed_until = NULL
       WHERE id = $5 AND claim_token = $6`,
      [why.status ?? null, why.error.slice(0, 500), nextAt ?? now, nextAt === undefined ? now : null, a.id, a.claimToken])) > 0;
  }

  /** A failed (given-up) alert made due again, its attempts kept; false unless it was failed. */
  async requeue(id: number, now: number): Promise<boolean> {
    return (await this.sql.run(
      'UPDATE hub_alert_outbox SET failed_at = NULL, next_attempt_at = $1, created_at = $1 WHERE id = $2 AND failed_at IS NOT NULL', [now, id])) > 0;
  }

  async get(id: number): Promise<AlertDelivery | undefined> {
    const rows = await this.sql.all<Row>(`SELECT ${COLUMNS} FROM hub_alert_outbox WHERE id = $1`, [id]);
    return rows[0] && toDelivery(rows[0]);
  }

  /** Newest first. */
  async recent(limit: number): Promise<AlertDelivery[]> {
    return (await this.sql.all<Row>(`SELECT ${COLUMNS} FROM hub_alert_outbox ORDER BY id DESC LIMIT ${Math.trunc(limit)}`)).map(toDelivery);
  }

  async counts(): Promise<{ pending: number; failed: number }> {
    const rows = await this.sql.all<{ pending: number | null; failed: number | null }>(
      `SELECT SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS pending,
              SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS failed FROM hub_alert_outbox`);
    return { pending: Number(rows[0]?.pending ?? 0), failed: Number(rows[0]?.failed ?? 0) };
  }

  /** Delivered alerts older than `before` go; failed and pending ones stay until delivered or seen. */
  async prune(before: number): Promise<number> {
    return this.sql.run('DELETE FROM hub_alert_outbox WHERE delivered_at IS NOT NULL AND delivered_at < $1', [before]);
  }
}
