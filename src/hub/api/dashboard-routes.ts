/**
 * The read routes the dashboard needs beyond the vault's own (clients and credentials come from
 * POST /api/vault/listClients and listCredentials, changes go through POST /api/vault/addClient,
 * updateClient, deleteClient and updateCredential, which already check roles): machines, a summary of
 * flags, and the event log with a long poll.
 *
 * These are for people: any user's role may read them (viewer and up), an agent token is refused (and
 * the refusal recorded). None of them touches a password.
 */
import type { EventQuery, EventRecord } from '../../domain/types';
import { FLAGS } from '../../vault/validate';
import { HUB_MACHINE, describePrincipal } from '../access';
import { EventWatch } from '../event-watch';
import { HttpError } from '../http-error';
import { integer, list, obj, str } from '../schema';
import type { ApiContext, Route } from './context';
import { readQuery, type QueryParams } from './query';
import { event, machine } from './shapes';

/** How long GET /api/dashboard/events holds a request open (the server's request timeout is 30 s). */
export const EVENTS_MAX_WAIT_MS = 25_000;
export const EVENTS_POLL_MS = 250;
export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 1000;
const MAX_FILTER_LENGTH = 256;

/** Users only: an agent's token has no business with the dashboard, and trying is recorded like any refusal. */
export async function requireViewer(ctx: ApiContext, what: string): Promise<void> {
  const p = ctx.principal;
  if (p?.kind === 'user') return;
  const reason = `${describePrincipal(p)} may not ${what} (the dashboard's routes are for users)`;
  await ctx.vault.appendEvents([{
    time: ctx.now(), machine: p?.kind === 'agent' ? p.agent.machine : HUB_MACHINE, kind: 'access-refused', outcome: 'refused', reason,
  }]);
  throw new HttpError(403, 'forbidden', reason);
}

/**
 * One event watcher per hub process (its vault and store; a second hub in the same process, as tests start,
 * has its own): every open tab's long poll waits on it instead of querying every EVENTS_POLL_MS itself.
 */
const watches = new WeakMap<ApiContext['vault'], EventWatch>();
function eventWatch(ctx: ApiContext): EventWatch {
  let w = watches.get(ctx.vault);
  if (!w) {
    const { vault, store } = ctx;
    w = new EventWatch({ latestEventId: () => store.latestEventId(), queryEvents: (q) => vault.queryEvents(q) }, EVENTS_POLL_MS);
    watches.set(ctx.vault, w);
  }
  return w;
}

/**
 * GET /api/dashboard/events?after=ID&waitMs=N&machine=&account=&kind=&limit=N
 * Without `after`: the latest `limit` matching events (oldest first), at once. With `after`: the matching
 * events after that id, answered as soon as there is one, or empty after `waitMs` (default: at once).
 * `last` is the id to ask after next (the newest id returned, else `after`).
 * Like GET /api/changes, the hub keeps nothing between requests; while polls wait, this process's one
 * watcher (src/hub/event-watch.ts) looks at the newest event id every EVENTS_POLL_MS for all of them.
 */
const filter = (what: string) => ({ t: 'string', maxLength: MAX_FILTER_LENGTH, description: `Only the events of this ${what} (exact, as recorded)` }) as const;
const EVENTS_QUERY: QueryParams = {
  after: { t: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, description: 'Events after this id (the last answer\'s last); absent: the latest limit events' },
  waitMs: { t: 'integer', min: 0, max: EVENTS_MAX_WAIT_MS, description: 'With after: wait this long for a new event (default 0: answer at once)' },
  limit: { t: 'integer', min: 1, max: EVENTS_MAX_LIMIT, description: `At most this many events (default ${EVENTS_DEFAULT_LIMIT})` },
  machine: filter('machine'),
  account: filter('account'),
  kind: filter('kind'),
};
const NO_QUERY: QueryParams = {};

async function events(ctx: ApiContext): Promise<{ events: EventRecord[]; last: number }> {
  await requireViewer(ctx, 'read the event log');
  const q = readQuery(ctx.query, EVENTS_QUERY);
  const after = q.int('after');
  const waitMs = q.int('waitMs') ?? 0;
  if (after === undefined && waitMs > 0) throw new HttpError(400, 'bad-request', 'waitMs needs after (the id to wait for events after)');
  const query: EventQuery = { machine: q.str('machine'), account: q.str('account'), kind: q.str('kind'), limit: q.int('limit') ?? EVENTS_DEFAULT_LIMIT };
  for (const k of Object.keys(query) as Array<keyof EventQuery>) if (query[k] === undefined) delete query[k];
  if (after === undefined) {
    const found = await ctx.vault.queryEvents({ ...query, latest: true });
    return { events: found, last: found.length > 0 ? found[found.length - 1].id! : 0 };
  }
  const since = { ...query, afterId: after };
  let found = await ctx.vault.queryEvents(since);
  if (found.length === 0) found = await eventWatch(ctx).wait(since, waitMs, () => ctx.gone?.() ?? false);
  return { events: found, last: found.length > 0 ? found[found.length - 1].id! : after };
}

/** GET /api/dashboard/flags: per flag, how many credentials carry it, in all and per client. */
async function flags(ctx: ApiContext): Promise<unknown> {
  await requireViewer(ctx, 'read the flag summary');
  readQuery(ctx.query, NO_QUERY);
  const counts = await ctx.store.flagCounts();
  const zero = () => Object.fromEntries(FLAGS.map((f) => [f, 0])) as Record<string, number>;
  const total = zero();
  const byClient = new Map<string, Record<string, number>>();
  for (const c of counts) {
    total[c.flag] = (total[c.flag] ?? 0) + c.count;
    if (!byClient.has(c.client)) byClient.set(c.client, zero());
    byClient.get(c.client)![c.flag] = c.count;
  }
  return { total, clients: [...byClient].map(([client, n]) => ({ client, ...n })) };
}

/** GET /api/dashboard/machines: what each machine's agent last reported. */
async function machines(ctx: ApiContext): Promise<unknown> {
  await requireViewer(ctx, 'list machines');
  readQuery(ctx.query, NO_QUERY);
  return { machines: await ctx.store.listMachines(), now: ctx.now() };
}

/** Per flag, a count. */
const flagCounts = Object.fromEntries(FLAGS.map((f) => [f, integer]));

export const dashboardRoutes: Route[] = [
  {
    method: 'GET', path: '/api/dashboard/events', query: EVENTS_QUERY, handle: events,
    summary: 'The event log, filtered; with after and waitMs a long poll for new events (users)',
    response: obj({ events: list(event), last: integer }),
  },
  {
    method: 'GET', path: '/api/dashboard/flags', query: NO_QUERY, handle: flags,
    summary: 'How many credentials carry each flag, in all and per client (users)',
    response: obj({ total: obj(flagCounts), clients: list(obj({ client: str, ...flagCounts })) }),
  },
  {
    method: 'GET', path: '/api/dashboard/machines', query: NO_QUERY, handle: machines,
    summary: 'Every machine and what its agent last reported, with the hub\'s time (users)',
    response: obj({ machines: list(machine), now: integer }),
  },
];
