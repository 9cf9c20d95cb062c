/**
 * GET /api/openapi.json: the API's OpenAPI 3.1 document (openapi.ts), built once from the route table.
 *
 * It needs a login (a user's session or an agent token), though it names no secret and no data: whoever
 * should call the API has one, and an anonymous scanner gains a map of every route and which role each
 * wants for nothing. Public would only help someone who cannot log in, who has no route to call anyway
 * but login and health, and those are in docs/hub.md.
 */
import { json, map, obj, str } from '../schema';
import type { Route } from './context';
import { OPENAPI_PATH, openApiDocument } from './openapi';

/** The wire contract's version (not the package's): raised when a route changes incompatibly. */
export const HUB_API_VERSION = '1';

export function openApiRoute(all: () => readonly Route[]): Route {
  let document: unknown;
  return {
    method: 'GET', path: OPENAPI_PATH,
    summary: 'This OpenAPI 3.1 document (any login)',
    response: obj({
      openapi: str, info: obj({ title: str, version: str, description: str }), security: json, paths: map(map(json)), components: json,
    }),
    handle: async () => (document ??= openApiDocument(all(), HUB_API_VERSION)),
  };
}
