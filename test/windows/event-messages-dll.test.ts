// pwbridge_messages.dll, the Application log source's EventMessageFile: built from
// native/lsa/messages/pwbridge_messages.mc (itself generated from the event ID table), and read back the way
// Event Viewer reads it (messages_test.exe: LoadLibraryEx as a data file, FormatMessageW from the module)
// under Wine here, natively in the Windows workflow. The table in event-ids.ts is the source of truth.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UNKNOWN_EVENT_ID, WINDOWS_EVENT_IDS } from '../../src/domain/event-ids';
import { renderMessageFile } from '../../src/platform/windows/event-messages';
import { DLLCHAR_DYNAMIC_BASE, DLLCHAR_HIGH_ENTROPY_VA, DLLCHAR_NX_COMPAT, readPe } from '../helpers/pe';
import { MESSAGES_DLL, MESSAGES_TEST_EXE, peDump, runWindows, windowsPartsMissing, winePrefix, winPath } from '../helpers/wine';
import { repoRoot } from '../vectors/repo-root';
import { skipBecause } from '../helpers/skip';

const MC = path.join(repoRoot(), 'native', 'lsa', 'messages', 'pwbridge_messages.mc');
const ALL = [...WINDOWS_EVENT_IDS, UNKNOWN_EVENT_ID];
/** What messages_test.exe passes as the event's one insertion string (%1). */
const INSERT = '[insertion 1]';

/** Each ID's line from messages_test.exe: the formatted text, or the Win32 error. */
function readMessages(ids: number[]): Map<number, string | { error: number }> {
  const r = runWindows(MESSAGES_TEST_EXE, [winPath(MESSAGES_DLL), ...ids.map(String)]);
  assert.equal(r.code, 0, r.out);
  const out = new Map<number, string | { error: number }>();
  for (const line of r.out.split(/\r?\n/)) {
    const m = /^(\d+) (ok|err) (\S*)$/.exec(line);
    if (!m) continue;
    out.set(Number(m[1]), m[2] === 'ok' ? Buffer.from(m[3], 'hex').toString('utf16le') : { error: Number(m[3]) });
  }
  return out;
}

describe('pwbridge_messages.dll: the event source\'s message table', function () {
  this.timeout(120_000);

  it('native/lsa/messages/pwbridge_messages.mc is what the event ID table renders (regenerate it when the table changes)', () => {
    assert.equal(fs.readFileSync(MC, 'utf8'), renderMessageFile(),
      'regenerate it: node dist/src/platform/windows/event-messages.js mc > native/lsa/messages/pwbridge_messages.mc');
  });

  describe('as built, read back with FormatMessageW', () => {
    before(function () {
      const missing = windowsPartsMissing();
      if (missing.fail) throw new Error(missing.fail);
      if (missing.skip) skipBecause(this, missing.skip);
      if (!fs.existsSync(MESSAGES_DLL) || !fs.existsSync(MESSAGES_TEST_EXE)) {
        throw new Error(`${MESSAGES_DLL} or ${MESSAGES_TEST_EXE} is missing: npm run build:native (mingw-w64 with windmc, cmake)`);
      }
      this.timeout(180_000);
      winePrefix();
    });

    it('every ID of the table gives the table\'s text (backquotes dropped), then the event\'s own text as %1', () => {
      const got = readMessages(ALL.map((d) => d.id));
      for (const d of ALL) {
        const want = `${d.text.replace(/`/g, '')}\r\n\r\n${INSERT}\r\n`;
        assert.equal(got.get(d.id), want, `event ID ${d.id} (${d.symbol})`);
      }
      assert.equal(got.size, ALL.length);
    });

    it('an ID the table does not have is not in the DLL either (ERROR_MR_MID_NOT_FOUND): the check can fail', () => {
      const known = new Set(ALL.map((d) => d.id));
      const absent = [1, 999, 1005, 8999, 9001].filter((id) => !known.has(id));
      const got = readMessages(absent);
      for (const id of absent) assert.deepEqual(got.get(id), { error: 317 }, `ID ${id}`);
    });

    it('is resource-only: no entry point, no imports, no exports; x64 with ASLR and DEP', () => {
      const bytes = fs.readFileSync(MESSAGES_DLL);
      const pe = readPe(bytes);
      assert.equal(pe.machine, 0x8664);
      assert.deepEqual([...pe.imports.keys()], []);
      assert.deepEqual(pe.exports, []);
      const want = DLLCHAR_DYNAMIC_BASE | DLLCHAR_NX_COMPAT | DLLCHAR_HIGH_ENTROPY_VA;
      assert.equal(pe.dllCharacteristics & want, want, `DllCharacteristics 0x${pe.dllCharacteristics.toString(16)}`);
      const dump = peDump(MESSAGES_DLL);
      if (dump) {
        assert.match(dump, /AddressOfEntryPoint\s+0+\s/);
        assert.match(dump, /\.rsrc/i);
        assert.doesNotMatch(dump, /DLL Name:/);
      }
    });
  });
});
