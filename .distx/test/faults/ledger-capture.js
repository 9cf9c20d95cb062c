"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LedgerCapture = void 0;
// A capture that keeps the books: it speaks the real protocol (test/helpers/capture-client.ts) to the
// service's socket, and every change it sends goes into a Ledger, acked or not. It behaves as the PAM
// module and LSA filter do where a fault touches them: a change the service did not ack is kept (sealed,
// same event id) and sent again later; a connection the service dropped is made again.
const node_perf_hooks_1 = require("node:perf_hooks");
const constants_1 = require("../../src/protocol/constants");
const capture_client_1 = require("../helpers/capture-client");
const ledger_1 = require("./ledger");
class LedgerCapture {
    socketPath;
    id;
    ledger = new ledger_1.Ledger();
    /** Ack latency of each acked send (ms, from the write to the ACK). */
    ackMs = [];
    /** Refused by the service (ACK status refused): never acceptable, never re-sent. */
    refused = 0;
    /** Sends that got no ack (connection lost, service gone): kept for resendUnacked(). */
    unacked = new Map();
    acked = [];
    client;
    connecting;
    lastCapturedAt = new Map();
    inFlight = 0;
    constructor(socketPath, id) {
        this.socketPath = socketPath;
        this.id = id;
    }
    /** A live connection, made again if the service dropped the last one. Rejects when it cannot connect. */
    async connection(timeoutMs = 5000) {
        if (this.client && this.client.session.state === 'ready')
            return this.client;
        // One connection at a time: sends that arrive while it is being made wait for it (a capture holds one
        // connection; a burst of them would meet the service's per-uid cap and be closed as pending).
        this.connecting ??= (async () => {
            this.client?.destroy();
            this.client = await capture_client_1.CaptureClient.connect(this.socketPath, { ...this.id, timeoutMs });
            return this.client;
        })().finally(() => { this.connecting = undefined; });
        return this.connecting;
    }
    /**
     * Send one change of `account`; resolves true when acked (stored or duplicate), false otherwise. Its
     * capture time is strictly after the account's last one, so "newest" is never a tie.
     */
    async send(account, password) {
        const client = await this.connection();
        const capturedAt = this.nextCapturedAt(account);
        const s = client.send({ account, encoding: constants_1.Encoding.raw, password: Buffer.from(password), capturedAt });
        this.ledger.sent({ account, password, eventIdHex: s.eventIdHex, capturedAt });
        return this.await(s.eventIdHex, s.body, s.acked);
    }
    /** A capture time for the account's next change: now, or just after its last one (never a tie). */
    nextCapturedAt(account) {
        const at = Math.max(Date.now(), (this.lastCapturedAt.get(account) ?? 0) + 1);
        this.lastCapturedAt.set(account, at);
        return at;
    }
    /** Event ids the service acked to this capture (stored or duplicate), in ack order. */
    ackedIds() {
        return [...this.acked];
    }
    /** Changes sent but not acked so far. */
    get unackedCount() {
        return this.unacked.size;
    }
    get pending() {
        return this.inFlight;
    }
    /**
     * Send every unacked change again (same id, same sealed bytes), as a capture's queue or spool does:
     * `window` at a time, as a capture's bounded queue would, not thousands at once on one connection.
     */
    async resendUnacked(window = 500) {
        const bodies = [...this.unacked.values()];
        let acked = 0;
        for (let i = 0; i < bodies.length; i += window) {
            const client = await this.connection();
            const results = await Promise.all(bodies.slice(i, i + window).map((b) => {
                const s = client.resend(b);
                return this.await(s.eventIdHex, b, s.acked);
            }));
            acked += results.filter(Boolean).length;
        }
        return { acked, failed: bodies.length - acked };
    }
    destroy() {
        this.client?.destroy();
        this.client = undefined;
    }
    async await(hex, body, acked) {
        const t0 = node_perf_hooks_1.performance.now();
        this.inFlight++;
        try {
            const ack = await acked;
            if (ack.status === constants_1.AckStatus.refused) {
                this.refused++;
                this.unacked.delete(hex);
                return false;
            }
            this.ackMs.push(node_perf_hooks_1.performance.now() - t0);
            this.ledger.acked(hex);
            this.acked.push(hex);
            this.unacked.delete(hex);
            return true;
        }
        catch {
            this.unacked.set(hex, body);
            return false;
        }
        finally {
            this.inFlight--;
        }
    }
}
exports.LedgerCapture = LedgerCapture;
//# sourceMappingURL=ledger-capture.js.map