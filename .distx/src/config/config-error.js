"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = void 0;
/** A user error in config or arguments: the CLI prints it and exits with status 2, having changed nothing. */
class ConfigError extends Error {
    field;
    constructor(field, problem, fix) {
        super(`${field}: ${problem}. ${fix}`);
        this.field = field;
        this.name = 'ConfigError';
    }
}
exports.ConfigError = ConfigError;
//# sourceMappingURL=config-error.js.map