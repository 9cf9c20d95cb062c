"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.workerPhases = workerPhases;
/**
 * next(phase) resolves with the first message of that phase the worker sent (before or after the call);
 * an 'error' message, or the worker's exit, rejects it. Messages of the phases in `passing` go to
 * onPassing instead of being kept (a progress count sent many times a second).
 */
function workerPhases(worker, name, passing) {
    const messages = [];
    let wake;
    worker.on('message', (m) => {
        if (passing?.phases.includes(m.phase)) {
            passing.on(m);
            return;
        }
        messages.push(m);
        wake?.();
    });
    worker.once('exit', (code, signal) => {
        messages.push({ phase: 'error', error: `exited with ${code ?? signal}` });
        wake?.();
    });
    return {
        async next(phase) {
            for (;;) {
                const m = messages.find((x) => x.phase === phase || x.phase === 'error');
                if (m) {
                    if (m.phase === 'error')
                        throw new Error(`${name} worker: ${m.error}`);
                    return m;
                }
                await new Promise((r) => { wake = r; });
            }
        },
    };
}
//# sourceMappingURL=worker-phases.js.map