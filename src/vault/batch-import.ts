/**
 * An import's writes in one transaction: all of them, or none. The vault adapters the hub serves
 * (SqliteVault, PostgresVault) implement this; the HTTP vault cannot (the hub's API is one call per write),
 * so an import through it is applied row by row and says which rows went in when one is refused
 * (src/vault/transfer/plan.ts).
 */
import type { Credential } from '../domain/types';
import type { CredentialChange, NewCredential, PasswordSource, VaultPort } from '../ports/vault.port';
import { checkChange, checkName, checkNewCredential } from './validate';

export type ImportWrite =
  | { kind: 'create'; credential: NewCredential }
  | { kind: 'update'; client: string; username: string; change: CredentialChange };

export interface BatchImport {
  /**
   * Apply every write in order in one transaction, each checked as addCredential / updateCredential check
   * it (a create whose username exists meanwhile, an update whose credential is gone: refused). A refused
   * write rolls back the whole batch and rejects with ImportBatchError naming its index.
   */
  importBatch(writes: ImportWrite[], source?: PasswordSource): Promise<Credential[]>;
}

export function hasBatchImport(v: VaultPort): v is VaultPort & BatchImport {
  return typeof (v as Partial<BatchImport>).importBatch === 'function';
}

/** The write at `index` was refused (`cause`), and the batch rolled back: nothing of it was written. */
export class ImportBatchError extends Error {
  constructor(readonly index: number, override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'ImportBatchError';
  }
}

/** What addCredential / updateCredential check before their transaction, for one write of a batch. */
export function checkImportWrite(w: ImportWrite): void {
  if (w.kind === 'create') {
    checkNewCredential(w.credential);
    return;
  }
  checkName('client name', w.client);
  checkName('username', w.username);
  checkChange(w.change);
}
