"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A capture load generator in its own process, as the PAM module and LSA filter are: the bridge under
// test keeps its thread to itself and its RSS is its own. Speaks the real protocol over the real socket.
const node_perf_hooks_1 = require("node:perf_hooks");
const capture_client_1 = require("../test/helpers/capture-client");
const now = () => node_perf_hooks_1.performance.timeOrigin + node_perf_hooks_1.performance.now();
async function main(spec) {
    const client = await capture_client_1.CaptureClient.connect(spec.socketPath, {
        secret: Buffer.from(spec.secret, 'hex'), bridgePub: Buffer.from(spec.bridgePub, 'hex'), bootId: Buffer.from(spec.bootId, 'hex'), machine: spec.machine, timeoutMs: 20_000,
    });
    const sent = [];
    const sentAt = [];
    let acked = 0;
    let failed = 0;
    let inFlight = 0;
    let wake;
    const start = now();
    const pending = [];
    for (let i = 0; i < spec.count; i++) {
        if (spec.rate > 0) {
            const due = start + (i * 1000) / spec.rate;
            const wait = due - now();
            if (wait > 1)
                await new Promise((r) => setTimeout(r, wait));
        }
        while (inFlight >= spec.window)
            await new Promise((r) => (wake = r));
        const account = `user${i % spec.accounts}`;
        const password = Buffer.from(`bench-${i}-${account}`);
        inFlight++;
        sentAt.push(now());
        const s = client.send({ account, encoding: 1, password });
        sent.push(s.eventIdHex);
        pending.push(s.acked.then(() => { acked++; }, () => { failed++; }).finally(() => { inFlight--; wake?.(); wake = undefined; }));
        // Yield now and then so acks are read while sending at full speed.
        if (spec.rate === 0 && i % 256 === 255)
            await new Promise((r) => setImmediate(r));
    }
    await Promise.all(pending);
    const elapsedMs = now() - start;
    client.destroy();
    return { sent, sentAt, acked, failed, elapsedMs };
}
process.once('message', (spec) => {
    main(spec).then((r) => process.send({ ok: true, result: r }, () => process.exit(0)), (e) => process.send({ ok: false, error: e.message }, () => process.exit(1)));
});
//# sourceMappingURL=load-worker.js.map