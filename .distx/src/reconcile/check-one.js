"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkOne = checkOne;
const account_port_1 = require("../ports/account.port");
const password_1 = require("../pipeline/password");
/**
 * One credential that is not unchanged. The memo is written as soon as a verification's answer is
 * known, before any side effect, so if a later step fails the next pass acts on the known answer
 * instead of verifying (and possibly failing a logon) again.
 */
async function checkOne(t, verdict, deps, opts) {
    const { credential: cred, account } = t;
    const ev = (kind, outcome, reason) => deps.events.record({ kind, outcome, reason, account: account.name, credentialId: cred.id });
    const memo = (result, localFingerprint = account.fingerprint) => deps.state.putMemo({ credentialId: cred.id, vaultVersion: cred.version, localFingerprint, result, checkedAt: opts.now() });
    const flagged = cred.flags.includes('mismatch');
    const clearFlag = async () => {
        // A refusal is settled once the local password is the vault's (set, or found to match).
        if (cred.flags.includes('policy-refused'))
            await deps.vault.setFlag(cred.id, 'policy-refused', false);
        if (!flagged)
            return false;
        await deps.vault.setFlag(cred.id, 'mismatch', false);
        ev('mismatch-cleared', 'ok', 'local password matches the vault');
        return true;
    };
    const setFlagQuietly = async (flag) => {
        try {
            if (!cred.flags.includes(flag))
                await deps.vault.setFlag(cred.id, flag, true);
        }
        catch { /* the event says enough */ }
    };
    const raiseFlag = async () => {
        if (!flagged)
            await deps.vault.setFlag(cred.id, 'mismatch', true);
        ev('mismatch-flagged', 'flagged', `local password differs from the vault (version ${cred.version}), mode report`);
    };
    /** Change mode: make the local password the vault's. */
    const setLocal = async (pw) => {
        // Remember before setting: the capture may report our write before setPassword even returns.
        deps.echo.remember(account.name, pw, opts.now() + opts.echoTtlMs);
        try {
            await deps.accounts.setPassword(account.name, pw);
        }
        catch (err) {
            memo('failed');
            if (err instanceof account_port_1.PolicyRefusedError) {
                // Not a retry: the same password would be refused on every pass. The flag says why; a new vault
                // version (a password the policy accepts) is verified and set on the next pass.
                ev('policy-refused', 'flagged', `${(0, password_1.safeMessage)(err, pw)} (vault version ${cred.version}); set a password the local policy accepts`);
                await setFlagQuietly('policy-refused');
            }
            else {
                ev('password-set', 'failed', (0, password_1.safeMessage)(err, pw));
            }
            await setFlagQuietly('mismatch');
            return { action: 'failed', cleared: false };
        }
        // The new fingerprint makes the next pass see "unchanged"; without it, it would verify once more (and match).
        const after = await deps.accounts.getAccount(account.name).catch(() => undefined);
        memo('set', after?.fingerprint ?? account.fingerprint);
        ev('password-set', 'ok', `local password set from vault version ${cred.version}`);
        const cleared = await clearFlag();
        return { action: 'set', cleared };
    };
    let pw;
    try {
        switch (verdict) {
            case 'clear-known':
                return { action: 'cleared-only', cleared: await clearFlag() };
            case 'flag-known':
                await raiseFlag();
                return { action: 'flagged', cleared: false };
            case 'set-known':
                pw = await deps.vault.readPassword(cred.id);
                return await setLocal(pw);
            case 'verify': {
                pw = await deps.vault.readPassword(cred.id);
                const same = await deps.accounts.verifyPassword(account.name, pw);
                memo(same ? 'match' : 'mismatch');
                if (same)
                    return { action: 'matched', cleared: await clearFlag() };
                if (cred.mode === 'report') {
                    await raiseFlag();
                    return { action: 'flagged', cleared: false };
                }
                return await setLocal(pw);
            }
        }
    }
    catch (err) {
        ev('reconcile-error', 'failed', (0, password_1.safeMessage)(err, pw));
        return { action: 'failed', cleared: false };
    }
    finally {
        (0, password_1.wipe)(pw);
    }
}
//# sourceMappingURL=check-one.js.map