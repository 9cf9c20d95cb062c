import type { Config } from '../config/config';
import type { AccountPort } from '../ports/account.port';
import type { FilterProbe } from '../service/filter-state';

/** The one place that picks the platform's adapters. The core never imports an adapter directly. */
export interface Platform {
  accounts: AccountPort;
  probeFilter(): FilterProbe;
  bootId(): string;
  /** The uid of the process at the other end of a capture connection (by its socket's fd), if the OS says. */
  peerUid(fd: number): number | undefined;
}

export function selectPlatform(config: Config, fingerprintKey: Buffer): Platform {
  if (process.platform === 'linux') {
    // Lazy: koffi and libcrypt load only when a command needs local accounts.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const linux = require('./linux') as typeof import('./linux');
    return linux.linuxPlatform(config, fingerprintKey);
  }
  throw new Error(`pwbridge has no account adapter for ${process.platform} yet (Windows adapters are issue 4)`);
}
