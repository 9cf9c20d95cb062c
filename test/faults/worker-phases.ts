// The parent's side of a forked fault worker that reports how far it got over IPC, one message a phase
// ({ phase, … }, or { phase: 'error', error }). The scenario waits for a phase by name.
import type { ChildProcess } from 'node:child_process';

export interface PhaseMessage {
  phase: string;
  error?: string;
}

/**
 * next(phase) resolves with the first message of that phase the worker sent (before or after the call);
 * an 'error' message, or the worker's exit, rejects it. Messages of the phases in `passing` go to
 * onPassing instead of being kept (a progress count sent many times a second).
 */
export function workerPhases<M extends PhaseMessage>(worker: ChildProcess, name: string,
  passing?: { phases: string[]; on(m: M): void }): { next(phase: string): Promise<M> } {
  const messages: M[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m: M) => {
    if (passing?.phases.includes(m.phase)) {
      passing.on(m);
      return;
    }
    messages.push(m);
    wake?.();
  });
  worker.once('exit', (code, signal) => {
    messages.push({ phase: 'error', error: `exited with ${code ?? signal}` } as M);
    wake?.();
  });
  return {
    async next(phase) {
      for (;;) {
        const m = messages.find((x) => x.phase === phase || x.phase === 'error');
        if (m) {
          if (m.phase === 'error') throw new Error(`${name} worker: ${m.error}`);
          return m;
        }
        await new Promise<void>((r) => { wake = r; });
      }
    },
  };
}
