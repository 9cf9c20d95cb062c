import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ConfigError } from '../../src/config/config-error';
import { insertPwbridgeLine, PamEditError, pwbridgeLine, removePwbridgeLines } from '../../src/platform/linux/pam-edit';

const FILE = '/etc/pam.d/common-password';
const LINE = pwbridgeLine('/var/lib/pwbridge');

const STOCK = [
  'password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt',
  'password\trequisite\t\t\tpam_deny.so',
  'password\trequired\t\t\tpam_permit.so',
  '',
].join('\n');

/** /etc/pam.d/common-password as Debian 12 ships it, byte for byte. */
const DEBIAN_FULL = `#
# /etc/pam.d/common-password - password-related modules common to all services
#
# This file is included from other service-specific PAM config files,
# and should contain a list of modules that define the services to be
# used to change user passwords.  The default is pam_unix.

# Explanation of pam_unix options:
# The "yescrypt" option enables
#hashed passwords using the yescrypt algorithm, introduced in Debian
#11.  Without this option, the default is Unix crypt.  Prior releases
#used the option "sha512"; if a shadow password hash will be shared
#between Debian 11 and older releases replace "yescrypt" with "sha512"
#for compatibility .  The "obscure" option replaces the old
#\`OBSCURE_CHECKS_ENAB' option in login.defs.  See the pam_unix manpage
#for other options.

# As of pam 1.0.1-6, this file is managed by pam-auth-update by default.
# To take advantage of this, it is recommended that you configure any
# local modules either before or after the default block, and use
# pam-auth-update to manage selection of other modules.  See
# pam-auth-update(8) for details.

# here are the per-package modules (the "Primary" block)
password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt
# here's the fallback if no module succeeds
password\trequisite\t\t\tpam_deny.so
# prime the stack with a positive return value if there isn't one already;
# this avoids us returning an error just because nothing sets a success code
# since the modules above will each just jump around
password\trequired\t\t\tpam_permit.so
# and here are more per-package modules (the "Additional" block)
# end of pam-auth-update config
`;

/** Debian with libpam-pwquality and libpam-gnome-keyring, as pam-auth-update writes it. */
const DEBIAN_EXTRA = `# here are the per-package modules (the "Primary" block)
password\trequisite\t\t\tpam_pwquality.so retry=3
password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt
# here's the fallback if no module succeeds
password\trequisite\t\t\tpam_deny.so
# prime the stack with a positive return value if there isn't one already;
# this avoids us returning an error just because nothing sets a success code
# since the modules above will each just jump around
password\trequired\t\t\tpam_permit.so
# and here are more per-package modules (the "Additional" block)
password\toptional\tpam_gnome_keyring.so 
# end of pam-auth-update config
`;

/** RHEL's system-auth: pam_unix is sufficient, so nothing after it runs when it succeeds. */
const RHEL = `auth        required      pam_env.so
password    requisite     pam_pwquality.so try_first_pass local_users_only
password    sufficient    pam_unix.so sha512 shadow nullok try_first_pass use_authtok
password    required      pam_deny.so
`;

function insert(text: string) {
  return insertPwbridgeLine(text, FILE, LINE);
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** The expected text: `text` with LINE added as physical line `at` (1-based). */
function withLineAt(text: string, at: number): string {
  const l = lines(text);
  l.splice(at - 1, 0, LINE);
  return l.join('\n');
}

function refusal(text: string): PamEditError {
  try {
    insert(text);
  } catch (e) {
    assert.ok(e instanceof PamEditError, `not a PamEditError: ${String(e)}`);
    assert.ok(e instanceof ConfigError, 'a PamEditError is a ConfigError (the CLI exits 2 on it)');
    return e;
  }
  assert.fail('the edit was not refused');
}

describe('platform/linux pam-edit: the pwbridge line in a password stack', () => {
  it('the line: optional, the module, dir= the data dir; socket= only when given', () => {
    assert.equal(LINE, 'password\toptional\tpam_pwbridge.so dir=/var/lib/pwbridge');
    assert.equal(pwbridgeLine('/d', '/run/x.sock'), 'password\toptional\tpam_pwbridge.so dir=/d socket=/run/x.sock');
    assert.throws(() => pwbridgeLine('/var/lib/pw bridge'), /data dir: .*whitespace/);
    assert.throws(() => pwbridgeLine('/d', '/run/#x'), /socket path: /);
  });

  it('Debian stock: after pam_permit (pam_unix success=1 skips pam_deny and lands there), jumps untouched', () => {
    const r = insert(STOCK);
    assert.equal(r.changed, true);
    assert.equal(r.line, 4);
    assert.deepEqual(r.adjusted, []);
    assert.equal(r.text, withLineAt(STOCK, 4));
    assert.equal(lines(r.text)[2], 'password\trequired\t\t\tpam_permit.so');
  });

  it('Debian 12 as shipped, header comments and all: right after pam_permit, every other byte kept', () => {
    const r = insert(DEBIAN_FULL);
    const permit = lines(DEBIAN_FULL).findIndex((l) => l.includes('pam_permit.so')) + 1;
    assert.equal(r.line, permit + 1);
    assert.equal(r.text, withLineAt(DEBIAN_FULL, permit + 1));
    assert.equal(removePwbridgeLines(r.text, FILE).text, DEBIAN_FULL);
  });

  it('pam_pwquality requisite before pam_unix, gnome keyring in the Additional block: after pam_permit, before gnome keyring', () => {
    const r = insert(DEBIAN_EXTRA);
    const l = lines(r.text);
    const ours = l.indexOf(LINE);
    assert.match(l[ours - 1], /pam_permit\.so$/);
    assert.match(l[ours + 1], /^# and here are more/);
    assert.ok(l.findIndex((x) => x.includes('pam_gnome_keyring')) > ours);
    assert.deepEqual(r.adjusted, []);
    assert.equal(r.text, withLineAt(DEBIAN_EXTRA, ours + 1));
  });

  it('pam_unix requisite: right after it (a failure stops the stack there)', () => {
    const text = 'password requisite pam_pwquality.so\npassword requisite pam_unix.so sha512\npassword optional pam_gnome_keyring.so\n';
    const r = insert(text);
    assert.equal(r.line, 3);
    assert.equal(r.text, withLineAt(text, 3));
  });

  it('refuses pam_unix required: a failed pam_unix lets the stack go on to our line; says to make it requisite', () => {
    const e = refusal('password requisite pam_pwquality.so\npassword required pam_unix.so sha512\npassword optional pam_gnome_keyring.so\n');
    assert.match(e.message, /^\/etc\/pam\.d\/common-password:2: pam_unix\.so is 'required': when it fails the stack goes on/);
    assert.match(e.message, /never set/);
    assert.match(e.message, /Make it 'requisite'/);
    assert.ok(e.message.includes('password optional pam_pwbridge.so dir=/var/lib/pwbridge'), e.message);
  });

  it('refuses a stack where a failed pam_unix still reaches the landing line through another module (pam_sss after it)', () => {
    // pam_unix fails → default=ignore → pam_sss; its success jumps to pam_permit → our line would run.
    const text = [
      'password [success=2 default=ignore] pam_unix.so obscure yescrypt',
      'password [success=1 default=ignore] pam_sss.so use_authtok',
      'password requisite pam_deny.so',
      'password required pam_permit.so',
      '',
    ].join('\n');
    const e = refusal(text);
    assert.match(e.message, /^\/etc\/pam\.d\/common-password:1: when pam_unix\.so fails, the stack can still go on \(lines 1 → 2 → 4\) past pam_permit\.so \(line 4\)/);
    assert.match(e.message, /Make a failed pam_unix\.so end the stack/);
    // An optional module between pam_unix and pam_deny does not stop the flow either.
    assert.match(refusal('password [success=1 default=ignore] pam_unix.so\npassword optional pam_x.so\npassword required pam_permit.so\n').message,
      /:1: when pam_unix\.so fails, .*lines 1 → 2 → 3/);
  });

  it('refuses a stack where a jump from before pam_unix goes around it to the landing line (pam_krb5 first)', () => {
    const text = [
      'password [success=2 default=ignore] pam_krb5.so minimum_uid=1000',
      'password [success=1 default=ignore] pam_unix.so use_authtok',
      'password requisite pam_deny.so',
      'password required pam_permit.so',
      '',
    ].join('\n');
    const e = refusal(text);
    assert.match(e.message, /^\/etc\/pam\.d\/common-password:1: a jump goes around pam_unix\.so \(line 2\) and on \(lines 1 → 4\) past pam_permit\.so \(line 4\)/);
    assert.match(e.message, /by hand/);
  });

  it('pam_unix named by path, or with a leading "-": found', () => {
    const text = '-password\t[success=1 default=ignore]\t/lib/x86_64-linux-gnu/security/pam_unix.so\npassword requisite pam_deny.so\npassword required pam_permit.so';
    const r = insert(text);
    assert.equal(r.line, 4);
    assert.equal(r.text, `${text}\n${LINE}`, 'a file without a final newline gets the line at its end, still without one');
    assert.equal(removePwbridgeLines(r.text, FILE).text, text);
  });

  it('renumbers a jump from before the insertion point that lands beyond it, and only that one', () => {
    const text = [
      'auth required pam_env.so',
      'password [success=2 default=ignore new_authtok_reqd=3] pam_pre.so', // 0: success→3 (permit), new_authtok_reqd→4 (keyring)
      'password requisite pam_unix.so',                                     // 1 (insert after it, at 2)
      'password requisite pam_deny.so',                                     // 2
      'password required pam_permit.so',                                    // 3
      'password optional pam_gnome_keyring.so',                             // 4
      '',
    ].join('\n');
    const r = insert(text);
    assert.equal(r.line, 4);
    const l = lines(r.text);
    assert.equal(l[1], 'password [success=3 default=ignore new_authtok_reqd=4] pam_pre.so');
    assert.deepEqual(r.adjusted, [{ line: 2, from: '[success=2 default=ignore new_authtok_reqd=3]', to: '[success=3 default=ignore new_authtok_reqd=4]' }]);
    // Everything else unchanged.
    assert.deepEqual([l[0], ...l.slice(2)], [lines(text)[0], lines(text)[2], LINE, ...lines(text).slice(3)]);
    const back = removePwbridgeLines(r.text, FILE);
    assert.equal(back.text, text);
    assert.deepEqual(back.adjusted.map((a) => a.to), ['[success=2 default=ignore new_authtok_reqd=3]']);
  });

  it('a jump landing exactly on the line after the insertion point still lands there; one landing before it is untouched', () => {
    const text = [
      'password [success=1 default=ignore] pam_krb5.so minimum_uid=1000', // 0: lands on 2 (pam_deny), before the insertion point
      'password [success=1 default=ignore] pam_unix.so use_authtok',      // 1: lands on 3 (permit)
      'password requisite pam_deny.so',                                   // 2
      'password required pam_permit.so',                                  // 3 (insert after it, at 4)
      'password [default=1] pam_a.so',                                    // 4: after the insertion point, untouched
      'password optional pam_b.so',
      '',
    ].join('\n');
    const r = insert(text);
    assert.equal(r.line, 5);
    assert.deepEqual(r.adjusted, []);
    assert.equal(r.text, withLineAt(text, 5));

    const jumpsPast = text.replace('[success=1 default=ignore] pam_krb5', '[success=ok default=3] pam_krb5'); // lands on 4 (pam_a)
    const r2 = insert(jumpsPast);
    assert.match(lines(r2.text)[0], /\[success=ok default=4\] pam_krb5/);
    assert.equal(removePwbridgeLines(r2.text, FILE).text, jumpsPast);
  });

  it('a bracket control split over continuation lines is renumbered in place, the continuation kept', () => {
    const text = 'password [success=ok \\\n   default=3] pam_pre.so\npassword requisite pam_unix.so\npassword optional pam_x.so\npassword optional pam_y.so\n';
    const r = insert(text);
    assert.equal(lines(r.text)[0], 'password [success=ok \\');
    assert.equal(lines(r.text)[1], '   default=4] pam_pre.so');
    assert.equal(lines(r.text)[3], LINE);
    assert.equal(removePwbridgeLines(r.text, FILE).text, text);
  });

  it('pam_unix itself continued over two lines: the line goes after its last physical line', () => {
    const text = 'password requisite \\\n  pam_unix.so yescrypt\npassword optional pam_x.so\n';
    const r = insert(text);
    assert.equal(r.line, 3);
    assert.equal(r.text, withLineAt(text, 3));
  });

  it('CRLF files get a CRLF line and round-trip', () => {
    const text = STOCK.replace(/\n/g, '\r\n');
    const r = insert(text);
    assert.equal(lines(r.text)[3], `${LINE}\r`);
    assert.equal(removePwbridgeLines(r.text, FILE).text, text);
  });

  it('refuses pam_unix sufficient (RHEL): names the file, the line and the fix', () => {
    const e = refusal(RHEL);
    assert.match(e.message, /^\/etc\/pam\.d\/common-password:3: /);
    assert.match(e.message, /'sufficient'/);
    assert.match(e.message, /by hand/);
    assert.ok(e.message.includes('password optional pam_pwbridge.so dir=/var/lib/pwbridge'), e.message);
  });

  it('refuses a stack without pam_unix (a comment or another type does not count)', () => {
    const e = refusal('# password required pam_unix.so\nauth required pam_unix.so\npassword required pam_sss.so\n');
    assert.match(e.message, /^\/etc\/pam\.d\/common-password: has no password line for pam_unix\.so/);
    assert.match(e.message, /by hand/);
  });

  it('refuses success=done, a default-only bracket, and a jump that lands past the end', () => {
    assert.match(refusal('password [success=done default=ignore] pam_unix.so\npassword required pam_permit.so\n').message, /:1: .*success=done returns/);
    assert.match(refusal('password [default=ignore] pam_unix.so\npassword required pam_permit.so\n').message, /:1: .*control '\[default=ignore\]'/);
    assert.match(refusal('password [success=2 default=ignore] pam_unix.so\npassword requisite pam_deny.so\n').message, /:1: .*past the last password line/);
    assert.match(refusal('password optional pam_unix.so\n').message, /:1: .*control 'optional'/);
  });

  it('refuses when pam_unix\'s jump lands on a line that could end the stack', () => {
    const e = refusal('password [success=1 default=ignore] pam_unix.so\npassword requisite pam_deny.so\npassword sufficient pam_permit.so\n');
    assert.match(e.message, /:3: .*'sufficient'/);
  });

  it('refuses to count a jump over an include or substack', () => {
    assert.match(refusal('password [success=2 default=ignore] pam_unix.so\n@include common-extra\npassword requisite pam_deny.so\npassword required pam_permit.so\n').message,
      /:1: .*jumps over line 2/);
    assert.match(refusal('password [success=ok default=2] pam_pre.so\npassword substack extra\npassword requisite pam_unix.so\npassword optional pam_x.so\n').message,
      /:1: .*pam_pre\.so's default=2 jumps over line 2/);
    // An include the jump does not cross is fine.
    const ok = '@include common-extra\npassword [success=1 default=ignore] pam_unix.so\npassword requisite pam_deny.so\npassword required pam_permit.so\n';
    assert.equal(insert(ok).line, 5);
  });

  it('idempotent: a second insert changes nothing, whatever form the existing line has', () => {
    const once = insert(DEBIAN_FULL);
    const twice = insert(once.text);
    assert.equal(twice.changed, false);
    assert.equal(twice.text, once.text);
    assert.equal(twice.line, once.line);
    for (const existing of ['password required pam_pwbridge.so', '-password optional /usr/lib/security/pam_pwbridge.so debug']) {
      const text = `${STOCK}${existing}\n`;
      const r = insert(text);
      assert.equal(r.changed, false, existing);
      assert.equal(r.text, text);
      assert.equal(r.line, 4);
    }
  });

  it('a commented-out or non-password pam_pwbridge line is not ours: inserted anyway, and removal leaves those alone', () => {
    const text = `# password optional pam_pwbridge.so\nauth optional pam_pwbridge.so\n${STOCK}`;
    const r = insert(text);
    assert.equal(r.changed, true);
    assert.equal(r.line, 6);
    assert.equal(removePwbridgeLines(r.text, FILE).text, text);
  });

  it('remove: exactly our lines (with continuations), jumps renumbered back; a file without one is unchanged', () => {
    const text = `password [success=ok default=4] pam_pre.so\npassword required pam_unix.so\npassword optional \\\n  pam_pwbridge.so dir=/x\npassword optional pam_a.so\n${LINE}\npassword optional pam_b.so\n`;
    const r = removePwbridgeLines(text, FILE);
    assert.deepEqual(r.removed, [3, 6]);
    // pam_pre's default=4 landed on pam_b, over both of ours: two lines fewer to skip.
    assert.equal(r.text, 'password [success=ok default=2] pam_pre.so\npassword required pam_unix.so\npassword optional pam_a.so\npassword optional pam_b.so\n');
    const none = removePwbridgeLines(STOCK, FILE);
    assert.equal(none.changed, false);
    assert.equal(none.text, STOCK);
  });

  it('round trip insert → remove is the original, byte for byte, for every stack above', () => {
    for (const [name, text] of Object.entries({ STOCK, DEBIAN_FULL, DEBIAN_EXTRA })) {
      const r = insert(text);
      assert.notEqual(r.text, text, name);
      assert.equal(removePwbridgeLines(r.text, FILE).text, text, name);
    }
  });

  describe('property: on any stack it accepts', () => {
    // Stacks of uniquely named modules with every kind of control; other types and comments between.
    const control = fc.oneof(
      fc.constantFrom('required', 'requisite', 'optional'),
      fc.integer({ min: 1, max: 5 }).map((n) => `[success=${n} default=ignore]`),
      fc.integer({ min: 1, max: 5 }).map((n) => `[success=ok default=${n}]`),
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).map(([a, b]) => `[default=${a} success=ok new_authtok_reqd=${b}]`),
    );
    const unixControl = fc.oneof(
      fc.constantFrom('required', 'requisite'),
      fc.integer({ min: 1, max: 4 }).map((n) => `[success=${n} default=ignore]`),
    );
    const filler = fc.constantFrom('', '# a comment', 'auth [success=2 default=ignore] pam_unix.so', 'session optional pam_x.so');
    const stack = fc.record({
      before: fc.array(fc.tuple(control, filler), { maxLength: 4 }),
      unix: unixControl,
      after: fc.array(fc.tuple(control, filler), { maxLength: 5 }),
      trailingNewline: fc.boolean(),
    }).map(({ before, unix, after, trailingNewline }) => {
      let n = 0;
      const mod = ([c, f]: [string, string]) => [f, `password\t${c}\tpam_m${n++}.so arg`];
      const out = [...before.flatMap(mod), `password\t${unix}\tpam_unix.so obscure yescrypt`, ...after.flatMap(mod)];
      return out.join('\n') + (trailingNewline ? '\n' : '');
    });

    /**
     * A small PAM interpreter, written apart from pam-flow.ts: over the edited text, can our line run on a
     * path where pam_unix did not succeed (failed, or was jumped over)? Every module may return success or
     * any failure value its control names.
     */
    function oursRunsWithoutUnixSuccess(text: string): boolean {
      const mods = lines(text).filter((l) => /^-?password\s/.test(l)).map((l) => ({ control: l.split('\t')[1], name: l.split('\t')[2].split(' ')[0] }));
      const step = (action: string, i: number): number | undefined => (/^\d+$/.test(action) ? i + 1 + Number(action) : ['die', 'done'].includes(action) ? undefined : i + 1);
      const nexts = (control: string, i: number, ok: boolean): Array<number | undefined> => {
        if (control === 'required' || control === 'optional') return [i + 1];
        if (control === 'requisite') return [ok ? i + 1 : undefined];
        const map = new Map([...control.matchAll(/(\w+)=(\w+)/g)].map(([, k, v]) => [k, v] as [string, string]));
        const dflt = map.get('default') ?? 'bad';
        if (ok) return [step(map.get('success') ?? dflt, i)];
        return [dflt, ...[...map].filter(([k]) => k !== 'success' && k !== 'default').map(([, v]) => v)].map((a) => step(a, i));
      };
      const seen = new Set<string>();
      const run = (i: number | undefined, unixOk: boolean): boolean => {
        if (i === undefined || i >= mods.length || seen.has(`${i}:${unixOk}`)) return false;
        seen.add(`${i}:${unixOk}`);
        const m = mods[i];
        if (m.name === 'pam_pwbridge.so') return !unixOk || run(i + 1, unixOk);
        return [true, false].some((ok) => nexts(m.control, i, ok).some((n) => run(n, m.name === 'pam_unix.so' ? ok : unixOk)));
      };
      return run(0, false);
    }

    it('our line never runs on a path where pam_unix did not succeed (checked by an interpreter over the edited text)', () => {
      let accepted = 0;
      fc.assert(fc.property(stack, (text) => {
        let r;
        try {
          r = insert(text);
        } catch (e) {
          if (e instanceof PamEditError) return;
          throw e;
        }
        accepted++;
        assert.equal(oursRunsWithoutUnixSuccess(r.text), false, r.text);
      }), { numRuns: 500 });
      assert.ok(accepted >= 50, `only ${accepted} of 500 stacks were accepted: the property says little`);
    });

    it('the interpreter itself: it does see our line run after a failed required pam_unix', () => {
      assert.equal(oursRunsWithoutUnixSuccess(`password\trequired\tpam_unix.so\n${LINE}\n`), true);
      assert.equal(oursRunsWithoutUnixSuccess(`password\trequisite\tpam_unix.so\n${LINE}\n`), false);
      assert.equal(oursRunsWithoutUnixSuccess(`password\t[success=1 default=ignore]\tpam_k.so\npassword\trequisite\tpam_unix.so\n${LINE}\n`), true);
    });

    /** For each module, where each of its jumps lands: the name of the module there, or "end". */
    function landings(text: string): Map<string, string[]> {
      const mods = lines(text).filter((l) => /^-?password\s/.test(l)).map((l) => ({ control: l.split('\t')[1], name: l.split('\t')[2].split(' ')[0] }));
      const out = new Map<string, string[]>();
      mods.forEach((m, i) => {
        const js = [...m.control.matchAll(/(\w+)=(\d+)/g)].map(([, k, n]) => `${k}→${mods[i + 1 + Number(n)]?.name ?? 'end'}`);
        out.set(m.name, js);
      });
      return out;
    }

    it('every other line\'s jumps land where they did, our line follows pam_unix\'s success, and removal restores the text', () => {
      let accepted = 0;
      fc.assert(fc.property(stack, (text) => {
        let r;
        try {
          r = insert(text);
        } catch (e) {
          if (e instanceof PamEditError) return; // refused, never guessed
          throw e;
        }
        accepted++;
        assert.equal(r.changed, true);
        const before = landings(text);
        const after = landings(r.text);
        after.delete('pam_pwbridge.so');
        assert.deepEqual(after, before);
        // Where pam_unix's success goes next is our line (directly, or right after the line it lands on).
        const mods = lines(r.text).filter((l) => /^password\s/.test(l));
        const u = mods.findIndex((l) => l.includes('pam_unix.so'));
        const ours = mods.indexOf(LINE);
        const m = /success=(\d+)/.exec(mods[u].split('\t')[1]);
        assert.equal(ours, m ? u + 1 + Number(m[1]) + 1 : u + 1, r.text);
        assert.equal(removePwbridgeLines(r.text, FILE).text, text);
        assert.equal(insert(r.text).changed, false);
      }), { numRuns: 500 });
      assert.ok(accepted >= 50, `only ${accepted} of 500 stacks were accepted: the property says little`);
    });
  });
});
