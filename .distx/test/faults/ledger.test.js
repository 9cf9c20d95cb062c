"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const ledger_1 = require("./ledger");
const change = (account, n, capturedAt) => ({ account, password: `${account}-${n}`, eventIdHex: `${account}-${n}`, capturedAt });
describe('the fault ledger judges by the vault', () => {
    const vault = (views) => async (account) => views[account];
    it('one change per account, each applied once: all exactly once', async () => {
        const l = new ledger_1.Ledger();
        for (const a of ['a', 'b']) {
            l.base(a, 1);
            l.sent(change(a, 1, 100));
            l.acked(`${a}-1`);
        }
        const t = await l.settle(vault({ a: { version: 2, passwordSetAt: 100, password: 'a-1' }, b: { version: 2, passwordSetAt: 100, password: 'b-1' } }));
        node_assert_1.strict.deepEqual({ ...t, problems: t.problems.length }, { sent: 2, acked: 2, exactly_once: 2, lost: 0, applied_twice: 0, problems: 0 });
    });
    it('a version step too many is applied twice; a missing or older password is lost', async () => {
        const l = new ledger_1.Ledger();
        l.base('a', 1);
        l.sent(change('a', 1, 100));
        l.acked('a-1');
        l.base('b', 1);
        l.sent(change('b', 1, 100));
        l.sent(change('b', 2, 200));
        l.acked('b-1');
        l.acked('b-2');
        l.sent(change('c', 1, 100));
        l.acked('c-1');
        const t = await l.settle(vault({
            a: { version: 3, passwordSetAt: 100, password: 'a-1' },
            b: { version: 2, passwordSetAt: 100, password: 'b-1' },
        }));
        node_assert_1.strict.equal(t.applied_twice, 1);
        node_assert_1.strict.equal(t.lost, 2, 'b ends on its older change, c has no credential');
        node_assert_1.strict.equal(t.exactly_once, 1, 'b-1 is in the vault once; a was doubled; b-2 and c were lost');
        node_assert_1.strict.equal(t.exactly_once + t.lost + t.applied_twice, t.acked, 'every acked change is counted once');
    });
    it('coalesced changes count once their newest is in the vault; unacked changes are not judged', async () => {
        const l = new ledger_1.Ledger();
        l.base('a', 1);
        for (let i = 1; i <= 5; i++)
            l.sent(change('a', i, i * 10));
        for (let i = 1; i <= 4; i++)
            l.acked(`a-${i}`);
        const t = await l.settle(vault({ a: { version: 3, passwordSetAt: 50, password: 'a-5' } }));
        node_assert_1.strict.deepEqual([t.acked, t.exactly_once, t.lost, t.applied_twice], [4, 4, 0, 0]);
    });
});
//# sourceMappingURL=ledger.test.js.map