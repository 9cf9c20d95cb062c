// What a generated password must be: its length and which character classes it draws from, at least one
// character of each. The hub's rotation generates to a client's (or a credential's) policy; the Windows
// service account's password uses the same generator with every class. Each class leaves out the
// characters people misread (0/O, 1/l/I), so a password read out of the dashboard can be typed.
// Made as a Buffer from the start, never a string, so the caller can wipe it.

import { randomInt } from 'node:crypto';

export const CHARACTER_CLASSES = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnopqrstuvwxyz',
  digit: '23456789',
  symbol: '!#%*+-=?@_~',
} as const;
export type CharacterClass = keyof typeof CHARACTER_CLASSES;
export const ALL_CLASSES = Object.keys(CHARACTER_CLASSES) as CharacterClass[];

export interface PasswordPolicy {
  length: number;
  classes: CharacterClass[];
}

/** Windows' complexity rule asks for 3 of the 4 classes and at least 14 is what LAPS defaults to; 20 with all four passes both with room. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { length: 20, classes: [...ALL_CLASSES] };
export const MIN_PASSWORD_LENGTH = 8;
/** Windows' limit for a local account's password (PWLEN in lmcons.h, 256 characters). */
export const MAX_PASSWORD_LENGTH = 256;

/** The reason a policy cannot be generated to, or undefined when it can. */
export function policyProblem(p: { length: unknown; classes: unknown }): string | undefined {
  if (typeof p.length !== 'number' || !Number.isInteger(p.length) || p.length < MIN_PASSWORD_LENGTH || p.length > MAX_PASSWORD_LENGTH) {
    return `length must be a whole number from ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH}, got ${JSON.stringify(p.length)}`;
  }
  if (!Array.isArray(p.classes) || p.classes.length === 0) return `classes must name at least one of ${ALL_CLASSES.join(', ')}`;
  for (const c of p.classes) {
    if (!ALL_CLASSES.includes(c as CharacterClass)) return `classes: unknown class ${JSON.stringify(c)} (known: ${ALL_CLASSES.join(', ')})`;
  }
  if (new Set(p.classes).size !== p.classes.length) return 'classes names a class twice';
  return undefined;
}

/** `policy.length` ASCII bytes, at least one of each class, uniformly shuffled. The caller wipes it. */
export function generatePassword(policy: PasswordPolicy): Buffer {
  const problem = policyProblem(policy);
  if (problem) throw new Error(`cannot generate a password: ${problem}`);
  const sets = policy.classes.map((c) => CHARACTER_CLASSES[c]);
  const all = sets.join('');
  const b = Buffer.alloc(policy.length);
  sets.forEach((s, i) => { b[i] = s.charCodeAt(randomInt(s.length)); });
  for (let i = sets.length; i < b.length; i++) b[i] = all.charCodeAt(randomInt(all.length));
  for (let i = b.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = b[i];
    b[i] = b[j];
    b[j] = t;
  }
  return b;
}
