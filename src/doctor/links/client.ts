// The vault client this machine serves: it must exist, and have Windows Sync on, or neither a captured
// change nor reconcile touches its credentials (classify.ts skips them: "client windows sync off").
import { fixesFor } from '../fixes';
import { verdict, type DoctorContext, type LinkVerdict } from '../link';

export async function client(ctx: DoctorContext): Promise<LinkVerdict> {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  const name = ctx.config.client;
  const opened = await ctx.vault();
  if ('error' in opened) return verdict('not-checked', 'the vault cannot be opened (see vault), so the client was not read');
  let c;
  try {
    c = await opened.vault.getClient(name);
  } catch (e) {
    return verdict('not-checked', 'the vault did not answer (see vault), so the client was not read', [(e as Error).message]);
  }
  const onHub = opened.kind === 'hub';
  if (!c) {
    return verdict('broken', `the client ${name} does not exist in the vault`, [`config.json client: ${name}`],
      onHub ? `a hub admin adds client ${name} (dashboard, Clients), or enrol this machine for an existing client` : fix.cli(`vault client add ${name} --windows-sync`));
  }
  const evidence = [`client ${c.name}: Windows Sync ${c.windowsSync ? 'on' : 'off'}, Two-Way Sync ${c.twoWaySync ? 'on' : 'off'}, Auto Create ${c.autoCreate ? 'on' : 'off'}, default mode ${c.defaultMode}`];
  if (!c.windowsSync) {
    return verdict('broken', `Windows Sync is off for client ${c.name}: no captured change and no reconcile touches its credentials`, evidence,
      onHub ? `turn Windows Sync on for client ${c.name} in the hub's dashboard (Clients)` : fix.cli(`vault client set ${c.name} --windows-sync on`));
  }
  return verdict('ok', `client ${c.name} exists with Windows Sync on`, evidence);
}
