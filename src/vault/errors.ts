/**
 * Bad input to the vault (unknown mode, empty username, duplicate client, …). The message says what is
 * wrong and which name; it never holds a password. Not-found and version conflicts use the port's
 * VaultNotFoundError and VaultConflictError.
 */
export class VaultInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultInputError';
  }
}
