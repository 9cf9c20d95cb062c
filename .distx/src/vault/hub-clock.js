"use strict";
/**
 * The hub's clock as this machine sees it. Which of a captured change and a vault write came first is
 * decided by comparing a capture time (this machine's clock) with the credential's passwordSetAt (the
 * hub's clock for a write made there). A machine whose clock is minutes off would otherwise either flag
 * false conflicts (clock behind: every recent vault write looks newer than the capture) or overwrite a
 * later vault write with an older local password (clock ahead: the capture looks newer than it is).
 *
 * The rule: every hub answer carries the hub's time in ms (X-Pwbridge-Time, stamped as the answer is
 * sent). The hub stamped it somewhere between this machine sending the request and reading the answer,
 * so the true offset lies between (hub time − read time) and (hub time − send time). HttpVault moves times onto the hub's clock as they leave (capturedAt) and back
 * onto this machine's as they arrive (a credential's passwordSetAt, updatedAt), so the pipeline compares
 * times of one clock, and the vault stores every passwordSetAt on the hub's.
 *
 * The offset moves only when it lies more than TOLERANCE_MS outside that interval (then to the
 * interval's middle): it stays put under the samples' jitter and under a slow answer (on a busy
 * machine an answer can wait seconds to be read, which once made a 1.5 s "offset" out of a hub on the
 * same host), so a retry of a write that did land (answer lost) reads back exactly the capture time
 * it sent (passwordSetAt == capturedAt: not a conflict, the vault answers "already applied"). Skews
 * within the tolerance are left as they are (a race that close is not decidable by clocks anyway).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.HubClock = exports.CLOCK_TOLERANCE_MS = exports.HUB_TIME_HEADER = void 0;
/** The response header with the hub's time (ms since the epoch) when it sent the answer. */
exports.HUB_TIME_HEADER = 'X-Pwbridge-Time';
exports.CLOCK_TOLERANCE_MS = 1000;
class HubClock {
    now;
    toleranceMs;
    offset = 0;
    constructor(now = Date.now, toleranceMs = exports.CLOCK_TOLERANCE_MS) {
        this.now = now;
        this.toleranceMs = toleranceMs;
    }
    /** Hub time minus this machine's time, as last adopted (0 until a sample is more than the tolerance off). */
    get offsetMs() {
        return this.offset;
    }
    /**
     * An answer's header value, read now, for a request sent at `sentAt` (this machine's clock; default:
     * now). Anything but a plain integer is ignored.
     */
    observe(header, sentAt) {
        if (typeof header !== 'string' || !/^\d{1,16}$/.test(header))
            return;
        const hub = Number(header);
        const readAt = this.now();
        const low = hub - readAt;
        const high = hub - Math.min(sentAt ?? readAt, readAt);
        if (this.offset < low - this.toleranceMs || this.offset > high + this.toleranceMs)
            this.offset = Math.round((low + high) / 2);
    }
    /** This machine's time, as the clock reads it (for a request's send time). */
    localNow() {
        return this.now();
    }
    /** A time of this machine's clock, on the hub's. */
    toHub(local) {
        return local + this.offset;
    }
    /** A time of the hub's clock, on this machine's. */
    toLocal(hub) {
        return hub - this.offset;
    }
}
exports.HubClock = HubClock;
//# sourceMappingURL=hub-clock.js.map