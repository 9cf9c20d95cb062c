// Where libpam loads a module named without a path from: linux-pam looks in "$libdir/security", libdir being
// the folder libpam itself was installed in (/usr/lib/<multiarch triplet> on Debian, /usr/lib64 on Fedora).
// node does not load libpam, but it loads libc from the same libdir for the same architecture, so that
// folder is read from /proc/self/maps and kept when libpam.so.0 is there too. Its twin under /lib (or /usr/lib)
// is added for systems without a merged /usr, then the plain /lib/security and /usr/lib/security of a
// libpam built with the default libdir. No list of architectures: an arm64 or riscv64 machine finds its own.

import * as fs from 'node:fs';
import * as path from 'node:path';

const LIBPAM = 'libpam.so.0';

/** The folders of the libc this process runs on, as /proc/self/maps names them (usually one). */
function libcDirs(mapsText: string): string[] {
  const dirs = new Set<string>();
  for (const line of mapsText.split('\n')) {
    const file = line.slice(line.indexOf('/'));
    if (line.includes('/') && /\/libc(\.so\.\d+|-[\d.]+\.so)$/.test(file)) dirs.add(path.dirname(file));
  }
  return [...dirs];
}

/** /usr/lib/x → /lib/x and back: on a merged /usr they are one folder, elsewhere libpam may be in either. */
function twin(dir: string): string | undefined {
  if (dir.startsWith('/usr/lib')) return dir.slice('/usr'.length);
  if (dir.startsWith('/lib')) return `/usr${dir}`;
  return undefined;
}

/** The candidate security folders, most specific first. `mapsFile`: for tests. */
export function pamModuleDirs(mapsFile = '/proc/self/maps'): string[] {
  let maps = '';
  try {
    maps = fs.readFileSync(mapsFile, 'utf8');
  } catch {
    /* no /proc: only the plain folders below */
  }
  const out: string[] = [];
  for (const dir of libcDirs(maps)) {
    for (const d of [dir, twin(dir)]) {
      if (d && fs.existsSync(path.join(d, LIBPAM))) out.push(path.join(d, 'security'));
    }
  }
  out.push('/lib/security', '/usr/lib/security');
  return [...new Set(out)];
}

let cached: readonly string[] | undefined;
/** pamModuleDirs() of this process, worked out once. */
export function defaultPamModuleDirs(): readonly string[] {
  cached ??= Object.freeze(pamModuleDirs());
  return cached;
}
