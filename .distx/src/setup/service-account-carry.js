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
exports.carryServiceAccount = carryServiceAccount;
// After `pwbridge setup` (or `install --hub`) points this machine at a hub: the service account's
// credential, which `pwbridge install` stored in the embedded vault (the machine had no hub then), is
// copied into the hub's vault under the enrolled client, and install.json records where it now lives. The
// vendor guide's step 18 ("confirm the newly created Windows Service account has been populated") holds
// whichever order the administrator took: install then enrol, or enrol during install.
const fs = __importStar(require("node:fs"));
const config_1 = require("../config/config");
const paths_1 = require("../config/paths");
const open_1 = require("../service/open");
const secret_box_1 = require("../vault/secret-box");
const sqlite_vault_1 = require("../vault/sqlite.vault");
const manifest_1 = require("./manifest");
async function carryServiceAccount(dataDir, out) {
    const manifest = (0, manifest_1.readManifest)(dataDir);
    const cred = manifest?.windows?.credential;
    const config = (0, config_1.loadConfig)(dataDir);
    if (!manifest?.windows || !cred || !config.hub || cred.vault === config.hub.url)
        return;
    const p = (0, paths_1.dataPaths)(dataDir);
    if (!fs.existsSync(p.vaultDb) || !fs.existsSync(p.vaultKey)) {
        out(`the service account's credential ${cred.username} was recorded in the embedded vault, which is gone: add it to the hub by hand`);
        return;
    }
    const key = (0, secret_box_1.ensureVaultKey)(p.vaultKey);
    let local;
    try {
        local = await sqlite_vault_1.SqliteVault.open({ path: p.vaultDb, key });
    }
    finally {
        key.fill(0);
    }
    let hub;
    let password;
    try {
        const found = await local.findCredential(cred.client, cred.username);
        if (!found) {
            out(`the service account's credential ${cred.username} is not in the embedded vault (client "${cred.client}"): add it to the hub by hand`);
            return;
        }
        password = await local.readPassword(found.id);
        hub = await (0, open_1.openVaultAt)(dataDir, config);
        const there = await hub.findCredential(config.client, cred.username);
        if (there)
            await hub.updateCredential(config.client, cred.username, { password });
        else
            await hub.addCredential({ client: config.client, username: cred.username, password, windowsSync: false, mode: 'report' });
        manifest.windows.credential = { client: config.client, username: cred.username, vault: config.hub.url };
        (0, manifest_1.writeManifest)(manifest);
        out(`the service account's credential ${cred.username} is now in the hub's vault (client "${config.client}", Windows Sync off: it is never reconciled)`);
    }
    catch (e) {
        throw new Error(`the machine is enrolled, but the service account's credential ${cred.username} could not be copied to the hub (${e.message}); `
            + 'run pwbridge setup again to retry');
    }
    finally {
        password?.fill(0);
        await local.close();
        await hub?.close();
    }
}
//# sourceMappingURL=service-account-carry.js.map