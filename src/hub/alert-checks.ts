/**
 * The periodic checks: machines not seen for N minutes, and filters that stay in reboot-required
 * (pending-reboot) for N days. Each finding's dedupe key names the machine and the moment its condition
 * began (its last report; when it entered the state), so one silence or one stuck reboot is one alert
 * however often, and by however many hub processes, the check runs; a machine that reports again and goes
 * silent again is a new alert. Rows already in the outbox are skipped in the query itself.
 */
import type { AlertPayload } from './alert-outbox';
import type { Sql } from './sql';

export interface Finding { dedupeKey: string; payload: AlertPayload }

interface MachineRow { name: string; name_key: string; client: string; at: number }

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LIMIT = 500;

export async function silentMachines(sql: Sql, now: number, minutes: number): Promise<Finding[]> {
  const rows = await sql.all<MachineRow>(
    `SELECT m.name, m.name_key, cl.name AS client, m.last_seen AS at FROM machines m JOIN clients cl ON cl.id = m.client_id
     WHERE m.last_seen <= $1
       AND NOT EXISTS (SELECT 1 FROM hub_alert_outbox o WHERE o.dedupe_key = 'machine-silent:' || m.name_key || ':' || CAST(m.last_seen AS TEXT))
     ORDER BY m.last_seen LIMIT ${LIMIT}`, [now - minutes * MINUTE]);
  return rows.map((r) => ({
    dedupeKey: `machine-silent:${r.name_key}:${Number(r.at)}`,
    payload: {
      kind: 'machine-silent', occurredAt: Number(r.at) + minutes * MINUTE, machine: r.name, client: r.client,
      summary: `machine "${r.name}" of client "${r.client}" has not reported for ${minutes} minutes or more (last seen ${new Date(Number(r.at)).toISOString()})`,
    },
  }));
}

export async function rebootPending(sql: Sql, now: number, days: number): Promise<Finding[]> {
  const rows = await sql.all<MachineRow>(
    `SELECT m.name, m.name_key, cl.name AS client, COALESCE(m.filter_state_since, m.last_seen) AS at FROM machines m JOIN clients cl ON cl.id = m.client_id
     WHERE m.filter_state = 'pending-reboot' AND COALESCE(m.filter_state_since, m.last_seen) <= $1
       AND NOT EXISTS (SELECT 1 FROM hub_alert_outbox o
                       WHERE o.dedupe_key = 'reboot-pending:' || m.name_key || ':' || CAST(COALESCE(m.filter_state_since, m.last_seen) AS TEXT))
     ORDER BY at LIMIT ${LIMIT}`, [now - days * DAY]);
  return rows.map((r) => ({
    dedupeKey: `reboot-pending:${r.name_key}:${Number(r.at)}`,
    payload: {
      kind: 'reboot-pending', occurredAt: Number(r.at) + days * DAY, machine: r.name, client: r.client,
      summary: `the password filter of machine "${r.name}" (client "${r.client}") has waited for a reboot for ${days} day(s) or more (since ${new Date(Number(r.at)).toISOString()}): changes there are not captured until it restarts`,
    },
  }));
}
