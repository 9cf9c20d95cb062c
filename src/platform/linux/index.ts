// The Linux platform as src/platform/index.ts selects it: accounts, the PAM stack probe, the boot id.

import type { Config } from '../../config/config';
import type { Platform } from '../index';
import { LinuxAccounts } from './linux.accounts';
import { probePamStack, readBootId } from './pam-stack';
import { peerCred } from './peer-cred';

export { LinuxAccounts, type LinuxAccountsOptions } from './linux.accounts';
export { probePamStack, readBootId, type PamProbe, type PamProbeOptions } from './pam-stack';
export { verifyCrypt, verifyCryptAsync } from './crypt';
export { pamFlowProblems } from './pam-flow-check';

export function linuxPlatform(config: Config, fingerprintKey: Buffer): Platform {
  // A process never outlives its boot: read the id once, not on every hello.
  let bootId: string | undefined;
  return {
    accounts: new LinuxAccounts({ machine: config.machine || undefined, fingerprintKey }),
    probeFilter: () => probePamStack({ pamDir: config.pamDir }),
    // As the HELLO carries it: the boot UUID's 16 bytes, here in hex without dashes.
    bootId: () => (bootId ??= readBootId().replace(/-/g, '')),
    peerUid: (fd) => peerCred(fd)?.uid,
  };
}
