/**
 * "Durable before ack": what append() returned from must be readable by the next process, even when
 * the writer never closed the database.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStateDb } from '../../src/journal/sqlite.state';
import type { SqliteDriverName } from '../../src/sqlite/database';
import { ECHO_KEY, entry, eventId } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

// The compiled modules, beside this compiled test (works from dist/ and from a separate outDir).
const STATE_MODULE = path.resolve(__dirname, '../../src/journal/sqlite.state.js');
const DRIVERS_MODULE = path.resolve(__dirname, '../../src/sqlite/drivers.js');

/** A child that appends `count` entries on `driver` and then dies the way `how` says, without closing anything. */
function childAppends(file: string, count: number, how: 'exit' | 'kill', driver: SqliteDriverName): ReturnType<typeof spawnSync> {
  const script = `
    const { openStateDb } = require(${JSON.stringify(STATE_MODULE)});
    const sqlite = require(${JSON.stringify(DRIVERS_MODULE)}).sqliteDriver(${JSON.stringify(driver)});
    const s = openStateDb(${JSON.stringify(file)}, { echoKey: Buffer.alloc(32, 7), sqlite });
    const batch = [];
    for (let i = 1; i <= ${count}; i++) {
      batch.push({ eventId: i.toString(16).padStart(32, '0'), machine: 'WS01', account: 'alice', accountId: 1000,
        capturedAt: i, receivedAt: i, encoding: 1, sealed: Buffer.alloc(100, i) });
    }
    const r = s.journal.append(batch);
    s.state.setValue('written-by', process.pid);
    process.stdout.write(JSON.stringify(r.filter((x) => x === 'stored').length));
    ${how === 'exit' ? 'process.exit(0);' : "process.kill(process.pid, 'SIGKILL');"}
  `;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: process.env, timeout: 20_000 });
}

forEachSqliteDriver((sqlite) => {
  describe('state.db durability', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let file: string;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-crash-');
      file = path.join(tmp.dir, 'state.db');
    });
    afterEach(() => tmp.cleanup());

    it('a second handle sees an append of a handle that was never closed', () => {
      const writer = openStateDb(file, { echoKey: ECHO_KEY, sqlite });
      writer.journal.append([entry(1), entry(2)]);
      writer.state.putMemo({ credentialId: 9, vaultVersion: 3, localFingerprint: 'fp', result: 'match', checkedAt: 1 });
      const reader = openStateDb(file, { echoKey: ECHO_KEY, sqlite });
      try {
        assert.equal(reader.journal.depth(), 2);
        assert.equal(reader.journal.get(eventId(2))?.account, 'alice');
        assert.equal(reader.state.getMemo(9)?.vaultVersion, 3);
        // and both may go on writing: the reader's duplicate check sees the writer's rows
        assert.deepEqual(reader.journal.append([entry(2), entry(3)]), ['duplicate', 'stored']);
        assert.equal(writer.journal.depth(), 3);
      } finally {
        reader.close();
        writer.close();
      }
    });

    for (const how of ['exit', 'kill'] as const) {
      it(`entries appended by a process that ${how === 'exit' ? 'calls process.exit' : 'is SIGKILLed'} without closing survive`, function () {
        if (how === 'kill' && process.platform === 'win32') skipBecause(this, 'SIGKILL of a child is a POSIX signal');
        const r = childAppends(file, 300, how, sqlite.name);
        assert.equal(r.stdout, '300', `child output: ${r.stdout} ${r.stderr}`);
        if (how === 'kill') assert.equal(r.signal, 'SIGKILL');
        else assert.equal(r.status, 0);
        assert.ok(fs.existsSync(`${file}-wal`), 'the child left its WAL behind, uncheckpointed');
        const s = openStateDb(file, { echoKey: ECHO_KEY, sqlite });
        try {
          assert.equal(s.journal.depth(), 300);
          assert.ok(s.journal.get(eventId(300))?.sealed.equals(Buffer.alloc(100, 300 & 0xff)));
          assert.equal(typeof s.state.getValue<number>('written-by'), 'number');
          assert.deepEqual(s.journal.append([entry(300)]), ['duplicate']);
        } finally {
          s.close();
        }
      });
    }
  });
});
