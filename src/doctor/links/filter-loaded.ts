// Has the capture module been heard from in this boot? Windows: lsass reads Notification Packages only at
// boot, and the filter says hello as soon as it reaches the service, so no hello this boot means it is not
// loaded (or a reboot is still due). Linux: PAM loads the module into each password change; there is no
// boot-time load to prove, so a hello is shown when there is one and its absence is not a fault.
import { HELLO_KEY, type Hello } from '../../service/filter-state';
import { fixesFor } from '../fixes';
import { asAdmin, deniedAccess, verdict, type DoctorContext, type LinkVerdict } from '../link';

export function filterLoaded(ctx: DoctorContext): LinkVerdict {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  let hello: Hello | undefined;
  try {
    hello = ctx.state()?.state.getValue<Hello>(HELLO_KEY);
  } catch (e) {
    if (!deniedAccess(e)) throw e;
    return verdict('not-checked', `cannot read ${ctx.paths.stateDb} (${(e as NodeJS.ErrnoException).code}): run doctor ${asAdmin(ctx.machine.os)}`);
  }
  const bootId = ctx.machine.bootId();
  const thisBoot = hello !== undefined && hello.bootId === bootId;
  const heard = hello ? `the ${hello.kind} capture ${hello.version} last said hello at ${new Date(hello.at).toISOString()} (boot ${hello.bootId}${thisBoot ? ', this one' : `; this boot is ${bootId}`})` : 'the capture has never said hello to this service';
  if (ctx.machine.os !== 'win32') {
    return verdict('ok', thisBoot ? 'the PAM module has connected in this boot' : 'n/a on Linux: PAM loads the module into each password change', [heard]);
  }
  if (thisBoot) return verdict('ok', 'the filter said hello in this boot: lsass loaded it', [heard]);
  const probe = ctx.machine.probeFilter();
  if (probe.state === 'not-installed' || probe.state === 'faulted') {
    return verdict('broken', 'the filter is not loaded: it is not registered or cannot load (see capture-module)', [heard, probe.reason], fix.install);
  }
  if (/^reboot required/.test(probe.reason)) {
    return verdict('broken', 'reboot required: LSA loads the filter at the next boot', [heard, probe.reason], fix.reboot);
  }
  return verdict('broken', 'the filter has not said hello in this boot: lsass did not load it, or it cannot reach the service', [heard, probe.reason],
    `${fix.cli('events --kind filter-state')} and the Application log (source pwbridge); check the service link, then ${fix.reboot}`);
}
