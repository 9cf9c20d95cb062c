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
// The hub as an administrator runs it: `pwbridge hub` and `pwbridge run` as child processes, `pwbridge
// setup` and the vault commands through the real binary, a capture change through the real socket. Then
// a canary search: no password or token in the hub's or the agent's logs, events, argv, environment,
// output or files (the agent token's own root-only file excepted).
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const constants_1 = require("../../src/protocol/constants");
const passwords_1 = require("../../src/hub/passwords");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_client_1 = require("../../src/vault/hub-client");
const capture_client_1 = require("../helpers/capture-client");
const tmp_1 = require("../helpers/tmp");
const cli_1 = require("../cli/cli");
const hub_process_1 = require("../helpers/hub-process");
const canary = (what) => `${what}-canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
const ADMIN_PW = canary('admin');
const OP_PW = canary('operator');
const VIEWER_PW = canary('viewer');
const CRED_PW = canary('cred');
const CAPTURED_PW = canary('captured');
const b64 = (s) => Buffer.from(s).toString('base64');
function bootId() {
    return Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex');
}
async function stop(live) {
    if (!live || live.child.exitCode !== null || live.child.signalCode !== null)
        return;
    live.child.kill('SIGTERM');
    await live.done;
}
describe('pwbridge hub, setup and run (the real CLI, child processes)', function () {
    this.timeout(180_000);
    let hubDir;
    let agentDir;
    let pamDir;
    let hub;
    let service;
    let url;
    let fingerprint;
    let admin;
    let firstOutput = 0;
    const procSnapshots = [];
    const setupArgs = (...extra) => ['setup', '--hub', url, '--insecure-fingerprint', fingerprint, ...extra];
    const agent = (args, stdin) => (0, cli_1.runCli)(args, { dataDir: agentDir.dir, stdin });
    /** argv and environment of a running child, for the canary search. */
    function snapshotProc(pid) {
        for (const f of ['cmdline', 'environ'])
            procSnapshots.push(fs.readFileSync(`/proc/${pid}/${f}`));
    }
    before(async () => {
        firstOutput = cli_1.transcript.length;
        hubDir = (0, tmp_1.makeTempDir)('pwbridge-hub-e2e-');
        agentDir = (0, tmp_1.makeTempDir)('pwbridge-agent-e2e-');
        pamDir = (0, tmp_1.makeTempDir)('pwbridge-agent-pam-');
        fs.writeFileSync(path.join(agentDir.dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h', pamDir: pamDir.dir }));
        const started = await (0, hub_process_1.startHubProcess)(hubDir.dir, ADMIN_PW);
        hub = started.live;
        ({ url, fingerprint } = started);
        node_assert_1.strict.match(hub.stdout(), /first admin "admin" created with the password from stdin/);
        snapshotProc(hub.child.pid);
        // The hub's data dir holds its SQLite vault: the vault commands work on it while the hub runs.
        const onHub = (args, stdin) => (0, cli_1.runCli)(args, { dataDir: hubDir.dir, stdin });
        (0, cli_1.assertExit)(await onHub(['vault', 'client', 'add', 'Acme', '--windows-sync', '--two-way-sync', '--auto-create']), 0, 'client add Acme');
        (0, cli_1.assertExit)(await onHub(['vault', 'client', 'add', 'Globex', '--windows-sync']), 0, 'client add Globex');
        (0, cli_1.assertExit)(await onHub(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'WS01\\alice', '--mode', 'report'], `${CRED_PW}\n`), 0, 'cred WS01\\alice');
        (0, cli_1.assertExit)(await onHub(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'WS02\\bob', '--mode', 'report'], `${CRED_PW}\n`), 0, 'cred WS02\\bob');
        const anon = new hub_client_1.HubClient({ url, fingerprint });
        const login = await anon.request('POST', '/api/login', { user: 'admin', password: b64(ADMIN_PW), bearer: true });
        node_assert_1.strict.equal(login.status, 200, JSON.stringify(login.body));
        for (const [name, role, permissions, pw] of [['olivia', 'operator', ['setup-ad-sync'], OP_PW], ['victor', 'viewer', [], VIEWER_PW]]) {
            const r = await anon.request('POST', '/api/users', { name, role, permissions, password: b64(pw) }, login.body.token);
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
        }
        anon.close();
        admin = http_vault_1.HttpVault.open({ url, fingerprint }, login.body.token);
    });
    after(async () => {
        await admin?.close();
        await stop(service);
        await stop(hub);
        hubDir?.cleanup();
        agentDir?.cleanup();
        pamDir?.cleanup();
    });
    it('setup refuses a user without Setup AD Sync, and writes nothing', async () => {
        const before = (0, cli_1.listing)(agentDir.dir);
        const r = await agent(setupArgs('--client', 'Acme'), `victor\n${VIEWER_PW}\n`);
        (0, cli_1.assertExit)(r, 1, 'setup as a viewer');
        node_assert_1.strict.match(r.stderr, /refused to enrol machine "WS01": user "victor" \(viewer\) may not enrol machine "WS01" \(it needs the permission setup-ad-sync\)/);
        node_assert_1.strict.deepEqual((0, cli_1.listing)(agentDir.dir), before);
    });
    it('setup refuses a hub whose certificate is not the fingerprint given, before logging in', async () => {
        const requests = () => fs.readFileSync(path.join(hubDir.dir, 'log', 'hub.log'), 'utf8').split('\n').filter((l) => /"path":"\/api\/login"/.test(l)).length;
        const logins = requests();
        const before = (0, cli_1.listing)(agentDir.dir);
        const wrong = `${fingerprint.slice(0, -2)}${fingerprint.endsWith('00') ? '11' : '00'}`;
        const r = await agent(['setup', '--hub', url, '--client', 'Acme', '--insecure-fingerprint', wrong], `olivia\n${OP_PW}\n`);
        (0, cli_1.assertExit)(r, 1, 'setup with a wrong fingerprint');
        node_assert_1.strict.match(r.stderr, /presented a certificate with SHA-256 fingerprint .* not the one pinned at setup/);
        node_assert_1.strict.equal(requests(), logins, 'no login reached the hub');
        node_assert_1.strict.deepEqual((0, cli_1.listing)(agentDir.dir), before);
    });
    it('setup without --client, not at a terminal, lists the hub\'s clients and changes nothing', async () => {
        const r = await agent(setupArgs(), `olivia\n${OP_PW}\n`);
        (0, cli_1.assertRefused)(r, 'setup without --client', /--client: name the client this machine serves; the hub has: "Acme", "Globex"/);
        node_assert_1.strict.ok(!fs.existsSync(path.join(agentDir.dir, 'keys', 'agent.token')));
    });
    it('setup refuses arguments it cannot use: http://, no trust given, a malformed fingerprint', async () => {
        (0, cli_1.assertRefused)(await agent(['setup', '--hub', url.replace('https', 'http'), '--insecure-fingerprint', fingerprint]), 'http', /https:\/\/ only/);
        (0, cli_1.assertRefused)(await agent(['setup', '--hub', url]), 'no trust', /--insecure-fingerprint SHA256 .* or --ca FILE/);
        (0, cli_1.assertRefused)(await agent(['setup', '--hub', url, '--insecure-fingerprint', 'abc']), 'bad fingerprint', /not a SHA-256 fingerprint/);
    });
    let agentToken;
    it('setup enrols the machine: token 0600 in keys/, config.json gets hub, client and machine (other fields kept)', async () => {
        const r = await agent(setupArgs('--client', 'acme'), `olivia\n${OP_PW}\n`);
        (0, cli_1.assertExit)(r, 0, 'setup');
        node_assert_1.strict.match(r.stdout, /machine "WS01" enrolled into client "Acme" at https:\/\/127\.0\.0\.1:\d+/);
        const tokenFile = path.join(agentDir.dir, 'keys', 'agent.token');
        node_assert_1.strict.equal((0, cli_1.modeOf)(tokenFile), '0600');
        node_assert_1.strict.equal((0, cli_1.modeOf)(path.join(agentDir.dir, 'keys')), '0700');
        agentToken = fs.readFileSync(tokenFile, 'utf8').trim();
        node_assert_1.strict.match(agentToken, /^pwa_[A-Za-z0-9_-]{43}$/);
        const config = JSON.parse(fs.readFileSync(path.join(agentDir.dir, 'config.json'), 'utf8'));
        node_assert_1.strict.deepEqual(config, { machine: 'WS01', reconcileInterval: '1h', pamDir: pamDir.dir, client: 'Acme', hub: { url, fingerprint } });
        const enrolled = await admin.queryEvents({ kind: 'agent-enrolled' });
        node_assert_1.strict.equal(enrolled.length, 1);
        node_assert_1.strict.match(enrolled[0].reason, /machine "WS01" enrolled into client "Acme" by user "olivia" \(operator\)/);
        // The session setup opened was closed again: only the admin's session remains.
        const logins = await admin.queryEvents({ kind: 'login', account: 'olivia' });
        node_assert_1.strict.ok(logins.some((e) => e.outcome === 'ok'));
    });
    it('the agent\'s vault commands now go to the hub, within the token\'s scope', async () => {
        const creds = (0, cli_1.jsonLines)(await agent(['vault', 'cred', 'list', '--client', 'Acme', '--json']));
        node_assert_1.strict.deepEqual(creds.map((c) => c.username), ['WS01\\alice']);
        const other = await agent(['vault', 'cred', 'list', '--client', 'Globex']);
        (0, cli_1.assertExit)(other, 1, 'another client');
        node_assert_1.strict.match(other.stderr, /hub refused getClient: agent "WS01" \(client "Acme"\) may not read client "Globex"/);
        const refusals = await admin.queryEvents({ kind: 'access-refused' });
        node_assert_1.strict.ok(refusals.some((e) => e.machine === 'WS01' && /client "Globex"/.test(e.reason)), JSON.stringify(refusals));
    });
    it('pwbridge run uses the hub: it records the machine, and a captured change auto-creates WS01\\user there', async () => {
        service = (0, cli_1.startCli)(['run'], agentDir.dir);
        await service.waitFor('the service to start', (_o, err) => /serving .*capture\.sock/.test(err));
        snapshotProc(service.child.pid);
        const c = await capture_client_1.CaptureClient.connect(path.join(agentDir.dir, 'run', 'capture.sock'), {
            secret: fs.readFileSync(path.join(agentDir.dir, 'keys', 'capture.secret')),
            bridgePub: fs.readFileSync(path.join(agentDir.dir, 'keys', 'bridge.pub')),
            bootId: bootId(),
            machine: 'WS01',
        });
        try {
            const sent = c.send({ account: 'carl', encoding: constants_1.Encoding.raw, password: Buffer.from(CAPTURED_PW, 'utf8') });
            node_assert_1.strict.equal((await sent.acked).status, 0);
        }
        finally {
            c.destroy();
        }
        const created = await (0, cli_1.pollUntil)('WS01\\carl on the hub', () => admin.findCredential('Acme', 'WS01\\carl'), 15_000);
        node_assert_1.strict.equal((await admin.readPassword(created.id)).toString('utf8'), CAPTURED_PW);
        const started = await (0, cli_1.pollUntil)('service-started on the hub', async () => (await admin.queryEvents({ kind: 'service-started', machine: 'WS01' }))[0], 10_000);
        node_assert_1.strict.equal(started.machine, 'WS01');
        node_assert_1.strict.ok((await admin.queryEvents({ kind: 'credential-created', machine: 'WS01' })).length === 1);
        await stop(service);
        (0, cli_1.assertExit)(await service.done, 0, 'run stopped by SIGTERM');
    });
    it('no password or token in any log, event, argv, environment, output or file (the token file aside)', async () => {
        const secrets = [ADMIN_PW, OP_PW, VIEWER_PW, CRED_PW, CAPTURED_PW, agentToken];
        const events = Buffer.from(JSON.stringify(await admin.queryEvents({ limit: 100_000 })));
        const outputs = cli_1.transcript.slice(firstOutput).flatMap((r) => [r.stdoutBytes, r.stderrBytes]);
        const hubOut = [Buffer.from(hub.stdout()), Buffer.from(hub.stderr())];
        const files = [...(0, tmp_1.filesUnder)(hubDir.dir), ...(0, tmp_1.filesUnder)(agentDir.dir)].filter((f) => f !== path.join(agentDir.dir, 'keys', 'agent.token'));
        node_assert_1.strict.ok(files.some((f) => f.endsWith('hub.log')) && files.some((f) => f.endsWith('pwbridge.log')) && files.some((f) => f.endsWith('vault.db')));
        const places = [
            ['events', events],
            ...outputs.map((b, i) => [`cli output ${i}`, b]),
            ...hubOut.map((b, i) => [`hub output ${i}`, b]),
            ...procSnapshots.map((b, i) => [`/proc argv or environment ${i}`, b]),
            ...files.map((f) => [f, fs.readFileSync(f)]),
        ];
        for (const [where, bytes] of places) {
            for (const s of secrets) {
                const found = (0, cli_1.findSecret)(bytes, s);
                node_assert_1.strict.equal(found, undefined, `${s.slice(0, 12)}… found in ${where} (${found})`);
            }
        }
        // The search reads what it searches: the hub's database holds the token's hash, and names in clear.
        const hubDb = Buffer.concat((0, tmp_1.filesUnder)(hubDir.dir).filter((f) => /vault\.db/.test(f)).map((f) => fs.readFileSync(f)));
        node_assert_1.strict.ok(hubDb.includes(Buffer.from((0, passwords_1.tokenHash)(agentToken))), 'the token\'s hash is in the hub database');
        node_assert_1.strict.ok(hubDb.includes(Buffer.from('WS01\\carl')));
    });
    it('a hub started without --admin-password-stdin generates the first admin\'s password and prints it once', async () => {
        const dir = (0, tmp_1.makeTempDir)('pwbridge-hub-gen-');
        try {
            const first = (0, cli_1.startCli)(['hub', '--listen', '127.0.0.1:0'], dir.dir);
            await first.waitFor('the hub to listen', (_o, err) => /certificate SHA-256 fingerprint/.test(err));
            const pw = /its password, shown only this once: (\S+)/.exec(first.stdout())[1];
            node_assert_1.strict.match(pw, /^[A-Za-z0-9]{24}$/);
            const u = /hub listening on (https:\/\/127\.0\.0\.1:\d+) /.exec(first.stderr())[1];
            const fp = /fingerprint ([0-9A-F:]{95})/.exec(first.stderr())[1];
            const c = new hub_client_1.HubClient({ url: u, fingerprint: fp });
            node_assert_1.strict.equal((await c.request('POST', '/api/login', { user: 'admin', password: b64(pw), bearer: true })).status, 200);
            c.close();
            await stop(first);
            const again = (0, cli_1.startCli)(['hub', '--listen', '127.0.0.1:0'], dir.dir);
            await again.waitFor('the hub to listen again', (_o, err) => /certificate SHA-256 fingerprint/.test(err));
            node_assert_1.strict.doesNotMatch(again.stdout(), /password/, 'printed once only');
            node_assert_1.strict.match(again.stderr(), new RegExp(fp), 'the same certificate');
            await stop(again);
            for (const f of (0, tmp_1.filesUnder)(dir.dir))
                node_assert_1.strict.equal((0, cli_1.findSecret)(fs.readFileSync(f), pw), undefined, `the generated password in ${f}`);
        }
        finally {
            dir.cleanup();
        }
    });
});
//# sourceMappingURL=setup-e2e.test.js.map