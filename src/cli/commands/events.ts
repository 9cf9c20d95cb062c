import type { Command } from 'commander';
import type { EventQuery, EventRecord } from '../../domain/types';
import { openVaultAt } from '../../service/open';
import { UsageError } from '../errors';
import { dataDirOf, parseSince, printJsonLines, requireName } from '../options';

/** `pwbridge events`: the event log, filtered; --follow keeps printing new events as they are stored. */
export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('show the event log')
    .option('--json', 'one JSON object per line', false)
    .option('--since <duration>', 'only events newer than this, e.g. 15m, 2h, 7d')
    .option('--account <name>', 'only events about this account')
    .option('--kind <kind>', 'only events of this kind (e.g. change-synced, mismatch-flagged, dead-letter)')
    .option('--follow', 'keep printing new events until interrupted', false)
    .option('--limit <n>', 'at most this many of the most recent events', '1000')
    .action(async (o: { json: boolean; since?: string; account?: string; kind?: string; follow: boolean; limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new UsageError(`--limit: "${o.limit}" is not a number from 1 to 100000`);
      const q: EventQuery = {
        sinceMs: o.since === undefined ? undefined : Date.now() - parseSince(o.since),
        account: o.account === undefined ? undefined : requireName('--account', o.account),
        kind: o.kind === undefined ? undefined : requireName('--kind', o.kind),
      };
      const vault = await openVaultAt(dataDirOf(cmd));
      const print = (rows: EventRecord[]) => (o.json ? printJsonLines(rows) : rows.forEach((e) => process.stdout.write(`${formatEvent(e)}\n`)));
      try {
        // The most recent matches, oldest first, as a log reads; --follow then goes on from the newest.
        let rows = await vault.queryEvents({ ...q, latest: true, limit });
        print(rows);
        if (!o.follow) return;
        let afterId = (await vault.queryEvents({ latest: true, limit: 1 })).at(-1)?.id ?? 0;
        await new Promise<void>((resolve) => {
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
      } finally {
        await vault.close();
      }
    });
}

export function formatEvent(e: EventRecord): string {
  const parts = [new Date(e.time).toISOString(), e.kind.padEnd(18), e.outcome.padEnd(7), e.account ?? '-'];
  if (e.credentialId !== undefined && e.credentialId !== null) parts.push(`cred=${e.credentialId}`);
  if (e.reason) parts.push(`— ${e.reason}`);
  if (e.traceId) parts.push(`[${e.traceId.slice(0, 12)}]`);
  return parts.join('  ');
}
