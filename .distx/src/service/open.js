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
exports.openVaultAt = openVaultAt;
exports.openStateAt = openStateAt;
exports.openExistingState = openExistingState;
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const config_1 = require("../config/config");
const paths_1 = require("../config/paths");
const sqlite_state_1 = require("../journal/sqlite.state");
const platform_1 = require("../platform");
const errors_1 = require("../protocol/errors");
const http_vault_1 = require("../vault/http.vault");
const secret_box_1 = require("../vault/secret-box");
const sqlite_vault_1 = require("../vault/sqlite.vault");
const data_file_check_1 = require("./data-file-check");
/**
 * The vault of one data dir, the one place that chooses the adapter: the hub (HttpVault with the agent
 * token from `pwbridge setup`) when config.json has `hub`, else the embedded SQLite vault, whose key is
 * read from its root-only file, used, then wiped. `config` is read from the data dir when not given.
 */
async function openVaultAt(dataDir, config) {
    const p = (0, paths_1.dataPaths)(dataDir);
    const hub = (config ?? (0, config_1.loadConfig)(dataDir)).hub;
    if (hub) {
        // Read again while the hub refuses the token in use: a new `pwbridge setup` takes effect without a restart.
        const tokens = (0, platform_1.selectAgentTokenStore)();
        return http_vault_1.HttpVault.open(hub, () => tokens.read(p.agentToken));
    }
    (0, paths_1.ensureDataDir)(p);
    const key = (0, secret_box_1.ensureVaultKey)(p.vaultKey);
    try {
        // ensureVaultKey reads mode bits, which say nothing on Windows; there the platform reads owner and DACL.
        const problem = (0, platform_1.selectKeyFileAccess)()?.(p.vaultKey, 'secret');
        if (problem)
            throw new errors_1.KeyFileError(p.vaultKey, problem);
        // The constructor opens the file synchronously, so a damaged one throws here, where it can be named.
        return (0, data_file_check_1.openNamingDamage)(p.vaultDb, 'vault', () => new sqlite_vault_1.SqliteVault({ path: p.vaultDb, key }));
    }
    finally {
        key.fill(0);
    }
}
/** The bridge's own state (journal, echo records, reconcile memos, filter state) of one data dir. */
function openStateAt(dataDir, echoKey, more = {}) {
    const p = (0, paths_1.dataPaths)(dataDir);
    (0, paths_1.ensureDataDir)(p);
    return (0, data_file_check_1.openNamingDamage)(p.stateDb, 'state', () => (0, sqlite_state_1.openStateDb)(p.stateDb, { ...more, echoKey }));
}
/**
 * The state of an install that exists, for commands that inspect or repair it (`status`, `journal`)
 * without running the service: undefined when the service never ran there. Such commands never touch
 * the echo store, so it gets a throwaway key instead of one derived from the install secret.
 */
function openExistingState(dataDir) {
    const p = (0, paths_1.dataPaths)(dataDir);
    if (!fs.existsSync(p.stateDb))
        return undefined;
    return (0, data_file_check_1.openNamingDamage)(p.stateDb, 'state', () => (0, sqlite_state_1.openStateDb)(p.stateDb, { echoKey: (0, node_crypto_1.randomBytes)(32) }));
}
//# sourceMappingURL=open.js.map