// The data dir's ACL, as a whole tree: judge a folder found there before install (every entry's owner and
// DACL), create it with the protected descriptor from the first moment, set that descriptor on every entry,
// and read each back. install calls `secure` after every step that creates files (keys, vault key, vault,
// install.json), so no file stays with what it was created with: on Windows a new file inherits the
// folder's entries anyway, under Wine it gets a DACL made from its Unix mode, which lets Everyone read.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { aclProblems, protectedDescriptor, trustedSids, type SidNamer } from './acl-rule';
import type { Win32 } from './binding';
import { createDirectoryWithSecurity, readFileSecurity, writeFileSecurity } from './file-security';

export interface TreeEntry {
  path: string;
  dir: boolean;
}

/** One entry and what is wrong with it. */
export interface EntryProblem {
  path: string;
  problem: string;
  /** Others may only read it: owner trusted, no one else may write, delete or change it. Such an entry can
   * have leaked what it holds, but nobody untrusted can have put it there or changed it. */
  readOnly: boolean;
}

/** `root` and everything below it, folders before their contents. Links are refused: securing one would change what it points to. */
export function listTree(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) throw new DataDirAclError(root, [{ path: p, problem: 'is a link (a symbolic link or junction): pwbridge does not follow links in its data dir', readOnly: false }], 'Remove the link');
    out.push({ path: p, dir: st.isDirectory() });
    if (st.isDirectory()) for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
  };
  visit(root);
  return out;
}

export class DataDirAclError extends Error {
  constructor(readonly dir: string, readonly problems: EntryProblem[], fix: string) {
    super(`${dir} is not private to SYSTEM, Administrators and the service account: ${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}. ${fix}`);
    this.name = 'DataDirAclError';
  }
}

/** The way out for a data dir found before install that lets others in: nothing of it is trusted. */
export function untrustedDirFix(dir: string): string {
  return 'Someone other than SYSTEM and the administrators may have put or read something in it. Move it away '
    + `(move "${dir}" "${dir}.untrusted"), run pwbridge install again (it creates the folder with an ACL for SYSTEM, Administrators and the `
    + 'service account only), and copy config.json back from it once you have read it';
}

export class DataDirAcl {
  constructor(private readonly w: Win32, private readonly lookup?: SidNamer) {}

  /**
   * What makes the tree at `dir` untrustworthy: each entry whose owner or DACL lets in anyone but SYSTEM,
   * Administrators and `serviceSids` (the service account; under Wine also the one user there is).
   */
  problems(dir: string, serviceSids: readonly string[] = []): EntryProblem[] {
    const rule = { trusted: trustedSids(serviceSids), lookup: this.lookup };
    const out: EntryProblem[] = [];
    for (const e of listTree(dir)) {
      let sd;
      try {
        sd = readFileSecurity(this.w, e.path);
      } catch (err) {
        // An administrator who cannot read an entry's ACL (its owner denied it) cannot trust it either.
        out.push({ path: e.path, problem: `has an owner and ACL that cannot be read (${(err as Error).message})`, readOnly: false });
        continue;
      }
      const readOnly = aclProblems(sd, { ...rule, othersMayRead: true }).length === 0;
      for (const problem of aclProblems(sd, rule)) out.push({ path: e.path, problem, readOnly });
    }
    return out;
  }

  /** Create `dir` (its parent must exist) with the protected descriptor. */
  create(dir: string, serviceSid?: string): void {
    createDirectoryWithSecurity(this.w, dir, protectedDescriptor({ serviceSid, container: true }));
  }

  /**
   * Set the protected descriptor (with an entry for `serviceSid`) on `dir` and every entry below it, then
   * read the whole tree back, trusting `serviceSids` (default: `serviceSid`).
   */
  secure(dir: string, serviceSid?: string, serviceSids: readonly string[] = serviceSid ? [serviceSid] : []): void {
    const folder = protectedDescriptor({ serviceSid, container: true });
    const file = protectedDescriptor({ serviceSid, container: false });
    for (const e of listTree(dir)) writeFileSecurity(this.w, e.path, e.dir ? folder : file);
    this.verify(dir, serviceSids);
  }

  /** Set the protected descriptor on one file of the tree (install.json, written after the service started)
   * and read it back. */
  secureFile(file: string, serviceSid?: string, serviceSids: readonly string[] = serviceSid ? [serviceSid] : []): void {
    writeFileSecurity(this.w, file, protectedDescriptor({ serviceSid, container: false }));
    this.verify(file, serviceSids);
  }

  /** Read every entry's owner and DACL back; throws naming each entry that lets anyone else in. */
  verify(dir: string, serviceSids: readonly string[] = []): void {
    const problems = this.problems(dir, serviceSids);
    if (problems.length) {
      throw new DataDirAclError(dir, problems, 'pwbridge install set the ACL and reading it back shows the above: something else changed it, '
        + 'or this file system does not keep ACLs. The steps after this one were not done; fix the cause and run pwbridge install again');
    }
  }
}
