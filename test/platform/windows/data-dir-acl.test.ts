// The data dir ACL scenarios (acl-scenarios.ts) against both Win32s with the same assertions: the fake,
// in-process on a Linux temp dir, and the real one, the Windows node.exe under Wine on C:\ProgramData.
// What only one of them keeps is asserted for that one, and says why.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSTEM_SID } from '../../../src/platform/windows/acl-rule';
import { loadWin32 } from '../../../src/platform/windows/binding';
import { processUserSid } from '../../../src/platform/windows/process-identity';
import { ADMINISTRATORS_SID } from '../../../src/platform/windows/sid';
import { makeTempDir } from '../../helpers/tmp';
import { sharedWindowsApp } from '../../helpers/windows-app';
import { runWindowsNode } from '../../helpers/windows-node';
import { windowsPartsMissing } from '../../helpers/wine';
import { runAclScenarios, type AclScenarioResults } from './acl-scenarios';
import { FakeWindows } from './fake-win32';
import { skipBecause } from '../../helpers/skip';

const SERVICE = 'S-1-5-21-1-2-3-1001';

const backends: Array<{ name: string; wine: boolean; run(this: Mocha.Context): Promise<{ r: AclScenarioResults; service: string }> }> = [
  {
    name: 'the fake Win32',
    wine: false,
    async run() {
      const tmp = makeTempDir('pwbt-acl-');
      try {
        return { r: runAclScenarios(new FakeWindows().win32, tmp.dir, SERVICE), service: SERVICE };
      } finally {
        tmp.cleanup();
      }
    },
  },
  {
    // The Windows CI job: the same scenarios in-process, on the real file system.
    name: 'the real Win32 on Windows',
    wine: false,
    async run() {
      if (process.platform !== 'win32') skipBecause(this, 'Windows only (the windows-latest workflow runs it)');
      // In %ProgramData%, where the data dir lives and what an ordinary folder inherits is known (Users may read and create).
      const w = loadWin32();
      const base = path.join(process.env.ProgramData ?? 'C:\\ProgramData', `pwbt-acl-${randomBytes(4).toString('hex')}`);
      fs.mkdirSync(base);
      try {
        return { r: runAclScenarios(w, base, processUserSid(w)), service: processUserSid(w) };
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'the real Win32 under Wine',
    wine: true,
    async run() {
      const missing = windowsPartsMissing();
      if (process.platform === 'win32' || missing.skip) skipBecause(this, missing.skip ?? 'on Windows the real ACL test runs instead');
      if (missing.fail) throw new Error(missing.fail);
      const out = await runWindowsNode([sharedWindowsApp().file('dist/test/platform/windows/wine/acl-scenarios.main.js')], { timeoutMs: 120_000 });
      assert.equal(out.code, 0, out.stderr);
      const r = JSON.parse(out.stdout.trim().split('\n').pop()!) as AclScenarioResults;
      return { r, service: r.userSid };
    },
  },
];

for (const b of backends) {
  describe(`platform/windows data dir ACL: ${b.name}`, function () {
    this.timeout(180_000);
    let r: AclScenarioResults;
    let service: string;
    before(async function () {
      ({ r, service } = await b.run.call(this));
    });

    it('a tree made with the protected descriptor and secured after files were added reads back with nobody else in it', () => {
      assert.deepEqual(r.secured.problems, []);
      const allowed = new Set([SYSTEM_SID, ADMINISTRATORS_SID, service, r.userSid]);
      for (const e of r.secured.entries) {
        assert.ok(allowed.has(e.owner), `${e.rel} owned by ${e.owner}`);
        assert.ok(e.sids.includes(SYSTEM_SID), `${e.rel}: SYSTEM keeps access`);
        for (const sid of e.sids) assert.ok(allowed.has(sid), `${e.rel}: ${sid}`);
      }
      if (b.wine) {
        // Wine keeps a Unix mode, not the descriptor: owner the Wine user, SYSTEM and the owner, no protection flag.
        for (const e of r.secured.entries) assert.deepEqual([e.owner, e.sids, e.protected], [r.userSid, [SYSTEM_SID, r.userSid], false], e.rel);
      } else {
        for (const e of r.secured.entries) assert.deepEqual([e.owner, e.sids, e.protected], [ADMINISTRATORS_SID, [SYSTEM_SID, ADMINISTRATORS_SID, service], true], e.rel);
      }
    });

    it('an Everyone entry on one key file: verify refuses naming the file and Everyone; the service\'s key check too, and passes the others', () => {
      assert.match(r.everyone.error ?? '', /keys[\\/]bridge\.key has an entry \(A;;[^;]+;;;WD\) that gives Everyone \(S-1-1-0\) (full control|the rights 0x1301ff)\. pwbridge install set the ACL and reading it back shows the above/);
      assert.match(r.everyone.keyCheckPlanted ?? '', /^has an entry \(A;;[^;]+;;;WD\) that gives Everyone \(S-1-1-0\)/);
      assert.equal(r.everyone.keyCheckClean, undefined);
    });

    it('a folder made the ordinary way (mkdir, a file in it) is refused, the folder and the file each for an entry naming someone else', () => {
      const paths = new Set(r.ordinary.problems.map((p) => p.path.split('\\').join('/')));
      assert.deepEqual([...paths].sort(), ['ordinary', 'ordinary/config.json']);
      for (const p of r.ordinary.problems) {
        assert.match(p.problem, /^has an entry \(A;[A-Z]*;[^;]+;;;[^)]+\) that gives .+ (read|full control|the rights)/);
        assert.doesNotMatch(p.problem, /;;;(SY|BA)\)/);
      }
      // Which entry: %ProgramData%'s Users on Windows (the fake models it), Everyone from the Unix mode under Wine.
      assert.ok(r.ordinary.problems.some((p) => (b.wine ? /;;;WD\)/ : /;;;BU\)/).test(p.problem)));
    });
  });
}
