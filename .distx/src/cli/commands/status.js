"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerStatus = registerStatus;
const config_1 = require("../../config/config");
const describe_1 = require("../../service/describe");
const options_1 = require("../options");
/**
 * `pwbridge status`: the hub (and whether it refuses the agent token), filter state, journal depth, dead
 * letters, last reconcile. Works with the service stopped.
 */
function registerStatus(program) {
    program
        .command('status')
        .description('filter state, journal depth, dead letters, last reconcile')
        .option('--json', 'one JSON object', false)
        .action(async (o, cmd) => {
        const config = (0, config_1.loadConfig)((0, options_1.dataDirOf)(cmd));
        const s = await (0, describe_1.describeInstall)(config);
        if (o.json) {
            process.stdout.write(`${JSON.stringify(s)}\n`);
            return;
        }
        const lines = [
            `data dir:       ${s.dataDir}`,
            `machine:        ${s.machine}   client: ${s.client}`,
            `service:        ${s.serviceRunning ? 'running' : 'not running'} (${s.serviceCheckedBy === 'socket' ? `socket ${s.socketPath}` : `service manager; pipe ${s.socketPath}`})`,
            ...(s.hub ? [`hub:            ${s.hub.url}${s.hub.refused
                    ? `: REFUSED since ${new Date(s.hub.refused.at).toISOString()}: ${s.hub.refused.reason}; next try ${new Date(s.hub.refused.retryAt).toISOString()}`
                    : ''}`] : []),
            `filter:         ${s.filter.state} (${s.filter.reason}) since ${new Date(s.filter.since).toISOString()}`,
            ...(s.filterDetails ?? []).map((d) => `                ${d}`),
            `journal depth:  ${s.journalDepth} pending`,
            `spool:          ${s.spool.waiting} waiting for the service${s.spool.refused ? `, ${s.spool.refused} refused (kept as .bad in ${s.dataDir}/spool)` : ''}`,
            `dead letters:   ${s.deadLetters.length}`,
            ...s.deadLetters.map((d) => `  ${d.eventId} ${d.account} received ${new Date(d.receivedAt).toISOString()}: ${d.reason ?? ''}`),
            `last reconcile: ${s.lastReconcile ? summarize(s.lastReconcile) : 'never'}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
    });
}
function summarize(r) {
    return `${new Date(r.at).toISOString()}: ${r.checked} checked, ${r.unchanged} unchanged, ${r.flagged} flagged, ${r.cleared} cleared, ${r.set} set, ${r.failed} failed (${r.durationMs} ms)`;
}
//# sourceMappingURL=status.js.map