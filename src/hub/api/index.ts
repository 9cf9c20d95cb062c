/**
 * Every route of the hub's JSON API, in one list: the router (src/hub/server.ts) serves exactly these,
 * and the OpenAPI document (GET /api/openapi.json) describes exactly these. A new route goes in its
 * topic's *-routes.ts and is listed here.
 */
import { agentRoutes } from './agent-routes';
import { alertRoutes } from './alert-routes';
import type { Route } from './context';
import { browseRoutes } from './browse-routes';
import { conflictRoutes } from './conflict-routes';
import { dashboardRoutes } from './dashboard-routes';
import { enrolmentRoutes } from './enrolment-routes';
import { healthRoutes } from './health-routes';
import { historyRoutes } from './history-routes';
import { mfaRoutes } from './mfa-routes';
import { openApiRoute } from './openapi-routes';
import { revealRoutes } from './reveal-routes';
import { rotationRoutes } from './rotation-routes';
import { sessionRoutes } from './session-routes';
import { transferRoutes } from './transfer-routes';
import { userRoutes } from './user-routes';
import { vaultRoutes } from './vault-routes';

const listed: Route[] = [
  ...healthRoutes,
  ...sessionRoutes,
  ...userRoutes,
  ...mfaRoutes,
  ...agentRoutes,
  ...enrolmentRoutes,
  ...alertRoutes,
  ...vaultRoutes,
  ...historyRoutes,
  ...dashboardRoutes,
  ...revealRoutes,
  ...transferRoutes,
  ...conflictRoutes,
  ...browseRoutes,
  ...rotationRoutes,
];

/** The table, the document that describes it included (built from `routes` on its first request). */
export const routes: Route[] = [...listed, openApiRoute(() => routes)];
