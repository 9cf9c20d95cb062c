/**
 * Password rotation (src/hub/rotation/, docs/rotation.md): a client's and a credential's rotation policy,
 * read (any user) and set (operator, as any other change to a client or credential in vault-routes.ts), and
 * "Rotate now" (operator). Agents are refused every one of them: rotation is the vault's to decide.
 *
 * A credential's own policy is refused while it is in Report Mismatches mode (the agent would never set
 * the rotated password; rotate.ts rotationBlocker); a client's policy covers only its Change Password
 * credentials, and the credential's answer says why one in Report Mismatches is not rotated.
 */
import { ALL_CLASSES } from '../../domain/password-policy';
import { VaultInputError } from '../../vault/errors';
import { describePrincipal } from '../access';
import { HttpError } from '../http-error';
import { checkPolicy, describePolicy, nextDue, type RotationPolicy } from '../rotation/policy';
import { describeTarget, effectivePolicy, rotate, rotationBlocker } from '../rotation/rotate';
import { RotationStore, type RotationTarget, type StoredPolicy } from '../rotation/rotation-store';
import { arr, bool, integer, nullable, obj, oneOf, str, list } from '../schema';
import { gate, record, requireUser, type ApiContext, type Route } from './context';
import { credential } from './shapes';

const policy = obj({ everyDays: nullable(integer), afterRead: bool, graceMinutes: integer, length: integer, classes: list(oneOf(ALL_CLASSES)) });
/** A policy as set: the fields not given get the defaults (policy.ts DEFAULT_ROTATION_POLICY). */
const policyBody = obj(
  { everyDays: nullable(integer), afterRead: bool, graceMinutes: integer, length: integer, classes: arr(oneOf(ALL_CLASSES), ALL_CLASSES.length) },
  ['everyDays', 'afterRead', 'graceMinutes', 'length', 'classes'],
);
const storedPolicy = obj({ policy, changedBy: str, changedAt: integer });
const clientRotation = obj({ client: str, policy: nullable(storedPolicy) });
const credentialRotation = obj({
  credentialId: integer, own: nullable(storedPolicy), clientPolicy: nullable(storedPolicy),
  applies: oneOf(['own', 'client', 'none']), nextRotationAt: nullable(integer), blocked: nullable(str),
});

const storeOf = (ctx: ApiContext) => new RotationStore(ctx.store.sql);
const shown = (s: StoredPolicy | undefined) => s ?? null;

async function target(ctx: ApiContext, credentialId: number): Promise<RotationTarget> {
  const t = await storeOf(ctx).target(credentialId);
  if (!t) throw new HttpError(404, 'not-found', `credential ${credentialId} does not exist`, { what: `credential ${credentialId}` });
  return t;
}

/** What the credential dialog shows: both policies, which applies, when it rotates next, or why it never does. */
function credentialAnswer(t: RotationTarget) {
  const p = effectivePolicy(t);
  const blocked = p ? rotationBlocker(t) ?? null : null;
  const due = p && !blocked ? nextDue(p, t.passwordSetAt, t.readDueAt) : undefined;
  return {
    credentialId: t.id, own: shown(t.own), clientPolicy: shown(t.inherited),
    applies: t.own ? 'own' : t.inherited ? 'client' : 'none', nextRotationAt: due ?? null, blocked,
  };
}

const describeSet = (p: RotationPolicy | null) => (p ? `set to ${describePolicy(p)}` : 'removed');

async function getClient(ctx: ApiContext, a: { client: string }) {
  await gate(ctx, `read the rotation policy of client "${a.client}"`, 'viewer');
  const found = await storeOf(ctx).clientPolicy(a.client);
  if (!found) throw new HttpError(404, 'not-found', `client "${a.client}" does not exist`, { what: `client "${a.client}"` });
  return { client: found.client, policy: shown(found.stored) };
}

async function setClient(ctx: ApiContext, a: { client: string; policy: Partial<RotationPolicy> | null }) {
  await gate(ctx, `set the rotation policy of client "${a.client}"`, 'operator');
  const p = a.policy === null ? null : checkPolicy(a.policy);
  const store = storeOf(ctx);
  if (!(await store.setClientPolicy(a.client, p, requireUser(ctx).name, ctx.now()))) {
    throw new HttpError(404, 'not-found', `client "${a.client}" does not exist`, { what: `client "${a.client}"` });
  }
  const found = (await store.clientPolicy(a.client))!;
  await record(ctx, { kind: 'rotation-policy-changed', outcome: 'ok', reason: `rotation policy of client "${found.client}" ${describeSet(p)} by ${describePrincipal(ctx.principal)}` });
  return { client: found.client, policy: shown(found.stored) };
}

async function getCredential(ctx: ApiContext, a: { credentialId: number }) {
  await gate(ctx, `read the rotation policy of credential ${a.credentialId}`, 'viewer', undefined, { credentialId: a.credentialId });
  return credentialAnswer(await target(ctx, a.credentialId));
}

async function setCredential(ctx: ApiContext, a: { credentialId: number; policy: Partial<RotationPolicy> | null }) {
  await gate(ctx, `set the rotation policy of credential ${a.credentialId}`, 'operator', undefined, { credentialId: a.credentialId });
  const p = a.policy === null ? null : checkPolicy(a.policy);
  const t = await target(ctx, a.credentialId);
  const blocker = rotationBlocker(t);
  if (p && blocker) throw new VaultInputError(`${blocker}; switch it to Change Password first`);
  await storeOf(ctx).setCredentialPolicy(t.id, p, requireUser(ctx).name, ctx.now());
  await record(ctx, {
    kind: 'rotation-policy-changed', outcome: 'ok', credentialId: t.id, account: t.username,
    reason: `rotation policy of ${describeTarget(t)} ${describeSet(p)} by ${describePrincipal(ctx.principal)}`,
  });
  return credentialAnswer(await target(ctx, t.id));
}

async function rotateNow(ctx: ApiContext, a: { credentialId: number }) {
  await gate(ctx, `rotate the password of credential ${a.credentialId}`, 'operator', undefined, { credentialId: a.credentialId });
  const t = await target(ctx, a.credentialId);
  const blocker = rotationBlocker(t);
  if (blocker) {
    await record(ctx, { kind: 'rotation', outcome: 'refused', credentialId: t.id, account: t.username, reason: `${describePrincipal(ctx.principal)} asked to rotate: ${blocker}` });
    throw new VaultInputError(`${blocker}; switch it to Change Password first`);
  }
  const user = requireUser(ctx).name;
  const done = await rotate({ vault: ctx.vault, store: storeOf(ctx), now: ctx.now }, t, 'manual', user, describePrincipal(ctx.principal));
  if (!done) throw new HttpError(409, 'busy', `${describeTarget(t)} is being rotated or was just changed; reload and try again`);
  return { credential: done };
}

export const rotationRoutes: Route[] = [
  {
    method: 'POST', path: '/api/rotation/client', body: obj({ client: str }), handle: getClient, response: clientRotation,
    summary: 'A client\'s rotation policy (the default of its credentials), or null (any user)',
  },
  {
    method: 'POST', path: '/api/rotation/client/set', body: obj({ client: str, policy: nullable(policyBody) }), handle: setClient, response: clientRotation,
    summary: 'Set a client\'s rotation policy (fields not given: every 30 days, after each read with 60 minutes\' grace, 20 characters of all four classes), or remove it with null (operator)',
  },
  {
    method: 'POST', path: '/api/rotation/credential', body: obj({ credentialId: integer }), handle: getCredential, response: credentialRotation,
    summary: 'A credential\'s rotation: its own policy, its client\'s, which applies, the next rotation, or why it is never rotated (any user)',
  },
  {
    method: 'POST', path: '/api/rotation/credential/set', body: obj({ credentialId: integer, policy: nullable(policyBody) }), handle: setCredential, response: credentialRotation,
    summary: 'Set a credential\'s own rotation policy (it overrides its client\'s whole), or go back to the client\'s with null; Change Password mode only (operator)',
  },
  {
    method: 'POST', path: '/api/rotation/rotate', body: obj({ credentialId: integer }), handle: rotateNow, response: obj({ credential }),
    summary: 'Rotate a credential\'s password now, to its policy (or the default one); the old one stays in the history; Change Password mode only (operator)',
  },
];
