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
const node_assert_1 = require("node:assert");
const path = __importStar(require("node:path"));
const node_crypto_1 = require("node:crypto");
const rxjs_1 = require("rxjs");
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const journal_stage_1 = require("../../src/service/journal-stage");
const tmp_1 = require("../helpers/tmp");
function entry(account) {
    return {
        eventId: (0, node_crypto_1.randomBytes)(16).toString('hex'), machine: 'TESTHOST', account, accountId: 1000,
        capturedAt: Date.now(), receivedAt: Date.now(), encoding: 1, sealed: (0, node_crypto_1.randomBytes)(120),
    };
}
describe('journal stage: durable first, then ack', () => {
    it('frames of one tick share one batch; each is acked stored, a re-sent one duplicate, after the append', async () => {
        const tmp = (0, tmp_1.makeTempDir)();
        const db = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: (0, node_crypto_1.randomBytes)(32) });
        try {
            const in$ = new rxjs_1.Subject();
            const acks = [];
            const accept = (e) => ({
                entry: e,
                ack: (result) => acks.push({ id: e.eventId, result, inJournal: db.journal.get(e.eventId) !== undefined }),
            });
            const batches = [];
            const stored$ = in$.pipe((0, journal_stage_1.batchPerTick)(), (0, rxjs_1.tap)((b) => batches.push(b.length)), (0, journal_stage_1.journalStage)(db.journal, () => node_assert_1.strict.fail('no error expected')));
            const counts = (0, rxjs_1.firstValueFrom)(stored$.pipe((0, rxjs_1.toArray)()));
            const a = entry('alice');
            const b = entry('bob');
            in$.next(accept(a));
            in$.next(accept(b));
            in$.next(accept(a)); // the capture re-sent it
            await new Promise((r) => setImmediate(r));
            in$.complete();
            node_assert_1.strict.deepEqual(await counts, [2]);
            node_assert_1.strict.deepEqual(batches, [3]);
            node_assert_1.strict.deepEqual(acks.map((x) => x.result), ['stored', 'stored', 'duplicate']);
            node_assert_1.strict.ok(acks.every((x) => x.inJournal), 'every ack came after its entry was in the journal');
        }
        finally {
            db.close();
            tmp.cleanup();
        }
    });
    it('a failed append acks nothing as stored (the captures keep their events) and the stage keeps going', async () => {
        let fail = true;
        const journal = {
            append: (entries) => {
                if (fail)
                    throw new Error('disk full');
                return entries.map(() => 'stored');
            },
        };
        const errors = [];
        const in$ = new rxjs_1.Subject();
        const results = [];
        const out = [];
        in$.pipe((0, journal_stage_1.batchPerTick)(), (0, journal_stage_1.journalStage)(journal, (err, n) => errors.push(`${err.message} x${n}`))).subscribe((n) => out.push(n));
        in$.next({ entry: entry('carol'), ack: (r) => results.push(r) });
        in$.next({ entry: entry('dave'), ack: (r) => results.push(r) });
        await new Promise((r) => setImmediate(r));
        node_assert_1.strict.deepEqual(results, ['failed', 'failed']);
        node_assert_1.strict.deepEqual(errors, ['disk full x2']);
        fail = false;
        in$.next({ entry: entry('erin'), ack: (r) => results.push(r) });
        await new Promise((r) => setImmediate(r));
        node_assert_1.strict.deepEqual(results, ['failed', 'failed', 'stored']);
        node_assert_1.strict.deepEqual(out, [1]);
    });
});
//# sourceMappingURL=journal-stage.test.js.map