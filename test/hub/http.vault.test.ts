// The VaultPort contract, unchanged, through HttpVault and a real hub (HTTPS, pinned certificate) on
// PostgreSQL (here) and on SQLite (http.vault.sqlite.test.ts, once per SQLite driver). The contract adds
// clients and works across them, which only a user may do, so it runs with the admin's bearer token; an
// agent token's scope is tested in access.test.ts.
import { describeHttpVaultContract } from './http.vault.contract';

describeHttpVaultContract('postgres');
