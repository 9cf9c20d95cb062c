// The service account's password: random, long, and acceptable to any complexity policy (upper, lower,
// digit and symbol, none of them the account's name). The generator is the core's (the hub's rotation
// uses it too, src/domain/password-policy.ts); this fixes the policy to every class.

import { ALL_CLASSES, generatePassword } from '../../domain/password-policy';

/** `length` ASCII bytes (UTF-8), at least one of each class, uniformly shuffled. The caller wipes it. */
export function randomPassword(length = 32): Buffer {
  return generatePassword({ length, classes: [...ALL_CLASSES] });
}
