import { Reason, type ReasonName } from './constants';

/**
 * A frame or body the protocol refuses. `detail` says what is wrong in words and never holds frame
 * contents that could be secret (nonces, tags, ciphertext, passwords): only sizes, types and numbers.
 */
export class ProtocolError extends Error {
  constructor(readonly reason: ReasonName, readonly detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'ProtocolError';
  }
  get code(): number {
    return Reason[this.reason];
  }
}

/** A refusal as data, for results that are not exceptions (the frame reader, the sessions). */
export interface Refusal {
  reason: ReasonName;
  detail: string;
}

/** A sealed password that cannot be opened (wrong key, wrong AAD, tampered) or sealed. No secrets in it. */
export class SealError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'SealError';
  }
}

/** Key files that are missing, malformed or too open. Names the file and the mode, never the content. */
export class KeyFileError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'KeyFileError';
  }
}
