"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const started_jobs_1 = require("../../src/service/started-jobs");
describe('service/started-jobs: start in order, stop in reverse', () => {
    it('stops the last started first, each stop finishing before the next begins', async () => {
        const log = [];
        const jobs = new started_jobs_1.StartedJobs();
        for (const name of ['a', 'b', 'c']) {
            await jobs.start(() => {
                log.push(`start ${name}`);
                return { stop: async () => { log.push(`stopping ${name}`); await new Promise((r) => setTimeout(r, 5)); log.push(`stopped ${name}`); } };
            });
        }
        await jobs.stopAll();
        node_assert_1.strict.deepEqual(log, ['start a', 'start b', 'start c', 'stopping c', 'stopped c', 'stopping b', 'stopped b', 'stopping a', 'stopped a']);
        await jobs.stopAll(); // nothing is stopped twice
        node_assert_1.strict.equal(log.length, 9);
    });
    it('a start that fails stops the jobs already running, in reverse, and rethrows', async () => {
        const log = [];
        const jobs = new started_jobs_1.StartedJobs();
        await jobs.start(() => ({ stop: () => { log.push('stop a'); } }));
        await jobs.start(async () => ({ stop: () => { log.push('stop b'); } }));
        await node_assert_1.strict.rejects(jobs.start(async () => { throw new Error('endpoint taken'); }), /endpoint taken/);
        node_assert_1.strict.deepEqual(log, ['stop b', 'stop a']);
    });
});
//# sourceMappingURL=started-jobs.test.js.map