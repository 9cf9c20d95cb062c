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
exports.enrolMachine = enrolMachine;
// Enrolling this machine with a hub: what `pwbridge setup` does after it has the login, and what
// `pwbridge install --hub` does for a silent deployment (the MSI's PWB_HUB properties). A user who holds
// Setup AD Sync logs in, the client is chosen, the hub issues an agent token for that client and this
// machine; the token goes to the platform's token store and config.json gets hub, client and machine.
// Then the service account's credential, which install stored in the embedded vault, is carried to the
// hub (the vendor guide's step 18: the service account appears in the vault the agent uses).
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_1 = require("../config/config");
const paths_1 = require("../config/paths");
const platform_1 = require("../platform");
const atomic_file_1 = require("../platform/linux/atomic-file");
const hub_client_1 = require("../vault/hub-client");
const service_account_carry_1 = require("./service-account-carry");
async function enrolMachine(o) {
    const config = (0, config_1.loadConfig)(o.dataDir);
    const paths = (0, paths_1.dataPaths)(o.dataDir);
    const hub = new hub_client_1.HubClient({ url: o.url, fingerprint: o.fingerprint, caFile: o.caFile });
    let session;
    try {
        const login = await hub.request('POST', '/api/login', { user: o.user, password: o.password.toString('base64'), bearer: true });
        o.password.fill(0);
        if (login.status !== 200)
            throw new Error(`the hub refused the login: ${errorText(login)}`);
        session = login.body.token;
        const listed = await hub.request('POST', '/api/vault/listClients', {}, session);
        if (listed.status !== 200)
            throw new Error(`the hub did not list its clients: ${errorText(listed)}`);
        const client = await o.chooseClient(listed.body.clients.map((c) => c.name));
        const enrol = await hub.request('POST', '/api/agents', { client, machine: config.machine }, session);
        if (enrol.status !== 200)
            throw new Error(`the hub refused to enrol machine "${config.machine}": ${errorText(enrol)}`);
        const token = enrol.body.token;
        (0, paths_1.ensureDataDir)(paths); // only now: a refusal before this point leaves the data dir as it was
        const tokens = (0, platform_1.selectAgentTokenStore)();
        tokens.write(paths.agentToken, token);
        let hubConfig;
        if (o.fingerprint) {
            hubConfig = { url: o.url, fingerprint: o.fingerprint };
        }
        else {
            // A copy in the data dir: the agent keeps working if the file given here moves.
            const caCopy = path.join(o.dataDir, 'tls', 'hub-ca.pem');
            fs.mkdirSync(path.dirname(caCopy), { recursive: true, mode: 0o700 });
            writePrivate(caCopy, fs.readFileSync(o.caFile, 'utf8'));
            hubConfig = { url: o.url, caFile: caCopy };
        }
        const enrolledClient = enrol.body.agent.client;
        writeConfig(o.dataDir, { client: enrolledClient, machine: config.machine, hub: hubConfig });
        (0, config_1.loadConfig)(o.dataDir); // what was written must be what the service accepts
        o.out(`machine "${config.machine}" enrolled into client "${enrolledClient}" at ${o.url}; `
            + `the agent token is in ${paths.agentToken} (${tokens.how})`);
        await (0, service_account_carry_1.carryServiceAccount)(o.dataDir, o.out);
        return { client: enrolledClient, machine: config.machine, tokenStore: tokens.how };
    }
    finally {
        o.password.fill(0);
        if (session)
            await hub.request('POST', '/api/logout', {}, session).catch(() => undefined);
        hub.close();
    }
}
function errorText(r) {
    const m = r.body?.error?.message;
    return typeof m === 'string' ? `${m} (HTTP ${r.status})` : `HTTP ${r.status}`;
}
/** A private file (0600) replaced whole: a reader sees the old one or the new one. */
function writePrivate(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    (0, atomic_file_1.writeFileAtomic)(file, text, { mode: 0o600 });
}
/** config.json with these fields set and every other field kept as it was. */
function writeConfig(dataDir, fields) {
    const file = (0, config_1.configPath)(dataDir);
    const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    writePrivate(file, `${JSON.stringify({ ...current, ...fields }, null, 2)}\n`);
}
//# sourceMappingURL=enrol.js.map