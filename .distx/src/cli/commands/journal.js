"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerJournal = registerJournal;
const open_1 = require("../../service/open");
const errors_1 = require("../errors");
const options_1 = require("../options");
/** `pwbridge journal …`: the dead letters, and putting them back once their cause is fixed. */
function registerJournal(program) {
    const journal = program.command('journal').description('the capture journal\'s dead letters');
    journal
        .command('dead')
        .description('list the dead letters: captured changes that kept failing past maxEventAge')
        .option('--json', 'one JSON object per line', false)
        .action(async (o, cmd) => {
        withState(cmd, (db) => {
            const dead = db.journal.deadLetters(10_000).map((e) => ({
                eventId: e.eventId, account: e.account, machine: e.machine, capturedAt: e.capturedAt, receivedAt: e.receivedAt,
                attempts: e.attempts, reason: e.outcome ?? e.lastError ?? null,
            }));
            if (o.json)
                return (0, options_1.printJsonLines)(dead);
            if (dead.length === 0)
                process.stdout.write('no dead letters\n');
            for (const d of dead) {
                process.stdout.write(`${d.eventId}  ${d.account}  captured ${new Date(d.capturedAt).toISOString()}  ${d.attempts} attempts  ${d.reason ?? ''}\n`);
            }
        });
    });
    journal
        .command('requeue [eventIds...]')
        .description('put dead letters back in the queue (the running service takes them within a minute)')
        .option('--all', 'every dead letter', false)
        .action(async (ids, o, cmd) => {
        if (o.all === (ids.length > 0))
            throw new errors_1.UsageError('journal requeue: give event ids, or --all (not both)');
        for (const id of ids) {
            if (!/^[0-9a-fA-F]{32}$/.test(id))
                throw new errors_1.UsageError(`journal requeue: "${id}" is not an event id (32 hex characters)`);
        }
        withState(cmd, (db) => {
            const wanted = o.all ? db.journal.deadLetters(1_000_000).map((e) => e.eventId) : ids;
            const done = db.journal.requeueDead(wanted);
            const missed = wanted.filter((id) => !done.includes(id.toLowerCase()));
            process.stdout.write(`${done.length} requeued\n`);
            if (missed.length) {
                process.stderr.write(`pwbridge: not dead letters (unknown, or not dead): ${missed.join(' ')}\n`);
                process.exitCode = 1;
            }
        });
    });
}
function withState(cmd, fn) {
    const dataDir = (0, options_1.dataDirOf)(cmd);
    const db = (0, open_1.openExistingState)(dataDir);
    if (!db)
        throw new errors_1.UsageError(`no journal in ${dataDir} (the service has never run with this data dir)`);
    try {
        fn(db);
    }
    finally {
        db.close();
    }
}
//# sourceMappingURL=journal.js.map