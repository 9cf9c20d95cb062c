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
// Silent deployment, as an RMM tool does it: the MSI with PWB_HUB, PWB_CLIENT, PWB_FINGERPRINT and
// PWB_ENROL_FILE installs and enrols the machine with a real hub (`pwbridge hub` on this Linux host, which
// Wine's TCP reaches), with no one at the machine. The enrolment file holds a hub user's password: it is
// refused while others may read it, and removed once read. After a reboot a change reported to LSA lands in
// the hub's vault, not the embedded one.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const http_vault_1 = require("../../src/vault/http.vault");
const hub_client_1 = require("../../src/vault/hub-client");
const cli_1 = require("../cli/cli");
const hub_process_1 = require("../helpers/hub-process");
const lsa_standin_1 = require("../helpers/lsa-standin");
const msi_1 = require("../helpers/msi");
const tmp_1 = require("../helpers/tmp");
const wine_machine_1 = require("../helpers/wine-machine");
const wine_1 = require("../helpers/wine");
const APP = 'C:\\Program Files\\pwbridge';
const DATA = 'C:\\ProgramData\\pwbridge';
const ENROL = 'C:\\deploy\\enrol.txt';
const REBOOT_REQUIRED = 3010 & 0xff;
const ADMIN_PW = `admin-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
const RMM_PW = `rmm-canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
const CAPTURED_PW = `captured-canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
describe('Windows silent deployment: the MSI with PWB_HUB enrols the machine with a real hub (under Wine)', function () {
    this.timeout(600_000);
    let m;
    let hubDir;
    let hub;
    let url;
    let fingerprint;
    let admin;
    const msiexec = (props) => m.run('msiexec', ['/i', (0, wine_1.winPath)((0, msi_1.buildMsi)()), '/qn', '/norestart', '/l*v', 'C:\\msi.log',
        `PWB_HUB=${url}`, 'PWB_CLIENT=Acme', `PWB_FINGERPRINT=${fingerprint}`, `PWB_ENROL_FILE=${ENROL}`, ...props], 300_000);
    const enrolFile = () => m.hostPath(ENROL);
    before(async function () {
        // A Wine machine of its own; on Windows the workflow installs the MSI on the runner itself.
        if (process.platform === 'win32')
            this.skip();
        const why = (0, wine_1.windowsPartsMissing)();
        if (why.skip)
            this.skip();
        node_assert_1.strict.equal(why.fail, undefined, why.fail);
        node_assert_1.strict.ok(fs.existsSync(lsa_standin_1.STANDIN_EXE), `${lsa_standin_1.STANDIN_EXE} is missing: npm run build:native`);
        (0, msi_1.buildMsi)();
        hubDir = (0, tmp_1.makeTempDir)('pwbridge-deploy-hub-');
        const started = await (0, hub_process_1.startHubProcess)(hubDir.dir, ADMIN_PW);
        hub = started.live;
        ({ url, fingerprint } = started);
        (0, cli_1.assertExit)(await (0, cli_1.runCli)(['vault', 'client', 'add', 'Acme', '--windows-sync', '--two-way-sync', '--auto-create'], { dataDir: hubDir.dir }), 0, 'client Acme');
        const token = await (0, hub_process_1.loginToken)(started, 'admin', ADMIN_PW);
        const api = new hub_client_1.HubClient({ url, fingerprint });
        const r = await api.request('POST', '/api/users', { name: 'rmm', role: 'operator', permissions: ['setup-ad-sync'], password: Buffer.from(RMM_PW).toString('base64') }, token);
        api.close();
        node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
        admin = http_vault_1.HttpVault.open({ url, fingerprint }, token);
        m = wine_machine_1.WineMachine.create();
        fs.mkdirSync(path.dirname(enrolFile()), { recursive: true });
    });
    after(async () => {
        m?.destroy();
        await admin?.close();
        if (hub && hub.child.exitCode === null) {
            hub.child.kill('SIGTERM');
            await hub.done;
        }
        hubDir?.cleanup();
    });
    it('refuses an enrolment file others may read, installs nothing, and leaves the file for its owner to see', async () => {
        fs.writeFileSync(enrolFile(), `rmm\n${RMM_PW}\n`, { mode: 0o644 });
        fs.chmodSync(enrolFile(), 0o644); // Wine shows "other" bits as an Everyone entry
        const r = await msiexec([]);
        node_assert_1.strict.ok(r.code !== 0 && r.code !== REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}`);
        node_assert_1.strict.match(r.stdout + r.stderr, /--enrol-file: C:\\deploy\\enrol\.txt has an entry \(A;;0x1200a9;;;WD\) that gives Everyone \(S-1-1-0\) read and execute\. It holds a hub user's password: write it where only SYSTEM and the administrators can read it\n/);
        node_assert_1.strict.ok(fs.existsSync(enrolFile()), 'a refused file is left where it is');
        // Windows Installer keeps nothing the step printed: the reason is in %TEMP%\pwbridge-install.log.
        const logs = (0, tmp_1.filesUnder)(m.prefix).filter((f) => path.basename(f) === 'pwbridge-install.log');
        node_assert_1.strict.equal(logs.length, 1, `pwbridge-install.log: ${logs.join(', ')}`);
        node_assert_1.strict.match(fs.readFileSync(logs[0], 'utf8'), /pwbridge install stopped: --enrol-file: C:\\deploy\\enrol\.txt has an entry/);
        node_assert_1.strict.ok(!fs.existsSync(m.hostPath(`${APP}\\node.exe`)), 'the package was rolled back');
        node_assert_1.strict.equal(m.regQuery('HKLM\\SOFTWARE\\pwbridge', 'ServiceSid'), undefined);
    });
    it('with a private enrolment file it installs, enrols into the client, removes the file, and the service runs with the hub', async () => {
        fs.chmodSync(enrolFile(), 0o600);
        const r = await msiexec([]);
        node_assert_1.strict.equal(r.code, REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}`);
        node_assert_1.strict.match(r.stdout, /machine "VM" enrolled into client "Acme" at https:\/\/127\.0\.0\.1:\d+/);
        node_assert_1.strict.match(r.stdout, /the service pwbridge runs again, now with the hub/);
        node_assert_1.strict.ok(!fs.existsSync(enrolFile()), 'the enrolment file is still there');
        const config = JSON.parse(fs.readFileSync(m.hostPath(`${DATA}\\config.json`), 'utf8'));
        node_assert_1.strict.deepEqual([config.client, config.hub.url, config.hub.fingerprint], ['Acme', url, fingerprint]);
        const enrolled = await admin.queryEvents({ kind: 'agent-enrolled' });
        node_assert_1.strict.ok(enrolled.some((e) => /machine "VM" enrolled into client "Acme" by user "rmm"/.test(e.reason ?? '')), JSON.stringify(enrolled));
    });
    it('after a reboot, a change reported to LSA is created in the hub\'s vault with its password', async () => {
        m.reboot();
        const lsa = await lsa_standin_1.LsaStandIn.start(m);
        node_assert_1.strict.ok(lsa.boot.includes('loaded pwbridge_filter'), lsa.boot.join(' | '));
        const end = Date.now() + 120_000;
        for (;;) {
            const st = await m.run(`${APP}\\bin\\pwbridge.cmd`, ['status', '--json']);
            if (st.code === 0 && JSON.parse(st.stdout).filter.state === 'active')
                break;
            if (Date.now() > end)
                throw new Error(`the filter did not become active: ${st.stdout}${st.stderr}`);
            await sleep(1000);
        }
        node_assert_1.strict.equal((await lsa.change('erin', 1102, CAPTURED_PW)).accepted, true);
        let created;
        for (let i = 0; i < 60 && !created; i++) {
            created = await admin.findCredential('Acme', 'VM\\erin');
            if (!created)
                await sleep(1000);
        }
        node_assert_1.strict.ok(created, 'VM\\erin never reached the hub');
        node_assert_1.strict.equal((await admin.readPassword(created.id)).toString('utf8'), CAPTURED_PW);
        lsa.exit();
    });
    it('neither the hub user\'s password nor the captured one is in any file of the machine', () => {
        const needles = [RMM_PW, CAPTURED_PW].flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
        const hits = (0, tmp_1.filesUnder)(m.prefix).filter((f) => {
            let bytes;
            try {
                bytes = fs.readFileSync(f);
            }
            catch {
                return false;
            }
            return needles.some((n) => bytes.includes(n));
        });
        node_assert_1.strict.deepEqual(hits, []);
    });
});
//# sourceMappingURL=msi-deploy.test.js.map