"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.newEventUid = newEventUid;
exports.isEventUid = isEventUid;
const node_crypto_1 = require("node:crypto");
/**
 * A new event uid: 32 lowercase hex (122 random bits), the shape of the capture's event ids. The vault
 * stores an event with a uid once per machine, which is what makes a repeated delivery harmless.
 */
function newEventUid() {
    return (0, node_crypto_1.randomUUID)().replace(/-/g, '');
}
function isEventUid(value) {
    return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}
//# sourceMappingURL=event-uid.js.map