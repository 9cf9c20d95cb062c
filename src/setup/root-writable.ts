// Could someone other than root change what a root service runs? A systemd unit that runs node and
// dist/src/cli/main.js as root gives root to whoever can write node, any file the service loads (dist/,
// node_modules/), or any folder above them (rename the folder, put another in its place). So `pwbridge
// install` from a checkout refuses when one of them is writable by a non-root user: owned by one, group-
// writable with a group other than root's, or writable by others. One exception, the kernel's own rule: a
// folder *above* the files that is root's and sticky (/tmp, 1777) lets others add entries beside ours but
// not rename or remove ours, so it cannot be used to swap the checkout (the next folder down is judged as
// usual). Inside dist/ and node_modules/ a sticky folder is still refused: a file added there could be
// loaded. POSIX ACLs are not read: a checkout carrying an ACL that grants write is not caught here.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WritableFinding {
  /** The file or folder a non-root user can write. */
  path: string;
  /** Who can write it, in words. */
  who: string;
}

/** Who other than root can write this inode, or undefined if only root can. */
export function nonRootWriter(st: fs.Stats): string | undefined {
  // A symbolic link's own mode means nothing and nobody can rewrite one in place: replacing it takes write
  // access to its folder, which is checked as a folder; where it points is checked separately.
  if (st.isSymbolicLink()) return undefined;
  if (st.uid !== 0) return `its owner (uid ${st.uid})`;
  if ((st.mode & 0o002) !== 0) return 'everyone';
  if ((st.mode & 0o020) !== 0 && st.gid !== 0) return `the members of group ${st.gid}`;
  return undefined;
}

/** `p` and every folder above it, from / down (lstat: a symbolic link is judged as itself, its target separately). */
function chainOf(p: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(p); ; d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) return out;
  }
}

/** Root's sticky folder (/tmp): others may add entries to it, but not rename or remove root's. */
function rootSticky(st: fs.Stats): boolean {
  return st.isDirectory() && st.uid === 0 && (st.mode & 0o1000) !== 0;
}

function checkChain(p: string): WritableFinding | undefined {
  // The path as named (a symlink's folder could be rewritten) and as resolved (where the bytes are).
  for (const chain of [chainOf(p), chainOf(fs.realpathSync(p))]) {
    for (const [i, c] of chain.entries()) {
      const st = fs.lstatSync(c);
      const above = i < chain.length - 1;
      if (above && rootSticky(st)) continue;
      const who = nonRootWriter(st);
      if (who) return { path: c, who };
    }
  }
  return undefined;
}

function checkTree(dir: string): WritableFinding | undefined {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const who = nonRootWriter(fs.lstatSync(p));
    if (who) return { path: p, who };
    if (e.isSymbolicLink()) {
      const target = fs.statSync(p, { throwIfNoEntry: false });
      if (!target) continue; // a dangling link loads nothing
      const found = checkChain(p);
      if (found) return found;
    } else if (e.isDirectory()) {
      const found = checkTree(p);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The first path a non-root user can write among `files` (and the folders above them) and everything
 * under `trees` (and the folders above them), or undefined when root alone can change all of it.
 */
export function firstNonRootWritable(files: readonly string[], trees: readonly string[]): WritableFinding | undefined {
  for (const f of [...files, ...trees]) {
    const found = checkChain(f);
    if (found) return found;
  }
  for (const t of trees) {
    const found = checkTree(t);
    if (found) return found;
  }
  return undefined;
}
