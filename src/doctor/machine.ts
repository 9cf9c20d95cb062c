// This machine as doctor sees it, built from the platform's own selectors (src/platform/index.ts, the one
// place that picks Linux or Windows), so doctor reads the PAM stack, Notification Packages, the boot id and
// the service manager exactly as `status` and the service do.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config';
import { captureStackProblems, selectAgentTokenStore, selectKeyFileAccess, selectPlatform, serviceManagerSaysRunning } from '../platform';
import type { DoctorMachine } from './link';

export function thisMachine(config: Config): DoctorMachine {
  // Its accounts are not used, so no install secret is read for their fingerprint key (as describe.ts).
  const platform = selectPlatform(config, randomBytes(32));
  return {
    os: process.platform === 'win32' ? 'win32' : 'linux',
    probeFilter: () => platform.probeFilter(),
    captureStackProblems: () => captureStackProblems(config),
    bootId: () => platform.bootId(),
    serviceManagerRunning: () => serviceManagerSaysRunning(),
    keyFileAccess: selectKeyFileAccess(),
    readAgentToken: (file) => selectAgentTokenStore().read(file),
  };
}
