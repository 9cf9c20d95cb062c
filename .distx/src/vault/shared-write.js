"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isShared = void 0;
exports.checkCaptureWrite = checkCaptureWrite;
/**
 * The rule every vault engine applies to a write that comes from a capture (setPasswordFromCapture,
 * createFromCapture): a shared credential, a bare `user` that every machine of the client uses, takes a
 * captured password only when the client says agents may write shared credentials. Off (the default),
 * root on one machine cannot push a password that every machine in Change Password mode then sets.
 */
const vault_port_1 = require("../ports/vault.port");
/** A bare `user` (no `MACHINE\`): the credential of that account on every machine of the client. */
const isShared = (username) => !username.includes('\\');
exports.isShared = isShared;
/** Throws VaultPolicyError when the client's options refuse a captured write to this credential. */
function checkCaptureWrite(client, username) {
    if (client.agentsWriteShared || !(0, exports.isShared)(username))
        return;
    throw new vault_port_1.VaultPolicyError(`credential "${username}" is shared by every machine of client "${client.name}", and the client `
        + 'does not let agents write shared credentials (agentsWriteShared off): a captured change to it is refused. '
        + 'Set its password in the vault, or turn the option on for the client');
}
//# sourceMappingURL=shared-write.js.map