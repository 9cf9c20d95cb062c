"use strict";
/**
 * The service's jobs, started one after another and stopped in the reverse order: whatever a job uses was
 * started before it, so it is still there while the job stops. A start that fails stops the jobs already
 * running (in reverse) and rethrows, so nothing keeps running when the service cannot start.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.StartedJobs = void 0;
class StartedJobs {
    running = [];
    /** Start one job (after those already started); if it throws, the others are stopped first. */
    async start(start) {
        let job;
        try {
            job = await start();
        }
        catch (err) {
            await this.stopAll();
            throw err;
        }
        this.running.push(job);
        return job;
    }
    /** Stop every job, the last started first; each finishes stopping before the next begins. */
    async stopAll() {
        for (let job = this.running.pop(); job; job = this.running.pop())
            await job.stop();
    }
}
exports.StartedJobs = StartedJobs;
//# sourceMappingURL=started-jobs.js.map