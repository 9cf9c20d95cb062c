// Where pwbridge lives on a Windows machine: registry keys and values, file names, the service. One
// place, shared with the filter DLL's native/lsa/config.h (the HKLM\SOFTWARE\pwbridge values) and the
// MSI (packaging/windows: the service name, the DLL in System32).

import * as path from 'node:path';

/** The LSA key: `Notification Packages` (REG_MULTI_SZ) and `RunAsPPL` (REG_DWORD) live here. */
export const LSA_KEY = 'SYSTEM\\CurrentControlSet\\Control\\Lsa';
export const NOTIFICATION_PACKAGES = 'Notification Packages';
export const RUN_AS_PPL = 'RunAsPPL';

/** pwbridge's own key (only administrators and SYSTEM can write HKLM\SOFTWARE). Read by the filter DLL. */
export const PWBRIDGE_KEY = 'SOFTWARE\\pwbridge';
/** REG_SZ: the SID the service runs as; the filter sends only to a pipe served by it. */
export const VALUE_SERVICE_SID = 'ServiceSid';
/** REG_SZ: the data dir, when not %ProgramData%\pwbridge. */
export const VALUE_DATA_DIR = 'DataDir';
/** REG_SZ: the pipe, when not \\.\pipe\pwbridge. */
export const VALUE_PIPE_NAME = 'PipeName';
/** REG_MULTI_SZ: accounts the filter never sends (besides *$ and krbtgt*). */
export const VALUE_EXCLUDE = 'ExcludeAccounts';
/** REG_DWORD 1: the filter's kill switch. pwbridge install never sets it; an administrator may. */
export const VALUE_DISABLED = 'Disabled';
/**
 * REG_QWORD, FILETIME: when install last made a change that only a reboot applies (the filter added to
 * Notification Packages, or a new DLL in System32). A boot before this is "reboot required".
 */
export const VALUE_INSTALLED_AT = 'InstalledAt';

/** The Application event log's source registration. */
export const EVENT_SOURCE = 'pwbridge';
export const EVENTLOG_SOURCE_KEY = `SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${EVENT_SOURCE}`;

/** The filter's name in Notification Packages (its DLL's name without .dll). */
export const FILTER_PACKAGE = 'pwbridge_filter';
export const FILTER_DLL = `${FILTER_PACKAGE}.dll`;

/** The Windows service (the MSI's ServiceName is the same). */
export const SERVICE_NAME = 'pwbridge';
export const SERVICE_DISPLAY_NAME = 'pwbridge';
export const SERVICE_DESCRIPTION = 'Keeps local account passwords in step with a credential vault (pwbridge).';

export function system32(env: NodeJS.ProcessEnv = process.env): string {
  return path.win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32');
}
