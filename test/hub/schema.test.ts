// The hub's body checker (src/hub/schema.ts) on the shapes the OpenAPI work added: one of several shapes,
// and `json`, which only answers may use.
import { strict as assert } from 'node:assert';
import { HttpError } from '../../src/hub/http-error';
import { routes } from '../../src/hub/api/index';
import { bytes, check, either, integer, json, obj, oneOf, str } from '../../src/hub/schema';
import { routeTable } from '../../src/hub/server';

const refused = (re: RegExp) => (err: unknown) => err instanceof HttpError && err.status === 400 && re.test(err.message);

describe('hub schema checker', () => {
  const source = either(obj({ kind: oneOf(['capture']), machine: str }), obj({ kind: oneOf(['restore']), fromVersion: integer }));

  it('takes the first of several shapes that fits, and refuses a value that fits none, naming where', () => {
    assert.deepEqual(check(source, { kind: 'restore', fromVersion: 2 }, 'body', []), { kind: 'restore', fromVersion: 2 });
    assert.throws(() => check(obj({ source }), { source: { kind: 'capture', fromVersion: 2 } }, 'body', []), refused(/^source must be one of 2 shapes/));
  });

  it('wipes the bytes an unfitting option decoded too', () => {
    const wipe: Buffer[] = [];
    const s = either(obj({ password: bytes, n: integer }), obj({ password: bytes }));
    check(s, { password: Buffer.from('secret-1').toString('base64') }, 'body', wipe);
    assert.equal(wipe.length, 2, 'both tries decoded the password, and both Buffers are on the wipe list');
  });

  it('refuses any body where a json (answers only) shape is declared', () => {
    assert.throws(() => check(obj({ anything: json }), { anything: { a: 1 } }, 'body', []), refused(/^anything is not accepted/));
  });
});

describe('hub route table', () => {
  it('has every route once, and a route listed twice stops the hub from starting, naming it', () => {
    assert.equal(routeTable(routes).size, routes.length);
    assert.throws(() => routeTable([...routes, routes[3]]), new RegExp(`lists ${routes[3].method} ${routes[3].path} more than once`));
  });
});
