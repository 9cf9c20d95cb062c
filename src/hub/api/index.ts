/**
 * Every route of the hub's JSON API, in one list: the router (src/hub/server.ts) serves exactly these,
 * each with a summary and its answer's shape. A new route goes in its
 * topic's *-routes.ts and is listed here.
 */
import { agentRoutes } from './agent-routes';
import type { Route } from './context';
import { dashboardRoutes } from './dashboard-routes';
import { healthRoutes } from './health-routes';
import { historyRoutes } from './history-routes';
import { revealRoutes } from './reveal-routes';
import { sessionRoutes } from './session-routes';
import { userRoutes } from './user-routes';
import { vaultRoutes } from './vault-routes';

export const routes: Route[] = [
  ...healthRoutes,
  ...sessionRoutes,
  ...userRoutes,
  ...agentRoutes,
  ...vaultRoutes,
  ...historyRoutes,
  ...dashboardRoutes,
  ...revealRoutes,
];

