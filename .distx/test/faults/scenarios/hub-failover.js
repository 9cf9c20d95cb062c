"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.scenario = void 0;
const haproxy_1 = require("../haproxy");
const hub_fleet_1 = require("../hub-fleet");
const hub_probe_1 = require("../hub-probe");
const PUSH_ACCOUNT = 'pushprobe';
exports.scenario = {
    name: 'hub-failover',
    fault: 'one of two pwbridge hub processes (one PostgreSQL, behind haproxy) SIGKILLed while agents capture and hold push-down long polls',
    ci: false, // flaked through haproxy on a loaded machine (TLS handshakes cut); npm run faults runs it
    missing: () => (0, hub_fleet_1.hubFleetMissing)() ?? (0, haproxy_1.haproxyMissing)(),
    async run(progress) {
        const agents = (0, hub_fleet_1.knob)('PWB_FAULTS_FAILOVER_AGENTS', (0, hub_fleet_1.fullRun)() ? 20 : 6);
        const rate = (0, hub_fleet_1.knob)('PWB_FAULTS_FAILOVER_RATE', 2);
        let proxy;
        const fleet = await hub_fleet_1.HubFleet.start({
            hubs: 2, agents, accountsPerAgent: 3, progress,
            agentUrl: async (hubs, dir) => (proxy = await haproxy_1.Haproxy.start(dir, hubs)).url,
        }).catch(async (err) => {
            const said = proxy?.stderr() ?? '';
            await proxy?.stop();
            throw new Error(`${err.message}${said ? `\nhaproxy: ${said}` : ''}`);
        });
        try {
            const [victim, survivor] = fleet.hubs;
            // A shared credential every agent's push-down cursor depends on (report mode: reconcile only verifies).
            await fleet.retrying((v) => v.addCredential({ client: hub_fleet_1.CLIENT, username: PUSH_ACCOUNT, password: Buffer.from('push-initial'), windowsSync: true, mode: 'report' }));
            const probe = new hub_probe_1.HubProbe(fleet.agentUrl, victim.fingerprint, await fleet.login(victim), hub_fleet_1.CLIENT, 100).start();
            const load = new hub_fleet_1.CaptureLoad(fleet, rate);
            await (0, hub_fleet_1.sleep)(8_000);
            const pollsBefore = openPolls(victim, survivor);
            progress(`SIGKILL of ${victim.name} (pid ${victim.pid}); ${agents} agents capture ${agents * rate}/s through haproxy`);
            const killed = Date.now();
            await victim.kill();
            // Long polls that were on the killed hub fail; the agents back off (1 s) and reconnect through haproxy.
            await (0, hub_fleet_1.sleep)(10_000);
            const pushedAt = Date.now();
            await fleet.retrying((v) => v.updateCredential(hub_fleet_1.CLIENT, PUSH_ACCOUNT, { password: Buffer.from('push-after-kill') }));
            const reached = await (0, hub_fleet_1.pollUntil)('the push-down after the kill to reach every agent', () => {
                const n = fleet.agents.filter((a) => pushPassAfter(a.logLines(), pushedAt) !== undefined).length;
                return n === fleet.agents.length ? n : undefined;
            }, 30_000).catch(() => fleet.agents.filter((a) => pushPassAfter(a.logLines(), pushedAt) !== undefined).length);
            const pushLagMs = fleet.agents.map((a) => (pushPassAfter(a.logLines(), pushedAt) ?? NaN) - pushedAt);
            await (0, hub_fleet_1.sleep)(3_000);
            await load.stop();
            const drainedAt = await fleet.drained(60_000);
            await probe.stop();
            const firstOk = probe.firstAllOkAfter(killed);
            const tally = await fleet.ledger.settle((a) => fleet.view(a));
            const captures = load.window();
            const afterKill = load.window(killed, Date.now());
            const survivorLog = (0, hub_probe_1.loggedStatuses)(survivor.logLines(), killed, Date.now());
            const served = fleet.agentsAlive() && survivor.running && captures.notAcked === 0 && reached === fleet.agents.length
                && fleet.journalTotals().dead === 0;
            return {
                scenario: 'hub-failover',
                sent: tally.sent, acked: tally.acked, exactly_once: tally.exactly_once, lost: tally.lost, applied_twice: tally.applied_twice,
                recover_s: firstOk === undefined ? -1 : Math.round((firstOk - killed) / 100) / 10,
                served_throughout: served,
                detail: {
                    hub_processes: 2, hubs_killed: 1, proxy: 'haproxy 2.6, mode tcp (TLS passthrough, one shared certificate), httpchk GET /readyz every 1 s, down after 3 failures, redispatch on a refused connect',
                    agents, accounts: agents * 3, captures_per_s: agents * rate,
                    long_polls_answered_before_kill_by_hub: pollsBefore,
                    captures_after_kill: afterKill.sent, not_acked: captures.notAcked, slowest_ack_ms: captures.maxAckMs,
                    pushdown_after_kill_reached_agents: reached, pushdown_after_kill_max_s: Math.round(Math.max(...pushLagMs) / 100) / 10,
                    probe_through_proxy_after_kill: probe.statuses(killed, killed + 15_000),
                    survivor_answered_after_kill: survivorLog,
                    scenario_admin_requests_sent_again_after_no_answer: fleet.adminRetries,
                    journal: fleet.journalTotals(), drained_s_after_kill: Math.round((drainedAt - killed) / 100) / 10,
                    problems: tally.problems,
                },
            };
        }
        finally {
            await fleet.stop();
            await proxy?.stop();
        }
    },
};
/** When the agent's log shows a push-down pass because the hub answered "changed" at or after `t`. */
function pushPassAfter(lines, t) {
    const l = lines.find((x) => x.msg === 'push-down: reconcile pass' && x.reason === 'changed' && typeof x.time === 'number' && x.time >= t);
    return l?.time;
}
/** Long polls each hub had answered so far (its request log): how haproxy spread the agents. */
function openPolls(...hubs) {
    return Object.fromEntries(hubs.map((h) => [h.name, h.logLines().filter((l) => l.msg === 'request' && l.req?.path === '/api/changes').length]));
}
//# sourceMappingURL=hub-failover.js.map