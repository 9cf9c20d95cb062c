// docs/events.md, rendered from the event ID table (src/domain/event-ids.ts) so the guide cannot drift from
// the IDs the service logs. Regenerate with
//   node dist/src/platform/windows/event-messages.js events-md > docs/events.md
// and a test (test/platform/windows/event-log.test.ts) fails while the file differs from this.
//
// An entry is placed by its ID's range (GROUPS); an ID in no range is refused here, so a new family of IDs
// gets its section on purpose rather than vanishing from the guide.
import { UNKNOWN_EVENT_ID, WINDOWS_EVENT_IDS, type WindowsEventId } from '../domain/event-ids';
import { githubAnchor } from './github-anchor';

export const EVENT_DOC_ENTRIES: readonly WindowsEventId[] = [...WINDOWS_EVENT_IDS, UNKNOWN_EVENT_ID];

interface Group { from: number; to: number; title: string }

const GROUPS: readonly Group[] = [
  { from: 1000, to: 1099, title: 'The service (1000–1099)' },
  { from: 1100, to: 1999, title: 'The capture module (1100–1999)' },
  { from: 2000, to: 2999, title: 'Captured changes (2000–2999)' },
  { from: 3000, to: 3999, title: 'Reconcile (3000–3999)' },
  { from: 4000, to: 4999, title: 'The hub (4000–4999)' },
  { from: 9000, to: 9999, title: 'Other (9000)' },
];

/** The pwbridge event an ID stands for, as a reader sees it: the kind, and the outcome or state that selects it. */
export function eventLabel(d: WindowsEventId): string {
  if (d.kind === '*') return 'any other kind';
  if (d.filterState) return `\`${d.kind}\` → ${d.filterState}`;
  return d.outcome ? `\`${d.kind}\` (${d.outcome})` : `\`${d.kind}\``;
}

/** The heading of an entry; docs link to its anchor (`events.md#2009-dead_letter`). */
export function entryHeading(d: WindowsEventId): string {
  return `${d.id} ${d.symbol}`;
}

function groupOf(d: WindowsEventId): Group {
  const g = GROUPS.find((x) => d.id >= x.from && d.id <= x.to);
  if (!g) throw new Error(`event ID ${d.id} (${d.symbol}) is in no section of docs/events.md: add its range to GROUPS in src/docs/events-doc.ts`);
  return g;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

const HEAD = `# Events

<!-- Generated from src/domain/event-ids.ts: do not edit. Regenerate with
     node dist/src/platform/windows/event-messages.js events-md > docs/events.md -->

Every decision pwbridge makes is recorded as an event, and every event has an ID. This page lists each
ID: what it means, what usually leads to it, and what to do about it. The same table gives the Windows
Event Log its IDs and Event Viewer its texts, so what you see there is what is written here.

## Where to read events

- \`pwbridge events\` on the machine: the most recent events (1,000 unless \`--limit N\`), oldest first.
  Narrow them with \`--since 2h\`, \`--account NAME\`, \`--kind KIND\` (the kind names below); \`--follow\`
  keeps printing new ones; \`--json\` gives one object per line. With a hub, these are the events the hub
  holds for this machine.
- The service's log: JSON lines in \`<data dir>/log/pwbridge.log\` (mode 0600). Every event is written
  here first, so it holds events that have not reached the vault yet.
- Windows: the Application log, source \`pwbridge\`, with the IDs below. A hub on Windows logs there too.
- The hub: the dashboard's event log (filter by machine, account and kind), \`GET /api/dashboard/events\`,
  and the count of each kind and outcome in \`pwbridge_events_total{kind,outcome}\` on \`/metrics\`.

No event holds a password, a token or a key.

## What an event holds

| field | meaning |
|---|---|
| time | when it happened (on the hub's clock for events a hub stores) |
| machine | the machine that recorded it; \`hub\` for what the hub itself records (logins, password reads, user changes) |
| account | the local account, as \`MACHINE\\user\` or \`user\`, when there is one |
| credential | the vault credential's id, when there is one |
| kind | what happened (the kinds below) |
| outcome | how it ended (below) |
| reason | the details in words: which rule, which error, who did it, from which address |
| trace id | the capture's event id, the same from the capture module's frame to the vault write, so one change can be followed through the log |

Outcomes:

| outcome | meaning |
|---|---|
| \`ok\` | done |
| \`info\` | nothing to act on; a fact worth keeping |
| \`skipped\` | pwbridge chose not to act, by a rule the reason names |
| \`flagged\` | the credential now carries a flag (\`mismatch\`, \`conflict\`, \`policy-refused\`) that a person should look at |
| \`refused\` | a request or a frame was turned down |
| \`failed\` | something went wrong; the reason says what |

Levels: **information** needs nothing; **warning** may need a look; **error** needs action. In the Windows
Event Log they are the entry's type. An event of a kind this page does not list yet is logged as 9000.

## All event IDs

`;

function indexTable(): string {
  const rows = EVENT_DOC_ENTRIES.map((d) =>
    `| [${d.id}](#${githubAnchor(entryHeading(d))}) | ${d.level} | ${eventLabel(d)} | ${cell(d.text)} |`);
  return ['| ID | level | event | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}

function entry(d: WindowsEventId): string {
  return [
    `### ${entryHeading(d)}`,
    '',
    `**Level:** ${d.level} · **Event:** ${eventLabel(d)}`,
    '',
    d.text,
    '',
    `**Likely causes.** ${d.causes}`,
    '',
    `**What to do.** ${d.action}`,
    '',
  ].join('\n');
}

export function renderEventsDoc(): string {
  for (const d of EVENT_DOC_ENTRIES) groupOf(d);
  const sections = GROUPS.map((g) => {
    const inGroup = EVENT_DOC_ENTRIES.filter((d) => groupOf(d) === g).sort((a, b) => a.id - b.id);
    return inGroup.length ? [`## ${g.title}`, '', ...inGroup.map(entry)].join('\n') : '';
  }).filter(Boolean);
  return [HEAD + indexTable(), ...sections].join('\n');
}
