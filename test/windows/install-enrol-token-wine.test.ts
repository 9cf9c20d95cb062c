// `pwbridge install --hub … --enrol-token-file F` as the Windows CLI parses and checks it: the compiled CLI in
// the pinned Windows node.exe under Wine, in a prefix of its own, with --dry-run (nothing is installed; the
// enrolment itself, against a real hub, is test/setup/install-enrolment-token.test.ts). The token file goes
// through the real owner-and-DACL check (Wine derives the DACL from the Unix mode: "other" bits are an
// Everyone entry), and --client beside it is refused.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedWindowsApp, type WindowsApp } from '../helpers/windows-app';
import { runWindowsNode, type WindowsNodeResult } from '../helpers/windows-node';
import { FILTER_DLL, MESSAGES_DLL, privateWinePrefix, windowsPartsMissing, winPath } from '../helpers/wine';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const HUB = 'https://hub.example:8443';
const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7 % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
const TOKEN = `pwe_${'A1b2-C3d4_'.repeat(4)}xyz`;

describe('pwbridge install --enrol-token-file under Wine (Windows node.exe, --dry-run)', function () {
  this.timeout(600_000);
  let prefix: ReturnType<typeof privateWinePrefix>;
  let app: WindowsApp;
  let secrets: ReturnType<typeof makeTempDir>;
  let tokenFile: string;

  const install = (extra: string[]): Promise<WindowsNodeResult> => runWindowsNode(
    [app.mainJs, 'install', '--dry-run', '--module', winPath(FILTER_DLL), '--event-messages', winPath(MESSAGES_DLL),
      '--hub', HUB, '--insecure-fingerprint', FINGERPRINT, ...extra],
    { env: { WINEPREFIX: prefix.dir }, timeoutMs: 180_000 });

  before(function () {
    const missing = windowsPartsMissing();
    if (process.platform === 'win32' || missing.skip) skipBecause(this, 'on Windows the MSI test installs for real');
    if (missing.fail) throw new Error(missing.fail);
    assert.equal(TOKEN.length, 47);
    prefix = privateWinePrefix();
    app = sharedWindowsApp();
    secrets = makeTempDir('pwbridge-wine-enrol-token-');
    tokenFile = path.join(secrets.dir, 'enrol.token');
    fs.writeFileSync(tokenFile, `${TOKEN}\r\n`, { mode: 0o644 });
    fs.chmodSync(tokenFile, 0o644);
  });
  after(() => {
    prefix?.remove();
    secrets?.cleanup();
  });

  it('a token file Everyone may read is refused before anything, and left in place', async () => {
    const r = await install(['--enrol-token-file', winPath(tokenFile)]);
    assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /--enrol-token-file: \S+enrol\.token has an entry \(A;;0x1200a9;;;WD\) that gives Everyone \(S-1-1-0\) read and execute\. It holds a hub enrolment token/);
    assert.doesNotMatch(r.stdout, /^would /m, 'nothing would be done');
    assert.ok(fs.existsSync(tokenFile));
  });

  it('--client beside it is refused: the token names its client', async () => {
    fs.chmodSync(tokenFile, 0o600);
    const r = await install(['--enrol-token-file', winPath(tokenFile), '--client', 'Acme']);
    assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /--client and --enrol-token-file: give one; an enrolment token names its client/);
  });

  it('a private token file passes: the dry run says it would enrol into the token\'s client, reading and removing the file then, and keeps it', async () => {
    const r = await install(['--enrol-token-file', winPath(tokenFile)]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    const expected = `would enrol this machine with ${HUB} into the enrolment token's client (${winPath(tokenFile)} is read and removed then), and restart the service`;
    assert.ok(r.stdout.split(/\r?\n/).includes(expected), r.stdout);
    assert.ok(fs.existsSync(tokenFile), 'a dry run removes nothing');
    assert.ok(!(r.stdout + r.stderr).includes(TOKEN.slice(4)), 'no output holds the token');
  });
});
