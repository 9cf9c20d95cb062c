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
exports.reconcileSetup = reconcileSetup;
exports.deriveKey = deriveKey;
exports.openInstall = openInstall;
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const config_error_1 = require("../config/config-error");
const paths_1 = require("../config/paths");
const types_1 = require("../domain/types");
const event_log_1 = require("../log/event-log");
const outbox_delivery_1 = require("../log/outbox-delivery");
const logger_1 = require("../log/logger");
const platform_1 = require("../platform");
const vault_port_1 = require("../ports/vault.port");
const errors_1 = require("../vault/errors");
const hub_client_1 = require("../vault/hub-client");
const keys_1 = require("../protocol/keys");
const filter_state_1 = require("./filter-state");
const open_1 = require("./open");
/** What reconcile works with, the same for the service's passes and `pwbridge reconcile --once`. */
function reconcileSetup(install) {
    const { config, state } = install;
    return {
        deps: { vault: install.vault, accounts: install.platform.accounts, state: state.state, echo: state.echo, events: install.events, journal: state.journal },
        opts: {
            machine: config.machine,
            client: config.client,
            echoTtlMs: config.echoTtlMs,
            now: Date.now,
            exclusions: { serviceAccount: config.serviceAccount, exclude: config.excludeAccounts },
        },
    };
}
/** Sub-keys derived from the install secret, one per use, so no key does two jobs. */
function deriveKey(secret, label) {
    return (0, node_crypto_1.createHmac)('sha256', secret).update(`pwbridge/1/${label}`).digest();
}
/** `servesCapture`: this process will serve the capture's endpoint (`run`), so who it runs as is checked (Windows). */
async function openInstall(config, opts = {}) {
    const paths = (0, paths_1.dataPaths)(config.dataDir);
    await checkClientExists(config, paths);
    (0, paths_1.ensureDataDir)(paths);
    const keys = (0, keys_1.ensureKeys)(paths.keysDir, (0, platform_1.selectKeyFileAccess)());
    const logger = (0, logger_1.createLogger)({ level: config.logLevel, file: paths.logFile, stdout: opts.stdoutLog });
    const vault = await (0, open_1.openVaultAt)(config.dataDir, config);
    const echoKey = deriveKey(keys.secret, 'echo');
    const state = (0, open_1.openStateAt)(config.dataDir, echoKey, {
        onWriteError: (err, writes) => logger.error({ err: { message: err.message }, writes }, 'state.db: a deferred commit (journal marks, outbox events) failed'),
        outbox: { onDropped: (dropped, total) => logger.warn({ dropped, total }, 'event outbox full: dropped the oldest events (one events-dropped event says how many)') },
    });
    echoKey.fill(0);
    const fingerprintKey = deriveKey(keys.secret, 'fingerprint');
    const real = (0, platform_1.selectPlatform)(config, fingerprintKey, { store: state.state, servesCapture: opts.servesCapture });
    // Tests wrap the real platform (count verifications, fake a filter probe); production never does.
    const platform = opts.wrapPlatform ? opts.wrapPlatform(real) : real;
    const events = new event_log_1.EventLog(state.outbox, new outbox_delivery_1.OutboxDelivery(state.outbox, vault, logger), config.machine, logger, platform.osEvents);
    const filter = new filter_state_1.FilterStateTracker(state.state, () => platform.probeFilter(), events, {
        captureEnabled: config.captureEnabled,
        bootId: () => platform.bootId(),
    });
    await ensureClient(vault, config, events, logger);
    return {
        config, paths, keys, vault, state, logger, events, platform, filter,
        async close() {
            await events.flush();
            await vault.close();
            state.close();
            (0, keys_1.wipeKeys)(keys);
            fingerprintKey.fill(0);
            await new Promise((resolve) => logger.flush(() => resolve()));
        },
    };
}
/** A client named in config must exist before anything is created: a refusal changes nothing. */
async function checkClientExists(config, paths) {
    if (config.client === 'local' && !config.hub)
        return;
    const refuse = () => new config_error_1.ConfigError('client', `"${config.client}" does not exist in the vault`, `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync, or use --client with an existing one`);
    if (!config.hub && !fs.existsSync(paths.vaultDb))
        throw refuse();
    const vault = await (0, open_1.openVaultAt)(config.dataDir, config);
    try {
        if (!(await vault.getClient(config.client)))
            throw refuse();
    }
    catch (err) {
        // A hub that does not answer now (down, restarting, its database away) says nothing about the
        // client: the service starts and takes captures into its journal (ensureClient logs it).
        if (!tokenRefused(err) && !(config.hub && hubDidNotSay(err)))
            throw err;
    }
    finally {
        await vault.close();
    }
}
/**
 * The machine serves one client. The embedded default ("local") is created on first start with every
 * sync option on and Report Mismatches as its mode, so a fresh install works with no setup; a client
 * named in config must already exist, or the config is wrong.
 */
async function ensureClient(vault, config, events, logger) {
    let client;
    try {
        client = await vault.getClient(config.client);
    }
    catch (err) {
        if (tokenRefused(err))
            return;
        if (config.hub && hubDidNotSay(err)) {
            // Found by the vault-down fault scenario: a machine that (re)started while its hub was down did not
            // start at all, so nothing it captured was acked. Its journal holds changes until the hub is back.
            logger.warn({ err: { message: err.message }, hub: config.hub.url }, 'the hub does not answer; serving captures, delivered when it is back');
            return;
        }
        throw err;
    }
    if (client)
        return;
    if (config.hub) {
        throw new config_error_1.ConfigError('client', `"${config.client}" does not exist on the hub ${config.hub.url}`, 'Enrol this machine again with: pwbridge setup --hub URL --client NAME');
    }
    if (config.client !== types_1.EMBEDDED_CLIENT.name) {
        throw new config_error_1.ConfigError('client', `"${config.client}" does not exist in the vault`, `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync, or use --client with an existing one`);
    }
    await vault.addClient(types_1.EMBEDDED_CLIENT);
    events.record({ kind: 'client-created', outcome: 'info', reason: `embedded default client "local" (windows sync, two-way sync, auto-create; ${types_1.EMBEDDED_CLIENT.defaultMode} mode)` });
}
/**
 * The hub refused the agent token (revoked, or the machine was enrolled again). The service starts anyway:
 * captures are journaled and kept, the refusal is reported (event, log, status), and a new setup resumes
 * delivery. Failing the start would only make the service manager restart it against the hub in a loop.
 */
/** No answer from the hub, or an answer that it cannot serve now (5xx): not a verdict on the client. */
function hubDidNotSay(err) {
    if (err instanceof errors_1.VaultInputError || err instanceof vault_port_1.VaultNotFoundError || err instanceof vault_port_1.VaultRefusedError || err instanceof hub_client_1.HubCertificateError)
        return false;
    return !/failed with HTTP [1-4]\d\d/.test(err?.message ?? '');
}
function tokenRefused(err) {
    return err instanceof vault_port_1.VaultRefusedError && err.status === 401;
}
//# sourceMappingURL=install.js.map