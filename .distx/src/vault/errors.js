"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VaultInputError = void 0;
/**
 * Bad input to the vault (unknown mode, empty username, duplicate client, …). The message says what is
 * wrong and which name; it never holds a password. Not-found and version conflicts use the port's
 * VaultNotFoundError and VaultConflictError.
 */
class VaultInputError extends Error {
    constructor(message) {
        super(message);
        this.name = 'VaultInputError';
    }
}
exports.VaultInputError = VaultInputError;
//# sourceMappingURL=errors.js.map