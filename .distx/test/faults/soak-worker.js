"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The soak's capture, in its own process: a long steady stream of changes through the real protocol, and
// its books (a million entries) kept here, so the scenario process stays small and only samples the
// service. Settles its ledger against the vault when told the service has stopped.
const node_perf_hooks_1 = require("node:perf_hooks");
const ledger_capture_1 = require("./ledger-capture");
const service_process_1 = require("./service-process");
async function load(spec, capture) {
    for (let i = 0; i < spec.accounts; i++)
        capture.ledger.base((0, service_process_1.accountName)(i), 1);
    await capture.connection(20_000);
    const t0 = node_perf_hooks_1.performance.now();
    let acked = 0;
    let notAcked = 0;
    let lastReport = t0;
    for (let i = 0; i < spec.count; i++) {
        const due = t0 + (i * 1000) / spec.rate;
        const wait = due - node_perf_hooks_1.performance.now();
        if (wait > 2)
            await new Promise((r) => setTimeout(r, wait));
        while (capture.pending >= spec.window)
            await new Promise((r) => setTimeout(r, 1));
        const account = (0, service_process_1.accountName)(i % spec.accounts);
        void capture.send(account, `soak-${i}-${account}`).then((ok) => { if (ok)
            acked++;
        else
            notAcked++; }, () => { notAcked++; });
        if (i % 512 === 511)
            await new Promise((r) => setImmediate(r));
        if (node_perf_hooks_1.performance.now() - lastReport > 5000) {
            lastReport = node_perf_hooks_1.performance.now();
            process.send({ phase: 'progress', sent: i + 1, acked });
        }
    }
    while (capture.pending > 0)
        await new Promise((r) => setTimeout(r, 10));
    // Whatever got no ack is re-sent once, as a capture's queue would.
    if (capture.unackedCount > 0)
        await capture.resendUnacked();
    const ms = capture.ackMs;
    return {
        sent: spec.count, acked: capture.ledger.ackedCount, notAcked: capture.unackedCount, elapsedMs: node_perf_hooks_1.performance.now() - t0,
        ackP50: (0, service_process_1.percentile)(ms, 50), ackP99: (0, service_process_1.percentile)(ms, 99), ackMax: (0, service_process_1.percentile)(ms, 100),
    };
}
async function settle(spec, capture) {
    const view = await (0, service_process_1.openVaultView)(spec.dataDir);
    try {
        return await capture.ledger.settle((a) => view.read(a));
    }
    finally {
        await view.close();
    }
}
process.once('message', (spec) => {
    const id = { secret: Buffer.from(spec.secret, 'hex'), bridgePub: Buffer.from(spec.bridgePub, 'hex'), bootId: Buffer.from(spec.bootId, 'hex'), machine: spec.machine };
    const capture = new ledger_capture_1.LedgerCapture(spec.socketPath, id);
    load(spec, capture).then((result) => {
        capture.destroy();
        process.send({ phase: 'loaded', result });
        process.once('message', () => {
            settle(spec, capture).then((tally) => process.send({ phase: 'settled', tally }, () => process.exit(0)), (e) => process.send({ phase: 'error', error: e.message }, () => process.exit(1)));
        });
    }, (e) => process.send({ phase: 'error', error: e.message }, () => process.exit(1)));
});
//# sourceMappingURL=soak-worker.js.map