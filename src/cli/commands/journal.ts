import type { Command } from 'commander';
import type { StateDb } from '../../journal/sqlite.state';
import { openExistingState } from '../../service/open';
import { UsageError } from '../errors';
import { dataDirOf, printJsonLines } from '../options';

/** `pwbridge journal …`: the dead letters, and putting them back once their cause is fixed. */
export function registerJournal(program: Command): void {
  const journal = program.command('journal').description('the capture journal\'s dead letters');

  journal
    .command('dead')
    .description('list the dead letters: captured changes that kept failing past maxEventAge')
    .option('--json', 'one JSON object per line', false)
    .action(async (o: { json: boolean }, cmd: Command) => {
      withState(cmd, (db) => {
        const dead = db.journal.deadLetters(10_000).map((e) => ({
          eventId: e.eventId, account: e.account, machine: e.machine, capturedAt: e.capturedAt, receivedAt: e.receivedAt,
          attempts: e.attempts, reason: e.outcome ?? e.lastError ?? null,
        }));
        if (o.json) return printJsonLines(dead);
        if (dead.length === 0) process.stdout.write('no dead letters\n');
        for (const d of dead) {
          process.stdout.write(`${d.eventId}  ${d.account}  captured ${new Date(d.capturedAt).toISOString()}  ${d.attempts} attempts  ${d.reason ?? ''}\n`);
        }
      });
    });

  journal
    .command('conflicted')
    .description('list the conflicted captures: kept sealed until the conflict is resolved on the hub (keep the vault\'s, or take the machine\'s)')
    .option('--json', 'one JSON object per line', false)
    .action(async (o: { json: boolean }, cmd: Command) => {
      withState(cmd, (db) => {
        db.journal.flushMarks();
        const kept = db.journal.conflicted().map((e) => ({ eventId: e.eventId, account: e.account, machine: e.machine, capturedAt: e.capturedAt, receivedAt: e.receivedAt }));
        if (o.json) return printJsonLines(kept);
        if (kept.length === 0) process.stdout.write('no conflicted captures\n');
        for (const k of kept) process.stdout.write(`${k.eventId}  ${k.account}  captured ${new Date(k.capturedAt).toISOString()}  waiting for the conflict's resolution on the hub\n`);
      });
    });

  journal
    .command('requeue [eventIds...]')
    .description('put dead letters back in the queue (the running service takes them within a minute)')
    .option('--all', 'every dead letter', false)
    .action(async (ids: string[], o: { all: boolean }, cmd: Command) => {
      if (o.all === (ids.length > 0)) throw new UsageError('journal requeue: give event ids, or --all (not both)');
      for (const id of ids) {
        if (!/^[0-9a-fA-F]{32}$/.test(id)) throw new UsageError(`journal requeue: "${id}" is not an event id (32 hex characters)`);
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

function withState(cmd: Command, fn: (db: StateDb) => void): void {
  const dataDir = dataDirOf(cmd);
  const db = openExistingState(dataDir);
  if (!db) throw new UsageError(`no journal in ${dataDir} (the service has never run with this data dir)`);
  try {
    fn(db);
  } finally {
    db.close();
  }
}
