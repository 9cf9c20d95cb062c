"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeHttpVaultContract = describeHttpVaultContract;
const http_vault_1 = require("../../src/vault/http.vault");
const hub_1 = require("../helpers/hub");
const vault_contract_1 = require("../vault/vault.contract");
function describeHttpVaultContract(engine, sqlite) {
    (0, vault_contract_1.describeVaultContract)(`HttpVault → hub on ${engine}`, async () => {
        const t = await (0, hub_1.startTestHub)(engine, { sqlite });
        const vault = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
        // The contract starts from an empty vault: the hub's own record of the admin's login goes.
        await t.hub.store.sql.run('DELETE FROM events');
        return { vault, cleanup: async () => { await vault.close(); await t.close(); } };
    });
}
//# sourceMappingURL=http.vault.contract.js.map