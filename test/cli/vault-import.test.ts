import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openVaultAt } from '../../src/service/open';
import { assertExit, assertRefused, findSecret, jsonLines, modeOf, runCli, tempDataDir, transcript } from './cli';

interface CredJson { id: number; username: string; windowsSync: boolean; mode: string; version: number }

describe('pwbridge vault import / export (CLI, real child process, embedded vault)', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => void;
  let files: string;
  let firstOutput = 0;
  const canary = () => `canary-${randomBytes(8).toString('hex')}`;
  const canaries: string[] = [];
  const secret = () => { const c = canary(); canaries.push(c); return c; };
  const run = (args: string[], stdin?: string, d = dir) => runCli(args, { dataDir: d, stdin });
  const bobOld = secret();
  let n = 0;

  /** An import file only its owner can read (as import demands), under a fresh name. */
  function file(text: string, mode = 0o600): string {
    const p = path.join(files, `in-${++n}.csv`);
    fs.writeFileSync(p, text, { mode });
    fs.chmodSync(p, mode);
    return p;
  }

  async function creds(client: string, d = dir): Promise<CredJson[]> {
    const r = await run(['vault', 'cred', 'list', '--client', client, '--json'], undefined, d);
    assertExit(r, 0, `cred list ${client}`);
    return jsonLines<CredJson>(r).sort((a, b) => a.username.localeCompare(b.username));
  }

  async function passwordOf(client: string, username: string, d = dir): Promise<string> {
    const v = await openVaultAt(d);
    try {
      const c = await v.findCredential(client, username);
      assert.ok(c, `${client} ${username} exists`);
      const pw = await v.readPassword(c.id);
      const s = pw.toString('utf8');
      pw.fill(0);
      return s;
    } finally {
      await v.close();
    }
  }

  async function state(): Promise<string> {
    return JSON.stringify([await creds('Acme'), await creds('Beta'), await passwordOf('Acme', 'HOST\\bob')]);
  }

  before(async () => {
    firstOutput = transcript.length;
    ({ dir, cleanup } = tempDataDir());
    files = fs.mkdtempSync(path.join(dir, 'files-'));
    assertExit(await run(['vault', 'client', 'add', 'Acme', '--windows-sync']), 0, 'client add Acme');
    assertExit(await run(['vault', 'client', 'add', 'Beta', '--default-mode', 'report']), 0, 'client add Beta');
    assertExit(await run(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'HOST\\bob', '--mode', 'report', '--sync', 'on'], `${bobOld}\n`), 0, 'cred add bob');
  });
  after(() => cleanup?.());

  it('a dry run lists what would be created, updated, left and refused, exits 2 for a refusal, and changes nothing', async () => {
    const before = await state();
    const p = file([
      'client,username,password,windows sync,mode',
      `acme,host\\BOB,${bobOld},on,change`, // same password; mode differs
      `Beta,carol,${secret()},,`,
      `Zed,dave,${secret()},on,report`,
    ].join('\n'));
    const r = await run(['vault', 'import', p, '--dry-run']);
    assertExit(r, 2, 'dry run with a refusal');
    assert.match(r.stdout, /^line 2: update "Acme" "HOST\\bob": mode$/m);
    assert.match(r.stdout, /^line 3: create "Beta" "carol" \(mode report, windows sync on\)$/m, 'a new credential takes its client\'s default mode');
    assert.match(r.stdout, /^line 4: refused: client names no client of the vault; add the client first$/m);
    assert.match(r.stdout, /^dry run: 1 to create, 1 to update, 0 unchanged, 1 refused; nothing was changed$/m);
    assert.equal(await state(), before);

    const clean = file(['client,username,password,windows sync,mode', `Acme,HOST\\bob,${bobOld},on,report`].join('\r\n'));
    const ok = await run(['vault', 'import', clean, '--dry-run']);
    assertExit(ok, 0, 'dry run with nothing refused');
    assert.match(ok.stdout, /^line 2: unchanged "Acme" "HOST\\bob"$/m);
    assert.equal(await state(), before);
  });

  it('refuses every kind of bad row by line and field, and the real run then applies none of the good rows', async () => {
    const before = await state();
    const rows: Array<[string, RegExp]> = [
      [`Acme,ok1,${secret()},on,change`, /^line 2: create /m],
      [`Nope,u1,${secret()},on,change`, /^line 3: refused: client names no client/m],
      [`Acme,A\\B\\C,${secret()},on,change`, /^line 4: refused: username is not MACHINE\\user or user$/m],
      [`Acme,,${secret()},on,change`, /^line 5: refused: username is empty$/m],
      ['Acme,u2,,on,change', /^line 6: refused: password is empty$/m],
      [`Acme,u3,${secret()},on,sometimes`, /^line 7: refused: mode is not a mode; use report or change$/m],
      [`Acme,u4,${secret()},maybe,change`, /^line 8: refused: windows sync is not on or off$/m],
      [`Acme,OK1,${secret()},on,change`, /^line 9: refused: username duplicate: the same client and username are on line 2$/m],
      [`Acme,u5,${secret()},${secret()},on,change`, /^line 10: refused: has 6 fields, the header has 5/m],
      [`Acme,u6,"${secret()}\n${secret()}",on,change`, /^line 11: refused: password holds a line break/m],
      [`Acme,u7,${secret()},on,change`, /^line 13: create /m],
    ];
    const p = file(['client,username,password,windows sync,mode', ...rows.map(([row]) => row)].join('\r\n'));
    const dry = await run(['vault', 'import', p, '--dry-run']);
    assertExit(dry, 2, 'dry run');
    for (const [, re] of rows) assert.match(dry.stdout, re);
    assert.match(dry.stdout, /2 to create, 0 to update, 0 unchanged, 9 refused/);

    const real = await run(['vault', 'import', p]);
    assertRefused(real, 'real run with refused rows', /9 row\(s\) refused, nothing was imported/, /line 3: refused: client/, /line 11: refused: password/);
    assert.equal(await state(), before);
  });

  it('refuses a broken file (unclosed quote, no header, no rows) naming the line, and a file readable by others', async () => {
    const before = await state();
    const unclosed = await run(['vault', 'import', file(`client,username,password\nAcme,x,ok\nAcme,y,"${secret()}\n`)]);
    assertRefused(unclosed, 'unclosed quote', /in-\d+\.csv: line 3: a quoted field is not closed/);
    const noHeader = await run(['vault', 'import', file(`Acme,x,${secret()},on,change\n`)]);
    assertRefused(noHeader, 'no header', /line 1: the header has no client, username, password column/);
    const onlyHeader = await run(['vault', 'import', file('client,username,password\n')]);
    assertRefused(onlyHeader, 'only a header', /no rows after the header/);
    const p = file(`client,username,password\nAcme,x,${secret()}\n`, 0o644);
    const open = await run(['vault', 'import', p, '--dry-run']);
    assertRefused(open, 'group-readable', /is readable by its group \(mode 0644\); it holds passwords: chmod 600 /);
    fs.chmodSync(p, 0o604);
    assertRefused(await run(['vault', 'import', p]), 'other-readable', /is readable by others \(mode 0604\)/);
    assertRefused(await run(['vault', 'import', path.join(files, 'missing.csv')]), 'missing file', /cannot open .*missing\.csv: ENOENT/);
    assert.equal(await state(), before);
  });

  it('the real run creates and updates with source import; the replaced password goes to the history', async () => {
    const bobNew = secret();
    const eve = secret();
    const p = file([
      '\ufeffclient,username,password,windows sync,mode',
      `Acme,HOST\\bob,"${bobNew},with ""quotes""",off,change`,
      `Beta,eve,${eve},off,`,
    ].join('\r\n'));
    const bobBefore = (await creds('Acme')).find((c) => c.username === 'HOST\\bob')!;
    const r = await run(['vault', 'import', p]);
    assertExit(r, 0, 'import');
    assert.match(r.stdout, /^line 2: updated "Acme" "HOST\\bob": password, windows sync, mode$/m);
    assert.match(r.stdout, /^line 3: created "Beta" "eve" \(mode report, windows sync off\)$/m);
    assert.match(r.stdout, /^imported: 1 created, 1 updated, 0 unchanged$/m);

    const bob = (await creds('Acme')).find((c) => c.username === 'HOST\\bob')!;
    assert.deepEqual([bob.version, bob.windowsSync, bob.mode], [bobBefore.version + 1, false, 'change']);
    assert.equal(await passwordOf('Acme', 'HOST\\bob'), `${bobNew},with "quotes"`);
    assert.equal(await passwordOf('Beta', 'eve'), eve);
    const v = await openVaultAt(dir);
    try {
      const history = await v.listPasswordHistory(bob.id);
      assert.deepEqual(history.map((h) => [h.version, h.current, h.source?.kind]), [[bob.version, true, 'import'], [bobBefore.version, false, 'cli']]);
      const eveCred = await v.findCredential('Beta', 'eve');
      assert.equal((await v.listPasswordHistory(eveCred!.id))[0].source?.kind, 'import');
    } finally {
      await v.close();
    }
    const again = await run(['vault', 'import', p]);
    assertExit(again, 0, 'import again');
    assert.match(again.stdout, /0 created, 0 updated, 2 unchanged/);
  });

  it('reads Passportal\'s column names (Client Name, Username, Password) and never reads its other columns', async () => {
    const totp = secret();
    const pw = secret();
    const p = file(['PassportalID,Client Name,Credential,Username,Password,Description,TOTP Secret', `,Acme,Server,pp-user,${pw},desc,${totp}`].join('\r\n'));
    const dry = await run(['vault', 'import', p, '--dry-run']);
    assertExit(dry, 0, 'dry run');
    assert.match(dry.stdout, /^columns not read: "PassportalID", "Credential", "Description", "TOTP Secret"$/m);
    assert.match(dry.stdout, /^line 2: create "Acme" "pp-user" \(mode change, windows sync on\)$/m);
    assertExit(await run(['vault', 'import', p]), 0, 'import');
    assert.equal(await passwordOf('Acme', 'pp-user'), pw);
  });

  it('export: refuses passwords in the clear and an existing file; --no-passwords writes 0600 without them', async () => {
    const out = path.join(files, 'plain.csv');
    assertRefused(await run(['vault', 'export', out]), 'no choice', /passwords are never written in the clear/);
    assertRefused(await run(['vault', 'export', out, '--no-passwords', '--passphrase-stdin'], 'long enough pass\n'), 'both', /do not go together/);
    assertRefused(await run(['vault', 'export', out, '--passphrase-stdin'], 'short\n'), 'short passphrase', /passphrase is shorter than 8 bytes/);
    assert.ok(!fs.existsSync(out));
    const r = await run(['vault', 'export', out, '--no-passwords']);
    assertExit(r, 0, 'export --no-passwords');
    assert.match(r.stdout, /exported 3 credential\(s\) to .*plain\.csv \(without passwords\)/);
    assert.equal(modeOf(out), '0600');
    const text = fs.readFileSync(out, 'utf8');
    assert.equal(text.split('\r\n')[0], 'client,username,password,windows sync,mode');
    assert.match(text, /^Acme,HOST\\bob,,off,change\r$/m);
    assert.match(text, /^Beta,eve,,off,report\r$/m);
    assertRefused(await run(['vault', 'export', out, '--no-passwords']), 'exists', /exists; remove it or choose another name/);
    assert.deepEqual(fs.readdirSync(files).filter((f) => f.endsWith('.tmp')), [], 'a temporary file was left');
  });

  it('round trip: an encrypted export imports into another vault with the passphrase from stdin, and not with another', async () => {
    const out = path.join(files, 'backup.pwx');
    const passphrase = secret();
    assertExit(await run(['vault', 'export', out, '--passphrase-stdin'], `${passphrase}\n`), 0, 'export encrypted');
    assert.equal(modeOf(out), '0600');
    const sealed = fs.readFileSync(out);
    assert.match(sealed.toString(), /^pwbridge-vault-export 1\nkdf scrypt N=32768 r=8 p=1 salt=/);
    for (const c of canaries) assert.equal(findSecret(sealed, c), undefined, 'the encrypted file holds a password in the clear');

    const other = tempDataDir();
    try {
      assertExit(await run(['vault', 'client', 'add', 'Acme'], undefined, other.dir), 0, 'client add');
      assertExit(await run(['vault', 'client', 'add', 'Beta'], undefined, other.dir), 0, 'client add');
      assertRefused(await run(['vault', 'import', out], 'not the passphrase\n', other.dir), 'wrong passphrase', /does not open with this passphrase/);
      const r = await run(['vault', 'import', out], `${passphrase}\n`, other.dir);
      assertExit(r, 0, 'import encrypted');
      assert.match(r.stdout, /3 created, 0 updated, 0 unchanged/);
      const strip = (cs: CredJson[]) => cs.map(({ username, windowsSync, mode }) => ({ username, windowsSync, mode }));
      for (const client of ['Acme', 'Beta']) assert.deepEqual(strip(await creds(client, other.dir)), strip(await creds(client)));
      for (const [client, user] of [['Acme', 'HOST\\bob'], ['Beta', 'eve'], ['Acme', 'pp-user']]) {
        assert.equal(await passwordOf(client, user, other.dir), await passwordOf(client, user));
      }
    } finally {
      other.cleanup();
    }
  });

  it('no password from any file appears in any output, event or file of the data dir', async () => {
    assert.ok(canaries.length > 15);
    for (const r of transcript.slice(firstOutput)) {
      for (const c of canaries) {
        assert.equal(findSecret(r.stdoutBytes, c), undefined, `stdout holds a password:\n${r.stdout}`);
        assert.equal(findSecret(r.stderrBytes, c), undefined, `stderr holds a password:\n${r.stderr}`);
      }
    }
    const v = await openVaultAt(dir);
    try {
      const events = JSON.stringify(await v.queryEvents({}));
      for (const c of canaries) assert.ok(!events.includes(c), 'an event holds a password');
    } finally {
      await v.close();
    }
    for (const f of fs.readdirSync(dir)) {
      const p = path.join(dir, f);
      if (!fs.statSync(p).isFile()) continue;
      const bytes = fs.readFileSync(p);
      for (const c of canaries) assert.equal(findSecret(bytes, c), undefined, `${f} holds a password in the clear`);
    }
  });
});
