"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HEARTBEAT_MS = void 0;
exports.startMachineReport = startMachineReport;
exports.HEARTBEAT_MS = 60_000;
const MIN_GAP_MS = 1_000;
function startMachineReport(o) {
    const everyMs = o.everyMs ?? exports.HEARTBEAT_MS;
    const minGapMs = o.minGapMs ?? MIN_GAP_MS;
    let running;
    let again = false;
    let lastAt = 0;
    let gapTimer;
    let stopped = false;
    let lastFailure;
    const send = async () => {
        lastAt = Date.now();
        let report;
        try {
            report = o.read();
            await o.vault.recordMachine(report);
        }
        catch (err) {
            const message = err.message;
            if (message !== lastFailure)
                o.logger.warn({ err: { message } }, 'machine report failed; retrying at the next heartbeat or change');
            lastFailure = message;
            return false;
        }
        if (lastFailure !== undefined)
            o.logger.info('machine report delivered again');
        lastFailure = undefined;
        try {
            o.onDelivered?.();
        }
        catch (err) {
            o.logger.error({ err: { message: err.message } }, 'after the machine report');
        }
        return true;
    };
    const run = () => {
        if (running) {
            again = true;
            return running;
        }
        running = send().finally(() => {
            running = undefined;
            if (again && !stopped) {
                again = false;
                poke();
            }
        });
        return running;
    };
    function poke() {
        if (stopped)
            return;
        if (running) {
            again = true;
            return;
        }
        if (gapTimer)
            return; // one is already waiting out the gap
        const wait = lastAt + minGapMs - Date.now();
        if (wait <= 0) {
            void run();
            return;
        }
        gapTimer = setTimeout(() => {
            gapTimer = undefined;
            if (!stopped)
                void run();
        }, wait);
    }
    const heartbeat = setInterval(() => void run(), everyMs);
    void run(); // at start
    return {
        poke,
        reportNow: async () => {
            await running?.catch(() => false);
            return run();
        },
        async stop() {
            stopped = true;
            clearInterval(heartbeat);
            if (gapTimer)
                clearTimeout(gapTimer);
            await running?.catch(() => false);
        },
    };
}
//# sourceMappingURL=machine-report.js.map