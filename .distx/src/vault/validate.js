"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FLAGS = void 0;
exports.checkName = checkName;
exports.checkMode = checkMode;
exports.checkBool = checkBool;
exports.checkFlag = checkFlag;
exports.checkPassword = checkPassword;
exports.checkEventId = checkEventId;
exports.checkId = checkId;
exports.checkNewClient = checkNewClient;
exports.checkClientChange = checkClientChange;
exports.checkNewCredential = checkNewCredential;
exports.checkChange = checkChange;
exports.checkEvent = checkEvent;
/**
 * Input checks for the vault. Each error names the field and the offending name (never a password), so
 * a caller (CLI, hub API) can show it as is.
 */
const types_1 = require("../domain/types");
const errors_1 = require("./errors");
exports.FLAGS = ['mismatch', 'conflict', 'policy-refused'];
const OUTCOMES = new Set(['ok', 'skipped', 'flagged', 'refused', 'failed', 'info']);
const MAX_NAME = 256;
/** A client, machine or user name: non-empty, no control characters (they break logs and the CLI), bounded. */
function checkName(what, value) {
    if (typeof value !== 'string' || value.trim() === '')
        throw new errors_1.VaultInputError(`${what} must be a non-empty string`);
    if (value.length > MAX_NAME)
        throw new errors_1.VaultInputError(`${what} is longer than ${MAX_NAME} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value))
        throw new errors_1.VaultInputError(`${what} ${JSON.stringify(value)} contains a control character`);
    return value;
}
function checkMode(what, value) {
    if (value !== 'report' && value !== 'change') {
        throw new errors_1.VaultInputError(`${what} must be 'report' or 'change', got ${JSON.stringify(value)}`);
    }
    return value;
}
function checkBool(what, value) {
    if (typeof value !== 'boolean')
        throw new errors_1.VaultInputError(`${what} must be true or false`);
    return value;
}
function checkFlag(value) {
    if (!exports.FLAGS.includes(value))
        throw new errors_1.VaultInputError(`flag must be one of ${exports.FLAGS.join(', ')}, got ${JSON.stringify(value)}`);
    return value;
}
/** Only the type is checked: the content is a secret and is never looked at or echoed. */
function checkPassword(value) {
    if (!Buffer.isBuffer(value))
        throw new errors_1.VaultInputError('password must be a Buffer');
    return value;
}
/** Event ids are hex; folded so that a re-delivery in other case is still recognised. */
function checkEventId(value) {
    if (typeof value !== 'string' || !/^[0-9A-Za-z_-]{1,128}$/.test(value)) {
        throw new errors_1.VaultInputError('event id must be 1 to 128 characters of [0-9A-Za-z_-]');
    }
    return value.toLowerCase();
}
function checkId(what, value) {
    if (!Number.isSafeInteger(value) || value < 0)
        throw new errors_1.VaultInputError(`${what} must be a non-negative integer`);
    return value;
}
const CLIENT_OPTIONS = Object.keys(types_1.CLIENT_DEFAULTS);
/** A new client with CLIENT_DEFAULTS for the options it does not give; unknown fields are refused by name. */
function checkNewClient(c) {
    if (c === null || typeof c !== 'object')
        throw new errors_1.VaultInputError('client must be an object');
    checkName('client name', c.name);
    const { name, ...options } = c;
    return { name, ...types_1.CLIENT_DEFAULTS, ...checkClientChange(options) };
}
/** The options given (each checked), nothing else: a field that is not an option is refused by name. */
function checkClientChange(c) {
    if (c === null || typeof c !== 'object')
        throw new errors_1.VaultInputError('client change must be an object');
    const out = {};
    for (const [key, value] of Object.entries(c)) {
        if (value === undefined)
            continue;
        if (!CLIENT_OPTIONS.includes(key)) {
            throw new errors_1.VaultInputError(`${JSON.stringify(key)} is not a client option (options: ${CLIENT_OPTIONS.join(', ')})`);
        }
        out[key] = key === 'defaultMode' ? checkMode(key, value) : checkBool(key, value);
    }
    return out;
}
function checkNewCredential(c) {
    checkName('client name', c?.client);
    checkName('username', c.username);
    checkPassword(c.password);
    checkBool('windowsSync', c.windowsSync);
    checkMode('mode', c.mode);
}
function checkChange(c) {
    if (c === null || typeof c !== 'object')
        throw new errors_1.VaultInputError('change must be an object');
    if (c.mode !== undefined)
        checkMode('mode', c.mode);
    if (c.windowsSync !== undefined)
        checkBool('windowsSync', c.windowsSync);
    if (c.password !== undefined)
        checkPassword(c.password);
}
function checkEvent(e, index) {
    const at = `event ${index}`;
    if (!Number.isSafeInteger(e?.time))
        throw new errors_1.VaultInputError(`${at}: time must be an integer (ms)`);
    checkName(`${at}: machine`, e.machine);
    checkName(`${at}: kind`, e.kind);
    if (!OUTCOMES.has(e.outcome))
        throw new errors_1.VaultInputError(`${at}: outcome ${JSON.stringify(e.outcome)} is not one of ${[...OUTCOMES].join(', ')}`);
    if (e.account !== undefined && typeof e.account !== 'string')
        throw new errors_1.VaultInputError(`${at}: account must be a string`);
    if (e.credentialId !== undefined)
        checkId(`${at}: credentialId`, e.credentialId);
    if (e.reason !== undefined && typeof e.reason !== 'string')
        throw new errors_1.VaultInputError(`${at}: reason must be a string`);
    if (e.traceId !== undefined && typeof e.traceId !== 'string')
        throw new errors_1.VaultInputError(`${at}: traceId must be a string`);
    if (e.uid !== undefined && (typeof e.uid !== 'string' || !/^[0-9a-f]{32}$/.test(e.uid))) {
        throw new errors_1.VaultInputError(`${at}: uid must be 32 lowercase hex characters`);
    }
}
//# sourceMappingURL=validate.js.map