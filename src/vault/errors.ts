/**
 * VaultInputError lives with the port (src/ports/vault.port.ts), so the core can tell a refused input from a
 * transient failure without importing an adapter; re-exported here, where the vault engines have always found it.
 */
export { VaultInputError } from '../ports/vault.port';
