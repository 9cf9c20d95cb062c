// `pwbridge setup --enrol-token-file FILE`: the hub enrolment token a deployment tool put on the machine
// (never an argument or the environment, where process lists and logs would show it). The file must be a
// plain file that only its owner, the user running setup (root, SYSTEM), can read: a token others could
// have read may have leaked, and using it would hide that. The file is left in place (a failed enrolment,
// the hub unreachable, can be run again); the token expires on the hub and can be revoked there.
import * as fs from 'node:fs';
import type { KeyFileAccessCheck } from '../protocol/key-files';
import { UsageError } from '../cli/errors';

/**
 * The token in `file`, as bytes (the caller wipes them). `access`: Windows' owner-and-DACL rule; absent
 * (POSIX), the file must be owned by the user running this and have no group or other bits.
 */
export function readEnrolTokenFile(file: string, access: KeyFileAccessCheck | undefined): Buffer {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw new UsageError(`--enrol-token-file: ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!st.isFile()) throw new UsageError(`--enrol-token-file: ${file} is not a regular file`);
  const problem = access ? access(file, 'secret') : posixProblem(st);
  if (problem) throw new UsageError(`--enrol-token-file: ${file} ${problem}. It holds a hub enrolment token: only the user running setup may be able to read it`);
  const bytes = fs.readFileSync(file);
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20)) end--;
  const token = Buffer.from(bytes.subarray(0, end));
  bytes.fill(0);
  // Tested without making a string of it (a string cannot be wiped): byte by byte against the shape's set.
  if (!looksLikeToken(token)) {
    token.fill(0);
    throw new UsageError(`--enrol-token-file: ${file} does not hold an enrolment token (one line, "pwe_" and 43 characters, as the hub showed it)`);
  }
  return token;
}

function posixProblem(st: fs.Stats): string | undefined {
  if ((st.mode & 0o077) !== 0) return `has mode 0${(st.mode & 0o777).toString(8)}, readable or writable by others (it must be 0600)`;
  const me = process.geteuid?.();
  if (me !== undefined && st.uid !== me) return `is owned by uid ${st.uid}, not by the user running setup (uid ${me})`;
  return undefined;
}

/** What POST /api/enrolment-tokens answers: "pwe_" and 32 random bytes in base64url (43 characters). */
function looksLikeToken(b: Buffer): boolean {
  if (b.length !== 47 || b.subarray(0, 4).toString('latin1') !== 'pwe_') return false;
  for (let i = 4; i < b.length; i++) {
    const c = b[i];
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
    if (!ok) return false;
  }
  return true;
}
