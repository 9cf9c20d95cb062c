/**
 * `pwbridge hub --require-mfa`: an admin without a TOTP second factor may log in, but only to enrol one.
 * Every other route (admin powers, and the operator powers an admin holds too) answers 403 mfa-required
 * with what to do, and the refusal is recorded (event 4040). Operators and viewers are not concerned: the
 * option is about the accounts that manage users and tokens. Logging in stays possible because the
 * dashboard is where a second factor is enrolled; without it an admin would need the hub host's CLI.
 */
import type { VaultPort } from '../ports/vault.port';
import { HUB_MACHINE, describePrincipal, type Principal } from './access';
import type { Route } from './api/context';
import { HttpError } from './http-error';

export const MFA_REQUIRED_MESSAGE = 'this hub requires admins to use a second factor: enrol one first (dashboard: Two-factor sign-in; '
  + 'API: POST /api/account/mfa/begin, then /api/account/mfa/confirm with a code); the session may then use them at once';

export async function refuseAdminWithoutMfa(route: Route, principal: Principal | undefined, deps: { vault: VaultPort; now: () => number; address: string }): Promise<void> {
  if (route.public || route.withoutMfa || principal?.kind !== 'user') return;
  const { user } = principal;
  if (user.role !== 'admin' || user.mfa) return;
  await deps.vault.appendEvents([{
    time: deps.now(), machine: HUB_MACHINE, account: user.name, kind: 'mfa-required', outcome: 'refused',
    reason: `${describePrincipal(principal)} from ${deps.address} asked for ${route.method} ${route.path} without a second factor (--require-mfa)`,
  }]);
  throw new HttpError(403, 'mfa-required', MFA_REQUIRED_MESSAGE);
}
