"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.scenario = void 0;
const hub_fleet_1 = require("../hub-fleet");
const hub_probe_1 = require("../hub-probe");
exports.scenario = {
    name: 'postgres-restart',
    fault: 'pg_ctl restart -m fast of the hub\'s PostgreSQL while agents (pwbridge run, enrolled to one pwbridge hub) capture',
    ci: true,
    missing: hub_fleet_1.hubFleetMissing,
    async run(progress) {
        const agents = (0, hub_fleet_1.knob)('PWB_FAULTS_PGRESTART_AGENTS', (0, hub_fleet_1.fullRun)() ? 20 : 6);
        const rate = (0, hub_fleet_1.knob)('PWB_FAULTS_PGRESTART_RATE', 2);
        const fleet = await hub_fleet_1.HubFleet.start({ hubs: 1, agents, accountsPerAgent: 3, progress });
        try {
            const hub = fleet.hubs[0];
            const probe = new hub_probe_1.HubProbe(hub.url, hub.fingerprint, await fleet.login(hub), 'Acme').start();
            const load = new hub_fleet_1.CaptureLoad(fleet, rate);
            await (0, hub_fleet_1.sleep)(5_000);
            progress(`restarting PostgreSQL (pg_ctl restart -m fast) under ${agents} agents × ${rate} captures/s`);
            const down = Date.now();
            await fleet.pg.restartFast();
            const back = Date.now();
            progress(`PostgreSQL back after ${((back - down) / 1000).toFixed(1)} s`);
            await (0, hub_fleet_1.sleep)(8_000);
            await load.stop();
            if (hub.crashed)
                throw new Error(`the hub exited during the restart (${hub.crashed.code ?? hub.crashed.signal}): ${hub.crashed.stderr}`);
            const stoppedAt = Date.now();
            const drainedAt = await fleet.drained(60_000);
            await probe.stop();
            const firstOk = probe.firstAllOkAfter(back);
            const tally = await fleet.ledger.settle((a) => fleet.view(a));
            const during = probe.statuses(down, back + 500);
            const logged = (0, hub_probe_1.loggedStatuses)(hub.logLines(), down, (firstOk ?? back) + 500);
            const journal = fleet.journalTotals();
            const captures = load.window();
            const fiveHundreds = Object.entries(logged).filter(([s]) => s.startsWith('5') && s !== '503').reduce((n, [, c]) => n + c, 0)
                + Object.values(during).reduce((n, r) => n + Object.entries(r).filter(([s]) => /^5\d\d$/.test(s) && s !== '503').reduce((m, [, c]) => m + c, 0), 0);
            const served = hub.running && fleet.agentsAlive() && captures.notAcked === 0 && fiveHundreds === 0 && firstOk !== undefined && journal.dead === 0;
            return {
                scenario: 'postgres-restart',
                sent: tally.sent, acked: tally.acked, exactly_once: tally.exactly_once, lost: tally.lost, applied_twice: tally.applied_twice,
                // PostgreSQL accepting connections again → the hub answering 200 on every probed route.
                recover_s: firstOk === undefined ? -1 : Math.round((firstOk - back) / 100) / 10,
                served_throughout: served,
                detail: {
                    hubs: 1, agents, accounts: agents * 3, captures_per_s: agents * rate,
                    pg_restart_s: Math.round((back - down) / 100) / 10,
                    journals_drained_s_after_captures_stopped: Math.round((drainedAt - stoppedAt) / 100) / 10,
                    probe_statuses_during_restart: during,
                    hub_logged_statuses_during_restart: logged,
                    hub_answered_5xx_other_than_503: fiveHundreds,
                    hub_process_alive: hub.running,
                    captures_not_acked: captures.notAcked, slowest_ack_ms: captures.maxAckMs,
                    journal, problems: tally.problems,
                },
            };
        }
        finally {
            await fleet.stop();
        }
    },
};
//# sourceMappingURL=postgres-restart.js.map