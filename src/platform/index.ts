import { hostname } from 'node:os';
import type { Config } from '../config/config';
import type { KeyFileAccessCheck } from '../protocol/key-files';
import type { AccountPort } from '../ports/account.port';
import type { EventSink } from '../ports/event-sink.port';
import type { StateStore } from '../ports/journal.port';
import type { FilterProbe } from '../service/filter-state';
import { privateFileTokenStore, type AgentTokenStore } from './agent-token-file';
import type { CaptureModuleInfo } from './capture-module';

/** The one place that picks the platform's adapters. The core never imports an adapter directly. */
export interface Platform {
  accounts: AccountPort;
  probeFilter(): FilterProbe;
  bootId(): string;
  /** The uid of the process at the other end of a capture connection (by its socket's fd), if the OS says. */
  peerUid(fd: number): number | undefined;
  /** The OS's own event log, fed every event besides the vault table and pino (Windows: the Event Log). */
  osEvents?: EventSink;
}

/**
 * `store`: where an adapter may keep small values across processes (the Windows last-set stabilizer).
 * `servesCapture`: this process serves the capture's endpoint (`run`), so who it runs as matters (Windows:
 * the filter sends only to ServiceSid, and the probe says faulted otherwise).
 */
export function selectPlatform(config: Config, fingerprintKey: Buffer, opts: { store?: Pick<StateStore, 'getValue' | 'setValue'>; servesCapture?: boolean } = {}): Platform {
  if (process.platform === 'linux') {
    // Lazy: koffi and libcrypt load only when a command needs local accounts.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const linux = require('./linux') as typeof import('./linux');
    return linux.linuxPlatform(config, fingerprintKey);
  }
  if (process.platform === 'win32') {
    // Lazy: koffi and the Win32 DLLs load only on Windows.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const windows = require('./windows') as typeof import('./windows');
    return windows.windowsPlatform(config, { store: opts.store, servesCapture: opts.servesCapture });
  }
  throw new Error(`pwbridge has no account adapter for ${process.platform} (it runs on Linux and Windows)`);
}

/** How this OS keeps the hub's agent token: DPAPI-protected on Windows, a 0600 file elsewhere. */
export function selectAgentTokenStore(): AgentTokenStore {
  if (process.platform === 'win32') {
    // Lazy, as above: crypt32 loads only on Windows.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const dpapi = require('./windows/dpapi-token') as typeof import('./windows/dpapi-token');
    return dpapi.dpapiTokenStore();
  }
  return privateFileTokenStore;
}

/**
 * Harden the service's own process before it reads a key: on Linux it becomes non-dumpable (no core file,
 * no same-uid ptrace; src/platform/linux/no-core-dumps.ts). Windows: nothing here yet (WER dumps are the
 * machine's policy).
 */
export function hardenServiceProcess(): void {
  if (process.platform !== 'linux') return;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const linux = require('./linux/no-core-dumps') as typeof import('./linux/no-core-dumps');
  linux.forbidCoreDumps();
}

/** config's default `machine`: the NetBIOS computer name on Windows (GetComputerNameW), the host name elsewhere. */
export function defaultMachineName(): string {
  if (process.platform === 'win32') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const windows = require('./windows') as typeof import('./windows');
    return windows.machineName();
  }
  return hostname();
}

/**
 * Who may open key files, where mode bits do not say (Windows: owner and DACL); undefined on POSIX, where
 * key-files.ts reads the mode itself.
 */
export function selectKeyFileAccess(): KeyFileAccessCheck | undefined {
  if (process.platform !== 'win32') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const windows = require('./windows') as typeof import('./windows');
  return windows.keyFileAccess();
}

/** Who may open a file that holds a secret but is not a key (the enrolment file): Windows' owner-and-DACL
 * rule, saying only what is wrong; undefined on POSIX, where the caller reads the mode. */
export function selectSecretFileAccess(): KeyFileAccessCheck | undefined {
  if (process.platform !== 'win32') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const windows = require('./windows') as typeof import('./windows');
  return windows.secretFileAccess();
}

/**
 * Whether the service runs, as the OS's service manager says; undefined where the capture's socket is the
 * answer (Linux: a detached service has no manager). On Windows the pipe cannot be: its DACL lets in
 * SYSTEM and the service account, not the administrator asking.
 */
export function serviceManagerSaysRunning(): boolean | undefined {
  if (process.platform !== 'win32') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const windows = require('./windows') as typeof import('./windows');
  return windows.serviceRunning();
}

/**
 * What is unsafe about where the capture module sits, beyond what probeFilter says (Linux: a path through
 * common-password that reaches pwbridge's line without pam_unix's success, by install's own rule); empty
 * on Windows, where LSA calls every notification package only after the change is made.
 */
export function captureStackProblems(config: Config): string[] {
  if (process.platform !== 'linux') return [];
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const linux = require('./linux/pam-flow-check') as typeof import('./linux/pam-flow-check');
  return linux.pamFlowProblems(config.pamDir);
}

/** The capture module installed on this machine and its version, read from the file (never loaded). */
export function findCaptureModule(): CaptureModuleInfo | undefined {
  if (process.platform === 'linux') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('./linux/capture-module') as typeof import('./linux/capture-module')).findPamModule();
  }
  if (process.platform === 'win32') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('./windows/capture-module') as typeof import('./windows/capture-module')).findFilterDll();
  }
  return undefined;
}
