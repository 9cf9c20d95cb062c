// Puts pwbridge's line into a pam.d password stack, and takes it out again: pure functions on the
// file's text. Only the lines that must change are touched; comments, blank lines, whitespace and
// continuation lines stay byte for byte, so insert then remove gives back the original file.
//
// Where the line goes: it must run only after pam_unix succeeded (a capture of a change that did not
// happen would push a wrong password to the vault), and adding it must not change where any other
// line's flow goes. Debian's stock stack:
//
//   password [success=1 default=ignore] pam_unix.so obscure yescrypt
//   password requisite                  pam_deny.so
//   password required                   pam_permit.so
//
// Right after pam_unix would be the line `success=1` skips, and pam_deny would run instead: every
// password change would fail. So: pam_unix `requisite` → right after it; pam_unix jumping on success
// (`success=N`) → right after the line the jump lands on (pam_permit, where pam-auth-update's
// "Additional" block goes); anything else is refused, and the administrator places the line by hand:
// `sufficient` returns at once on success, there may be no pam_unix, and a `required` pam_unix lets the
// stack go on when it fails, so a line after it would run for a password that was never set.
// Whatever the shape, the spot chosen must be one no path reaches without pam_unix's success (a failed
// pam_unix going on through another module's jump, or a jump around pam_unix): pam-flow.ts checks that.
//
// Jumps count the modules of one type (here `password`) in stack order; lines of other types do not
// count. An `@include` or `include`/`substack` line stands for an unknown number of modules, so a jump
// over one cannot be followed: the edit is refused rather than guessed.

import { ConfigError } from '../../config/config-error';
import { reachesWithoutUnixSuccess, type FlowEntry, type UnsafeFlow } from './pam-flow';
import { pamLines, PWBRIDGE_PAM_MODULE, type PamLine } from './pam-stack';

/** A pam.d file pwbridge will not edit; names the file and line, and says to add the line by hand. */
export class PamEditError extends ConfigError {
  constructor(where: string, problem: string, fix: string) {
    super(where, problem, fix);
    this.name = 'PamEditError';
  }
}

/** A jump whose number changed: the physical line and the control before and after. */
export interface JumpChange {
  line: number;
  from: string;
  to: string;
}

export interface PamEditResult {
  text: string;
  changed: boolean;
  /** Insert: the 1-based line of our line in the new text (also when it was already there). */
  line?: number;
  /** Insert: the module our line follows and that module's line, e.g. "pam_permit.so (line 25)". */
  follows?: string;
  /** Remove: the 1-based lines our line(s) had in the old text. */
  removed: number[];
  adjusted: JumpChange[];
}

/** The line install adds. The data dir goes in as `dir=`; PAM splits arguments on whitespace. */
export function pwbridgeLine(dataDir: string, socketPath?: string): string {
  for (const [what, v] of [['data dir', dataDir], ['socket path', socketPath]] as const) {
    if (v !== undefined && /[\s#[\]\\]/.test(v)) {
      throw new ConfigError(what, `${JSON.stringify(v)} has whitespace, '#', '[', ']' or '\\', which a pam.d line cannot carry as an argument`,
        `Choose a ${what} without them`);
    }
  }
  return `password\toptional\t${PWBRIDGE_PAM_MODULE} dir=${dataDir}${socketPath ? ` socket=${socketPath}` : ''}`;
}

type Entry =
  | { kind: 'module'; at: PamLine; control: string; module: string }
  /** Stands for an unknown number of modules: an include, a substack, or a line PAM cannot parse. */
  | { kind: 'opaque'; at: PamLine };

/** The file's `password` stack in order: what jumps count. */
function passwordEntries(text: string): Entry[] {
  const out: Entry[] = [];
  for (const at of pamLines(text)) {
    const [type, control, module] = at.tokens;
    if (type === '@include') {
      out.push({ kind: 'opaque', at });
      continue;
    }
    if (type.replace(/^-/, '') !== 'password') continue;
    if (module === undefined || control === 'include' || control === 'substack') out.push({ kind: 'opaque', at });
    else out.push({ kind: 'module', at, control, module });
  }
  return out;
}

const baseName = (modulePath: string): string => modulePath.slice(modulePath.lastIndexOf('/') + 1);
const isOurs = (e: Entry): boolean => e.kind === 'module' && baseName(e.module) === PWBRIDGE_PAM_MODULE;

/** The `key=N` jumps of a bracket control, in order. */
function jumps(control: string): Array<{ key: string; n: number }> {
  if (!control.startsWith('[')) return [];
  return [...control.matchAll(/([A-Za-z_]+)=(\d+)/g)].map((m) => ({ key: m[1].toLowerCase(), n: Number(m[2]) }));
}

function actionOf(control: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s\\[])${key}=([^\\s\\]]+)`, 'i').exec(control);
  return m?.[1];
}

/** The first opaque entry after index `from` up to and including `to`, if any. */
function opaqueBetween(entries: Entry[], from: number, to: number): Entry | undefined {
  for (let j = from + 1; j <= Math.min(to, entries.length - 1); j++) if (entries[j].kind === 'opaque') return entries[j];
  return undefined;
}

/**
 * Rewrite the jump numbers in the bracket control of `e`, in place in `lines` (the file's physical
 * lines): `fix(n)` gives the new number for a jump of `n`. Returns the change, if any.
 */
function rewriteJumps(lines: string[], e: Entry, fix: (n: number) => number): JumpChange | undefined {
  const first = e.at.line - 1;
  const raw = lines.slice(first, e.at.end).join('\n');
  const open = raw.indexOf('[');
  const close = raw.indexOf(']', open);
  if (open < 0 || close < 0) return undefined;
  const before = raw.slice(open, close + 1);
  const after = before.replace(/([A-Za-z_]+)=(\d+)/g, (_m, k: string, n: string) => `${k}=${fix(Number(n))}`);
  if (after === before) return undefined;
  const next = (raw.slice(0, open) + after + raw.slice(close + 1)).split('\n');
  lines.splice(first, next.length, ...next);
  return { line: e.at.line, from: before, to: after };
}

/**
 * Insert `line` (see pwbridgeLine) into the password stack in `text` (the content of `file`, named in
 * errors). Idempotent: a file that already has a password line naming pam_pwbridge.so is returned
 * unchanged. Throws PamEditError where the line cannot be placed safely.
 */
export function insertPwbridgeLine(text: string, file: string, line: string): PamEditResult {
  const entries = passwordEntries(text);
  const existing = entries.find(isOurs);
  if (existing) return { text, changed: false, line: existing.at.line, removed: [], adjusted: [] };

  const byHand = `Add this line by hand where it runs only after pam_unix succeeded: ${line.replace(/\t/g, ' ')}`;
  const u = entries.findIndex((e) => e.kind === 'module' && baseName(e.module) === 'pam_unix.so');
  if (u < 0) {
    throw new PamEditError(file, 'has no password line for pam_unix.so, so there is no point after which a password change is known to have succeeded', byHand);
  }
  const unix = entries[u] as Extract<Entry, { kind: 'module' }>;
  const where = `${file}:${unix.at.line}`;
  let after: number; // index of the entry our line goes right after
  if (unix.control === 'requisite') {
    after = u;
  } else if (unix.control === 'required') {
    throw new PamEditError(where, "pam_unix.so is 'required': when it fails the stack goes on, so a line after it would also run, for a password that was never set",
      `Make it 'requisite' (the stack then stops when pam_unix fails) and run pwbridge install again. Or: ${byHand}`);
  } else if (unix.control === 'sufficient') {
    throw new PamEditError(where, "pam_unix.so is 'sufficient': the stack returns as soon as it succeeds, so no line after it would ever run", byHand);
  } else {
    const success = unix.control.startsWith('[') ? actionOf(unix.control, 'success') : undefined;
    if (success === undefined || !/^\d+$/.test(success) || Number(success) < 1) {
      const why = success === 'done'
        ? 'success=done returns as soon as it succeeds, so no line after it would ever run'
        : 'pwbridge places its line only after a requisite pam_unix or one that jumps on success (success=N)';
      throw new PamEditError(where, `pam_unix.so has the control '${unix.control}': ${why}`, byHand);
    }
    const landing = u + 1 + Number(success);
    const over = opaqueBetween(entries, u, landing);
    if (over) {
      throw new PamEditError(where, `pam_unix.so's success=${success} jumps over line ${over.at.line} (an include or substack, or a line PAM cannot parse), so where it lands cannot be told`, byHand);
    }
    if (landing >= entries.length) {
      throw new PamEditError(where, `pam_unix.so's success=${success} jumps past the last password line, so no line of this file runs after it succeeded`, byHand);
    }
    const target = entries[landing] as Extract<Entry, { kind: 'module' }>;
    if (!['required', 'requisite', 'optional'].includes(target.control)) {
      throw new PamEditError(`${file}:${target.at.line}`, `pam_unix.so's success jump lands on ${target.module} with the control '${target.control}', which may end the stack or jump elsewhere`, byHand);
    }
    after = landing;
  }

  const lines = text.split('\n');
  const adjusted = adjustJumps(entries, lines, file, after + 1, +1, byHand);
  // Right after the last physical line of the entry we follow; a CRLF file gets a CRLF line.
  const at = entries[after].at.end;
  const cr = lines[at - 1].endsWith('\r') ? '\r' : '';
  lines.splice(at, 0, line + cr);
  const prev = entries[after] as Extract<Entry, { kind: 'module' }>;
  const edited = lines.join('\n');
  // The result itself is checked, not a prediction of it: no path may reach our line without pam_unix's success.
  refuseUnsafeFlow(passwordEntries(edited), file, byHand, prev);
  return { text: edited, changed: true, line: at + 1, follows: `${prev.module} (line ${prev.at.line})`, removed: [], adjusted };
}

/**
 * In a stack that already has pwbridge's line (edited since install, or placed by hand): a path that reaches
 * it without pam_unix's success, by the rule install refuses an edit with; undefined when there is none, or
 * when the file has no pwbridge line or no pam_unix line (the probe says those).
 */
export function unsafePwbridgeFlow(text: string): UnsafeFlow | undefined {
  const entries = passwordEntries(text);
  const ours = entries.findIndex(isOurs);
  const u = entries.findIndex((e) => e.kind === 'module' && baseName(e.module) === 'pam_unix.so');
  if (ours < 0 || u < 0) return undefined;
  return reachesWithoutUnixSuccess(flowEntries(entries), u, ours);
}

/** The stack as pam-flow.ts reads it. */
function flowEntries(entries: Entry[]): FlowEntry[] {
  return entries.map((e) => (e.kind === 'module' ? { kind: 'module', line: e.at.line, control: e.control, module: e.module } : { kind: 'opaque', line: e.at.line }));
}

/**
 * Throws when, in the edited stack, some path reaches our line without pam_unix's success. Every line of
 * such a path but the last (ours) comes before our line, so it has the same number in the original file.
 */
function refuseUnsafeFlow(edited: Entry[], file: string, byHand: string, follows: { module: string; at: PamLine }): void {
  const u = edited.findIndex((e) => e.kind === 'module' && baseName(e.module) === 'pam_unix.so');
  const bad = reachesWithoutUnixSuccess(flowEntries(edited), u, edited.findIndex(isOurs));
  if (!bad) return;
  const unixLine = edited[u].at.line;
  const through = `lines ${bad.lines.slice(0, -1).join(' → ')}`;
  const spot = `past ${follows.module} (line ${follows.at.line}), where pwbridge's line would go`;
  if (bad.unix === 'failed') {
    throw new PamEditError(`${file}:${unixLine}`,
      `when pam_unix.so fails, the stack can still go on (${through}) ${spot}, so it would run for a password that was never set`,
      `Make a failed pam_unix.so end the stack (as Debian ships it: '[success=1 default=ignore] pam_unix.so', then 'requisite pam_deny.so', then 'required pam_permit.so') and run pwbridge install again. Or: ${byHand}`);
  }
  // The path never ran pam_unix: its last line before pam_unix is the one whose jump went around it.
  const jumper = [...bad.lines].reverse().find((l) => l < unixLine) ?? bad.lines[0];
  throw new PamEditError(`${file}:${jumper}`,
    `a jump goes around pam_unix.so (line ${unixLine}) and on (${through}) ${spot}, so it would run when pam_unix did not change the password`,
    byHand);
}

/**
 * Keep every flow landing where it did when a module is added at (delta +1) or removed from (delta -1)
 * stack index `k`: a jump from before `k` that lands beyond the insertion point (at or after `k` when
 * adding; after `k` when removing) moves by `delta`.
 */
function adjustJumps(entries: Entry[], lines: string[], file: string, k: number, delta: 1 | -1, byHand: string): JumpChange[] {
  const changes: JumpChange[] = [];
  for (let i = 0; i < k; i++) {
    const e = entries[i];
    if (e.kind !== 'module') continue;
    const js = jumps(e.control);
    if (js.length === 0) continue;
    const beyond = (n: number): boolean => (delta > 0 ? i + 1 + n >= k : i + 1 + n > k);
    for (const { key, n } of js) {
      const over = opaqueBetween(entries, i, k - 1);
      if (over && i + 1 + n > entries.indexOf(over)) {
        throw new PamEditError(`${file}:${e.at.line}`, `${e.module}'s ${key}=${n} jumps over line ${over.at.line} (an include or substack, or a line PAM cannot parse), so whether it must be renumbered cannot be told`, byHand);
      }
    }
    const change = rewriteJumps(lines, e, (n) => (beyond(n) ? n + delta : n));
    if (change) changes.push(change);
  }
  return changes;
}

/**
 * Remove every password line naming pam_pwbridge.so (with its continuation lines) and undo the jump
 * renumbering insert did. A file without one is returned unchanged.
 */
export function removePwbridgeLines(text: string, file: string): PamEditResult {
  const removed = passwordEntries(text).filter(isOurs).map((e) => e.at.line);
  const adjusted: JumpChange[] = [];
  const byHand = `Remove the ${PWBRIDGE_PAM_MODULE} line by hand`;
  let current = text;
  for (;;) {
    const entries = passwordEntries(current);
    const k = entries.findIndex(isOurs);
    if (k < 0) break;
    const lines = current.split('\n');
    adjusted.push(...adjustJumps(entries, lines, file, k, -1, byHand));
    const ours = entries[k].at;
    lines.splice(ours.line - 1, ours.end - ours.line + 1);
    current = lines.join('\n');
  }
  return { text: current, changed: current !== text, removed, adjusted };
}
