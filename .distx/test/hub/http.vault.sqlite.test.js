"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The VaultPort contract through HttpVault and a real hub on SQLite, once per SQLite driver this Node loads
// (the `npm test` run on Node 22 takes it through node:sqlite, the hub's vault and its own store both).
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const http_vault_contract_1 = require("./http.vault.contract");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => (0, http_vault_contract_1.describeHttpVaultContract)('sqlite', sqlite));
//# sourceMappingURL=http.vault.sqlite.test.js.map