/**
 * Hub users, for admins: GET /api/users, POST /api/users (create) and POST /api/users/<op> (passwd,
 * disable, enable, set), the same operations as the hub host's CLI (src/hub/user-admin.ts), which records
 * each change as the caller's. Refusing the last enabled admin is a 409.
 */
import { describePrincipal } from '../access';
import { HttpError } from '../http-error';
import { arr, bytes, list, obj, str, type Schema } from '../schema';
import { LastAdminError, checkRole, type HubUser, type Permission } from '../store';
import { changeAccess, createUser, setDisabled, setPassword, type UserAdmin } from '../user-admin';
import { refuse, requireUser, type ApiContext, type Route } from './context';
import { generatePassword } from '../passwords';
import { bool } from '../schema';
import { publicUser, user, userAnswer } from './shapes';

/** A user as the admins' list shows one: with whether a second factor is on (src/hub/mfa.ts). */
const listedUser: Schema = obj({ ...(user as Extract<Schema, { t: 'object' }>).fields, mfa: bool });

/** Changes to users made by the caller (an admin; src/hub/user-admin.ts records them as theirs). */
const userAdmin = (ctx: ApiContext): UserAdmin => ({ vault: ctx.vault, store: ctx.store, by: describePrincipal(ctx.principal), now: ctx.now });

/** POST /api/users/<op> with the user's name; answers the user as it is after the change. */
function userChange(op: string, summary: string, body: Schema, run: (a: UserAdmin, args: any) => Promise<{ user?: HubUser; after?: HubUser }>): Route { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    method: 'POST', path: `/api/users/${op}`, body, summary, response: userAnswer,
    async handle(ctx, args: { name: string }) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, `${op} user "${args.name}"`);
      try {
        const r = await run(userAdmin(ctx), args);
        return { user: publicUser((r.user ?? r.after)!) };
      } catch (err) {
        if (err instanceof LastAdminError) throw new HttpError(409, 'last-admin', err.message);
        throw err;
      }
    },
  };
}

export const userRoutes: Route[] = [
  {
    method: 'GET', path: '/api/users',
    summary: 'Every hub user, with whether each has a second factor (admin)',
    response: obj({ users: list(listedUser) }),
    async handle(ctx) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, 'list users');
      return { users: (await ctx.store.listUsers()).map((u) => ({ ...publicUser(u), mfa: u.mfa })) };
    },
  },
  {
    method: 'POST', path: '/api/users',
    summary: 'Create a hub user (admin)',
    body: obj({ name: str, role: str, permissions: arr(str, 8), password: bytes }, ['permissions']),
    response: userAnswer,
    async handle(ctx, a: { name: string; role: string; permissions?: string[]; password: Buffer }) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, `create user "${a.name}"`);
      const created = await createUser(userAdmin(ctx), a.name, checkRole(a.role), (a.permissions ?? []) as Permission[], a.password);
      return { user: publicUser(created) };
    },
  },
  userChange('passwd', 'A user\'s new password; their sessions end (admin)', obj({ name: str, password: bytes }),
    (a, x: { name: string; password: Buffer }) => setPassword(a, x.name, x.password)),
  {
    method: 'POST', path: '/api/users/passwd-generate', body: obj({ name: str }),
    summary: 'A new password the hub generates, answered this once; the user\'s sessions end (admin)',
    response: obj({ user, password: bytes }),
    async handle(ctx, a: { name: string }) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, `set the password of user "${a.name}"`);
      const password = generatePassword();
      try {
        const r = await setPassword(userAdmin(ctx), a.name, password);
        return { user: publicUser(r.user), password: password.toString('base64') };
      } finally {
        password.fill(0);
      }
    },
  },
  userChange('disable', 'Disable a user; their sessions end (admin; never the last enabled admin)', obj({ name: str }),
    (a, x: { name: string }) => setDisabled(a, x.name, true)),
  userChange('enable', 'Enable a user again (admin)', obj({ name: str }), (a, x: { name: string }) => setDisabled(a, x.name, false)),
  userChange('set', 'A user\'s new role, permissions or both (admin)', obj({ name: str, role: str, permissions: arr(str, 8) }, ['role', 'permissions']),
    (a, x: { name: string; role?: string; permissions?: string[] }) => {
      if (x.role === undefined && x.permissions === undefined) throw new HttpError(400, 'bad-request', 'give role, permissions or both');
      return changeAccess(a, x.name, { role: x.role === undefined ? undefined : checkRole(x.role), permissions: x.permissions as Permission[] | undefined });
    }),
];
