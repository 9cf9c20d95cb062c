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
// The vendor guide's step 18 after a Windows install: "confirm the newly created Windows Service account has
// been populated". `pwbridge install` on Windows stores the service account's credential in the embedded
// vault (the machine has no hub yet) and records it in install.json; enrolling later with `pwbridge setup`
// carries it into the hub's vault. The Windows install itself runs under Wine elsewhere, where Wine's SAM
// keeps no account and so no credential: here the data dir is the one such an install leaves (the embedded
// vault through the real CLI, install.json as windows-install.ts writes it), and setup is the real binary.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const http_vault_1 = require("../../src/vault/http.vault");
const cli_1 = require("../cli/cli");
const hub_process_1 = require("../helpers/hub-process");
const tmp_1 = require("../helpers/tmp");
const ADMIN_PW = `admin-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
const SERVICE_PW = `svc-canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
describe('pwbridge setup carries the service account\'s credential from the embedded vault to the hub', function () {
    this.timeout(120_000);
    let hubDir;
    let hub;
    let url;
    let fingerprint;
    let admin;
    const dirs = [];
    /** A data dir as a Windows install of machine `machine` leaves it: the credential in the embedded vault. */
    async function installedMachine(machine, recordedUsername = `${machine}\\pwbridge`) {
        const d = (0, tmp_1.makeTempDir)('pwbridge-carry-');
        dirs.push(d);
        fs.writeFileSync(path.join(d.dir, 'config.json'), JSON.stringify({ machine }));
        const local = (args, stdin) => (0, cli_1.runCli)(args, { dataDir: d.dir, stdin });
        (0, cli_1.assertExit)(await local(['vault', 'client', 'add', 'local', '--windows-sync', '--two-way-sync', '--auto-create']), 0, 'client local');
        (0, cli_1.assertExit)(await local(['vault', 'cred', 'add', '--client', 'local', '--user', `${machine}\\pwbridge`, '--mode', 'report', '--sync', 'off'], `${SERVICE_PW}\n`), 0, 'the service account');
        fs.writeFileSync(path.join(d.dir, 'install.json'), JSON.stringify({
            version: 1, dataDir: d.dir,
            windows: { account: { name: 'pwbridge', sid: 'S-1-5-21-1-2-3-1001', rights: [] }, credential: { client: 'local', username: recordedUsername } },
        }));
        return d.dir;
    }
    const setup = (dataDir) => (0, cli_1.runCli)(['setup', '--hub', url, '--insecure-fingerprint', fingerprint, '--client', 'Acme'], { dataDir, stdin: `admin\n${ADMIN_PW}\n` });
    const manifestOf = (dataDir) => JSON.parse(fs.readFileSync(path.join(dataDir, 'install.json'), 'utf8'));
    before(async () => {
        hubDir = (0, tmp_1.makeTempDir)('pwbridge-carry-hub-');
        const started = await (0, hub_process_1.startHubProcess)(hubDir.dir, ADMIN_PW);
        hub = started.live;
        ({ url, fingerprint } = started);
        (0, cli_1.assertExit)(await (0, cli_1.runCli)(['vault', 'client', 'add', 'Acme', '--windows-sync', '--two-way-sync'], { dataDir: hubDir.dir }), 0, 'client Acme');
        admin = http_vault_1.HttpVault.open({ url, fingerprint }, await (0, hub_process_1.loginToken)(started, 'admin', ADMIN_PW));
    });
    after(async () => {
        await admin?.close();
        if (hub && hub.child.exitCode === null) {
            hub.child.kill('SIGTERM');
            await hub.done;
        }
        hubDir?.cleanup();
        for (const d of dirs)
            d.cleanup();
    });
    it('the credential appears in the hub under the enrolled client, with its password and Windows Sync off', async () => {
        const dataDir = await installedMachine('WS31');
        const r = await setup(dataDir);
        (0, cli_1.assertExit)(r, 0, 'setup');
        node_assert_1.strict.match(r.stdout, /the service account's credential WS31\\pwbridge is now in the hub's vault \(client "Acme"/);
        const cred = await admin.findCredential('Acme', 'WS31\\pwbridge');
        node_assert_1.strict.ok(cred, 'not in the hub');
        node_assert_1.strict.equal(cred.windowsSync, false);
        node_assert_1.strict.equal((await admin.readPassword(cred.id)).toString(), SERVICE_PW);
        node_assert_1.strict.deepEqual(manifestOf(dataDir).windows.credential, { client: 'Acme', username: 'WS31\\pwbridge', vault: url });
        node_assert_1.strict.ok(!r.stdout.includes(SERVICE_PW) && !r.stderr.includes(SERVICE_PW), 'the password was printed');
    });
    it('a second setup does not carry it again (install.json says where it is)', async () => {
        const dataDir = await installedMachine('WS32');
        (0, cli_1.assertExit)(await setup(dataDir), 0, 'first setup');
        const before = await admin.findCredential('Acme', 'WS32\\pwbridge');
        const again = await setup(dataDir);
        (0, cli_1.assertExit)(again, 0, 'second setup');
        node_assert_1.strict.doesNotMatch(again.stdout, /service account's credential/);
        node_assert_1.strict.equal((await admin.findCredential('Acme', 'WS32\\pwbridge')).version, before.version);
    });
    it('when the hub refuses the copy, setup says the machine is enrolled and what to do, exits 1, and records nothing', async () => {
        // Recorded under another machine's name: the agent token may create only its own machine's credentials.
        const dataDir = await installedMachine('WS33', 'OTHER\\pwbridge');
        const local = (args, stdin) => (0, cli_1.runCli)(args, { dataDir, stdin });
        (0, cli_1.assertExit)(await local(['vault', 'cred', 'add', '--client', 'local', '--user', 'OTHER\\pwbridge', '--mode', 'report', '--sync', 'off'], `${SERVICE_PW}\n`), 0, 'the odd one');
        const r = await setup(dataDir);
        (0, cli_1.assertExit)(r, 1, 'setup');
        node_assert_1.strict.match(r.stderr, /the machine is enrolled, but the service account's credential OTHER\\pwbridge could not be copied to the hub .*run pwbridge setup again/);
        node_assert_1.strict.equal(manifestOf(dataDir).windows.credential.vault, undefined);
        node_assert_1.strict.equal(await admin.findCredential('Acme', 'OTHER\\pwbridge'), undefined);
    });
    it('a machine whose install stored no credential (Linux, or Windows under Wine) enrols as before', async () => {
        const d = (0, tmp_1.makeTempDir)('pwbridge-carry-none-');
        dirs.push(d);
        fs.writeFileSync(path.join(d.dir, 'config.json'), JSON.stringify({ machine: 'WS34' }));
        const r = await setup(d.dir);
        (0, cli_1.assertExit)(r, 0, 'setup');
        node_assert_1.strict.doesNotMatch(r.stdout, /service account/);
    });
});
//# sourceMappingURL=service-account-carry.test.js.map