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
/**
 * PostgresVault.appendEvents sends BEGIN, LOCK, INSERT and COMMIT as one simple query, with the batch as
 * one quoted JSON literal. These check what that way of sending could get wrong: a batch that fails on
 * the server half-way (the session must not go back to the pool inside an aborted transaction, and must
 * not keep the table lock), text that could break out of the literal, order within a large batch, and
 * text the JSON route would otherwise treat differently from a bind parameter.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const crypto = __importStar(require("node:crypto"));
const postgres_vault_1 = require("../../src/vault/postgres.vault");
const postgres_1 = require("../helpers/postgres");
const poolOf = (v) => v.pool;
const ev = (kind, over = {}) => ({ time: 1, machine: 'WS01', kind, outcome: 'ok', ...over });
describe('PostgresVault.appendEvents in one round trip', function () {
    this.timeout(60_000);
    let pg;
    let db;
    let schema;
    let open = [];
    const key = crypto.randomBytes(32);
    const openVault = async (maxConnections) => {
        const v = await postgres_vault_1.PostgresVault.open({ url: schema.url, key, maxConnections });
        open.push(v);
        return v;
    };
    before(async () => {
        pg = await (0, postgres_1.testPostgres)();
        db = await pg.createDatabase('append');
    });
    beforeEach(async () => { schema = await pg.createSchema(db); });
    afterEach(async () => {
        for (const v of open)
            await v.close();
        open = [];
        await schema.drop();
    });
    it('a batch that fails on the server half-way stores none of it, and leaves the pooled connection usable and unlocked', async () => {
        // One connection, so the next calls run on the very session the failure happened on.
        const vault = await openVault(1);
        // A refusal the vault's own checks do not know about, hit by the second row after the first was inserted.
        await pg.query(db, `ALTER TABLE ${schema.schema}.events ADD CONSTRAINT test_no_boom CHECK (kind <> 'boom')`);
        await strict_1.default.rejects(vault.appendEvents([ev('before'), ev('boom'), ev('after')]), (err) => {
            strict_1.default.equal(err.code, '23514', err.message); // check_violation, not "current transaction is aborted"
            return true;
        });
        // Still in an aborted transaction, this would fail with 25P02; still holding the lock, the next would hang.
        const { rows } = await poolOf(vault).query('SELECT now() <> statement_timestamp() AS in_tx');
        strict_1.default.equal(rows[0].in_tx, false, 'the session is outside any transaction');
        const other = await openVault();
        await other.appendEvents([ev('from another process')]);
        await vault.appendEvents([ev('next')]);
        strict_1.default.deepEqual((await vault.queryEvents({})).map((e) => e.kind), ['from another process', 'next']);
    });
    it('a batch refused for U+0000 names the field, stores nothing, and the connection serves the next append', async () => {
        const vault = await openVault(1);
        await strict_1.default.rejects(vault.appendEvents([ev('capture'), ev('capture', { traceId: 't\u0000' })]), /event 1: traceId contains a NUL character/);
        await vault.appendEvents([ev('next')]);
        strict_1.default.deepEqual((await vault.queryEvents({})).map((e) => e.kind), ['next']);
    });
    it('text that could end the literal is stored as given, and nothing else runs', async () => {
        const vault = await openVault();
        const nasty = [
            "'); DROP TABLE events; --", "\\'; SELECT 1; --", 'back\\slash \\u0041 \\\\', '"quoted"', '$$ $tag$ E\'x\'',
            'tab\there\nnew line \u0001', 'ümlaut Ω 😀',
        ];
        const batch = nasty.map((t, i) => ev(`k${i}`, { account: t, reason: t, traceId: t }));
        await vault.appendEvents(batch);
        const got = await vault.queryEvents({});
        strict_1.default.deepEqual(got.map((e) => [e.account, e.reason, e.traceId]), nasty.map((t) => [t, t, t]));
    });
    it('keeps a large batch in order, with account_key folded as queries fold it', async () => {
        const vault = await openVault();
        const batch = Array.from({ length: 2500 }, (_, i) => ev(`e${i}`, {
            time: i, account: i % 2 ? 'WS01\\Admin' : 'ws01\\ADMIN', credentialId: 2 ** 40 + i,
        }));
        await vault.appendEvents(batch);
        const got = await vault.queryEvents({ limit: 3000 });
        strict_1.default.deepEqual(got.map((e) => e.kind), batch.map((e) => e.kind));
        strict_1.default.deepEqual(got.map((e) => e.credentialId), batch.map((e) => e.credentialId));
        const ids = got.map((e) => e.id);
        strict_1.default.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), 'ids rise in batch order');
        strict_1.default.equal((await vault.queryEvents({ account: 'Ws01\\admin', limit: 3000 })).length, 2500);
    });
    it('stores a lone surrogate as U+FFFD, as a bind parameter did, instead of failing the batch', async () => {
        const vault = await openVault();
        await vault.appendEvents([ev('capture', { reason: 'half \ud800 pair' })]);
        strict_1.default.equal((await vault.queryEvents({}))[0].reason, 'half \ufffd pair');
    });
});
//# sourceMappingURL=postgres.append-events.test.js.map