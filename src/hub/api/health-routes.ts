/**
 * GET /healthz (the process answers) and GET /readyz (and its database does), for load balancers and
 * orchestrators: public, and neither says more than yes or no.
 */
import { HttpError } from '../http-error';
import { bool, obj } from '../schema';
import type { Route } from './context';

export const healthRoutes: Route[] = [
  {
    method: 'GET', path: '/healthz', public: true,
    summary: 'The hub process answers (no database look-up)',
    response: obj({ ok: bool }),
    handle: async () => ({ ok: true }),
  },
  {
    method: 'GET', path: '/readyz', public: true,
    summary: 'The hub and its database answer (503 when the database does not)',
    response: obj({ ready: bool }),
    async handle(ctx) {
      try {
        await ctx.store.ping();
      } catch (err) {
        // Anyone may ask: the answer does not repeat the database's message (it names hosts and users); the log does.
        throw Object.assign(new HttpError(503, 'not-ready', 'the database does not answer; the hub\'s log has the detail'), { cause: err });
      }
      return { ready: true };
    },
  },
];
