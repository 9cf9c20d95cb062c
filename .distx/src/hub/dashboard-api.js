"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.dashboardRoutes = exports.EVENTS_MAX_LIMIT = exports.EVENTS_DEFAULT_LIMIT = exports.EVENTS_POLL_MS = exports.EVENTS_MAX_WAIT_MS = void 0;
const validate_1 = require("../vault/validate");
const access_1 = require("./access");
const http_error_1 = require("./http-error");
/** How long GET /api/dashboard/events holds a request open (the server's request timeout is 30 s). */
exports.EVENTS_MAX_WAIT_MS = 25_000;
exports.EVENTS_POLL_MS = 250;
exports.EVENTS_DEFAULT_LIMIT = 100;
exports.EVENTS_MAX_LIMIT = 1000;
const MAX_FILTER_LENGTH = 256;
/** Users only: an agent's token has no business with the dashboard, and trying is recorded like any refusal. */
async function requireViewer(ctx, what) {
    const p = ctx.principal;
    if (p?.kind === 'user')
        return;
    const reason = `${(0, access_1.describePrincipal)(p)} may not ${what} (the dashboard's routes are for users)`;
    await ctx.vault.appendEvents([{
            time: ctx.now(), machine: p?.kind === 'agent' ? p.agent.machine : access_1.HUB_MACHINE, kind: 'access-refused', outcome: 'refused', reason,
        }]);
    throw new http_error_1.HttpError(403, 'forbidden', reason);
}
/**
 * The query string, checked like a body: unknown parameters, and values out of range, are a 400 naming
 * the parameter. Returns the present ones.
 */
function readQuery(ctx, ints, strings) {
    const q = ctx.query ?? new URLSearchParams();
    const known = [...Object.keys(ints), ...strings];
    for (const key of new Set(q.keys())) {
        if (!known.includes(key))
            throw new http_error_1.HttpError(400, 'bad-request', `unknown query parameter ${JSON.stringify(key)} (known: ${known.join(', ') || 'none'})`);
        if (q.getAll(key).length > 1)
            throw new http_error_1.HttpError(400, 'bad-request', `${key} is given more than once`);
    }
    return {
        int(name) {
            const raw = q.get(name);
            if (raw === null)
                return undefined;
            const { min, max } = ints[name];
            if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
                throw new http_error_1.HttpError(400, 'bad-request', `${name} must be an integer from ${min} to ${max}`);
            }
            return Number(raw);
        },
        str(name) {
            const raw = q.get(name);
            if (raw === null)
                return undefined;
            if (raw.length === 0 || raw.length > MAX_FILTER_LENGTH)
                throw new http_error_1.HttpError(400, 'bad-request', `${name} must be 1 to ${MAX_FILTER_LENGTH} characters`);
            return raw;
        },
    };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * GET /api/dashboard/events?after=ID&waitMs=N&machine=&account=&kind=&limit=N
 * Without `after`: the latest `limit` matching events (oldest first), at once. With `after`: the matching
 * events after that id, answered as soon as there is one, or empty after `waitMs` (default: at once).
 * `last` is the id to ask after next (the newest id returned, else `after`).
 * Like GET /api/changes, the hub keeps nothing between requests: it looks at the database every EVENTS_POLL_MS.
 */
async function events(ctx) {
    await requireViewer(ctx, 'read the event log');
    const q = readQuery(ctx, {
        after: { min: 0, max: Number.MAX_SAFE_INTEGER },
        waitMs: { min: 0, max: exports.EVENTS_MAX_WAIT_MS },
        limit: { min: 1, max: exports.EVENTS_MAX_LIMIT },
    }, ['machine', 'account', 'kind']);
    const after = q.int('after');
    const waitMs = q.int('waitMs') ?? 0;
    if (after === undefined && waitMs > 0)
        throw new http_error_1.HttpError(400, 'bad-request', 'waitMs needs after (the id to wait for events after)');
    const query = { machine: q.str('machine'), account: q.str('account'), kind: q.str('kind'), limit: q.int('limit') ?? exports.EVENTS_DEFAULT_LIMIT };
    for (const k of Object.keys(query))
        if (query[k] === undefined)
            delete query[k];
    const until = Date.now() + waitMs;
    for (;;) {
        const found = await ctx.vault.queryEvents(after === undefined ? { ...query, latest: true } : { ...query, afterId: after });
        const last = found.length > 0 ? found[found.length - 1].id : after ?? 0;
        if (found.length > 0 || Date.now() >= until || ctx.gone?.())
            return { events: found, last };
        await sleep(exports.EVENTS_POLL_MS);
    }
}
/** GET /api/dashboard/flags: per flag, how many credentials carry it, in all and per client. */
async function flags(ctx) {
    await requireViewer(ctx, 'read the flag summary');
    readQuery(ctx, {}, []);
    const counts = await ctx.store.flagCounts();
    const zero = () => Object.fromEntries(validate_1.FLAGS.map((f) => [f, 0]));
    const total = zero();
    const byClient = new Map();
    for (const c of counts) {
        total[c.flag] = (total[c.flag] ?? 0) + c.count;
        if (!byClient.has(c.client))
            byClient.set(c.client, zero());
        byClient.get(c.client)[c.flag] = c.count;
    }
    return { total, clients: [...byClient].map(([client, n]) => ({ client, ...n })) };
}
/** GET /api/dashboard/machines: what each machine's agent last reported. */
async function machines(ctx) {
    await requireViewer(ctx, 'list machines');
    readQuery(ctx, {}, []);
    return { machines: await ctx.store.listMachines(), now: ctx.now() };
}
exports.dashboardRoutes = [
    { method: 'GET', path: '/api/dashboard/events', handle: events },
    { method: 'GET', path: '/api/dashboard/flags', handle: flags },
    { method: 'GET', path: '/api/dashboard/machines', handle: machines },
];
//# sourceMappingURL=dashboard-api.js.map