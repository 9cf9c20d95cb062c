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
exports.startHubAgent = startHubAgent;
// One machine enrolled with a real `pwbridge hub`, the way an administrator sets it up: the hub as a child
// process (restartable on the same port, so the agent's config stays right), `pwbridge setup` against it,
// and `pwbridge run` started and stopped as a real process, plus a capture client on its socket.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const paths_1 = require("../../src/config/paths");
const key_files_1 = require("../../src/protocol/key-files");
const http_vault_1 = require("../../src/vault/http.vault");
const cli_1 = require("../cli/cli");
const capture_client_1 = require("./capture-client");
const hub_process_1 = require("./hub-process");
const tmp_1 = require("./tmp");
async function startHubAgent(o) {
    const hubTmp = (0, tmp_1.makeTempDir)('pwbridge-hubagent-hub-');
    const agentTmp = (0, tmp_1.makeTempDir)('pwbridge-hubagent-agent-');
    const pamTmp = (0, tmp_1.makeTempDir)('pwbridge-hubagent-pam-');
    let hub = await (0, hub_process_1.startHubProcess)(hubTmp.dir, o.adminPassword);
    const { url, fingerprint } = hub;
    const port = new URL(url).port;
    let admin = http_vault_1.HttpVault.open({ url, fingerprint }, await (0, hub_process_1.loginToken)(hub, 'admin', o.adminPassword));
    let hubUp = true;
    let service;
    const stopLive = async (live) => {
        if (!live || live.child.exitCode !== null || live.child.signalCode !== null)
            return;
        live.child.kill('SIGTERM');
        (0, cli_1.assertExit)(await live.done, 0, 'stopped by SIGTERM');
    };
    const agent = {
        hubDir: hubTmp.dir,
        agentDir: agentTmp.dir,
        url,
        fingerprint,
        admin: () => admin,
        hubRunning: () => hubUp,
        async stopHub() {
            await admin.close();
            await stopLive(hub.live);
            hubUp = false;
        },
        async startHub() {
            hub = await (0, hub_process_1.startHubProcess)(hubTmp.dir, o.adminPassword, ['--listen', `127.0.0.1:${port}`]);
            if (hub.url !== url)
                throw new Error(`the hub came back on ${hub.url}, not ${url}`);
            admin = http_vault_1.HttpVault.open({ url, fingerprint }, await (0, hub_process_1.loginToken)(hub, 'admin', o.adminPassword));
            hubUp = true;
        },
        async startService() {
            if (service && service.child.exitCode === null && service.child.signalCode === null)
                throw new Error('the service runs already');
            const s = (0, cli_1.startCli)(['run'], agentTmp.dir);
            service = s;
            await s.waitFor('the service to serve its socket', (_o, err) => /serving .*capture\.sock/.test(err));
            return s;
        },
        async stopService() {
            await stopLive(service);
        },
        async capture() {
            const keys = (0, paths_1.dataPaths)(agentTmp.dir).keysDir;
            return capture_client_1.CaptureClient.connect(path.join(agentTmp.dir, 'run', 'capture.sock'), {
                secret: fs.readFileSync(path.join(keys, key_files_1.SECRET_FILE)),
                bridgePub: fs.readFileSync(path.join(keys, key_files_1.PUBLIC_FILE)),
                machine: o.machine,
            });
        },
        async cleanup() {
            await stopLive(service);
            await admin.close();
            if (hubUp)
                await stopLive(hub.live);
            for (const t of [hubTmp, agentTmp, pamTmp])
                t.cleanup();
        },
    };
    try {
        fs.writeFileSync(path.join(agentTmp.dir, 'config.json'), JSON.stringify({ machine: o.machine, reconcileInterval: '1h', pamDir: pamTmp.dir, ...o.config }));
        if (!(await admin.getClient(o.client))) {
            await admin.addClient({ name: o.client, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
        }
        const r = await (0, cli_1.runCli)(['setup', '--hub', url, '--insecure-fingerprint', fingerprint, '--client', o.client], { dataDir: agentTmp.dir, stdin: `admin\n${o.adminPassword}\n` });
        (0, cli_1.assertExit)(r, 0, `setup ${o.machine}`);
    }
    catch (err) {
        await agent.cleanup();
        throw err;
    }
    return agent;
}
//# sourceMappingURL=hub-agent.js.map