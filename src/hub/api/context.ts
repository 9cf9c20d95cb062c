/**
 * What every route of the hub's JSON API shares: the request's context, the Route record the router
 * (src/hub/server.ts) and the OpenAPI document (openapi.ts) read, and the gate that records a refusal
 * before it answers 403. The routes themselves are in the *-routes.ts files beside this one, listed
 * once in index.ts.
 */
import type { EventRecord } from '../../domain/types';
import type { VaultPort } from '../../ports/vault.port';
import { HUB_MACHINE, appliesToAgent, atLeast, describePrincipal, type Principal } from '../access';
import { HttpError } from '../http-error';
import type { ThrottleLimits } from '../login-throttle';
import type { QueryParams } from './query';
import type { Schema } from '../schema';
import type { AlertService } from '../alerts';
import type { CredentialScope, HubStore, HubUser, Role } from '../store';

/** Failed-login throttle: `free` failures per user name and per address, then waits that double (login-throttle.ts). */
export type LoginLimits = ThrottleLimits;

export interface ApiContext {
  vault: VaultPort;
  store: HubStore;
  /** Webhook alerts (src/hub/alerts.ts). */
  alerts: AlertService;
  limits: LoginLimits;
  principal?: Principal;
  /** The peer's address, for login limits and events. */
  address: string;
  now: () => number;
  /** The request's query string (GET routes). */
  query?: URLSearchParams;
  /** True once the peer has gone or the hub is closing: a long poll stops. */
  gone?: () => boolean;
  /** `pwbridge hub --require-mfa`: an admin without a second factor may only enrol one (server.ts). */
  requireMfa?: boolean;
  /** Extra response headers (Set-Cookie). */
  setHeader(name: string, value: string): void;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** No login needed (login itself, health). */
  public?: boolean;
  /** Served to an admin without a second factor on a hub with --require-mfa (enrolling one, who am I, log out). */
  withoutMfa?: boolean;
  /** POST: the body's shape, checked before the handler runs (schema.ts). */
  body?: Schema;
  /** A larger body than the hub's default (an import's file), and the 413's message naming the limit. */
  bodyLimit?: { bytes: number; message: string };
  /** GET: the query parameters the route reads (query.ts), for the handler's check and the OpenAPI document. */
  query?: QueryParams;
  /** One line for the OpenAPI document: what it does, and who may (in brackets). */
  summary: string;
  /** The shape of a successful answer (the OpenAPI document's, and what the tests check real answers against). */
  response: Schema;
  handle(ctx: ApiContext, args: any): Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function record(ctx: ApiContext, e: Omit<EventRecord, 'time' | 'machine'>): Promise<void> {
  const machine = ctx.principal?.kind === 'agent' ? ctx.principal.agent.machine : HUB_MACHINE;
  await ctx.vault.appendEvents([{ ...e, time: ctx.now(), machine }]);
}

/** Refuse with 403, after recording who tried what (the event is stored before the answer). */
export async function refuse(ctx: ApiContext, what: string, about: { account?: string; credentialId?: number } = {}): Promise<never> {
  const reason = `${describePrincipal(ctx.principal)} may not ${what}`;
  await record(ctx, { kind: 'access-refused', outcome: 'refused', reason, ...about });
  throw new HttpError(403, 'forbidden', reason);
}

export function requireUser(ctx: ApiContext): HubUser {
  if (ctx.principal?.kind !== 'user') throw new HttpError(403, 'forbidden', `${describePrincipal(ctx.principal)}: this needs a user's login, not an agent token`);
  return ctx.principal.user;
}

/**
 * The gate of every vault route. A user needs `role`; an agent passes only what `agentAllows` says
 * (undefined: no agent may call it). Both refusals are recorded.
 */
export async function gate(ctx: ApiContext, what: string, role: Role, agentAllows?: () => Promise<boolean> | boolean,
  about: { account?: string; credentialId?: number } = {}): Promise<void> {
  const p = ctx.principal!;
  if (p.kind === 'user') {
    if (!atLeast(p.user.role, role)) await refuse(ctx, what, about);
    return;
  }
  if (!agentAllows || !(await agentAllows())) await refuse(ctx, what, about);
}

/** The calling agent (only where the gate or the route already made sure the caller is one). */
export const agentOf = (ctx: ApiContext) => (ctx.principal as Extract<Principal, { kind: 'agent' }>).agent;

/** For the id-based methods: where the credential is (an unknown id passes, and the vault says not found). */
export async function agentMayTouchId(ctx: ApiContext, id: number): Promise<{ ok: boolean; account?: string }> {
  if (ctx.principal?.kind !== 'agent') return { ok: true };
  return agentMayTouch(ctx, await ctx.store.credentialScope(id));
}

/** agentMayTouchId with the credential's scope already looked up (undefined: no such id). */
export function agentMayTouch(ctx: ApiContext, scope: CredentialScope | undefined): { ok: boolean; account?: string } {
  if (ctx.principal?.kind !== 'agent' || !scope) return { ok: true };
  return { ok: appliesToAgent(ctx.principal.agent, scope.client, scope.username), account: scope.username };
}
