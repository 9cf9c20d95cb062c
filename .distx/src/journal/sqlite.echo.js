"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.SqliteEchoStore = void 0;
/**
 * Echo store: passwords pwbridge itself just set, so the capture's report of that very change is not
 * pushed back to the vault.
 *
 * Only HMAC-SHA256(echoKey, fold(account) ‖ 0x00 ‖ password) is stored. Keyed, because a plain hash of
 * a password is a dictionary-attack target for anyone who reads state.db; echoKey lives outside it.
 */
const crypto = __importStar(require("node:crypto"));
const fold_1 = require("../vault/fold");
class SqliteEchoStore {
    key;
    purgeIntervalMs;
    lastPurgeAt = -Infinity;
    st;
    /** `echoKey` (≥ 16 bytes, 32 recommended) is copied into a KeyObject; the caller may wipe its Buffer. */
    constructor(db, echoKey, options = {}) {
        if (!Buffer.isBuffer(echoKey) || echoKey.length < 16)
            throw new Error('echo key must be a Buffer of at least 16 bytes');
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
    remember(account, password, expiresAt) {
        if (!Number.isSafeInteger(expiresAt))
            throw new Error('echo expiresAt must be an integer (ms)');
        this.st.remember.run(this.hash(account, password), expiresAt);
    }
    /** Deletes the matching row whether or not it expired: an echo is used up by its first sighting. */
    consume(account, password, now) {
        // Almost every capture is not an echo: look first, so that case stays a read (no write, no fsync).
        const hash = this.hash(account, password);
        const expiresAt = this.st.find.get(hash);
        if (expiresAt !== undefined)
            this.st.take.run(hash);
        if (now - this.lastPurgeAt >= this.purgeIntervalMs)
            this.purgeExpired(now);
        return expiresAt !== undefined && now < expiresAt;
    }
    /** Delete rows that expired at or before `now`. Returns how many. */
    purgeExpired(now) {
        this.lastPurgeAt = now;
        return this.st.purge.run(now).changes;
    }
    hash(account, password) {
        // NUL separates account from password; an account holding NUL could make two inputs collide.
        if (typeof account !== 'string' || account === '' || account.includes('\u0000')) {
            throw new Error('echo account must be a non-empty string without NUL');
        }
        if (!Buffer.isBuffer(password))
            throw new Error('echo password must be a Buffer');
        return crypto.createHmac('sha256', this.key)
            .update(Buffer.from((0, fold_1.foldName)(account), 'utf8'))
            .update(Buffer.from([0]))
            .update(password)
            .digest();
    }
}
exports.SqliteEchoStore = SqliteEchoStore;
//# sourceMappingURL=sqlite.echo.js.map