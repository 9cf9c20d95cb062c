/**
 * The shape of each JSON request body, checked before any handler runs: JSON types, required and unknown
 * fields, list lengths. A failure names the field (`credential.windowsSync must be true or false`). What
 * a value means (a mode, an empty name, a negative id) is the vault's to check, with the vault's own
 * messages, so the HTTP adapter answers exactly as the embedded vault does.
 *
 * `bytes` fields are base64 in JSON (passwords) and become Buffers, which the request wipes when done.
 *
 * Not Ajv (or fastify's validator, which is Ajv): a JSON Schema validator checks the parsed value and
 * leaves each password a JS string, which cannot be wiped; this checker decodes it into a Buffer the
 * request wipes, and its messages name the field in the vault's words. The OpenAPI document
 * (src/hub/api/openapi.ts) is generated from these shapes, and the tests check the hub's real answers
 * against it with Ajv, so the two cannot drift apart unseen.
 */
import { HttpError } from './http-error';

export type Schema =
  | { t: 'string' }
  | { t: 'boolean' }
  | { t: 'integer' }
  | { t: 'bytes' }
  | { t: 'number' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'nullable'; of: Schema }
  | { t: 'array'; of: Schema; max: number }
  | { t: 'map'; of: Schema }
  | { t: 'object'; fields: Record<string, Schema>; optional?: readonly string[] }
  /** One of several shapes (the first that fits): a PasswordSource's kinds, GET /api/me's user or agent. */
  | { t: 'union'; of: readonly Schema[] }
  /** Any JSON value: for an answer only (the OpenAPI document's own), never a body. */
  | { t: 'json' };

export const str: Schema = { t: 'string' };
export const bool: Schema = { t: 'boolean' };
export const integer: Schema = { t: 'integer' };
export const bytes: Schema = { t: 'bytes' };
export const num: Schema = { t: 'number' };
export const oneOf = (values: readonly string[]): Schema => ({ t: 'enum', values });
export const nullable = (of: Schema): Schema => ({ t: 'nullable', of });
/** An object whose keys are data (a count per flag), every value of one shape. */
export const map = (of: Schema): Schema => ({ t: 'map', of });
export const obj = (fields: Record<string, Schema>, optional: readonly string[] = []): Schema => ({ t: 'object', fields, optional });
export const arr = (of: Schema, max: number): Schema => ({ t: 'array', of, max });
/** A list in an answer, as long as the data is (a body's list always has a max: arr). */
export const list = (of: Schema): Schema => ({ t: 'array', of, max: Infinity });
export const json: Schema = { t: 'json' };
export const either = (...of: Schema[]): Schema => ({ t: 'union', of });

/**
 * Canonical base64: whole quads, padding only at the end. A character class and a length check, not a
 * repeated group: V8's regex overflows its stack on a group repeated millions of times (an import's file).
 */
const BASE64_CHARS = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const isBase64 = (v: string): boolean => v.length % 4 === 0 && BASE64_CHARS.test(v);

/** Standard base64 with padding, as a pattern for the OpenAPI document (the checker uses isBase64, which is the same set of strings). */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Check `value` against `schema`; returns it with bytes decoded. Every Buffer made is pushed on `wipe`. */
export function check(schema: Schema, value: unknown, at: string, wipe: Buffer[]): unknown {
  const bad = (what: string): never => { throw new HttpError(400, 'bad-request', `${at} ${what}`); };
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') bad('must be a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') bad('must be true or false');
      return value;
    case 'integer':
      if (!Number.isSafeInteger(value)) bad('must be an integer');
      return value;
    case 'bytes': {
      // The content is a secret: only its type and encoding are looked at, never echoed.
      if (typeof value !== 'string' || !isBase64(value)) bad('must be a base64 string');
      const buf = Buffer.from(value as string, 'base64');
      wipe.push(buf);
      return buf;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) bad('must be a number');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !schema.values.includes(value)) bad(`must be one of ${schema.values.join(', ')}`);
      return value;
    case 'json':
      // Declared for answers only; a body must never take it (nothing in it would be checked or wiped).
      return bad('is not accepted (this schema is for answers only)');
    case 'union': {
      for (const option of schema.of) {
        try {
          return check(option, value, at, wipe);
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
        }
      }
      return bad(`must be one of ${schema.of.length} shapes, and matches none`);
    }
    case 'nullable':
      return value === null ? null : check(schema.of, value, at, wipe);
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) bad('must be an object');
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = check(schema.of, v, `${at}.${key}`, wipe);
      return out;
    }
    case 'array':
      if (!Array.isArray(value)) bad('must be a list');
      if ((value as unknown[]).length > schema.max) bad(`has more than ${schema.max} items`);
      return (value as unknown[]).map((v, i) => check(schema.of, v, `${at}[${i}]`, wipe));
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) bad('must be an object');
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(input)) {
        if (!Object.prototype.hasOwnProperty.call(schema.fields, key)) {
          bad(`has an unknown field ${JSON.stringify(key)} (known: ${Object.keys(schema.fields).join(', ') || 'none'})`);
        }
      }
      for (const [key, field] of Object.entries(schema.fields)) {
        const path = at === 'body' ? key : `${at}.${key}`;
        if (!Object.prototype.hasOwnProperty.call(input, key)) {
          if (schema.optional?.includes(key)) continue;
          throw new HttpError(400, 'bad-request', `${path} is required`);
        }
        out[key] = check(field, input[key], path, wipe);
      }
      return out;
    }
  }
}
