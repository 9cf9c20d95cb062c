/**
 * The OpenAPI 3.1 document of the hub's API, generated from the route table (index.ts): each route's
 * body and response are schema.ts shapes and its query parameters query.ts declarations, the same
 * objects the hub checks requests with, so the document cannot drift from what the hub accepts. The
 * tests (test/hub/openapi.test.ts) check real answers against it with a JSON Schema validator.
 *
 * Every object is `additionalProperties: false`: the checker refuses unknown body fields, and an answer
 * that grows a field the shape does not declare fails the tests until the shape says it.
 */
import { ERROR_CODES } from '../http-error';
import { METRICS_PATH } from '../metrics-route';
import { BASE64, type Schema } from '../schema';
import type { Route } from './context';
import type { QueryParam } from './query';
import { SESSION_COOKIE } from './session-routes';
import { NAMED_SHAPES } from './shapes';

export const OPENAPI_PATH = '/api/openapi.json';
type JsonSchema = Record<string, unknown>;

/**
 * A schema.ts shape as JSON Schema (draft 2020-12, OpenAPI 3.1's dialect). A shape `names` has (the very
 * object) becomes a reference to components/schemas, except the one being defined.
 */
export function jsonSchema(s: Schema, names: ReadonlyMap<Schema, string> = new Map(), defining?: Schema): JsonSchema {
  const name = names.get(s);
  if (name !== undefined && s !== defining) return { $ref: `#/components/schemas/${name}` };
  const sub = (x: Schema) => jsonSchema(x, names);
  switch (s.t) {
    case 'string': return { type: 'string' };
    case 'boolean': return { type: 'boolean' };
    case 'integer': return { type: 'integer' };
    case 'number': return { type: 'number' };
    case 'bytes': return { type: 'string', contentEncoding: 'base64', pattern: BASE64.source };
    case 'enum': return { type: 'string', enum: [...s.values] };
    case 'nullable': return { anyOf: [sub(s.of), { type: 'null' }] };
    case 'union': return { anyOf: s.of.map(sub) };
    case 'array': return { type: 'array', items: sub(s.of), ...(Number.isFinite(s.max) ? { maxItems: s.max } : {}) };
    case 'map': return { type: 'object', additionalProperties: sub(s.of) };
    case 'json': return {};
    case 'object': {
      const required = Object.keys(s.fields).filter((k) => !s.optional?.includes(k));
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(s.fields).map(([k, f]) => [k, sub(f)])),
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      };
    }
  }
}

function parameter(name: string, p: QueryParam): JsonSchema {
  const schema = p.t === 'integer' ? { type: 'integer', minimum: p.min, maximum: p.max } : { type: 'string', minLength: p.minLength ?? 1, maxLength: p.maxLength };
  return { name, in: 'query', required: false, description: p.description, schema };
}

/** `POST /api/vault/addClient` → `postApiVaultAddClient`: unique, as each method and path is. */
const operationId = (r: Pick<Route, 'method' | 'path'>) =>
  r.method.toLowerCase() + r.path.replace(/[^A-Za-z0-9]+([A-Za-z0-9]?)/g, (_, c: string) => c.toUpperCase());

const ERRORS = { '4XX': { $ref: '#/components/responses/Error' }, '5XX': { $ref: '#/components/responses/Error' } };

function operation(r: Route): JsonSchema {
  return {
    operationId: operationId(r),
    summary: r.summary,
    ...(r.public ? { security: [] } : {}),
    ...(r.query && Object.keys(r.query).length > 0 ? { parameters: Object.entries(r.query).map(([n, p]) => parameter(n, p)) } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, NAMED_SHAPES) } } } } : {}),
    responses: {
      200: { description: r.summary, content: { 'application/json': { schema: jsonSchema(r.response, NAMED_SHAPES) } } },
      ...ERRORS,
    },
  };
}

/** GET /metrics is served beside the route table (metrics-route.ts), in Prometheus's text format. */
const metricsOperation = {
  operationId: 'getMetrics',
  summary: 'Prometheus text exposition: counts only, no names; a scrape token, a user session, or none with --metrics-public',
  security: [{ metricsToken: [] }, { session: [] }, {}],
  responses: { 200: { description: 'The exposition', content: { 'text/plain': { schema: { type: 'string' } } } }, ...ERRORS },
};

export function openApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) {
    const at = (paths[r.path] ??= {});
    const method = r.method.toLowerCase();
    if (at[method]) throw new Error(`${r.method} ${r.path} is in the route table twice`);
    at[method] = operation(r);
  }
  paths[METRICS_PATH] = { get: metricsOperation };
  return {
    openapi: '3.1.0',
    info: {
      title: 'pwbridge hub',
      version,
      description: 'The pwbridge hub\'s JSON API: the vault over HTTPS for agents, the dashboard and the CLI. '
        + 'Passwords travel as base64 strings (contentEncoding base64). Every error is { error: { code, message, … } }.',
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie POST /api/login sets (HttpOnly, Secure, SameSite=Strict)' },
        bearer: { type: 'http', scheme: 'bearer', description: 'A user\'s session token (POST /api/login with bearer: true) or an agent token (POST /api/agents)' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The scrape token of --metrics-token-file (GET /metrics only)' },
      },
      schemas: {
        ...Object.fromEntries([...NAMED_SHAPES].map(([shape, name]) => [name, jsonSchema(shape, NAMED_SHAPES, shape)])),
        Error: {
          type: 'object',
          required: ['error'],
          additionalProperties: false,
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: `A stable code, e.g. ${Object.values(ERROR_CODES).join(', ')}` },
                message: { type: 'string', description: 'What is wrong, for a person; never a password or token' },
              },
              // The detail an adapter needs to rebuild the error (a not-found's subject, a conflict's versions, a wait).
              additionalProperties: { type: ['string', 'number'] },
            },
          },
        },
      },
      responses: {
        Error: { description: 'A refusal or a failure', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
}
