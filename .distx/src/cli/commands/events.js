"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerEvents = registerEvents;
exports.formatEvent = formatEvent;
const open_1 = require("../../service/open");
const errors_1 = require("../errors");
const options_1 = require("../options");
/** `pwbridge events`: the event log, filtered; --follow keeps printing new events as they are stored. */
function registerEvents(program) {
    program
        .command('events')
        .description('show the event log')
        .option('--json', 'one JSON object per line', false)
        .option('--since <duration>', 'only events newer than this, e.g. 15m, 2h, 7d')
        .option('--account <name>', 'only events about this account')
        .option('--kind <kind>', 'only events of this kind (e.g. change-synced, mismatch-flagged, dead-letter)')
        .option('--follow', 'keep printing new events until interrupted', false)
        .option('--limit <n>', 'at most this many of the most recent events', '1000')
        .action(async (o, cmd) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
            throw new errors_1.UsageError(`--limit: "${o.limit}" is not a number from 1 to 100000`);
        const q = {
            sinceMs: o.since === undefined ? undefined : Date.now() - (0, options_1.parseSince)(o.since),
            account: o.account === undefined ? undefined : (0, options_1.requireName)('--account', o.account),
            kind: o.kind === undefined ? undefined : (0, options_1.requireName)('--kind', o.kind),
        };
        const vault = await (0, open_1.openVaultAt)((0, options_1.dataDirOf)(cmd));
        const print = (rows) => (o.json ? (0, options_1.printJsonLines)(rows) : rows.forEach((e) => process.stdout.write(`${formatEvent(e)}\n`)));
        try {
            // The most recent matches, oldest first, as a log reads; --follow then goes on from the newest.
            let rows = await vault.queryEvents({ ...q, latest: true, limit });
            print(rows);
            if (!o.follow)
                return;
            let afterId = (await vault.queryEvents({ latest: true, limit: 1 })).at(-1)?.id ?? 0;
            await new Promise((resolve) => {
                const timer = setInterval(async () => {
                    rows = await vault.queryEvents({ ...q, afterId });
                    if (rows.length) {
                        afterId = rows[rows.length - 1].id ?? afterId;
                        print(rows);
                    }
                }, 500);
                const stop = () => { clearInterval(timer); resolve(); };
                process.once('SIGINT', stop);
                process.once('SIGTERM', stop);
            });
        }
        finally {
            await vault.close();
        }
    });
}
function formatEvent(e) {
    const parts = [new Date(e.time).toISOString(), e.kind.padEnd(18), e.outcome.padEnd(7), e.account ?? '-'];
    if (e.credentialId !== undefined && e.credentialId !== null)
        parts.push(`cred=${e.credentialId}`);
    if (e.reason)
        parts.push(`— ${e.reason}`);
    if (e.traceId)
        parts.push(`[${e.traceId.slice(0, 12)}]`);
    return parts.join('  ');
}
//# sourceMappingURL=events.js.map