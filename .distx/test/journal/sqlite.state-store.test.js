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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const fixtures_1 = require("./fixtures");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('SqliteStateStore', () => {
        let tmp;
        let file;
        let s;
        let clock = 10_000;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-state-');
            file = path.join(tmp.dir, 'state.db');
            clock = 10_000;
            s = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, now: () => clock, sqlite });
        });
        afterEach(() => { s.close(); tmp.cleanup(); });
        const memo = (id, over = {}) => ({
            credentialId: id, vaultVersion: 1, localFingerprint: `fp${id}`, result: 'match', checkedAt: 100, ...over,
        });
        it('puts, replaces and lists reconcile memos', () => {
            strict_1.default.equal(s.state.getMemo(1), undefined);
            s.state.putMemo(memo(1));
            s.state.putMemo(memo(2, { result: 'mismatch' }));
            s.state.putMemo(memo(1, { vaultVersion: 4, result: 'set', checkedAt: 200 }));
            strict_1.default.deepEqual(s.state.getMemo(1), memo(1, { vaultVersion: 4, result: 'set', checkedAt: 200 }));
            const all = s.state.allMemos();
            strict_1.default.equal(all.size, 2);
            strict_1.default.deepEqual(all.get(2), memo(2, { result: 'mismatch' }));
        });
        it('round-trips JSON values, overwrites, and deletes on undefined', () => {
            const filter = { state: 'active', reason: 'module in /etc/pam.d/common-password', since: 5, nested: [1, 'ü', null] };
            strict_1.default.equal(s.state.getValue('filter'), undefined);
            s.state.setValue('filter', filter);
            strict_1.default.deepEqual(s.state.getValue('filter'), filter);
            s.state.setValue('filter', 'disabled');
            strict_1.default.equal(s.state.getValue('filter'), 'disabled');
            s.state.setValue('n', 0);
            strict_1.default.equal(s.state.getValue('n'), 0);
            s.state.setValue('filter', undefined);
            strict_1.default.equal(s.state.getValue('filter'), undefined);
            strict_1.default.throws(() => s.state.setValue('f', () => 1), /cannot be stored as JSON/);
        });
        it('keeps memos and values across reopen', () => {
            s.state.putMemo(memo(7));
            s.state.setValue('last-reconcile', { ok: 3 });
            s.close();
            s = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, sqlite });
            strict_1.default.deepEqual(s.state.getMemo(7), memo(7));
            strict_1.default.deepEqual(s.state.getValue('last-reconcile'), { ok: 3 });
        });
        it('a lease is held by one holder at a time, released only by its holder, and taken over once expired', () => {
            const st = s.state;
            strict_1.default.equal(st.tryLease('reconcile', 'A', 1000), true);
            strict_1.default.equal(st.tryLease('reconcile', 'B', 1000), false);
            strict_1.default.equal(st.tryLease('reconcile', 'A', 1000), true, 'the holder may renew');
            st.releaseLease('reconcile', 'B');
            strict_1.default.equal(st.tryLease('reconcile', 'B', 1000), false, 'B cannot release A\'s lease');
            st.releaseLease('reconcile', 'A');
            strict_1.default.equal(st.tryLease('reconcile', 'B', 1000), true);
            clock += 1001;
            strict_1.default.equal(st.tryLease('reconcile', 'A', 1000), true, 'a holder that never released (crashed) loses it at expiry');
        });
    });
});
//# sourceMappingURL=sqlite.state-store.test.js.map