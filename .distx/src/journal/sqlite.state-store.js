"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SqliteStateStore = void 0;
class SqliteStateStore {
    db;
    now;
    st;
    constructor(db, now = Date.now) {
        this.db = db;
        this.now = now;
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
    getMemo(credentialId) {
        const row = this.st.getMemo.get(credentialId);
        return row && toMemo(row);
    }
    allMemos() {
        return new Map(this.st.allMemos.all().map((r) => [r.credential_id, toMemo(r)]));
    }
    putMemo(memo) {
        this.st.putMemo.run(memo.credentialId, memo.vaultVersion, memo.localFingerprint, memo.result, memo.checkedAt);
    }
    getValue(key) {
        const text = this.st.getValue.get(key);
        return text === undefined ? undefined : JSON.parse(text);
    }
    /** `undefined` deletes the key (JSON has no undefined). Values that JSON cannot hold are refused. */
    setValue(key, value) {
        if (value === undefined) {
            this.st.deleteValue.run(key);
            return;
        }
        const text = JSON.stringify(value);
        if (text === undefined)
            throw new Error(`state value for "${key}" cannot be stored as JSON`);
        this.st.setValue.run(key, text, this.now());
    }
    /** Read and take in one IMMEDIATE transaction: two processes cannot both see the lease free. */
    tryLease(name, holder, ttlMs) {
        const key = `lease:${name}`;
        return this.db.transaction(() => {
            const now = this.now();
            const cur = this.getValue(key);
            if (cur && cur.holder !== holder && cur.until > now)
                return false;
            this.setValue(key, { holder, until: now + ttlMs });
            return true;
        }, 'immediate');
    }
    releaseLease(name, holder) {
        const key = `lease:${name}`;
        this.db.transaction(() => {
            if (this.getValue(key)?.holder === holder)
                this.st.deleteValue.run(key);
        }, 'immediate');
    }
}
exports.SqliteStateStore = SqliteStateStore;
function toMemo(r) {
    return {
        credentialId: r.credential_id, vaultVersion: r.vault_version, localFingerprint: r.local_fingerprint, result: r.result,
        checkedAt: r.checked_at,
    };
}
//# sourceMappingURL=sqlite.state-store.js.map