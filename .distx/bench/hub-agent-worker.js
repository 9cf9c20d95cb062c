"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Simulated agents for the hub_agents bench (bench/hub-agents.ts), several hundred per process: each one
// is what a pwbridge service on a machine does against the hub, through the real HttpVault/HubClient (its
// own agent token, its own keep-alive HTTPS agent, pinned to the hub's certificate):
// - one push-down long poll open at a time (GET /api/changes, 25 s waits, as src/service/bridge.ts);
// - a reconcile pass on every (re)connect, on every `changed`, and every interval, as src/reconcile makes
//   them against the VaultPort: getClient, listCredentials, then per credential whose vault version moved
//   since the last pass readPassword (Change Password: set it; Report Mismatches: verify it), events via
//   appendEvents, a flag when a local password drifts (setFlag), and recordMachine after the pass.
// The local side (accounts, memos) is simulated: the machine "had run before", so the first pass only
// takes note of the versions it finds (a fresh fleet's first round would read every password once).
// Tokens arrive over IPC, never argv or env. Timing is client-side, per VaultPort call.
const node_perf_hooks_1 = require("node:perf_hooks");
const http_vault_1 = require("../src/vault/http.vault");
const wallNow = () => node_perf_hooks_1.performance.timeOrigin + node_perf_hooks_1.performance.now();
const POLL_WAIT_MS = 25_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const result = { latency: {}, changedAt: {}, calls: 0, errors: 0, errorSamples: [], passes: 0 };
let measureFrom = Infinity;
let stopping = false;
async function timed(method, fn) {
    const t0 = wallNow();
    try {
        return await fn();
    }
    catch (err) {
        result.errors++;
        if (result.errorSamples.length < 5)
            result.errorSamples.push(`${method}: ${err.message}`);
        throw err;
    }
    finally {
        result.calls++;
        if (t0 >= measureFrom)
            (result.latency[method] ??= []).push(wallNow() - t0);
    }
}
class SimAgent {
    spec;
    driftPerPass;
    vault;
    /** credential id → the vault version this machine last acted on (the reconcile memo). */
    memo = new Map();
    flagged;
    running = false;
    again = false;
    seeded = false;
    timer;
    abort = new AbortController();
    pollLoop = Promise.resolve();
    ready;
    markReady;
    constructor(spec, url, fingerprint, driftPerPass) {
        this.spec = spec;
        this.driftPerPass = driftPerPass;
        this.vault = http_vault_1.HttpVault.open({ url, fingerprint }, spec.token);
        this.ready = new Promise((r) => (this.markReady = r));
    }
    start(firstTimerMs, intervalMs) {
        this.pollLoop = this.poll();
        this.timer = setTimeout(() => {
            this.timer = setInterval(() => this.pass(), intervalMs);
            this.pass();
        }, firstTimerMs);
    }
    async poll() {
        let cursor = '';
        while (!stopping) {
            try {
                const r = await this.vault.waitForChanges(cursor, POLL_WAIT_MS, this.abort.signal);
                const connected = cursor === '';
                cursor = r.cursor;
                if (r.changed)
                    (result.changedAt[this.spec.machine] ??= []).push(wallNow());
                if (connected || r.changed)
                    this.pass();
            }
            catch (err) {
                if (stopping)
                    return;
                result.errors++;
                if (result.errorSamples.length < 5)
                    result.errorSamples.push(`changes: ${err.message}`);
                cursor = '';
                await sleep(1000);
            }
        }
    }
    /** One reconcile pass; passes never overlap, and triggers during one collapse into one more. */
    pass() {
        if (stopping)
            return;
        if (this.running) {
            this.again = true;
            return;
        }
        this.running = true;
        void this.reconcile().catch(() => undefined).finally(() => {
            this.running = false;
            if (!this.seeded)
                return;
            this.markReady();
            if (this.again) {
                this.again = false;
                this.pass();
            }
        });
    }
    async reconcile() {
        const { client, machine } = this.spec;
        result.passes++;
        const c = await timed('getClient', () => this.vault.getClient(client));
        if (!c?.windowsSync)
            return;
        const creds = await timed('listCredentials', () => this.vault.listCredentials(client));
        const events = [];
        if (!this.seeded) {
            for (const cr of creds)
                this.memo.set(cr.id, cr.version);
            this.seeded = true;
        }
        else {
            for (const cr of creds) {
                if (this.memo.get(cr.id) === cr.version)
                    continue;
                // A new vault version: read it (set it locally in Change Password mode, verify it in Report mode).
                const pw = await timed('readPassword', () => this.vault.readPassword(cr.id));
                pw.fill(0);
                this.memo.set(cr.id, cr.version);
                if (cr.mode === 'change')
                    events.push(ev(cr, 'password-set', 'ok', `local password set from vault version ${cr.version}`));
            }
            await this.drift(creds, events);
        }
        if (events.length > 0) {
            const now = Date.now();
            await timed('appendEvents', () => this.vault.appendEvents(events.map((e) => ({ ...e, time: now, machine }))));
        }
        await timed('recordMachine', () => this.vault.recordMachine({ name: machine, client, filterState: 'active', journalDepth: 0 }));
    }
    /** Now and then a local password drifts from a Report Mismatches credential: flagged, and cleared on the next pass. */
    async drift(creds, events) {
        if (this.flagged !== undefined) {
            const id = this.flagged;
            this.flagged = undefined;
            await timed('setFlag', () => this.vault.setFlag(id, 'mismatch', false));
            return;
        }
        if (Math.random() >= this.driftPerPass)
            return;
        const report = creds.filter((cr) => cr.mode === 'report');
        if (report.length === 0)
            return;
        const cr = report[Math.floor(Math.random() * report.length)];
        const pw = await timed('readPassword', () => this.vault.readPassword(cr.id));
        pw.fill(0);
        await timed('setFlag', () => this.vault.setFlag(cr.id, 'mismatch', true));
        events.push(ev(cr, 'mismatch-flagged', 'flagged', `local password differs from the vault (version ${cr.version}), mode report`));
        this.flagged = cr.id;
    }
    async stop() {
        if (this.timer)
            clearTimeout(this.timer);
        this.abort.abort();
        await this.pollLoop;
        await this.vault.close();
    }
}
const ev = (cr, kind, outcome, reason) => ({ kind, outcome, credentialId: cr.id, account: cr.username.split('\\').pop(), reason });
const send = (m) => process.send(m);
let agents = [];
let progressTimer;
process.on('message', (m) => {
    if (m.type === 'start') {
        void (async () => {
            agents = m.agents.map((a) => new SimAgent(a, m.url, m.fingerprint, m.driftPerPass));
            // Connect over the ramp (as machines do after a hub restart with backoff), then each agent's timer
            // fires at its own slot of the interval, so the fleet's passes are spread evenly.
            progressTimer = setInterval(() => send({ type: 'progress', calls: result.calls, errors: result.errors, passes: result.passes }), 10_000);
            const t0 = Date.now();
            for (let i = 0; i < agents.length; i++) {
                const a = m.agents[i];
                const at = t0 + (a.index / m.fleet) * m.rampMs;
                if (at > Date.now())
                    await sleep(at - Date.now());
                const slot = (a.index / m.fleet) * m.intervalMs;
                agents[i].start(m.rampMs - (Date.now() - t0) + slot, m.intervalMs);
            }
            await Promise.all(agents.map((a) => a.ready));
            send({ type: 'ready' });
        })().catch((err) => send({ type: 'failed', error: err.message }));
    }
    else if (m.type === 'measure') {
        measureFrom = m.from;
    }
    else if (m.type === 'stop') {
        stopping = true;
        if (progressTimer)
            clearInterval(progressTimer);
        void Promise.all(agents.map((a) => a.stop())).then(() => {
            process.send({ type: 'result', result }, () => process.exit(0));
        });
    }
});
//# sourceMappingURL=hub-agent-worker.js.map