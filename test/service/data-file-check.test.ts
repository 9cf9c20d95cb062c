import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStateDb } from '../../src/journal/sqlite.state';
import { DataFileError, checkDataFile } from '../../src/service/data-file-check';
import { ECHO_KEY, entry } from '../journal/fixtures';
import { makeTempDir } from '../helpers/tmp';

describe('the data-file check before the service starts', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    tmp = makeTempDir('pwbridge-datafile-');
    file = path.join(tmp.dir, 'state.db');
    const s = openStateDb(file, { echoKey: ECHO_KEY });
    for (let i = 0; i < 40; i++) s.journal.append(Array.from({ length: 50 }, (_, k) => entry(i * 50 + k)));
    s.close();
  });
  afterEach(() => tmp.cleanup());

  it('passes a sound file and a missing one', () => {
    checkDataFile(file, 'state');
    checkDataFile(path.join(tmp.dir, 'absent.db'), 'vault');
  });

  it('a garbled header: DataFileError naming the file and the recovery step', () => {
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, randomBytes(100), 0, 100, 0);
    fs.closeSync(fd);
    assert.throws(() => checkDataFile(file, 'state'), (err: Error) => err instanceof DataFileError
      && err.message.includes(file) && /not a SQLite database/.test(err.message) && /move the file aside/.test(err.message));
  });

  it('a file cut to half its size: DataFileError (the vault wording: restore from a backup)', () => {
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);
    assert.throws(() => checkDataFile(file, 'vault'), (err: Error) => err instanceof DataFileError
      && err.message.includes(file) && /damaged/.test(err.message) && /restore the file/.test(err.message));
  });
});
