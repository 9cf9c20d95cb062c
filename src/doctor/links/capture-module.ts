// Is the capture module where the OS will call it? Linux: pam_pwbridge.so 'optional' in the password stack
// and its file present; Windows: pwbridge_filter in Notification Packages, the DLL in System32, LSA
// protection. The platform's own probe decides (the one `status` and the service use); this says what to do.
import { fixesFor } from '../fixes';
import { verdict, type DoctorContext, type LinkVerdict } from '../link';

export function captureModule(ctx: DoctorContext): LinkVerdict {
  const probe = ctx.machine.probeFilter();
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  const evidence = [probe.reason, ...(probe.details ?? [])];
  if (!ctx.config.captureEnabled) {
    return verdict('warning', 'capture is turned off in config.json (captureEnabled: false): local changes are not reported', evidence,
      `set "captureEnabled": true in ${ctx.paths.dataDir}/config.json, then restart the service (${fix.startService})`);
  }
  const problems = probe.state === 'active' ? ctx.machine.captureStackProblems() : [];
  if (problems.length > 0) {
    return verdict('warning', 'the PAM module is in the stack, but a failed pam_unix.so does not keep it from running', [...evidence, ...problems],
      `make a failed pam_unix.so end the stack (Debian: '[success=1 default=ignore] pam_unix.so', 'requisite pam_deny.so', 'required pam_permit.so', then pwbridge's line), then ${fix.cli('doctor')} again`);
  }
  switch (probe.state) {
    case 'active':
      return verdict('ok', ctx.machine.os === 'win32' ? 'the filter is registered and its DLL is in place' : 'the PAM module is in the password stack and its file is in place', evidence);
    case 'pending-reboot':
      // Windows: registered and loadable; whether lsass loaded it is the next link's question.
      return verdict('ok', 'the filter is registered and its DLL is in place', evidence);
    case 'not-installed':
      return verdict('broken', ctx.machine.os === 'win32' ? 'the filter is not in Notification Packages' : 'the PAM module is not in the password stack', evidence, fix.install);
    default:
      return verdict('broken', `the capture module cannot run: ${probe.reason}`, evidence, faultFix(probe.reason, ctx.machine.os, fix.install));
  }
}

/** LSA protection cannot be fixed by a command of ours; every other fault is what install puts right. */
function faultFix(reason: string, os: string, install: string): string {
  if (os === 'win32' && /LSA protection is on/.test(reason)) {
    return 'turn LSA protection off (HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa RunAsPPL = 0, or the Group Policy / UEFI opt-out), then reboot; or remove pwbridge';
  }
  return install;
}
