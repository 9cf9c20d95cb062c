/**
 * The dashboard's navigation at MSP scale (issue 12, item 2): the clients with their counts, one client's
 * page (its options, counts and machines), a page of credentials (one client's, or a search by username
 * across clients), and a page of a client's events. Read only, for users of any role (viewer and up), as
 * the other dashboard reads (dashboard-api.ts); an agent token is refused and the refusal recorded. No
 * password is read.
 *
 * Pages are keysets: `next` is an opaque cursor to pass back as `after` (credentials) or `before` (events),
 * null on the last page. A cursor that is not one this hub made is a 400 naming the parameter.
 */
import type { ApiContext, Route } from './context';
import { BrowseStore, type CredentialKey, type Match } from '../browse-store';
import { requireViewer } from './dashboard-routes';
import { readQuery, type QueryParams } from './query';
import { HttpError } from '../http-error';
import { arr, bool, integer, map, nullable, obj, oneOf, str, type Schema } from '../schema';
import { FLAGS } from '../../vault/validate';

export const BROWSE_DEFAULT_LIMIT = 50;
export const BROWSE_MAX_LIMIT = 500;
/** A cursor carries a folded username (at most 256 characters, up to 4 bytes each) and an id, in base64url. */
const MAX_CURSOR_LENGTH = 2048;
const MATCHES: readonly Match[] = ['prefix', 'substring'];

const stores = new WeakMap<object, BrowseStore>();
const browse = (ctx: ApiContext): BrowseStore => {
  let s = stores.get(ctx.store.sql);
  if (!s) { s = new BrowseStore(ctx.store.sql); stores.set(ctx.store.sql, s); }
  return s;
};

export function encodeCursor(k: CredentialKey): string {
  return Buffer.from(JSON.stringify([k.key, k.id]), 'utf8').toString('base64url');
}

/** The cursor `after`, or a 400 that names it: only what encodeCursor made is accepted. */
export function decodeCursor(raw: string | null): CredentialKey | undefined {
  if (raw === null) return undefined;
  const bad = (): never => { throw new HttpError(400, 'bad-request', 'after is not a cursor this hub gave (pass back the "next" of the page before, as is)'); };
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) bad();
  let v: unknown;
  try { v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')); } catch { bad(); }
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || !Number.isSafeInteger(v[1]) || v[1] < 0) bad();
  const [key, id] = v as [string, number];
  if (encodeCursor({ key, id }) !== raw) bad();
  return { key, id };
}

const flagCounts = map(integer);
const clientSummary = obj({
  name: str, windowsSync: bool, twoWaySync: bool, autoCreate: bool, defaultMode: oneOf(['report', 'change']), agentsWriteShared: bool,
  credentials: integer, machines: integer, flags: flagCounts,
});
const machineView = obj({ name: str, client: str, filterState: str, journalDepth: integer, lastSeen: integer });
const credentialView = obj({
  id: integer, client: str, username: str, windowsSync: bool, mode: oneOf(['report', 'change']), version: integer,
  flags: arr(oneOf(FLAGS), FLAGS.length), updatedAt: integer, passwordSetAt: integer,
});
const eventView = obj(
  { id: integer, time: integer, machine: str, account: str, credentialId: integer, kind: str, outcome: str, reason: str, traceId: str, uid: str },
  ['account', 'credentialId', 'reason', 'traceId', 'uid'],
);

export const CLIENTS_RESPONSE: Schema = obj({ clients: arr(clientSummary, 100_000) });
export const CLIENT_RESPONSE: Schema = obj({ client: clientSummary, machines: arr(machineView, 100_000), now: integer });
export const CREDENTIALS_RESPONSE: Schema = obj({ credentials: arr(credentialView, BROWSE_MAX_LIMIT), next: nullable(str) });
export const CLIENT_EVENTS_RESPONSE: Schema = obj({ events: arr(eventView, BROWSE_MAX_LIMIT), next: nullable(integer) });

const NAME = 256;
const CLIENTS_QUERY: QueryParams = {};
const CLIENT_QUERY: QueryParams = { name: { t: 'string', maxLength: NAME, description: 'The client\'s name (case-insensitive).' } };
const CREDENTIALS_QUERY: QueryParams = {
  client: { t: 'string', maxLength: NAME, description: 'Only this client\'s credentials.' },
  q: { t: 'string', maxLength: NAME, description: 'Usernames containing (or starting with) this text, folded as the vault compares names.' },
  match: { t: 'string', maxLength: 16, description: `How q matches: ${MATCHES.join(' or ')} (default substring).` },
  after: { t: 'string', minLength: 0, maxLength: 2048, description: 'The previous page\'s next: the page after it (anything else is refused naming after).' },
  limit: { t: 'integer', min: 1, max: BROWSE_MAX_LIMIT, description: `Credentials per page (default ${BROWSE_DEFAULT_LIMIT}).` },
};
const CLIENT_EVENTS_QUERY: QueryParams = {
  client: { t: 'string', maxLength: NAME, description: 'The client\'s name.' },
  before: { t: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, description: 'The previous page\'s next: events older than it.' },
  limit: { t: 'integer', min: 1, max: BROWSE_MAX_LIMIT, description: `Events per page (default ${BROWSE_DEFAULT_LIMIT}).` },
};

/** The client a query names by `param` (client=, or name= for GET /api/dashboard/client): 400 when absent, 404 when unknown. */
async function requireClient(ctx: ApiContext, name: string | undefined, param = 'client'): Promise<NonNullable<Awaited<ReturnType<BrowseStore['client']>>>> {
  if (name === undefined) throw new HttpError(400, 'bad-request', `${param} is required (the client's name)`);
  const found = await browse(ctx).client(name);
  if (!found) throw new HttpError(404, 'not-found', `client "${name}" does not exist`);
  return found;
}

/** GET /api/dashboard/clients */
async function clients(ctx: ApiContext): Promise<unknown> {
  await requireViewer(ctx, 'list clients');
  readQuery(ctx.query, CLIENTS_QUERY);
  return { clients: await browse(ctx).clients() };
}

/** GET /api/dashboard/client?name= */
async function client(ctx: ApiContext): Promise<unknown> {
  await requireViewer(ctx, 'read a client');
  const q = readQuery(ctx.query, CLIENT_QUERY);
  const { id, ...summary } = await requireClient(ctx, q.str('name'), 'name');
  return { client: summary, machines: await browse(ctx).machines(id), now: ctx.now() };
}

/** GET /api/dashboard/credentials?client=&q=&match=&after=&limit= */
async function credentials(ctx: ApiContext): Promise<unknown> {
  await requireViewer(ctx, 'list credentials');
  const q = readQuery(ctx.query, CREDENTIALS_QUERY);
  const match = q.str('match');
  if (match !== undefined && !MATCHES.includes(match as Match)) throw new HttpError(400, 'bad-request', `match must be one of ${MATCHES.join(', ')}`);
  const text = q.str('q');
  if (match !== undefined && text === undefined) throw new HttpError(400, 'bad-request', 'match needs q (the username to look for)');
  const after = decodeCursor(q.str('after') ?? null);
  const name = q.str('client');
  const clientId = name === undefined ? undefined : (await requireClient(ctx, name)).id;
  const page = await browse(ctx).credentials({ clientId, q: text, match: (match as Match | undefined) ?? 'substring', after, limit: q.int('limit') ?? BROWSE_DEFAULT_LIMIT });
  return { credentials: page.credentials, next: page.next ? encodeCursor(page.next) : null };
}

/** GET /api/dashboard/client-events?client=&before=&limit= */
async function clientEvents(ctx: ApiContext): Promise<unknown> {
  await requireViewer(ctx, 'read a client\'s events');
  const q = readQuery(ctx.query, CLIENT_EVENTS_QUERY);
  const found = await requireClient(ctx, q.str('client'));
  const page = await browse(ctx).events(found.id, q.int('before'), q.int('limit') ?? BROWSE_DEFAULT_LIMIT);
  return { events: page.events, next: page.next ?? null };
}

export const browseRoutes: Route[] = [
  {
    method: 'GET', path: '/api/dashboard/clients', query: CLIENTS_QUERY, handle: clients, response: CLIENTS_RESPONSE,
    summary: 'Every client with its options and counts of credentials, machines and flagged credentials (viewer and up)',
  },
  {
    method: 'GET', path: '/api/dashboard/client', query: CLIENT_QUERY, handle: client, response: CLIENT_RESPONSE,
    summary: 'One client (?name=): its options, counts and machines (viewer and up)',
  },
  {
    method: 'GET', path: '/api/dashboard/credentials', query: CREDENTIALS_QUERY, handle: credentials, response: CREDENTIALS_RESPONSE,
    summary: 'A page of credentials by username: one client\'s (?client=) or a search across clients (?q=, match=prefix|substring, case as the vault folds names); after= the last page\'s next (viewer and up)',
  },
  {
    method: 'GET', path: '/api/dashboard/client-events', query: CLIENT_EVENTS_QUERY, handle: clientEvents, response: CLIENT_EVENTS_RESPONSE,
    summary: 'A page of a client\'s events, newest first: its machines\' and the hub\'s about its credentials; before= the last page\'s next (viewer and up)',
  },
];
