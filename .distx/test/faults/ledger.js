"use strict";
// The books a fault scenario keeps: every change it sent, which were acked, and, at the end, what the
// vault shows for each account. The vault is the judge: a change counts as applied once when its
// account's credential holds its password with its capture time as passwordSetAt, and the version moved
// by no more than the changes sent for that account (coalescing may skip older pending ones by design).
Object.defineProperty(exports, "__esModule", { value: true });
exports.Ledger = void 0;
class Ledger {
    changes = [];
    ackedIds = new Set();
    /** The credential's version before the scenario's first change (0 when it did not exist). */
    baseVersion = new Map();
    /** The account's version before the scenario touched it (call before sending; absent = created by a capture). */
    base(account, version) {
        this.baseVersion.set(account, version);
    }
    sent(change) {
        this.changes.push(change);
    }
    acked(eventIdHex) {
        this.ackedIds.add(eventIdHex);
    }
    get sentCount() {
        return this.changes.length;
    }
    get ackedCount() {
        return this.ackedIds.size;
    }
    /** The accounts the scenario sent changes for. */
    accounts() {
        return [...new Set(this.changes.map((c) => c.account))];
    }
    /**
     * Judge every acked change by the vault's view of its account. The newest acked change of an account
     * (by capture time, then by send order) must be what the vault holds; the version may have moved by at
     * most the number of changes sent for the account (acked or not: an unacked one the capture re-sent
     * may land too).
     */
    async settle(read) {
        const byAccount = new Map();
        for (const c of this.changes) {
            const list = byAccount.get(c.account) ?? [];
            list.push(c);
            byAccount.set(c.account, list);
        }
        const tally = { sent: this.changes.length, acked: this.ackedIds.size, exactly_once: 0, lost: 0, applied_twice: 0, problems: [] };
        const problem = (msg) => { if (tally.problems.length < 10)
            tally.problems.push(msg); };
        for (const [account, list] of byAccount) {
            const acked = list.filter((c) => this.ackedIds.has(c.eventIdHex));
            if (acked.length === 0)
                continue;
            // Newest by capture time; on a tie, the later send (sort is stable).
            const newest = [...acked].sort((a, b) => a.capturedAt - b.capturedAt).at(-1);
            const view = await read(account);
            const base = this.baseVersion.get(account) ?? 0;
            if (!view) {
                tally.lost += acked.length;
                problem(`${account}: no credential in the vault`);
                continue;
            }
            // Each acked change of the account lands in exactly one of the three counts.
            let once = acked.length;
            const steps = view.version - base;
            if (steps > list.length) {
                const twice = Math.min(steps - list.length, once);
                tally.applied_twice += twice;
                once -= twice;
                problem(`${account}: version moved by ${steps} for ${list.length} changes sent`);
            }
            // A newer change than the newest acked one may have landed (sent, not acked, re-sent): that is
            // not a loss as long as it is one of this account's changes.
            const holder = list.find((c) => c.password === view.password && c.capturedAt === view.passwordSetAt);
            if (!holder || holder.capturedAt < newest.capturedAt) {
                if (once > 0) {
                    tally.lost += 1;
                    once -= 1;
                } // (when all were counted doubled, it stays there)
                problem(`${account}: the vault holds ${holder ? 'an older change' : 'none of the changes sent'} (passwordSetAt ${view.passwordSetAt}, newest acked ${newest.capturedAt})`);
            }
            tally.exactly_once += once;
        }
        return tally;
    }
}
exports.Ledger = Ledger;
//# sourceMappingURL=ledger.js.map