"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.act = act;
const rxjs_1 = require("rxjs");
const vault_port_1 = require("../ports/vault.port");
const record_1 = require("./record");
const password_1 = require("./password");
const retry_1 = require("./retry");
/**
 * Decision → vault write, journal state and one event. Every path ends in exactly one of: markDone,
 * markSuperseded (earlier stage), markRetry, markDead, each with an event traced by the event id.
 * The password is wiped when the item is finished, whatever happened.
 */
function act(classified$, ctx) {
    return classified$.pipe((0, rxjs_1.concatMap)((item) => (0, rxjs_1.defer)(() => (0, rxjs_1.from)(perform(item, ctx))).pipe((0, rxjs_1.catchError)((err) => {
        // The journal itself failed (disk, lock): the entry stays pending and is picked up again;
        // the vault write, if any, is idempotent per event id, so the second pass has no second effect.
        (0, record_1.recordFor)(ctx, item.entry, 'pipeline-error', 'failed', (0, password_1.safeMessage)(err));
        return (0, rxjs_1.of)({ eventId: item.entry.eventId, account: item.entry.account, result: 'error' });
    }))));
}
async function perform(item, ctx) {
    try {
        return await apply(item.entry, item.decision, item.password, ctx);
    }
    finally {
        (0, password_1.wipe)(item.password);
    }
}
async function apply(entry, d, password, ctx) {
    const { journal, vault } = ctx.deps;
    const out = (result, credentialId) => ({ eventId: entry.eventId, account: entry.account, result, credentialId });
    switch (d.type) {
        case 'skip':
            if (d.journal === 'dead')
                journal.markDead(entry.eventId, d.reason);
            else
                journal.markDone(entry.eventId, d.journal);
            (0, record_1.recordFor)(ctx, entry, d.kind, d.outcome, d.reason, d.credentialId);
            return out(d.result, d.credentialId);
        case 'conflict':
            return flagConflict(entry, d.credentialId, d.reason, ctx);
        case 'fail':
            return failed(entry, d.error, ctx, d.cause);
        case 'sync': {
            const cred = d.credential;
            let r;
            try {
                r = await vault.setPasswordFromCapture(cred.id, password, cred.version, entry.eventId, entry.capturedAt);
            }
            catch (err) {
                if (err instanceof vault_port_1.VaultConflictError) {
                    return flagConflict(entry, cred.id, `vault moved to version ${err.actual} while pushing a change based on version ${err.expected}`, ctx);
                }
                if (err instanceof vault_port_1.VaultPolicyError)
                    return refusedByPolicy(entry, (0, password_1.safeMessage)(err, password), ctx, cred.id);
                return failed(entry, (0, password_1.safeMessage)(err, password), ctx, err);
            }
            if (!r.applied)
                return duplicate(entry, cred.id, ctx);
            journal.markDone(entry.eventId, 'synced');
            (0, record_1.recordFor)(ctx, entry, 'change-synced', 'ok', `vault version ${r.credential.version}`, cred.id);
            return out('synced', cred.id);
        }
        case 'create': {
            const username = `${ctx.options.machine}\\${entry.account}`;
            let r;
            try {
                r = await vault.createFromCapture({ client: d.client.name, username, password: password, windowsSync: true, mode: d.client.defaultMode }, entry.eventId, entry.capturedAt);
            }
            catch (err) {
                if (err instanceof vault_port_1.VaultConflictError) {
                    return flagConflict(entry, err.credentialId, 'credential appeared in the vault while creating it', ctx);
                }
                if (err instanceof vault_port_1.VaultPolicyError)
                    return refusedByPolicy(entry, (0, password_1.safeMessage)(err, password), ctx);
                return failed(entry, (0, password_1.safeMessage)(err, password), ctx, err);
            }
            if (!r.applied)
                return duplicate(entry, r.credential.id, ctx);
            journal.markDone(entry.eventId, 'created');
            (0, record_1.recordFor)(ctx, entry, 'credential-created', 'ok', `${username}, mode ${d.client.defaultMode}`, r.credential.id);
            return out('created', r.credential.id);
        }
    }
}
/** The vault already has this event's effect (a re-delivered or re-tried event): nothing more to do. */
function duplicate(entry, credentialId, ctx) {
    ctx.deps.journal.markDone(entry.eventId, 'duplicate');
    (0, record_1.recordFor)(ctx, entry, 'change-duplicate', 'info', 'already applied for this event id', credentialId);
    return { eventId: entry.eventId, account: entry.account, result: 'duplicate', credentialId };
}
/**
 * The vault's own rules refuse this write (a shared credential while the client does not let agents write
 * them): the same write would be refused on every try, so the entry is closed, not retried. The vault
 * keeps its password; in Change Password mode reconcile then sets it back on this machine.
 */
function refusedByPolicy(entry, reason, ctx, credentialId) {
    ctx.deps.journal.markDone(entry.eventId, 'refused');
    (0, record_1.recordFor)(ctx, entry, 'shared-write-refused', 'refused', reason, credentialId);
    return { eventId: entry.eventId, account: entry.account, result: 'refused', credentialId };
}
/** Never overwrite: flag the credential so a person decides, and close the entry. */
async function flagConflict(entry, credentialId, reason, ctx) {
    try {
        await ctx.deps.vault.setFlag(credentialId, 'conflict', true);
    }
    catch (err) {
        return failed(entry, `flagging the conflict: ${(0, password_1.safeMessage)(err)}`, ctx, err);
    }
    ctx.deps.journal.markDone(entry.eventId, 'conflict');
    (0, record_1.recordFor)(ctx, entry, 'conflict', 'flagged', reason, credentialId);
    return { eventId: entry.eventId, account: entry.account, result: 'conflict', credentialId };
}
/**
 * A transient failure: back off and retry, or give up into the dead letters once the event is too old.
 * A vault that refuses this caller (the hub no longer takes the agent token) is not transient but not the
 * event's fault either: the entry is kept, however old, and tried again only after the vault's own wait.
 */
function failed(entry, error, ctx, cause) {
    const { options, deps } = ctx;
    const now = options.now();
    const attempts = entry.attempts + 1;
    if (cause instanceof vault_port_1.VaultRefusedError) {
        const at = now + Math.max(cause.retryAfterMs, 1000);
        deps.journal.markRetry(entry.eventId, attempts, at, error);
        (0, record_1.recordFor)(ctx, entry, 'delivery-held', 'failed', `attempt ${attempts} refused (${error}); kept, next in ${at - now} ms`);
        ctx.retryAt(at);
        return { eventId: entry.eventId, account: entry.account, result: 'retry' };
    }
    if (now - entry.receivedAt > options.maxEventAgeMs) {
        const reason = `gave up after ${attempts} attempt(s): ${error}`;
        deps.journal.markDead(entry.eventId, reason);
        (0, record_1.recordFor)(ctx, entry, 'dead-letter', 'failed', reason);
        return { eventId: entry.eventId, account: entry.account, result: 'dead' };
    }
    const delay = (0, retry_1.backoffDelay)(entry.attempts, options, deps.random);
    deps.journal.markRetry(entry.eventId, attempts, now + delay, error);
    (0, record_1.recordFor)(ctx, entry, 'delivery-retry', 'info', `attempt ${attempts} failed (${error}); next in ${delay} ms`);
    ctx.retryAt(now + delay);
    return { eventId: entry.eventId, account: entry.account, result: 'retry' };
}
//# sourceMappingURL=act.js.map