/** Reconcile memos and small JSON settings, in state.db. */
import type { ReconcileMemo, StateStore } from '../ports/journal.port';
import type { SqliteDatabase } from '../sqlite/database';

interface MemoRow {
  credential_id: number; vault_version: number; local_fingerprint: string; result: ReconcileMemo['result']; checked_at: number;
}

interface Lease { holder: string; until: number }

export class SqliteStateStore implements StateStore {
  private readonly st;

  constructor(private readonly db: SqliteDatabase, private readonly now: () => number = Date.now) {
    this.st = {
      getMemo: db.prepare('SELECT * FROM reconcile_memo WHERE credential_id = ?'),
      allMemos: db.prepare('SELECT * FROM reconcile_memo'),
      putMemo: db.prepare(`INSERT INTO reconcile_memo (credential_id, vault_version, local_fingerprint, result, checked_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (credential_id) DO UPDATE SET vault_version = excluded.vault_version,
          local_fingerprint = excluded.local_fingerprint, result = excluded.result, checked_at = excluded.checked_at`),
      getValue: db.prepare('SELECT value FROM kv WHERE key = ?').pluck(),
      setValue: db.prepare(`INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
      deleteValue: db.prepare('DELETE FROM kv WHERE key = ?'),
    };
  }

  getMemo(credentialId: number): ReconcileMemo | undefined {
    const row = this.st.getMemo.get(credentialId) as MemoRow | undefined;
    return row && toMemo(row);
  }

  allMemos(): Map<number, ReconcileMemo> {
    return new Map((this.st.allMemos.all() as MemoRow[]).map((r) => [r.credential_id, toMemo(r)]));
  }

  putMemo(memo: ReconcileMemo): void {
    this.st.putMemo.run(memo.credentialId, memo.vaultVersion, memo.localFingerprint, memo.result, memo.checkedAt);
  }

  getValue<T>(key: string): T | undefined {
    const text = this.st.getValue.get(key) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** `undefined` deletes the key (JSON has no undefined). Values that JSON cannot hold are refused. */
  setValue<T>(key: string, value: T): void {
    if (value === undefined) {
      this.st.deleteValue.run(key);
      return;
    }
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error(`state value for "${key}" cannot be stored as JSON`);
    this.st.setValue.run(key, text, this.now());
  }

  /** Read and take in one IMMEDIATE transaction: two processes cannot both see the lease free. */
  tryLease(name: string, holder: string, ttlMs: number): boolean {
    const key = `lease:${name}`;
    return this.db.transaction(() => {
      const now = this.now();
      const cur = this.getValue<Lease>(key);
      if (cur && cur.holder !== holder && cur.until > now) return false;
      this.setValue<Lease>(key, { holder, until: now + ttlMs });
      return true;
    }, 'immediate');
  }

  releaseLease(name: string, holder: string): void {
    const key = `lease:${name}`;
    this.db.transaction(() => {
      if (this.getValue<Lease>(key)?.holder === holder) this.st.deleteValue.run(key);
    }, 'immediate');
  }
}

function toMemo(r: MemoRow): ReconcileMemo {
  return {
    credentialId: r.credential_id, vaultVersion: r.vault_version, localFingerprint: r.local_fingerprint, result: r.result,
    checkedAt: r.checked_at,
  };
}
