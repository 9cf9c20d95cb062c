/**
 * What every vault engine seals the same way, so a record sealed by one opens in the other (given the
 * same key and ids): the AAD of a credential's password, and the key-check record that makes opening a
 * vault with the wrong key fail at once.
 */
import type { SecretBox } from './secret-box';

export const KEY_CHECK_NAME = 'key-check';
const KEY_CHECK_CONTEXT = 'vault key check';
const KEY_CHECK_VALUE = 'pwbridge vault v1';

/** AAD for a credential's password: moving the record to another row or renaming the row breaks it. */
export function credentialContext(id: number, usernameKey: string): string {
  return `credential\u0000${id}\u0000${usernameKey}`;
}

/** The key-check record to store in a new vault. */
export function sealKeyCheck(box: SecretBox): Buffer {
  return box.seal(Buffer.from(KEY_CHECK_VALUE), KEY_CHECK_CONTEXT);
}

/** Whether `sealed` (a stored key-check record) opens with this box's key. */
export function keyCheckOpens(box: SecretBox, sealed: Buffer): boolean {
  try {
    return box.open(sealed, KEY_CHECK_CONTEXT).toString() === KEY_CHECK_VALUE;
  } catch {
    return false;
  }
}
