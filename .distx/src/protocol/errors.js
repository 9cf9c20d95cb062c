"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyFileError = exports.SealError = exports.ProtocolError = void 0;
const constants_1 = require("./constants");
/**
 * A frame or body the protocol refuses. `detail` says what is wrong in words and never holds frame
 * contents that could be secret (nonces, tags, ciphertext, passwords): only sizes, types and numbers.
 */
class ProtocolError extends Error {
    reason;
    detail;
    constructor(reason, detail) {
        super(`${reason}: ${detail}`);
        this.reason = reason;
        this.detail = detail;
        this.name = 'ProtocolError';
    }
    get code() {
        return constants_1.Reason[this.reason];
    }
}
exports.ProtocolError = ProtocolError;
/** A sealed password that cannot be opened (wrong key, wrong AAD, tampered) or sealed. No secrets in it. */
class SealError extends Error {
    constructor(detail) {
        super(detail);
        this.name = 'SealError';
    }
}
exports.SealError = SealError;
/** Key files that are missing, malformed or too open. Names the file and the mode, never the content. */
class KeyFileError extends Error {
    file;
    constructor(file, detail) {
        super(`${file}: ${detail}`);
        this.file = file;
        this.name = 'KeyFileError';
    }
}
exports.KeyFileError = KeyFileError;
//# sourceMappingURL=errors.js.map