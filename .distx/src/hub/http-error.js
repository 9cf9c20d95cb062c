"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ERROR_CODES = exports.HttpError = void 0;
/**
 * A refusal the hub answers with: HTTP status, a stable code the HTTP adapter maps back to the vault's own
 * errors, and a message that names what is wrong (never a password or token). `detail` carries what the
 * adapter needs to rebuild the error exactly (a not-found's subject, a conflict's versions).
 */
class HttpError extends Error {
    status;
    code;
    detail;
    headers;
    constructor(status, code, message, detail = {}, headers = {}) {
        super(message);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.headers = headers;
        this.name = 'HttpError';
    }
}
exports.HttpError = HttpError;
/** Error codes on the wire (the `error.code` of a JSON error body). */
exports.ERROR_CODES = {
    badRequest: 'bad-request',
    input: 'input',
    notFound: 'not-found',
    conflict: 'conflict',
    unauthenticated: 'unauthenticated',
    forbidden: 'forbidden',
    // 403 for a write the client's own options refuse (final: HttpVault turns it into VaultPolicyError, not a held refusal)
    policy: 'policy',
    rateLimited: 'rate-limited',
    tooLarge: 'too-large',
    unavailable: 'unavailable',
};
//# sourceMappingURL=http-error.js.map