/**
 * The service's jobs, started one after another and stopped in the reverse order: whatever a job uses was
 * started before it, so it is still there while the job stops. A start that fails stops the jobs already
 * running (in reverse) and rethrows, so nothing keeps running when the service cannot start.
 */

/** One running job of the service. */
export interface Job {
  stop(): Promise<void> | void;
}

export class StartedJobs {
  private readonly running: Job[] = [];

  /** Start one job (after those already started); if it throws, the others are stopped first. */
  async start<T extends Job>(start: () => T | Promise<T>): Promise<T> {
    let job: T;
    try {
      job = await start();
    } catch (err) {
      await this.stopAll();
      throw err;
    }
    this.running.push(job);
    return job;
  }

  /** Stop every job, the last started first; each finishes stopping before the next begins. */
  async stopAll(): Promise<void> {
    for (let job = this.running.pop(); job; job = this.running.pop()) await job.stop();
  }
}
