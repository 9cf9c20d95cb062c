"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.classify = classify;
const rxjs_1 = require("rxjs");
const exclusions_1 = require("./exclusions");
const password_1 = require("./password");
const skip = (kind, outcome, reason, journal, result, credentialId) => ({ type: 'skip', kind, outcome, reason, journal, result, credentialId });
/** Journal entry → decision. Opens the password only when the decision can need it. */
function classify(entry$, ctx) {
    return entry$.pipe((0, rxjs_1.concatMap)((entry) => (0, rxjs_1.defer)(() => (0, rxjs_1.from)(decide(entry, ctx))).pipe(
    // decide() wipes the password itself on every path that throws; here only the decision is made.
    (0, rxjs_1.catchError)((err) => (0, rxjs_1.of)({ entry, decision: { type: 'fail', error: (0, password_1.safeMessage)(err), cause: err } })))));
}
async function decide(entry, ctx) {
    const { deps, options } = ctx;
    const done = (decision) => ({ entry, decision });
    // Exclusions first: they need no password, so an excluded account's password is never even decrypted.
    const excluded = (0, exclusions_1.exclusionReason)(entry.account, options);
    if (excluded)
        return done(skip('change-ignored', 'skipped', excluded, 'excluded', 'ignored'));
    let raw;
    try {
        raw = deps.open(entry);
    }
    catch (err) {
        // Not transient: the sealed bytes or the bridge key are wrong, a retry opens nothing. Dead letter
        // (kept for an operator) rather than refused, since the password itself was never judged.
        return done(skip('dead-letter', 'failed', `cannot open the sealed password: ${(0, password_1.safeMessage)(err)}`, 'dead', 'dead'));
    }
    const norm = (0, password_1.normalisePassword)(raw, entry.encoding);
    if (!norm.ok) {
        (0, password_1.wipe)(raw);
        return done(skip('change-refused', 'refused', norm.reason, 'refused', 'refused'));
    }
    if (norm.utf8 !== raw)
        (0, password_1.wipe)(raw);
    const password = norm.utf8;
    try {
        const decision = await decideWith(entry, password, ctx);
        if (decision.type === 'sync' || decision.type === 'create')
            return { entry, decision, password };
        (0, password_1.wipe)(password);
        return done(decision);
    }
    catch (err) {
        const error = (0, password_1.safeMessage)(err, password);
        (0, password_1.wipe)(password);
        return done({ type: 'fail', error, cause: err });
    }
}
async function decideWith(entry, password, ctx) {
    const { deps, options } = ctx;
    const now = options.now();
    if (deps.echo.consume(entry.account, password, now)) {
        return skip('echo-suppressed', 'skipped', 'pwbridge set this password itself (reconcile, change mode)', 'echo', 'echo');
    }
    if (!deps.filterActive()) {
        const state = deps.filterState?.() ?? 'unknown';
        return skip('change-ignored', 'skipped', `filter not active (${state})`, 'filter-inactive', 'filter-inactive');
    }
    const client = await deps.vault.getClient(options.client);
    if (!client)
        return skip('change-ignored', 'skipped', `client '${options.client}' not in the vault`, 'skipped', 'ignored');
    if (!client.windowsSync)
        return skip('change-ignored', 'skipped', 'client windows sync off', 'skipped', 'ignored');
    // `MACHINE\user` wins over the shared `user`, even when its own sync is off: the machine-specific
    // credential is the one that describes this account here (reconcile uses the same rule).
    const cred = (await deps.vault.findCredential(client.name, `${options.machine}\\${entry.account}`)) ??
        (await deps.vault.findCredential(client.name, entry.account));
    if (!cred) {
        if (client.autoCreate)
            return { type: 'create', client };
        return skip('change-ignored', 'skipped', 'unknown account, auto-create off', 'skipped', 'ignored');
    }
    if (!cred.windowsSync)
        return skip('change-ignored', 'skipped', 'credential windows sync off', 'skipped', 'ignored', cred.id);
    if (!client.twoWaySync)
        return skip('change-ignored', 'skipped', 'two-way sync off', 'skipped', 'ignored', cred.id);
    // The race rule. A local change "raced" a vault change when the password now in the vault was chosen
    // after this change was captured (passwordSetAt > capturedAt; passwordSetAt is the capture time for a
    // password that came from a machine, the write time for one set in the vault). Then the vault holds the
    // newer intent and pushing the older local password would silently undo it: flag a conflict, never
    // write. Otherwise the local change is the newer one and is pushed with the version just read as the
    // base; a vault change landing between that read and our write is caught by the vault itself
    // (VaultConflictError) and flagged the same way.
    // Why not updatedAt: flags and mode changes move it too (false conflicts), and a retry whose earlier
    // attempt did land (answer lost) would see its own write as newer. With passwordSetAt, our own earlier
    // write has passwordSetAt == capturedAt: not raced, and the vault answers "already applied".
    // Equal times count as not raced (ms resolution). Both times are on this machine's clock: a hub's
    // adapter moves the vault's times across the skew it measures (src/vault/hub-clock.ts), so a machine
    // minutes off neither flags false conflicts nor outranks a later vault write. A stale capture arriving after a newer one of the same account was pushed
    // is flagged too (we cannot tell it from a vault edit, and flagging is the safe side).
    const setAt = cred.passwordSetAt ?? cred.updatedAt;
    if (setAt > entry.capturedAt) {
        return {
            type: 'conflict',
            credentialId: cred.id,
            reason: `vault password is newer than the local change (vault password set ${new Date(setAt).toISOString()}, captured ${new Date(entry.capturedAt).toISOString()})`,
        };
    }
    return { type: 'sync', credential: cred };
}
//# sourceMappingURL=classify.js.map