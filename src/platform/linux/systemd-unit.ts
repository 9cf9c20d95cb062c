// The systemd unit that runs `pwbridge run` as a service (written by `pwbridge install`).

export const UNIT_NAME = 'pwbridge.service';
export const DEFAULT_UNIT_DIR = '/etc/systemd/system';
/** systemd creates this directory at boot when it is PID 1 (sd_booted(3) checks the same). */
export const SYSTEMD_RUNNING_MARKER = '/run/systemd/system';
/** The service's V8 flags, as on bin/pwbridge's shebang line (README "Benchmarks": memory). */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=256'];

export interface UnitOptions {
  /** The absolute path of node (process.execPath). */
  nodePath: string;
  /** The absolute path of dist/src/cli/main.js. */
  mainJs: string;
  dataDir: string;
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

export function renderUnit(o: UnitOptions): string {
  return `# Written by \`pwbridge install\`; \`pwbridge uninstall\` removes it. Local edits are lost on reinstall:
# put them in a drop-in (systemctl edit pwbridge.service) instead.
[Unit]
Description=pwbridge: keeps local account passwords in step with a credential vault
After=local-fs.target network.target

[Service]
Type=simple
# The V8 flags keep the service's memory small (README, "Benchmarks").
ExecStart=${serviceArgv(o).map(systemdWord).join(' ')}
Restart=on-failure
RestartSec=2
# 2: bad config or arguments, 65: a damaged state.db/vault.db (src/cli/main.ts): a restart cannot mend either.
RestartPreventExitStatus=2 65
# Keys, journal, log and socket are created owner-only whatever else happens.
UMask=0077

# Hardening. The service runs as root: it sets local passwords with chpasswd, which writes /etc/shadow
# (and its lock and backup files in /etc), and it writes its data dir.
NoNewPrivileges=yes
# /usr and /boot read-only. Not "full" or "strict": those make /etc read-only, and chpasswd must write
# /etc/shadow.
ProtectSystem=true
# Home directories are read, never written (the install may live under one).
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictNamespaces=yes
RestrictRealtime=yes
LockPersonality=yes
RestrictSUIDSGID=yes
# The capture socket (AF_UNIX); AF_INET/AF_INET6 for a hub vault (issue 5).
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native
# No MemoryDenyWriteExecute: V8's JIT needs writable and executable memory.

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Why the unit's sandbox would break the service at `p`, if it would: PrivateTmp hides /tmp and
 * /var/tmp, ProtectHome makes home directories read-only, ProtectSystem=true makes /usr and /boot
 * read-only. `write`: the service writes there (its data dir), not only reads (node, main.js).
 */
export function sandboxProblem(p: string, write: boolean): string | undefined {
  const under = (dirs: string[]) => dirs.find((d) => p === d || p.startsWith(`${d}/`));
  const tmp = under(['/tmp', '/var/tmp']);
  if (tmp) return `${p} is under ${tmp}, which the unit's PrivateTmp=yes replaces with an empty private directory`;
  if (!write) return undefined;
  const home = under(['/home', '/root', '/run/user']);
  if (home) return `${p} is under ${home}, which the unit's ProtectHome=read-only makes read-only`;
  const sys = under(['/usr', '/boot', '/efi']);
  if (sys) return `${p} is under ${sys}, which the unit's ProtectSystem=true makes read-only`;
  return undefined;
}
