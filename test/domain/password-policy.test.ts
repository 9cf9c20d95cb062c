// The password generator rotation and the Windows service account share (src/domain/password-policy.ts), and
// rotation's policy rules (src/hub/rotation/policy.ts): each class present, nothing from outside the classes,
// the exact length, every class's characters reachable; bad policies refused naming the field; when a
// credential is next due.
import { strict as assert } from 'node:assert';
import { ALL_CLASSES, CHARACTER_CLASSES, generatePassword, policyProblem, type CharacterClass } from '../../src/domain/password-policy';
import { checkPolicy, DAY_MS, nextDue } from '../../src/hub/rotation/policy';
import { VaultInputError } from '../../src/vault/errors';

describe('password policy: the generator and rotation\'s rules', () => {
  it('a generated password has the length, at least one of each class asked for, and nothing else', () => {
    for (const classes of [['upper', 'digit'], ['lower'], [...ALL_CLASSES], ['symbol', 'lower']] as CharacterClass[][]) {
      const allowed = new Set(classes.flatMap((c) => [...CHARACTER_CLASSES[c]]));
      for (let i = 0; i < 50; i++) {
        const pw = generatePassword({ length: 8 + i, classes });
        const s = pw.toString('latin1');
        assert.equal(s.length, 8 + i);
        for (const ch of s) assert.ok(allowed.has(ch), `${JSON.stringify(ch)} is outside ${classes.join(', ')}`);
        for (const c of classes) assert.ok([...s].some((ch) => CHARACTER_CLASSES[c].includes(ch)), `no ${c} character`);
        pw.fill(0);
      }
    }
  });

  it('every character of every class turns up (no class member is unreachable), and two passwords differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const ch of generatePassword({ length: 20, classes: [...ALL_CLASSES] }).toString('latin1')) seen.add(ch);
    assert.equal(seen.size, ALL_CLASSES.map((c) => CHARACTER_CLASSES[c].length).reduce((a, b) => a + b));
    const a = generatePassword({ length: 20, classes: [...ALL_CLASSES] });
    const b = generatePassword({ length: 20, classes: [...ALL_CLASSES] });
    assert.ok(!a.equals(b));
  });

  it('refuses what cannot be generated, naming the field', () => {
    assert.match(policyProblem({ length: 7, classes: ['upper'] })!, /length must be a whole number from 8 to 256, got 7/);
    assert.match(policyProblem({ length: 257, classes: ['upper'] })!, /got 257/);
    assert.match(policyProblem({ length: 12.5, classes: ['upper'] })!, /length/);
    assert.match(policyProblem({ length: 12, classes: [] })!, /at least one of upper, lower, digit, symbol/);
    assert.match(policyProblem({ length: 12, classes: ['Upper'] })!, /unknown class "Upper"/);
    assert.equal(policyProblem({ length: 12, classes: ['upper'] }), undefined);
    assert.throws(() => generatePassword({ length: 3, classes: ['upper'] }), /cannot generate a password: length/);
  });

  it('a rotation policy gets the defaults for what is not given, and refuses a policy that never rotates', () => {
    assert.deepEqual(checkPolicy({}), { everyDays: 30, afterRead: true, graceMinutes: 60, length: 20, classes: ['upper', 'lower', 'digit', 'symbol'] });
    assert.deepEqual(checkPolicy({ everyDays: null, length: 14 }).everyDays, null);
    assert.throws(() => checkPolicy({ everyDays: null, afterRead: false }), (e: Error) => e instanceof VaultInputError && /needs everyDays or afterRead/.test(e.message));
    assert.throws(() => checkPolicy({ everyDays: 3651 }), /everyDays must be a whole number from 1 to 3650/);
    assert.throws(() => checkPolicy({ graceMinutes: 7 * 24 * 60 + 1 }), /graceMinutes must be a whole number from 0 to 10080/);
  });

  it('next due: the schedule\'s date or a pending read\'s, whichever is first; nothing without either', () => {
    const p = checkPolicy({ everyDays: 10 });
    assert.equal(nextDue(p, 1_000, null), 1_000 + 10 * DAY_MS);
    assert.equal(nextDue(p, 1_000, 5_000), 5_000);
    assert.equal(nextDue(p, 1_000, 1_000 + 11 * DAY_MS), 1_000 + 10 * DAY_MS);
    assert.equal(nextDue({ ...p, afterRead: false }, 1_000, 5_000), 1_000 + 10 * DAY_MS, 'a read counts only with afterRead');
    assert.equal(nextDue({ ...p, everyDays: null }, 1_000, null), undefined);
  });
});
