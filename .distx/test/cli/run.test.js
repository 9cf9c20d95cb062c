"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const tmp_1 = require("../helpers/tmp");
const capture_client_1 = require("../helpers/capture-client");
const constants_1 = require("../../src/protocol/constants");
const cli_1 = require("./cli");
const HOUR = 3_600_000;
function bootId() {
    return Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex');
}
/** A reference capture speaking to the service through its socket, keyed from the data dir's files. */
function connectCapture(dir) {
    return capture_client_1.CaptureClient.connect(path.join(dir, 'run', 'capture.sock'), {
        secret: fs.readFileSync(path.join(dir, 'keys', 'capture.secret')),
        bridgePub: fs.readFileSync(path.join(dir, 'keys', 'bridge.pub')),
        bootId: bootId(),
        machine: 'TESTHOST',
    });
}
/** Send one password change for `account` and wait for its ACK. */
async function sendChange(dir, account, password) {
    const c = await connectCapture(dir);
    try {
        const sent = c.send({ account, encoding: constants_1.Encoding.raw, password: Buffer.from(password, 'utf8') });
        const ack = await sent.acked;
        return { eventIdHex: sent.eventIdHex, status: ack.status };
    }
    finally {
        c.destroy();
    }
}
const canaries = [];
function newCanary() {
    const c = `canary-${(0, node_crypto_1.randomBytes)(10).toString('hex')}`;
    canaries.push(c);
    return c;
}
describe('pwbridge run as a child process, driven through its socket and the CLI', function () {
    this.timeout(120_000);
    let dir;
    let cleanup;
    let pam;
    let service;
    let firstOutput = 0;
    const sock = () => path.join(dir, 'run', 'capture.sock');
    const cli = (args, stdin) => (0, cli_1.runCli)(args, { dataDir: dir, stdin });
    const events = async (...args) => {
        const r = await cli(['events', '--json', ...args]);
        (0, cli_1.assertExit)(r, 0, `events ${args.join(' ')}`);
        return (0, cli_1.jsonLines)(r);
    };
    before(async () => {
        firstOutput = cli_1.transcript.length;
        pam = (0, tmp_1.makeTempDir)('pwbridge-cli-pam-');
        ({ dir, cleanup } = (0, cli_1.tempDataDir)({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: pam.dir }));
        service = (0, cli_1.startCli)(['run'], dir);
        await service.waitFor('the service to announce its socket', (_out, err) => /serving .*capture\.sock/.test(err));
        await (0, cli_1.pollUntil)('the socket', () => (fs.existsSync(sock()) ? true : undefined));
    });
    after(async () => {
        if (service && service.child.exitCode === null && service.child.signalCode === null) {
            service.child.kill('SIGKILL');
            await service.done.catch(() => undefined);
        }
        cleanup?.();
        pam?.cleanup();
    });
    it('makes its run dir 0700, socket 0600, keys dir 0700, capture.secret 0600 (and the data dir 0700)', () => {
        node_assert_1.strict.ok(fs.lstatSync(sock()).isSocket(), 'capture.sock is not a socket');
        node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(dir, 'run')), '0700', 'run dir');
        node_assert_1.strict.equal((0, cli_1.modeOf)(sock()), '0600', 'socket');
        node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(dir, 'keys')), '0700', 'keys dir');
        node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(dir, 'keys', 'capture.secret')), '0600', 'capture.secret');
        node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(dir, 'keys', 'bridge.key')), '0600', 'bridge.key');
        node_assert_1.strict.equal((0, cli_1.modeOf)(dir), '0700', 'data dir');
        node_assert_1.strict.equal(fs.readFileSync(path.join(dir, 'keys', 'capture.secret')).length, 32);
        node_assert_1.strict.equal(fs.readFileSync(path.join(dir, 'keys', 'bridge.pub')).length, 65);
    });
    it('status --json: service running, a filter state, a journal depth', async () => {
        const r = await cli(['status', '--json']);
        (0, cli_1.assertExit)(r, 0, 'status --json');
        const [s] = (0, cli_1.jsonLines)(r);
        node_assert_1.strict.equal(s.serviceRunning, true);
        node_assert_1.strict.equal(s.machine, 'TESTHOST');
        node_assert_1.strict.equal(s.client, 'local');
        node_assert_1.strict.equal(s.socketPath, sock());
        node_assert_1.strict.ok(['not-installed', 'pending-reboot', 'active', 'disabled', 'faulted'].includes(s.filter.state), `filter state ${s.filter.state}`);
        node_assert_1.strict.equal(typeof s.filter.reason, 'string');
        node_assert_1.strict.equal(typeof s.journalDepth, 'number');
        node_assert_1.strict.ok(s.journalDepth >= 0);
        node_assert_1.strict.deepEqual(s.deadLetters, []);
    });
    it('status (text) says running', async () => {
        const r = await cli(['status']);
        (0, cli_1.assertExit)(r, 0, 'status');
        node_assert_1.strict.match(r.stdout, /^service: +running \(socket /m);
        node_assert_1.strict.match(r.stdout, /^machine: +TESTHOST +client: local$/m);
    });
    it('records service-started and the embedded client "local"', async () => {
        const all = await events();
        node_assert_1.strict.ok(all.some((e) => e.kind === 'service-started' && e.machine === 'TESTHOST'), JSON.stringify(all));
        const clients = (0, cli_1.jsonLines)(await cli(['vault', 'client', 'list', '--json']));
        // The embedded client has the same defaults as any new client: Change Password, no shared writes from captures.
        node_assert_1.strict.deepEqual(clients.map((c) => [c.name, c.autoCreate, c.defaultMode, c.agentsWriteShared]), [['local', true, 'change', false]]);
    });
    it('selftest: the service proves the install secret; exit 0; recorded, and the filter state is not touched by it', async () => {
        const before = (0, cli_1.jsonLines)(await cli(['status', '--json']))[0].filter.state;
        const r = await cli(['selftest', '--json']);
        (0, cli_1.assertExit)(r, 0, 'selftest');
        const [res] = (0, cli_1.jsonLines)(r);
        node_assert_1.strict.equal(res.ok, true);
        node_assert_1.strict.match(res.detail, /proved/);
        await (0, cli_1.pollUntil)('the selftest event', async () => ((await events('--kind', 'selftest')).length === 1 ? true : undefined));
        node_assert_1.strict.equal((0, cli_1.jsonLines)(await cli(['status', '--json']))[0].filter.state, before);
    });
    let userEvent;
    it('a capture change for an unknown account auto-creates TESTHOST\\user, seen by events and cred list', async () => {
        const canary = newCanary();
        const { eventIdHex, status } = await sendChange(dir, 'user', canary);
        node_assert_1.strict.equal(status, 0, 'ack status stored');
        userEvent = await (0, cli_1.pollUntil)('a credential-created event for user', async () => (await events('--account', 'user')).find((e) => e.kind === 'credential-created'), 10_000);
        node_assert_1.strict.equal(userEvent.outcome, 'ok');
        node_assert_1.strict.equal(userEvent.traceId, eventIdHex, 'the event carries the capture\'s event id');
        const creds = (0, cli_1.jsonLines)(await cli(['vault', 'cred', 'list', '--client', 'local', '--json']));
        const c = creds.find((x) => x.username === 'TESTHOST\\user');
        node_assert_1.strict.ok(c, `no TESTHOST\\user in ${JSON.stringify(creds)}`);
        node_assert_1.strict.equal(c.mode, 'change', 'the client\'s default mode, Change Password');
        node_assert_1.strict.equal(c.version, 1);
        node_assert_1.strict.equal(userEvent.credentialId, c.id);
        for (const k of Object.keys(c))
            node_assert_1.strict.doesNotMatch(k, /^(password|secret|sealed|ciphertext)$/i, `cred list --json has field ${k}`);
    });
    describe('events filters', () => {
        it('--account shows only that account', async () => {
            const rows = await events('--account', 'user');
            node_assert_1.strict.ok(rows.length > 0);
            for (const e of rows)
                node_assert_1.strict.equal(e.account, 'user', JSON.stringify(e));
            node_assert_1.strict.deepEqual(await events('--account', 'nobody-at-all'), []);
        });
        it('--limit N shows the N most recent events, oldest first; a bad --limit is refused', async () => {
            const all = await events();
            node_assert_1.strict.ok(all.length >= 3);
            node_assert_1.strict.deepEqual((await events('--limit', '2')).map((e) => e.id), all.slice(-2).map((e) => e.id));
            const r = await cli(['events', '--limit', 'lots']);
            node_assert_1.strict.equal(r.code, 2);
            node_assert_1.strict.match(r.stderr, /--limit/);
        });
        it('--kind shows only that kind', async () => {
            const rows = await events('--kind', 'credential-created');
            node_assert_1.strict.ok(rows.some((e) => e.id === userEvent.id));
            for (const e of rows)
                node_assert_1.strict.equal(e.kind, 'credential-created');
            const started = await events('--kind', 'service-started');
            node_assert_1.strict.equal(started.length, 1);
        });
        it('--since 1h includes what just happened; events are in id order', async () => {
            const rows = await events('--since', '1h');
            node_assert_1.strict.ok(rows.some((e) => e.id === userEvent.id));
            for (const e of rows)
                node_assert_1.strict.ok(e.time >= Date.now() - HOUR - 60_000);
            const ids = rows.map((e) => e.id);
            node_assert_1.strict.deepEqual(ids, [...ids].sort((a, b) => a - b));
        });
        it('--since 1ms after a pause excludes older events', async () => {
            await (0, cli_1.sleep)(50);
            const rows = await events('--since', '1ms', '--kind', 'credential-created');
            node_assert_1.strict.deepEqual(rows, []);
        });
        it('text output has one line per event', async () => {
            const r = await cli(['events', '--kind', 'credential-created']);
            (0, cli_1.assertExit)(r, 0, 'events --kind');
            node_assert_1.strict.match(r.stdout, /^\d{4}-\d\d-\d\dT\S+Z {2}credential-created +ok +user {2}cred=\d+/m);
        });
        for (const bad of ['soon', '5 weeks', '-1h', '']) {
            it(`--since ${JSON.stringify(bad)}: exit 2 naming --since`, async () => {
                const r = await cli(['events', '--since', bad]);
                (0, cli_1.assertRefused)(r, `--since ${bad}`, /--since/, /is not a duration/, /e\.g\. 30s/);
            });
        }
        it('--follow prints an event stored after it started, and stops on SIGINT with exit 0', async () => {
            const follow = (0, cli_1.startCli)(['events', '--follow', '--json'], dir, 60_000);
            try {
                // It prints the history first; once that is out, it is polling.
                await follow.waitFor('the history', (out) => out.includes('"service-started"'));
                await (0, cli_1.sleep)(300);
                const printedBefore = follow.stdout();
                const canary = newCanary();
                const { eventIdHex, status } = await sendChange(dir, 'follower', canary);
                node_assert_1.strict.equal(status, 0);
                await follow.waitFor('the new event', (out) => out.includes(eventIdHex), 10_000);
                const rows = (0, cli_1.jsonLines)(follow.stdout());
                const fresh = rows.slice(printedBefore.split('\n').length - 1);
                node_assert_1.strict.ok(fresh.some((e) => e.kind === 'credential-created' && e.account === 'follower' && e.traceId === eventIdHex), JSON.stringify(fresh));
                // Nothing printed twice.
                const ids = rows.map((e) => e.id);
                node_assert_1.strict.equal(new Set(ids).size, ids.length, `duplicated events: ${ids.join(',')}`);
            }
            finally {
                follow.child.kill('SIGINT');
            }
            const r = await follow.done;
            (0, cli_1.assertExit)(r, 0, 'events --follow after SIGINT');
        });
    });
    // Mocha runs a describe's own tests before its nested ones: these come after the events filters.
    describe('a second instance, shutdown, restart and the canary check', () => {
        let second;
        it('a second run on the same data dir exits 2 promptly, naming the other process', async () => {
            const before = fs.statSync(sock());
            second = await (0, cli_1.runCli)(['run'], { dataDir: dir, timeoutMs: 15_000 });
            node_assert_1.strict.match(second.stderr, /another process is already serving .*capture\.sock/);
            node_assert_1.strict.match(second.stderr, /Stop the other pwbridge, or use another --data-dir/);
            node_assert_1.strict.equal(fs.statSync(sock()).ino, before.ino, 'the second run replaced the socket');
            (0, cli_1.assertExit)(second, 2, 'second run');
        });
        it('the first service keeps serving after the second run gave up', async () => {
            node_assert_1.strict.ok(second, 'the second run did not run');
            const { status } = await sendChange(dir, 'user', newCanary());
            node_assert_1.strict.equal(status, 0, 'the first service still acks');
            const s = (0, cli_1.jsonLines)(await cli(['status', '--json']))[0];
            node_assert_1.strict.equal(s.serviceRunning, true);
            node_assert_1.strict.equal(service.child.exitCode, null, 'the first service exited');
        });
        it('SIGTERM: exit 0, the socket is gone, status says not running, service-stopped recorded', async () => {
            service.child.kill('SIGTERM');
            const r = await service.done;
            (0, cli_1.assertExit)(r, 0, 'run after SIGTERM');
            node_assert_1.strict.equal(fs.existsSync(sock()), false, 'the socket outlived the service');
            const s = (0, cli_1.jsonLines)(await cli(['status', '--json']))[0];
            node_assert_1.strict.equal(s.serviceRunning, false);
            const stopped = await events('--kind', 'service-stopped');
            node_assert_1.strict.equal(stopped.length, 1);
        });
        it('a stale socket left by a killed service does not stop the next run', async () => {
            const again = (0, cli_1.startCli)(['run'], dir);
            await again.waitFor('the service to start', (_o, e) => /serving/.test(e));
            await (0, cli_1.pollUntil)('the socket', () => (fs.existsSync(sock()) ? true : undefined));
            again.child.kill('SIGKILL');
            await again.done;
            node_assert_1.strict.ok(fs.lstatSync(sock()).isSocket(), 'SIGKILL leaves the socket file');
            const third = (0, cli_1.startCli)(['run'], dir);
            try {
                await third.waitFor('the service to start over the stale socket', (_o, e) => /serving/.test(e));
                const { status } = await sendChange(dir, 'user', newCanary());
                node_assert_1.strict.equal(status, 0);
            }
            finally {
                third.child.kill('SIGTERM');
            }
            (0, cli_1.assertExit)(await third.done, 0, 'third run after SIGTERM');
        });
        it('no password (UTF-8 or UTF-16LE) in any file of the data dir or any command output', () => {
            node_assert_1.strict.ok(canaries.length >= 3, 'the canaries were not sent');
            const files = (0, tmp_1.filesUnder)(dir);
            const names = files.map((f) => path.relative(dir, f));
            for (const must of ['vault.db', 'state.db', path.join('log', 'pwbridge.log'), path.join('keys', 'capture.secret')]) {
                node_assert_1.strict.ok(names.includes(must), `${must} missing from ${names.join(', ')}`);
            }
            // The log must hold the decisions about those changes, or finding no canary in it proves nothing.
            const log = fs.readFileSync(path.join(dir, 'log', 'pwbridge.log'), 'utf8');
            node_assert_1.strict.match(log, /"kind":"credential-created"/);
            node_assert_1.strict.match(log, /"account":"user"/);
            for (const f of files) {
                const bytes = fs.readFileSync(f);
                for (const c of canaries) {
                    const enc = (0, cli_1.findSecret)(bytes, c);
                    node_assert_1.strict.equal(enc, undefined, `${path.relative(dir, f)} holds a password (${enc})`);
                }
            }
            const outputs = cli_1.transcript.slice(firstOutput);
            node_assert_1.strict.ok(outputs.length > 10);
            for (const r of outputs) {
                for (const c of canaries) {
                    node_assert_1.strict.equal((0, cli_1.findSecret)(r.stdoutBytes, c), undefined, `stdout holds a password:\n${r.stdout.slice(0, 2000)}`);
                    node_assert_1.strict.equal((0, cli_1.findSecret)(r.stderrBytes, c), undefined, `stderr holds a password:\n${r.stderr.slice(0, 2000)}`);
                }
            }
        });
        it('the data dir holds only what an install should (no stray temp files)', () => {
            const entries = (0, cli_1.listing)(dir).map((l) => l.split(' ')[0]);
            for (const e of entries) {
                node_assert_1.strict.match(e, /^(config\.json|vault\.db(-wal|-shm)?|state\.db(-wal|-shm)?|keys(\/(capture\.secret|bridge\.key|bridge\.pub|vault\.key))?|log(\/pwbridge\.log)?|run(\/capture\.sock)?|spool)$/, `unexpected ${e}`);
            }
        });
    });
});
//# sourceMappingURL=run.test.js.map