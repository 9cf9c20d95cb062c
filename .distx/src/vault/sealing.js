"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEY_CHECK_NAME = void 0;
exports.credentialContext = credentialContext;
exports.sealKeyCheck = sealKeyCheck;
exports.keyCheckOpens = keyCheckOpens;
exports.KEY_CHECK_NAME = 'key-check';
const KEY_CHECK_CONTEXT = 'vault key check';
const KEY_CHECK_VALUE = 'pwbridge vault v1';
/** AAD for a credential's password: moving the record to another row or renaming the row breaks it. */
function credentialContext(id, usernameKey) {
    return `credential\u0000${id}\u0000${usernameKey}`;
}
/** The key-check record to store in a new vault. */
function sealKeyCheck(box) {
    return box.seal(Buffer.from(KEY_CHECK_VALUE), KEY_CHECK_CONTEXT);
}
/** Whether `sealed` (a stored key-check record) opens with this box's key. */
function keyCheckOpens(box, sealed) {
    try {
        return box.open(sealed, KEY_CHECK_CONTEXT).toString() === KEY_CHECK_VALUE;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=sealing.js.map