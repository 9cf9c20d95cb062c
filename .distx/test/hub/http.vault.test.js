"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The VaultPort contract, unchanged, through HttpVault and a real hub (HTTPS, pinned certificate) on
// PostgreSQL (here) and on SQLite (http.vault.sqlite.test.ts, once per SQLite driver). The contract adds
// clients and works across them, which only a user may do, so it runs with the admin's bearer token; an
// agent token's scope is tested in access.test.ts.
const http_vault_contract_1 = require("./http.vault.contract");
(0, http_vault_contract_1.describeHttpVaultContract)('postgres');
//# sourceMappingURL=http.vault.test.js.map