/**
 * Echo store: passwords pwbridge itself just set, so the capture's report of that very change is not
 * pushed back to the vault.
 *
 * Only HMAC-SHA256(echoKey, fold(account) ‖ 0x00 ‖ password) is stored. Keyed, because a plain hash of
 * a password is a dictionary-attack target for anyone who reads state.db; echoKey lives outside it.
 */
import * as crypto from 'node:crypto';
import type { EchoStore } from '../ports/journal.port';
import type { SqliteDatabase } from '../sqlite/database';
import { foldName } from '../domain/fold-name';

export interface EchoStoreOptions {
  /** How often consume() also deletes expired rows (ms of the `now` it is given). Default 60 s. */
  purgeIntervalMs?: number;
}

export class SqliteEchoStore implements EchoStore {
  private readonly key: crypto.KeyObject;
  private readonly purgeIntervalMs: number;
  private lastPurgeAt = -Infinity;
  private readonly st;

  /** `echoKey` (≥ 16 bytes, 32 recommended) is copied into a KeyObject; the caller may wipe its Buffer. */
  constructor(db: SqliteDatabase, echoKey: Buffer, options: EchoStoreOptions = {}) {
    if (!Buffer.isBuffer(echoKey) || echoKey.length < 16) throw new Error('echo key must be a Buffer of at least 16 bytes');
    this.key = crypto.createSecretKey(echoKey);
    this.purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
    this.st = {
      // Remembering the same password again extends the window; it does not shorten it.
      remember: db.prepare(`INSERT INTO echo (hash, expires_at) VALUES (?, ?)
        ON CONFLICT (hash) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`),
      find: db.prepare('SELECT expires_at FROM echo WHERE hash = ?').pluck(),
      take: db.prepare('DELETE FROM echo WHERE hash = ?'),
      purge: db.prepare('DELETE FROM echo WHERE expires_at <= ?'),
    };
  }

  remember(account: string, password: Buffer, expiresAt: number): void {
    if (!Number.isSafeInteger(expiresAt)) throw new Error('echo expiresAt must be an integer (ms)');
    this.st.remember.run(this.hash(account, password), expiresAt);
  }

  /** Deletes the matching row whether or not it expired: an echo is used up by its first sighting. */
  consume(account: string, password: Buffer, now: number): boolean {
    // Almost every capture is not an echo: look first, so that case stays a read (no write, no fsync).
    const hash = this.hash(account, password);
    const expiresAt = this.st.find.get(hash) as number | undefined;
    if (expiresAt !== undefined) this.st.take.run(hash);
    if (now - this.lastPurgeAt >= this.purgeIntervalMs) this.purgeExpired(now);
    return expiresAt !== undefined && now < expiresAt;
  }

  /** Delete rows that expired at or before `now`. Returns how many. */
  purgeExpired(now: number): number {
    this.lastPurgeAt = now;
    return this.st.purge.run(now).changes;
  }

  private hash(account: string, password: Buffer): Buffer {
    // NUL separates account from password; an account holding NUL could make two inputs collide.
    if (typeof account !== 'string' || account === '' || account.includes('\u0000')) {
      throw new Error('echo account must be a non-empty string without NUL');
    }
    if (!Buffer.isBuffer(password)) throw new Error('echo password must be a Buffer');
    return crypto.createHmac('sha256', this.key)
      .update(Buffer.from(foldName(account), 'utf8'))
      .update(Buffer.from([0]))
      .update(password)
      .digest();
  }
}
