// The commands doctor suggests, per OS, in one place. Every command names the data dir when it is not
// the default, so it can be pasted as printed.
import { defaultDataDir } from '../config/config';
import { readManifest } from '../setup/manifest';
import type { DoctorMachine } from './link';

export interface Fixes {
  /** `pwbridge` with --data-dir when needed, as an administrator would type it. */
  cli(args: string): string;
  install: string;
  startService: string;
  reboot: string;
  syncClock: string;
  /** Take the key file back to what only the install's own principals may open. */
  tightenKeyFile(file: string, mode: number): string;
}

export function fixesFor(os: DoctorMachine['os'], dataDir: string): Fixes {
  const dirArg = dataDir === defaultDataDir() ? '' : ` --data-dir ${quote(dataDir)}`;
  if (os === 'win32') {
    const cli = (args: string) => `pwbridge.cmd${dirArg} ${args}`;
    return {
      cli,
      install: cli('install'),
      startService: 'sc start pwbridge',
      reboot: 'shutdown /r /t 0',
      syncClock: 'w32tm /resync',
      // Owner Administrators, and only SYSTEM and Administrators (the service account is one) in a protected DACL.
      tightenKeyFile: (file) => `icacls ${quote(file)} /inheritance:r /grant:r *S-1-5-18:F *S-1-5-32-544:F && icacls ${quote(file)} /setowner *S-1-5-32-544`,
    };
  }
  const cli = (args: string) => `sudo pwbridge${dirArg} ${args}`;
  return {
    cli,
    install: cli('install'),
    startService: startLinuxService(dataDir, cli),
    reboot: 'sudo reboot',
    syncClock: 'sudo timedatectl set-ntp true',
    tightenKeyFile: (file, mode) => `sudo chown root ${quote(file)} && sudo chmod ${mode.toString(8).padStart(4, '0')} ${quote(file)}`,
  };
}

/** systemd when install made a unit; otherwise install again, which starts the detached service. */
function startLinuxService(dataDir: string, cli: (a: string) => string): string {
  let how: string | undefined;
  try {
    how = readManifest(dataDir)?.service?.how;
  } catch {
    how = undefined;
  }
  return how === 'systemd' ? 'sudo systemctl restart pwbridge' : cli('install');
}

const quote = (s: string): string => (/^[\w./:\\-]+$/.test(s) ? s : `"${s}"`);
