// The vault this machine writes to. Embedded: vault.db opens with its key. Hub: it answers (reachable),
// with the pinned certificate (or one the configured CA signed), accepts the agent token, and its clock
// agrees with this machine's. One real request (getClient of this machine's client) shows all four.
import { hubUnreachable, HubCertificateError } from '../../vault/hub-client';
import { HubAccessError } from '../../vault/hub-access';
import { CLOCK_TOLERANCE_MS } from '../../vault/hub-clock';
import { KeyFileError } from '../../protocol/errors';
import { fixesFor, type Fixes } from '../fixes';
import { asAdmin, deniedAccess, verdict, type DoctorContext, type LinkVerdict } from '../link';

/** Beyond this the hub clamps capture times (capture-time.ts) and the clock itself wants fixing. */
export const SKEW_WARN_MS = 5_000;

export async function vault(ctx: DoctorContext): Promise<LinkVerdict> {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  const opened = await ctx.vault();
  const hub = ctx.config.hub;
  if (!hub) {
    if ('error' in opened) return embeddedFailure(opened.error, ctx, fix);
    await opened.vault.listClients();
    return verdict('ok', 'the embedded vault opens with its key', [`${ctx.paths.vaultDb} (key ${ctx.paths.vaultKey})`]);
  }
  const trust = hub.fingerprint ? `certificate pinned to SHA-256 ${hub.fingerprint}` : `certificate checked against the CA in ${hub.caFile}`;
  const evidence = [`hub ${hub.url}, ${trust}`];
  const setupAgain = fix.cli(`setup --hub ${hub.url} --client ${ctx.config.client} ${hub.fingerprint ? '--insecure-fingerprint SHA256' : `--ca ${hub.caFile}`}`);
  if ('error' in opened) return tokenFailure(opened.error, ctx, evidence, setupAgain);
  const sentAt = ctx.now();
  try {
    await opened.vault.getClient(ctx.config.client);
  } catch (e) {
    evidence.push((e as Error).message);
    if (e instanceof HubCertificateError) return verdict('broken', 'the hub presented another certificate than the one pinned at setup: nothing was sent', evidence, `if the hub's certificate was replaced on purpose: ${setupAgain}`);
    if (hubUnreachable(e)) return verdict('broken', `the hub at ${hub.url} does not answer`, evidence, `start the hub (pwbridge hub on the hub host) or check the network; curl -k ${hub.url}/readyz answers 200 when it is up`);
    if (e instanceof HubAccessError) return verdict('broken', 'the hub refused this machine\'s agent token (revoked, or the machine was enrolled again)', evidence, setupAgain);
    return verdict('broken', 'the hub answered with an error', evidence);
  }
  evidence.push(`answered and accepted the agent token in ${ctx.now() - sentAt} ms`);
  const skew = opened.kind === 'hub' ? opened.clockOffsetMs() : 0;
  evidence.push(skew === 0 ? `clocks agree within ${CLOCK_TOLERANCE_MS / 1000} s` : `the hub's clock is ${Math.abs(skew / 1000).toFixed(1)} s ${skew > 0 ? 'ahead of' : 'behind'} this machine's`);
  if (Math.abs(skew) > SKEW_WARN_MS) {
    return verdict('warning', `clock skew: this machine's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'behind' : 'ahead of'} the hub's (pwbridge compensates, but conflicts are judged by these clocks)`, evidence,
      `${fix.syncClock} (on this machine, or on the hub if its clock is the wrong one)`);
  }
  return verdict('ok', 'the hub answers, its certificate is the pinned one, it accepts the agent token, and the clocks agree', evidence);
}

function embeddedFailure(err: Error, ctx: DoctorContext, fix: Fixes): LinkVerdict {
  if (deniedAccess(err)) return verdict('not-checked', `cannot read the embedded vault: run doctor ${asAdmin(ctx.machine.os)}`, [err.message]);
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return verdict('broken', 'there is no embedded vault yet', [err.message], fix.startService);
  if (err instanceof KeyFileError || /vault key/.test(err.message)) {
    return verdict('broken', 'the vault key is not what the service accepts', [err.message], fix.tightenKeyFile(ctx.paths.vaultKey, 0o600));
  }
  return verdict('broken', 'the embedded vault does not open', [err.message]);
}

function tokenFailure(err: Error, ctx: DoctorContext, evidence: string[], setupAgain: string): LinkVerdict {
  if (deniedAccess(err)) return verdict('not-checked', `cannot read the agent token: run doctor ${asAdmin(ctx.machine.os)}`, [...evidence, err.message]);
  return verdict('broken', 'this machine has no usable agent token for the hub', [...evidence, err.message], setupAgain);
}
