// The systemd unit that runs `pwbridge run` as a service (written by `pwbridge install`).

export const UNIT_NAME = 'pwbridge.service';
export const DEFAULT_UNIT_DIR = '/etc/systemd/system';
/** systemd creates this directory at boot when it is PID 1 (sd_booted(3) checks the same). */
export const SYSTEMD_RUNNING_MARKER = '/run/systemd/system';
/** The service's V8 flags, as on bin/pwbridge's shebang line (docs/development.md, "Benchmarks": memory). */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=256'];

export interface UnitOptions {
  /** The absolute path of node (process.execPath). */
  nodePath: string;
  /** The absolute path of dist/src/cli/main.js. */
  mainJs: string;
  dataDir: string;
  /** config.socketPath, when it is not in the data dir: its directory must be writable too. */
  socketPath?: string;
}

/** The argv of the service: node, its flags, main.js, `run --data-dir DIR`. Also what a detached start runs. */
export function serviceArgv(o: UnitOptions): string[] {
  return [o.nodePath, ...SERVICE_NODE_FLAGS, o.mainJs, 'run', '--data-dir', o.dataDir];
}

/**
 * One ExecStart word: systemd expands `%` specifiers and `$` variables and splits on whitespace, so those
 * are escaped and a word with whitespace or quotes is quoted.
 */
export function systemdWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (!/[\s"'\\;]/.test(escaped) && escaped !== '') return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** The directories the service writes besides /etc: its data dir, and the socket's directory when elsewhere. */
export function writableDirs(o: UnitOptions): string[] {
  const dirs = [o.dataDir];
  if (o.socketPath) {
    const socketDir = o.socketPath.slice(0, o.socketPath.lastIndexOf('/')) || '/';
    if (!isUnder(socketDir, o.dataDir)) dirs.push(socketDir);
  }
  return dirs;
}

/**
 * The capabilities the service keeps (all others are out of its bounding set, and so out of chpasswd's,
 * which it runs). Measured by running the real chpasswd (PAM: pam_unix) under `setpriv --bounding-set` on
 * a throwaway account in a private copy of /etc (docs/linux.md, "The service under systemd"):
 * - CAP_CHOWN: pam_unix writes /etc/nshadow and gives it /etc/shadow's group (shadow) before the rename;
 *   without it chpasswd fails "Authentication token manipulation error".
 * - CAP_DAC_READ_SEARCH: where /etc/shadow is mode 0000 (Fedora, RHEL), root reads it only with this; the
 *   service reads it too (listing and verifying accounts). Debian's 0640 root:shadow needs it not.
 * - CAP_AUDIT_WRITE: libpam and chpasswd send the password change to the audit log; without it the record
 *   is silently dropped (EPERM is ignored), which an auditor of password changes would miss.
 * Not needed, measured: CAP_DAC_OVERRIDE, CAP_FOWNER. The socket (bind, chmod of its own file, SO_PEERCRED)
 * needs none.
 */
export const SERVICE_CAPABILITIES: readonly string[] = ['CAP_CHOWN', 'CAP_DAC_READ_SEARCH', 'CAP_AUDIT_WRITE'];

/**
 * Places in /etc the service never writes, made read-only although /etc is writable: the PAM stack (what
 * captures every password), units, sudo. `-`: a path that does not exist is skipped.
 */
export const READ_ONLY_ETC: readonly string[] = ['/etc/pam.d', '/etc/systemd', '/etc/sudoers', '/etc/sudoers.d'];

/** The unit's opening comment when `pwbridge install` writes it; the Debian package passes its own. */
export const INSTALL_UNIT_HEADER = `# Written by \`pwbridge install\`; \`pwbridge uninstall\` removes it. Local edits are lost on reinstall:
# put them in a drop-in (systemctl edit pwbridge.service) instead.`;

/** The unit's text. `header`: comment lines (each starting with '#') saying who wrote the file. */
export function renderUnit(o: UnitOptions, header: string = INSTALL_UNIT_HEADER): string {
  if (!header.split('\n').every((l) => l.startsWith('#'))) throw new Error('a unit header must be comment lines only');
  return `${header}
[Unit]
Description=pwbridge: keeps local account passwords in step with a credential vault
After=local-fs.target network.target

[Service]
Type=simple
# The V8 flags keep the service's memory small (docs/development.md, "Benchmarks").
ExecStart=${serviceArgv(o).map(systemdWord).join(' ')}
Restart=on-failure
RestartSec=2
# 2: bad config or arguments, 65: a damaged state.db/vault.db (src/cli/main.ts): a restart cannot mend either.
RestartPreventExitStatus=2 65
# Keys, journal, log and socket are created owner-only whatever else happens.
UMask=0077
# No core file: it would hold the install secret, the private key and passwords in flight. The service
# also makes itself non-dumpable (prctl PR_SET_DUMPABLE 0) at start.
LimitCORE=0

# Hardening. The service runs as root: it sets local passwords with chpasswd, which writes /etc/shadow
# (through /etc/nshadow and a rename, under /etc/.pwd.lock), and it writes its data dir. chpasswd runs in
# this same sandbox, so everything below holds for it too.
CapabilityBoundingSet=${SERVICE_CAPABILITIES.join(' ')}
# chpasswd is not set-uid when root runs it, so it gains nothing this would forbid.
NoNewPrivileges=yes
# Everything read-only but the data dir and /etc. /etc as a directory, not /etc/shadow alone: the new
# shadow is written beside it and renamed over it (a bind-mounted file cannot be renamed over), and
# pam_unix may keep old hashes in /etc/security/opasswd.
ProtectSystem=strict
ReadWritePaths=${[...writableDirs(o), '/etc'].map(systemdWord).join(' ')}
ReadOnlyPaths=${READ_ONLY_ETC.map((p) => `-${p}`).join(' ')}
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateIPC=yes
PrivateMounts=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
# Not ProcSubset=pid: the service reads /proc/sys/kernel/random/boot_id (the capture's HELLO carries it).
RestrictNamespaces=yes
RestrictRealtime=yes
LockPersonality=yes
RestrictSUIDSGID=yes
# The capture socket (AF_UNIX); AF_INET/AF_INET6 for a hub vault.
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native
# What a service needs (it includes io_uring for libuv, prctl, and chown for chpasswd); anything else
# fails with EPERM rather than killing the process.
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM
# No MemoryDenyWriteExecute: V8's JIT needs writable and executable memory.

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Why the unit's sandbox would break the service at `p`, if it would: PrivateTmp hides /tmp and
 * /var/tmp, ProtectHome=yes hides home directories (node and main.js cannot live there either).
 * `write`: the service writes there (its data dir), not only reads (node, main.js). ProtectSystem=strict
 * makes the rest read-only, but the unit's ReadWritePaths names the data dir wherever it is.
 */
export function sandboxProblem(p: string, write: boolean): string | undefined {
  const under = (dirs: string[]) => dirs.find((d) => isUnder(p, d));
  const tmp = under(['/tmp', '/var/tmp']);
  if (tmp) return `${p} is under ${tmp}, which the unit's PrivateTmp=yes replaces with an empty private directory`;
  const home = under(['/home', '/root', '/run/user']);
  if (home) return `${p} is under ${home}, which the unit's ProtectHome=yes hides from the service`;
  if (write && READ_ONLY_ETC.some((d) => isUnder(p, d))) return `${p} is under ${READ_ONLY_ETC.find((d) => isUnder(p, d))}, which the unit keeps read-only`;
  return undefined;
}
