/**
 * A refusal the hub answers with: HTTP status, a stable code the HTTP adapter maps back to the vault's own
 * errors, and a message that names what is wrong (never a password or token). `detail` carries what the
 * adapter needs to rebuild the error exactly (a not-found's subject, a conflict's versions).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: Record<string, string | number> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Error codes on the wire (the `error.code` of a JSON error body). */
export const ERROR_CODES = {
  badRequest: 'bad-request',
  input: 'input',
  notFound: 'not-found',
  conflict: 'conflict',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  // 403 for a write the client's own options refuse (final: HttpVault turns it into VaultPolicyError, not a held refusal)
  policy: 'policy',
  rateLimited: 'rate-limited',
  tooLarge: 'too-large',
  unavailable: 'unavailable',
} as const;
