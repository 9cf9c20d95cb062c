"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.scenario = void 0;
const hub_clock_1 = require("../../../src/vault/hub-clock");
const hub_fleet_1 = require("../hub-fleet");
const SKEWS_MS = [10 * 60_000, -10 * 60_000, 0];
exports.scenario = {
    name: 'clock-skew',
    fault: 'agents whose clocks are 10 min ahead of and 10 min behind the hub\'s capture changes just after, and just before, vault writes on the hub',
    ci: true,
    missing: hub_fleet_1.hubFleetMissing,
    async run(progress) {
        const gapS = (0, hub_fleet_1.knob)('PWB_FAULTS_CLOCK_SKEW_GAP_S', (0, hub_fleet_1.fullRun)() ? 60 : 2);
        const fleet = await hub_fleet_1.HubFleet.start({ hubs: 1, agents: SKEWS_MS.length, accountsPerAgent: 2, agentOptions: (i) => ({ clockOffsetMs: SKEWS_MS[i] }), progress });
        try {
            const [after, before] = [0, 1];
            // Both cases on every agent at once: the gap is waited once.
            progress(`vault writes on the hub, then, ${gapS} s later, captures on machines with clocks ${SKEWS_MS.map((s) => `${s / 60_000} min`).join(', ')} off`);
            const stamped = new Map();
            for (const a of fleet.agents) {
                await fleet.vaultWrite(a.accounts[after]);
                stamped.set(a.machine, a.now()); // the "before" capture happens now, by the machine's clock
            }
            await (0, hub_fleet_1.sleep)(gapS * 1000);
            for (const a of fleet.agents)
                await fleet.vaultWrite(a.accounts[before]);
            await (0, hub_fleet_1.sleep)(500);
            const acks = [];
            for (const a of fleet.agents) {
                acks.push((await fleet.change(a, a.accounts[after])).acked);
                acks.push((await fleet.change(a, a.accounts[before], { capturedAt: stamped.get(a.machine) })).acked);
            }
            const capturedUntil = Date.now();
            const drainedAt = await fleet.drained(30_000);
            // The vault keeps a skewed machine's capture time on the hub's clock, moved by the offset that
            // machine measured (true to within the answer's transit and CLOCK_TOLERANCE_MS): a passwordSetAt
            // that close to a change's true time is that change's.
            const views = new Map();
            const read = async (account) => {
                const v = await fleet.view(account);
                views.set(account, v);
                return v;
            };
            const tally = await fleet.ledger.settle(async (account) => {
                const v = await read(account);
                if (!v)
                    return v;
                const agent = fleet.agents.find((a) => a.accounts.includes(account));
                if (!agent.opts.clockOffsetMs)
                    return v;
                const near = fleet.changesOf(account).find((c) => c.password === v.password && Math.abs(c.capturedAt - v.passwordSetAt) <= hub_clock_1.CLOCK_TOLERANCE_MS + 500);
                return near ? { ...v, passwordSetAt: near.capturedAt } : v;
            });
            const perAgent = [];
            let falseConflicts = 0;
            let futureAccepted = 0;
            for (const a of fleet.agents) {
                const flagsAfter = await fleet.flags(a.accounts[after]);
                const flagsBefore = await fleet.flags(a.accounts[before]);
                const beforeHolds = views.get(a.accounts[before])?.password.includes('-admin-') ?? false;
                if (flagsAfter.includes('conflict'))
                    falseConflicts++;
                if (!beforeHolds)
                    futureAccepted++;
                perAgent.push({
                    machine: a.machine, clock_offset_min: (a.opts.clockOffsetMs ?? 0) / 60_000,
                    after_vault_write: { synced: !flagsAfter.includes('conflict') && !(views.get(a.accounts[after])?.password.includes('-admin-') ?? true), flags: flagsAfter },
                    before_vault_write: { vault_write_kept: beforeHolds, flags: flagsBefore },
                    journal: a.journal().byOutcome,
                });
            }
            return {
                scenario: 'clock-skew',
                sent: tally.sent, acked: tally.acked, exactly_once: tally.exactly_once, lost: tally.lost, applied_twice: tally.applied_twice,
                recover_s: 0,
                served_throughout: fleet.agentsAlive() && acks.every(Boolean) && fleet.hubs[0].running,
                detail: {
                    hubs: 1, agents: fleet.agents.length, gap_s: gapS, drained_after_last_capture_s: Math.round((drainedAt - capturedUntil) / 100) / 10,
                    clock_fake: 'Node --require preload shifting Date in the agent\'s service process; its capture stamps with the same shifted clock',
                    false_conflicts: falseConflicts, future_captures_accepted_over_a_later_vault_write: futureAccepted,
                    per_agent: perAgent, problems: tally.problems,
                },
            };
        }
        finally {
            await fleet.stop();
        }
    },
};
//# sourceMappingURL=clock-skew.js.map