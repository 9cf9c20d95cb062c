"use strict";
// The service account's password: random, long, and acceptable to any complexity policy (upper, lower,
// digit and symbol, none of them the account's name). Made as a Buffer from the start, never a string.
Object.defineProperty(exports, "__esModule", { value: true });
exports.randomPassword = randomPassword;
const node_crypto_1 = require("node:crypto");
const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%*+-=?@_~'];
const ALL = CLASSES.join('');
/** `length` ASCII bytes (UTF-8), at least one of each class, uniformly shuffled. The caller wipes it. */
function randomPassword(length = 32) {
    if (length < CLASSES.length)
        throw new Error(`a password needs at least ${CLASSES.length} characters`);
    const b = Buffer.alloc(length);
    CLASSES.forEach((c, i) => { b[i] = c.charCodeAt((0, node_crypto_1.randomInt)(c.length)); });
    for (let i = CLASSES.length; i < length; i++)
        b[i] = ALL.charCodeAt((0, node_crypto_1.randomInt)(ALL.length));
    for (let i = length - 1; i > 0; i--) {
        const j = (0, node_crypto_1.randomInt)(i + 1);
        const t = b[i];
        b[i] = b[j];
        b[j] = t;
    }
    return b;
}
//# sourceMappingURL=random-password.js.map