"use strict";
// One line of `npm run faults`: what a scenario sent, what came back acked, and what the vault shows.
// The counts come from the vault itself (each credential's version, password and passwordSetAt), never
// from event-log rows, which are written a tick after the vault and can be lost by the crash a scenario
// injects.
Object.defineProperty(exports, "__esModule", { value: true });
exports.faultPassed = faultPassed;
/** A result is a pass when nothing acked was lost or doubled and the service served throughout. */
function faultPassed(r) {
    return r.lost === 0 && r.applied_twice === 0 && r.exactly_once === r.acked && r.served_throughout;
}
//# sourceMappingURL=fault-result.js.map