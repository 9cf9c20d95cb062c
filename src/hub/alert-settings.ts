/**
 * The hub's one webhook (migration 11's hub_alert_settings, one row): where alerts go, which kinds, the
 * periodic checks' thresholds, and the signing secret. The secret is made here (32 random bytes, shown to
 * the admin once as `whsec_` + base64url) and stored only sealed with the vault key, as passwords are
 * (SecretBox, AAD 'alert webhook secret'); it is opened only to sign a delivery, and wiped after.
 */
import * as crypto from 'node:crypto';
import { VaultInputError } from '../vault/errors';
import type { SecretBox } from '../vault/secret-box';
import { ALERT_KINDS, type AlertKind } from './alert-outbox';
import { checkWebhookUrl } from './alert-url';
import type { Sql } from './sql';

export const DEFAULT_SILENT_MINUTES = 60;
export const DEFAULT_REBOOT_DAYS = 3;
const MAX_SILENT_MINUTES = 30 * 24 * 60;
const MAX_REBOOT_DAYS = 365;
const SECRET_CONTEXT = 'alert webhook secret';
const SECRET_PREFIX = 'whsec_';

export interface AlertSettings {
  url: string;
  kinds: AlertKind[];
  enabled: boolean;
  allowHttp: boolean;
  silentMinutes: number;
  rebootDays: number;
  updatedBy: string;
  updatedAt: number;
}

export type AlertSettingsInput = Omit<AlertSettings, 'updatedBy' | 'updatedAt' | 'allowHttp' | 'silentMinutes' | 'rebootDays'>
  & { allowHttp?: boolean; silentMinutes?: number; rebootDays?: number };

interface Row { url: string; kinds: string; enabled: number; allow_http: number; silent_minutes: number; reboot_days: number; updated_by: string; updated_at: number }

function toSettings(r: Row): AlertSettings {
  return {
    url: r.url, kinds: r.kinds === '' ? [] : (r.kinds.split(',') as AlertKind[]), enabled: Number(r.enabled) === 1, allowHttp: Number(r.allow_http) === 1,
    silentMinutes: Number(r.silent_minutes), rebootDays: Number(r.reboot_days), updatedBy: r.updated_by, updatedAt: Number(r.updated_at),
  };
}

function whole(name: string, v: number, max: number): number {
  if (!Number.isSafeInteger(v) || v < 1 || v > max) throw new VaultInputError(`${name} must be a whole number from 1 to ${max}, got ${v}`);
  return v;
}

/** The input checked and completed with the defaults; refusals name the field. */
export function checkSettings(s: AlertSettingsInput): Omit<AlertSettings, 'updatedBy' | 'updatedAt'> {
  const bad = s.kinds.find((k) => !ALERT_KINDS.includes(k));
  if (bad !== undefined) throw new VaultInputError(`kinds: "${bad}" is not an alert kind (one of ${ALERT_KINDS.join(', ')})`);
  const allowHttp = s.allowHttp ?? false;
  return {
    url: checkWebhookUrl(s.url, allowHttp), kinds: ALERT_KINDS.filter((k) => s.kinds.includes(k)), enabled: s.enabled, allowHttp,
    silentMinutes: whole('silentMinutes', s.silentMinutes ?? DEFAULT_SILENT_MINUTES, MAX_SILENT_MINUTES),
    rebootDays: whole('rebootDays', s.rebootDays ?? DEFAULT_REBOOT_DAYS, MAX_REBOOT_DAYS),
  };
}

export class AlertSettingsStore {
  constructor(private readonly sql: Sql, private readonly box: SecretBox) {}

  async get(): Promise<AlertSettings | undefined> {
    const rows = await this.sql.all<Row>(
      'SELECT url, kinds, enabled, allow_http, silent_minutes, reboot_days, updated_by, updated_at FROM hub_alert_settings WHERE id = 1');
    return rows[0] && toSettings(rows[0]);
  }

  /**
   * Store the settings; a new secret is made when `newSecret` is asked or none exists yet, and returned
   * (the only time it leaves the hub). Undefined: the stored secret stays.
   */
  async save(input: AlertSettingsInput, by: string, now: number, newSecret: boolean): Promise<{ settings: AlertSettings; secret?: string }> {
    const s = checkSettings(input);
    const values = [s.url, s.kinds.join(','), s.enabled ? 1 : 0, s.allowHttp ? 1 : 0, s.silentMinutes, s.rebootDays, by, now];
    return this.sql.tx(async (q) => {
      const exists = (await q.all('SELECT 1 AS x FROM hub_alert_settings WHERE id = 1')).length > 0;
      let secret: string | undefined;
      if (exists && !newSecret) {
        await q.run(`UPDATE hub_alert_settings SET url = $1, kinds = $2, enabled = $3, allow_http = $4, silent_minutes = $5, reboot_days = $6,
          updated_by = $7, updated_at = $8 WHERE id = 1`, values);
      } else {
        const raw = crypto.randomBytes(32);
        secret = SECRET_PREFIX + raw.toString('base64url');
        raw.fill(0);
        const text = Buffer.from(secret);
        const sealed = this.box.seal(text, SECRET_CONTEXT);
        text.fill(0);
        await q.run(`INSERT INTO hub_alert_settings (id, url, kinds, enabled, allow_http, silent_minutes, reboot_days, updated_by, updated_at, secret_enc)
          VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9)
          ON CONFLICT (id) DO UPDATE SET url = excluded.url, kinds = excluded.kinds, enabled = excluded.enabled, allow_http = excluded.allow_http,
            silent_minutes = excluded.silent_minutes, reboot_days = excluded.reboot_days, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at, secret_enc = excluded.secret_enc`, [...values, sealed]);
      }
      return { settings: { ...s, updatedBy: by, updatedAt: now }, secret };
    });
  }

  /** The signing secret's bytes (the text as shown to the admin): the caller wipes them after use. */
  async openSecret(): Promise<Buffer | undefined> {
    const rows = await this.sql.all<{ secret_enc: Buffer }>('SELECT secret_enc FROM hub_alert_settings WHERE id = 1');
    return rows[0] && this.box.open(Buffer.from(rows[0].secret_enc), SECRET_CONTEXT);
  }
}
