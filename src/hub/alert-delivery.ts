/**
 * One webhook delivery: the alert as JSON, signed, POSTed once. Redirects are not followed (a 3xx is a
 * failed attempt that names where it pointed: the admin fixes the URL), and every attempt has a deadline
 * (DELIVERY_TIMEOUT_MS for the whole exchange), so a receiver that hangs holds no claim for long.
 *
 * Signature (docs/alerts.md): X-Pwbridge-Timestamp is the hub's time in whole seconds; X-Pwbridge-Signature
 * is `v1=` + hex HMAC-SHA256, keyed with the secret's text as shown, of `<timestamp>.<body>`. The timestamp
 * in the signed text lets a receiver refuse a replayed delivery (more than 5 minutes off its clock).
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AlertPayload } from './alert-outbox';

export const DELIVERY_TIMEOUT_MS = 10_000;
export const SIGNATURE_HEADER = 'X-Pwbridge-Signature';
export const TIMESTAMP_HEADER = 'X-Pwbridge-Timestamp';
export const ALERT_ID_HEADER = 'X-Pwbridge-Alert-Id';

/** The body a receiver gets: the alert with its id (a receiver drops an id it has seen: delivery is at least once). */
export function alertBody(id: number, p: AlertPayload, test = false): string {
  return JSON.stringify({
    id, kind: p.kind, occurredAt: new Date(p.occurredAt).toISOString(), summary: p.summary,
    client: p.client ?? null, machine: p.machine ?? null, account: p.account ?? null, credentialId: p.credentialId ?? null,
    ...(test ? { test: true } : {}),
  });
}

export function signature(secret: Buffer, timestamp: number, body: string): string {
  return 'v1=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

/** The deadline's timer (a test hands in its own to fire it without waiting). */
export interface DeadlineTimer { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void }
const realTimer: DeadlineTimer = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

/** POST `body` to `url`, signed with `secret` at `nowMs`. Never throws; never says the secret. */
export function deliver(url: string, body: string, id: number, secret: Buffer, nowMs: number, timer: DeadlineTimer = realTimer): Promise<DeliveryResult> {
  const timestamp = Math.floor(nowMs / 1000);
  const headers = {
    'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'pwbridge-hub-alerts',
    [ALERT_ID_HEADER]: String(id), [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signature(secret, timestamp, body),
  };
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: DeliveryResult) => { if (!settled) { settled = true; timer.clear(deadline); resolve(r); } };
    const req = lib.request(u, { method: 'POST', headers, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume(); // the receiver's answer is not read, only drained
      res.on('end', () => {
        if (status >= 200 && status < 300) done({ ok: true, status });
        else if (status >= 300 && status < 400) done({ ok: false, status, error: `HTTP ${status}: redirect to ${String(res.headers.location ?? '(no Location)').slice(0, 200)} not followed; set the final URL` });
        else done({ ok: false, status, error: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() });
      });
      res.on('error', (err) => done({ ok: false, status, error: err.message }));
    });
    const deadline = timer.set(() => {
      done({ ok: false, error: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` });
      req.destroy();
    }, DELIVERY_TIMEOUT_MS);
    req.on('error', (err) => done({ ok: false, error: err.message }));
    req.end(body);
  });
}
