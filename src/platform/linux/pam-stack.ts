// Is the capture module in the password stack, and is it placed safely?
//
// Scans common-password, passwd and chpasswd in the pam.d directory, plus any file they include
// (`@include x`, or `password include|substack x`). Only `password` lines count. The module must be
// 'optional': as 'required'/'requisite' (or anything else) a capture failure could fail or alter a
// user's password change, which pwbridge must never do. Also: readBootId().

import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { defaultPamModuleDirs } from './pam-module-dirs';

export const DEFAULT_PAM_DIR = '/etc/pam.d';
export const PWBRIDGE_PAM_MODULE = 'pam_pwbridge.so';
const ROOT_FILES = ['common-password', 'passwd', 'chpasswd'];
const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

export interface PamProbe {
  state: 'not-installed' | 'active' | 'faulted';
  reason: string;
}

export interface PamProbeOptions {
  pamDir?: string;
  moduleName?: string;
  /** Where PAM looks for a bare module name (default: beside libpam, pam-module-dirs.ts). */
  moduleDirs?: readonly string[];
}

/** One `password` line naming our module. */
interface Placement {
  file: string;
  line: number;
  control: string;
  modulePath: string;
}

export function probePamStack(options: PamProbeOptions = {}): PamProbe {
  const pamDir = options.pamDir ?? DEFAULT_PAM_DIR;
  const moduleName = options.moduleName ?? PWBRIDGE_PAM_MODULE;
  const moduleDirs = options.moduleDirs ?? defaultPamModuleDirs();

  const placements: Placement[] = [];
  const visited = new Set<string>();
  const unreadable: string[] = [];
  for (const root of ROOT_FILES) scanFile(pamDir, root, moduleName, visited, placements, unreadable);

  if (placements.length === 0) {
    const extra = unreadable.length ? ` (could not read: ${unreadable.join(', ')})` : '';
    return { state: 'not-installed', reason: `${moduleName} is not on any password line of ${ROOT_FILES.join(', ')} in ${pamDir} or their includes${extra}` };
  }
  for (const p of placements) {
    if (p.control !== 'optional') {
      return {
        state: 'faulted',
        reason: `${moduleName} is '${p.control}' in ${p.file}:${p.line}; it must be 'optional' so a capture failure can never fail a password change`,
      };
    }
    const resolved = resolveModule(p.modulePath, moduleDirs);
    if (!resolved) {
      const where = isAbsolute(p.modulePath) ? p.modulePath : `${p.modulePath} in ${moduleDirs.join(', ')}`;
      return { state: 'faulted', reason: `${moduleName} is in ${p.file}:${p.line} but the module file is missing (looked for ${where})` };
    }
  }
  const first = placements[0];
  return { state: 'active', reason: `${moduleName} is 'optional' in ${first.file}:${first.line}${placements.length > 1 ? ` (and ${placements.length - 1} more)` : ''}` };
}

function resolveModule(modulePath: string, dirs: readonly string[]): string | undefined {
  if (isAbsolute(modulePath)) return existsSync(modulePath) ? modulePath : undefined;
  for (const d of dirs) {
    const candidate = join(d, modulePath);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function scanFile(pamDir: string, name: string, moduleName: string, visited: Set<string>, out: Placement[], unreadable: string[]): void {
  const file = isAbsolute(name) ? name : join(pamDir, name);
  if (visited.has(file)) return; // include loops would otherwise recurse forever
  visited.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // A missing passwd/chpasswd is normal (not every system has them); anything else is worth saying.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(file);
    return;
  }
  for (const { tokens, line } of pamLines(text)) {
    if (tokens[0] === '@include') {
      if (tokens[1]) scanFile(pamDir, tokens[1], moduleName, visited, out, unreadable);
      continue;
    }
    // A leading '-' means "skip silently if the module is missing"; the type is still 'password'.
    const type = tokens[0].replace(/^-/, '');
    if (type !== 'password' || tokens.length < 3) continue;
    const [control, modulePath] = [tokens[1], tokens[2]];
    if (control === 'include' || control === 'substack') {
      scanFile(pamDir, modulePath, moduleName, visited, out, unreadable);
      continue;
    }
    if (modulePath === moduleName || modulePath.endsWith(`/${moduleName}`)) {
      out.push({ file, line, control, modulePath });
    }
  }
}

/** One logical line of a pam.d file: its tokens, and the physical lines (1-based, inclusive) it spans. */
export interface PamLine {
  tokens: string[];
  line: number;
  end: number;
}

/**
 * Logical lines of a pam.d file: '#' starts a comment, '\' at end of line continues it, and a
 * bracketed control ("[success=1 default=ignore]") is one token despite its spaces. Also used by
 * pam-edit.ts, so the probe and the editor read a file the same way.
 */
export function* pamLines(text: string): Generator<PamLine> {
  const physical = text.split('\n');
  for (let i = 0; i < physical.length; i++) {
    const start = i + 1;
    let logical = physical[i];
    while (logical.endsWith('\\') && i + 1 < physical.length) logical = logical.slice(0, -1) + ' ' + physical[++i];
    const hash = logical.indexOf('#');
    if (hash >= 0) logical = logical.slice(0, hash);
    const tokens = logical.match(/\[[^\]]*\]|\S+/g);
    if (tokens && tokens.length > 0) yield { tokens, line: start, end: i + 1 };
  }
}

/** The kernel's id for this boot (changes on every reboot): lets status tell a stale hello from a live one. */
export function readBootId(path: string = BOOT_ID_PATH): string {
  const id = readFileSync(path, 'utf8').trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new Error(`${path} does not hold a boot id`);
  }
  return id;
}
