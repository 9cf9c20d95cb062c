"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.recordFor = recordFor;
/** Writes one decision to the event sink, traced by the capture's event id. Reasons never hold a password. */
function recordFor(ctx, entry, kind, outcome, reason, credentialId) {
    ctx.deps.events.record({ kind, outcome, reason, account: entry.account, credentialId, traceId: entry.eventId });
}
//# sourceMappingURL=record.js.map