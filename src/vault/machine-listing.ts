/**
 * The listing an agent gets: the credentials of its client that reach its machine, i.e. its own
 * `MACHINE\user` and the shared bare `user`s (src/hub/access.ts appliesToAgent), selected in SQL.
 *
 * A client may hold thousands of credentials (one `MACHINE\user` per machine and account) of which a
 * machine sees a few dozen; fetching all of them to filter in the hub made the agent's listing the
 * hub's costliest call. The vault adapters the hub serves (SqliteVault, PostgresVault) implement this;
 * the hub falls back to listing and filtering for any other VaultPort.
 */
import type { Credential } from '../domain/types';
import type { VaultPort } from '../ports/vault.port';
import { foldName } from '../domain/fold-name';

export interface MachineListing {
  /** Of `client`'s credentials (by id), those whose username has no `\`, or whose part before the first `\` is `machine` (case folded). */
  listCredentialsForMachine(client: string, machine: string): Promise<Credential[]>;
}

export function hasMachineListing(v: VaultPort): v is VaultPort & MachineListing {
  return typeof (v as Partial<MachineListing>).listCredentialsForMachine === 'function';
}

/**
 * The folded `MACHINE\` prefix a username_key must start with, or null when `machine` itself holds a
 * `\`: no `MACHINE\user` can then belong to it (its machine part ends at the first `\`), and a null
 * compares as false in SQL.
 */
export function machinePrefix(machine: string): string | null {
  return machine.includes('\\') ? null : `${foldName(machine)}\\`;
}
