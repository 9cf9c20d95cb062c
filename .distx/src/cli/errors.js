"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UsageError = void 0;
/** A refusal of the user's input (arguments, stdin). Printed as is; exit status 2; nothing changed. */
class UsageError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UsageError';
    }
}
exports.UsageError = UsageError;
//# sourceMappingURL=errors.js.map