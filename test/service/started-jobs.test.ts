import { strict as assert } from 'node:assert';
import { StartedJobs } from '../../src/service/started-jobs';

describe('service/started-jobs: start in order, stop in reverse', () => {
  it('stops the last started first, each stop finishing before the next begins', async () => {
    const log: string[] = [];
    const jobs = new StartedJobs();
    for (const name of ['a', 'b', 'c']) {
      await jobs.start(() => {
        log.push(`start ${name}`);
        return { stop: async () => { log.push(`stopping ${name}`); await new Promise((r) => setTimeout(r, 5)); log.push(`stopped ${name}`); } };
      });
    }
    await jobs.stopAll();
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'stopping c', 'stopped c', 'stopping b', 'stopped b', 'stopping a', 'stopped a']);
    await jobs.stopAll(); // nothing is stopped twice
    assert.equal(log.length, 9);
  });

  it('a start that fails stops the jobs already running, in reverse, and rethrows', async () => {
    const log: string[] = [];
    const jobs = new StartedJobs();
    await jobs.start(() => ({ stop: () => { log.push('stop a'); } }));
    await jobs.start(async () => ({ stop: () => { log.push('stop b'); } }));
    await assert.rejects(jobs.start(async () => { throw new Error('endpoint taken'); }), /endpoint taken/);
    assert.deepEqual(log, ['stop b', 'stop a']);
  });
});
