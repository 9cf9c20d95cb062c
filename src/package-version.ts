// pwbridge's version, read from package.json: the one place the release version is written (the native
// builds take it from there too, native/package-version.cmake). The checkout, the Debian package
// (/usr/lib/pwbridge/package.json) and the MSI (package.json beside dist\) all keep package.json two
// folders above dist/src, so the file is found the same way in each.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** dist/src/package-version.js → the folder holding dist/ and package.json. */
export const PACKAGE_JSON = path.resolve(__dirname, '..', '..', 'package.json');

/** package.json's `version`; throws naming the file when it is missing or has none. */
export function packageVersion(file: string = PACKAGE_JSON): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read pwbridge's version from ${file}: ${(err as Error).message}`);
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version !== 'string' || version === '') throw new Error(`${file} has no "version"`);
  return version;
}
