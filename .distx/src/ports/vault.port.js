"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VaultPolicyError = exports.VaultRefusedError = exports.VaultNotFoundError = exports.VaultConflictError = void 0;
class VaultConflictError extends Error {
    credentialId;
    expected;
    actual;
    constructor(credentialId, expected, actual) {
        super(`credential ${credentialId} is at version ${actual}, the write was based on version ${expected}`);
        this.credentialId = credentialId;
        this.expected = expected;
        this.actual = actual;
        this.name = 'VaultConflictError';
    }
}
exports.VaultConflictError = VaultConflictError;
class VaultNotFoundError extends Error {
    constructor(what) {
        super(`${what} does not exist`);
        this.name = 'VaultNotFoundError';
    }
}
exports.VaultNotFoundError = VaultNotFoundError;
/**
 * The vault refused this caller, not this write: a hub that no longer accepts the agent token (revoked,
 * or the machine was enrolled again elsewhere), or a write outside the token's scope. Retrying soon cannot
 * help until a person acts, so the journal keeps the entry (it never dead-letters it for age) and tries
 * again after `retryAfterMs`.
 */
class VaultRefusedError extends Error {
    status;
    retryAfterMs;
    constructor(status, message, retryAfterMs) {
        super(message);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.name = 'VaultRefusedError';
    }
}
exports.VaultRefusedError = VaultRefusedError;
/**
 * The vault refuses this write because of the client's own options (a capture for a shared credential
 * while agents may not write shared credentials). Final for this write: the same write is refused until
 * an operator changes the option, so the agent records it and does not retry it.
 */
class VaultPolicyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'VaultPolicyError';
    }
}
exports.VaultPolicyError = VaultPolicyError;
//# sourceMappingURL=vault.port.js.map