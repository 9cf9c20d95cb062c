"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.scenario = void 0;
const hub_fleet_1 = require("../hub-fleet");
exports.scenario = {
    name: 'vault-down',
    fault: 'the hub (pwbridge hub) stopped for minutes while agents (pwbridge run) keep capturing, then started again',
    ci: true,
    missing: hub_fleet_1.hubFleetMissing,
    async run(progress) {
        const downS = (0, hub_fleet_1.knob)('PWB_FAULTS_VAULT_DOWN_S', (0, hub_fleet_1.fullRun)() ? 120 : 15);
        const agents = Math.max(2, (0, hub_fleet_1.knob)('PWB_FAULTS_VAULT_DOWN_AGENTS', (0, hub_fleet_1.fullRun)() ? 20 : 4));
        const rate = (0, hub_fleet_1.knob)('PWB_FAULTS_VAULT_DOWN_RATE', 1);
        const fleet = await hub_fleet_1.HubFleet.start({ hubs: 1, agents, accountsPerAgent: 3, progress });
        try {
            const hub = fleet.hubs[0];
            // The first agent is restarted during the outage, so the steady captures run on the others.
            const load = new hub_fleet_1.CaptureLoad(fleet, rate, fleet.agents.slice(1));
            // No wait for empty journals here: under steady load on 2 cores they are rarely all empty at once.
            await (0, hub_fleet_1.sleep)(4_000);
            const before = fleet.journalTotals();
            progress(`stopping the hub for ${downS} s; ${agents - 1} agents keep capturing (${(agents - 1) * rate}/s in all), one is restarted`);
            const down = Date.now();
            await hub.stop();
            // A machine that restarts during the outage: its service must start without the hub and take captures.
            const restarted = fleet.agents[0];
            await (0, hub_fleet_1.sleep)((downS * 1000) / 4);
            const load0 = load.window(0, Date.now());
            await restarted.stop();
            let restartedServes = true;
            try {
                await restarted.start();
                restartedServes = (await fleet.change(restarted, restarted.accounts[0])).acked;
            }
            catch (err) {
                restartedServes = false;
                progress(`${restarted.machine} did not start while the hub was down: ${err.message.slice(0, 300)}`);
            }
            progress(`${restarted.machine} restarted during the outage: ${restartedServes ? 'serving' : 'NOT serving'} (${load0.sent} captures so far)`);
            // Half-way and at the end of the outage: the journals hold everything, nothing is dead.
            await (0, hub_fleet_1.sleep)(Math.max(0, down + (downS * 1000) / 2 - Date.now()));
            const midway = fleet.journalTotals();
            await (0, hub_fleet_1.sleep)(Math.max(0, down + downS * 1000 - Date.now()));
            await load.stop();
            const atEnd = fleet.journalTotals();
            const outage = load.window(down, Date.now());
            progress(`outage over: ${outage.sent} captures during it, ${outage.notAcked} not acked, slowest ack ${outage.maxAckMs} ms; journals hold ${atEnd.pending}`);
            await hub.start();
            const back = Date.now();
            const drainedAt = await fleet.drained(Math.max(120_000, downS * 2000));
            progress(`journals drained ${((drainedAt - back) / 1000).toFixed(1)} s after the hub listened again`);
            const after = fleet.journalTotals();
            const tally = await fleet.ledger.settle((a) => fleet.view(a));
            const retriedNow = fleet.agents.map((a) => a.logLines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('the hub answers again')).length);
            const served = fleet.agentsAlive() && restartedServes && outage.notAcked === 0 && load.window().notAcked === 0 && after.dead === 0 && midway.dead === 0;
            return {
                scenario: 'vault-down',
                sent: tally.sent, acked: tally.acked, exactly_once: tally.exactly_once, lost: tally.lost, applied_twice: tally.applied_twice,
                recover_s: Math.round((drainedAt - back) / 100) / 10,
                served_throughout: served,
                detail: {
                    hubs: 1, agents, accounts: agents * 3, captures_per_s: (agents - 1) * rate, down_s: downS,
                    captures_during_outage: outage.sent, not_acked_during_outage: outage.notAcked, slowest_ack_during_outage_ms: outage.maxAckMs,
                    journal_before: before, journal_midway: midway, journal_at_end_of_outage: atEnd, journal_after: after,
                    agent_restarted_during_outage_served: restartedServes,
                    retry_config: 'defaults: retryBase 1s, retryMax 5m, maxEventAge 7d',
                    agents_that_logged_the_hubs_return: retriedNow.filter((n) => n > 0).length,
                    problems: tally.problems,
                },
            };
        }
        finally {
            await fleet.stop();
        }
    },
};
//# sourceMappingURL=vault-down.js.map