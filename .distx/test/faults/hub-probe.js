"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HubProbe = void 0;
exports.loggedStatuses = loggedStatuses;
// Asks a hub, every few tens of ms, what it answers while a fault is on: GET /readyz (public, pings the
// database) and POST /api/vault/getClient as the admin (a login check and a vault read, the database
// twice). Each answer's HTTP status, or the socket error when there was none, with its time.
const hub_client_1 = require("../../src/vault/hub-client");
const hub_fleet_1 = require("./hub-fleet");
class HubProbe {
    url;
    fingerprint;
    token;
    client;
    everyMs;
    samples = [];
    stopped = false;
    loop;
    constructor(url, fingerprint, token, client, everyMs = 50) {
        this.url = url;
        this.fingerprint = fingerprint;
        this.token = token;
        this.client = client;
        this.everyMs = everyMs;
    }
    start() {
        const http = new hub_client_1.HubClient({ url: this.url, fingerprint: this.fingerprint }, this.token);
        const ask = async (route, fn) => {
            const t0 = Date.now();
            let status;
            try {
                status = (await fn()).status;
            }
            catch (err) {
                status = err.code ?? err.message.slice(0, 60);
            }
            this.samples.push({ at: t0, route, status, ms: Date.now() - t0 });
        };
        this.loop = (async () => {
            while (!this.stopped) {
                await Promise.all([
                    ask('GET /readyz', () => http.request('GET', '/readyz')),
                    ask('POST /api/vault/getClient', () => http.request('POST', '/api/vault/getClient', { name: this.client })),
                ]);
                await (0, hub_fleet_1.sleep)(this.everyMs);
            }
            http.close();
        })();
        return this;
    }
    async stop() {
        this.stopped = true;
        await this.loop;
    }
    /** Counts of each status per route within [from, to]. */
    statuses(from = 0, to = Infinity) {
        const out = {};
        for (const s of this.samples) {
            if (s.at < from || s.at > to)
                continue;
            const r = (out[s.route] ??= {});
            r[String(s.status)] = (r[String(s.status)] ?? 0) + 1;
        }
        return out;
    }
    /** The first sample at or after `from` where every route answered 200 (the hub serves again). */
    firstAllOkAfter(from) {
        const routes = new Set(this.samples.map((s) => s.route));
        const ok = new Map();
        for (const s of this.samples) {
            if (s.at < from)
                continue;
            if (s.status === 200) {
                if (!ok.has(s.route))
                    ok.set(s.route, s.at);
            }
            else
                ok.delete(s.route);
            if (ok.size === routes.size)
                return Math.max(...ok.values());
        }
        return undefined;
    }
}
exports.HubProbe = HubProbe;
/** Statuses the hub itself logged (every request it answered, agents' included) within [from, to], by status. */
function loggedStatuses(lines, from, to) {
    const out = {};
    for (const l of lines) {
        if (l.msg !== 'request' || typeof l.time !== 'number' || l.time < from || l.time > to)
            continue;
        const k = String(l.status);
        out[k] = (out[k] ?? 0) + 1;
    }
    return out;
}
//# sourceMappingURL=hub-probe.js.map