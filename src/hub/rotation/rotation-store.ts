/**
 * Rotation's rows (migration 10), for both engines through the hub's Sql (src/hub/sql.ts): the client and
 * credential policies, a pending rotate-after-read, and the claim that makes one hub process, and only
 * one, rotate a given version of a credential when several share a PostgreSQL database.
 */
import type { Mode } from '../../domain/types';
import type { CharacterClass } from '../../domain/password-policy';
import { foldName } from '../../domain/fold-name';
import type { Sql } from '../sql';
import type { RotationPolicy } from './policy';

/** A policy as stored: the policy, and who set it when. */
export interface StoredPolicy { policy: RotationPolicy; changedBy: string; changedAt: number }

/** A credential as rotation sees it: where it is, its password's version and age, and the policies over it. */
export interface RotationTarget {
  id: number;
  client: string;
  username: string;
  mode: Mode;
  version: number;
  passwordSetAt: number;
  own?: StoredPolicy;
  inherited?: StoredPolicy;
  readDueAt: number | null;
}

const POLICY_COLUMNS = ['every_days', 'after_read', 'grace_minutes', 'length', 'classes', 'changed_by', 'changed_at'];
interface PolicyRow { every_days: number | null; after_read: number; grace_minutes: number; length: number; classes: string; changed_by: string; changed_at: number }

function toStored(r: PolicyRow): StoredPolicy {
  return {
    policy: {
      everyDays: r.every_days === null ? null : Number(r.every_days), afterRead: Number(r.after_read) === 1, graceMinutes: Number(r.grace_minutes),
      length: Number(r.length), classes: r.classes.split(',') as CharacterClass[],
    },
    changedBy: r.changed_by, changedAt: Number(r.changed_at),
  };
}

const policyValues = (p: RotationPolicy, by: string, now: number) =>
  [p.everyDays, p.afterRead ? 1 : 0, p.graceMinutes, p.length, p.classes.join(','), by, now];

/** One row of the target query: the credential, its state, and both policies' columns prefixed cp_ / kp_. */
const TARGETS = `SELECT c.id, cl.name AS client, c.username, c.mode, c.version, c.password_set_at, s.read_due_at,
  cp.credential_id AS cp_set, ${POLICY_COLUMNS.map((k) => `cp.${k} AS cp_${k}`).join(', ')},
  kp.client_id AS kp_set, ${POLICY_COLUMNS.map((k) => `kp.${k} AS kp_${k}`).join(', ')}
FROM credentials c JOIN clients cl ON cl.id = c.client_id
LEFT JOIN rotation_credential_policies cp ON cp.credential_id = c.id
LEFT JOIN rotation_client_policies kp ON kp.client_id = c.client_id
LEFT JOIN rotation_state s ON s.credential_id = c.id`;

type TargetRow = Record<string, unknown> & { id: number; client: string; username: string; mode: Mode; version: number; password_set_at: number; read_due_at: number | null };

function prefixed(r: TargetRow, p: 'cp' | 'kp'): StoredPolicy | undefined {
  if (r[`${p}_set`] === null || r[`${p}_set`] === undefined) return undefined;
  return toStored(Object.fromEntries(POLICY_COLUMNS.map((k) => [k, r[`${p}_${k}`]])) as unknown as PolicyRow);
}

function toTarget(r: TargetRow): RotationTarget {
  const t: RotationTarget = {
    id: Number(r.id), client: r.client, username: r.username, mode: r.mode, version: Number(r.version), passwordSetAt: Number(r.password_set_at),
    readDueAt: r.read_due_at === null || r.read_due_at === undefined ? null : Number(r.read_due_at),
  };
  const own = prefixed(r, 'cp');
  const inherited = prefixed(r, 'kp');
  if (own) t.own = own;
  if (inherited) t.inherited = inherited;
  return t;
}

export class RotationStore {
  constructor(private readonly sql: Sql) {}

  /** The client's name as stored and its policy; undefined when there is no such client. */
  async clientPolicy(client: string): Promise<{ client: string; stored?: StoredPolicy } | undefined> {
    const rows = await this.sql.all<PolicyRow & { name: string; client_id: number | null }>(
      `SELECT cl.name, p.client_id, ${POLICY_COLUMNS.map((k) => `p.${k}`).join(', ')}
       FROM clients cl LEFT JOIN rotation_client_policies p ON p.client_id = cl.id WHERE cl.name_key = $1`, [foldName(client)]);
    if (!rows[0]) return undefined;
    return rows[0].client_id === null ? { client: rows[0].name } : { client: rows[0].name, stored: toStored(rows[0]) };
  }

  /** Set (or with null remove) a client's policy; false when there is no such client. */
  async setClientPolicy(client: string, policy: RotationPolicy | null, by: string, now: number): Promise<boolean> {
    const ids = await this.sql.all<{ id: number }>('SELECT id FROM clients WHERE name_key = $1', [foldName(client)]);
    if (!ids[0]) return false;
    if (policy === null) {
      await this.sql.run('DELETE FROM rotation_client_policies WHERE client_id = $1', [ids[0].id]);
      return true;
    }
    await this.sql.run(`INSERT INTO rotation_client_policies (client_id, ${POLICY_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (client_id) DO UPDATE SET ${POLICY_COLUMNS.map((k) => `${k} = excluded.${k}`).join(', ')}`, [ids[0].id, ...policyValues(policy, by, now)]);
    return true;
  }

  /** Set (or with null remove) a credential's own policy. The caller made sure the credential exists. */
  async setCredentialPolicy(id: number, policy: RotationPolicy | null, by: string, now: number): Promise<void> {
    if (policy === null) {
      await this.sql.run('DELETE FROM rotation_credential_policies WHERE credential_id = $1', [id]);
      return;
    }
    await this.sql.run(`INSERT INTO rotation_credential_policies (credential_id, ${POLICY_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (credential_id) DO UPDATE SET ${POLICY_COLUMNS.map((k) => `${k} = excluded.${k}`).join(', ')}`, [id, ...policyValues(policy, by, now)]);
  }

  async target(id: number): Promise<RotationTarget | undefined> {
    const rows = await this.sql.all<TargetRow>(`${TARGETS} WHERE c.id = $1`, [id]);
    return rows[0] && toTarget(rows[0]);
  }

  /**
   * Every credential some policy covers (its own or its client's). The scheduler works out which are due
   * (policy.ts nextDue); one pass a minute over the covered credentials is cheap next to the agents' traffic.
   */
  async covered(): Promise<RotationTarget[]> {
    const rows = await this.sql.all<TargetRow>(`${TARGETS} WHERE cp.credential_id IS NOT NULL OR kp.client_id IS NOT NULL ORDER BY c.id`);
    return rows.map(toTarget);
  }

  /** A read asks for a rotation at `dueAt`; an earlier pending one stays (the first read's grace counts). */
  async markRead(id: number, dueAt: number): Promise<void> {
    await this.sql.run(`INSERT INTO rotation_state (credential_id, read_due_at) VALUES ($1, $2)
      ON CONFLICT (credential_id) DO UPDATE SET read_due_at = CASE
        WHEN rotation_state.read_due_at IS NULL OR rotation_state.read_due_at > excluded.read_due_at THEN excluded.read_due_at
        ELSE rotation_state.read_due_at END`, [id, dueAt]);
  }

  /**
   * Claim the rotation of `version` of credential `id` for this process until `until`: true for exactly one
   * caller, in one statement, whichever hub process it runs in. Refused while the credential is at another
   * version (someone changed the password meanwhile) or another claim on this version still holds. A claim
   * clears a pending read: the rotation replaces the password that was read.
   */
  async claim(id: number, version: number, now: number, until: number): Promise<boolean> {
    const changed = await this.sql.run(`INSERT INTO rotation_state (credential_id, read_due_at, claimed_version, claimed_until)
      SELECT id, CAST(NULL AS BIGINT), version, CAST($3 AS BIGINT) FROM credentials WHERE id = $1 AND version = $2
      ON CONFLICT (credential_id) DO UPDATE SET read_due_at = NULL, claimed_version = excluded.claimed_version, claimed_until = excluded.claimed_until
      WHERE rotation_state.claimed_version IS NULL OR rotation_state.claimed_version <> excluded.claimed_version
        OR rotation_state.claimed_until <= CAST($4 AS BIGINT)`, [id, version, until, now]);
    return changed === 1;
  }

  /** A rotation that failed after its claim: the claim ends now, and a read it cleared is pending again. */
  async release(id: number, readDueAt: number | null): Promise<void> {
    await this.sql.run(`UPDATE rotation_state SET claimed_version = NULL, claimed_until = NULL,
      read_due_at = COALESCE(read_due_at, CAST($2 AS BIGINT)) WHERE credential_id = $1`, [id, readDueAt]);
  }
}
