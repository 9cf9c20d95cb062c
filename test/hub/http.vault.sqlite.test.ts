// The VaultPort contract through HttpVault and a real hub on SQLite, once per SQLite driver this Node loads
// (the `npm test` run on Node 22 takes it through node:sqlite, the hub's vault and its own store both).
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { describeHttpVaultContract } from './http.vault.contract';

forEachSqliteDriver((sqlite) => describeHttpVaultContract('sqlite', sqlite));
