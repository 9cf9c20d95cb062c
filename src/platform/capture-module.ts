// What `pwbridge --version` says about the capture module on this machine: which file, and the version it
// carries, read from the file without loading it (a PAM module's ELF note, the filter DLL's version resource).

export interface CaptureModuleInfo {
  /** pam: the Linux PAM module; lsa: the Windows password filter. */
  kind: 'pam' | 'lsa';
  /** The file found, if any. */
  path?: string;
  /** The version the file carries; undefined when it carries none (a build from before versions were written in). */
  version?: string;
  /** Why no version could be said: not found (with the places looked in), or not readable. */
  problem?: string;
}
