"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.arr = exports.obj = exports.bytes = exports.integer = exports.bool = exports.str = void 0;
exports.check = check;
/**
 * The shape of each JSON request body, checked before any handler runs: JSON types, required and unknown
 * fields, list lengths. A failure names the field (`credential.windowsSync must be true or false`). What
 * a value means (a mode, an empty name, a negative id) is the vault's to check, with the vault's own
 * messages, so the HTTP adapter answers exactly as the embedded vault does.
 *
 * `bytes` fields are base64 in JSON (passwords) and become Buffers, which the request wipes when done.
 */
const http_error_1 = require("./http-error");
exports.str = { t: 'string' };
exports.bool = { t: 'boolean' };
exports.integer = { t: 'integer' };
exports.bytes = { t: 'bytes' };
const obj = (fields, optional = []) => ({ t: 'object', fields, optional });
exports.obj = obj;
const arr = (of, max) => ({ t: 'array', of, max });
exports.arr = arr;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Check `value` against `schema`; returns it with bytes decoded. Every Buffer made is pushed on `wipe`. */
function check(schema, value, at, wipe) {
    const bad = (what) => { throw new http_error_1.HttpError(400, 'bad-request', `${at} ${what}`); };
    switch (schema.t) {
        case 'string':
            if (typeof value !== 'string')
                bad('must be a string');
            return value;
        case 'boolean':
            if (typeof value !== 'boolean')
                bad('must be true or false');
            return value;
        case 'integer':
            if (!Number.isSafeInteger(value))
                bad('must be an integer');
            return value;
        case 'bytes': {
            // The content is a secret: only its type and encoding are looked at, never echoed.
            if (typeof value !== 'string' || !BASE64.test(value))
                bad('must be a base64 string');
            const buf = Buffer.from(value, 'base64');
            wipe.push(buf);
            return buf;
        }
        case 'array':
            if (!Array.isArray(value))
                bad('must be a list');
            if (value.length > schema.max)
                bad(`has more than ${schema.max} items`);
            return value.map((v, i) => check(schema.of, v, `${at}[${i}]`, wipe));
        case 'object': {
            if (value === null || typeof value !== 'object' || Array.isArray(value))
                bad('must be an object');
            const input = value;
            const out = {};
            for (const key of Object.keys(input)) {
                if (!Object.prototype.hasOwnProperty.call(schema.fields, key)) {
                    bad(`has an unknown field ${JSON.stringify(key)} (known: ${Object.keys(schema.fields).join(', ') || 'none'})`);
                }
            }
            for (const [key, field] of Object.entries(schema.fields)) {
                const path = at === 'body' ? key : `${at}.${key}`;
                if (!Object.prototype.hasOwnProperty.call(input, key)) {
                    if (schema.optional?.includes(key))
                        continue;
                    throw new http_error_1.HttpError(400, 'bad-request', `${path} is required`);
                }
                out[key] = check(field, input[key], path, wipe);
            }
            return out;
        }
    }
}
//# sourceMappingURL=schema.js.map