// The install's key files as the service and the capture module demand them: modes and owner on Linux,
// owner and ACL on Windows, sizes, and a public key that is the private key's. The check is loadKeys's
// own (src/protocol/key-files.ts), so doctor refuses exactly what the service would. Nothing read is shown.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyFileError } from '../../protocol/errors';
import { loadKeys, wipeKeys, PRIVATE_FILE, PUBLIC_FILE, SECRET_FILE } from '../../protocol/key-files';
import { fixesFor } from '../fixes';
import { asAdmin, verdict, type DoctorContext, type LinkVerdict } from '../link';

export function keyFiles(ctx: DoctorContext): LinkVerdict {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  const dir = ctx.paths.keysDir;
  try {
    wipeKeys(loadKeys(dir, ctx.machine.keyFileAccess));
  } catch (e) {
    if (!(e instanceof KeyFileError)) throw e;
    if (/cannot be read \((EACCES|EPERM)\)/.test(e.message)) {
      return verdict('not-checked', `the keys cannot be read by this account: run doctor ${asAdmin(ctx.machine.os)}`, [e.message]);
    }
    if (/does not exist/.test(e.message)) return verdict('broken', 'a key file is missing', [e.message], fix.install);
    // Sizes and formats are install's to redo; anything else loadKeys refuses is who may open the file.
    const loose = !/\bbytes\b|does not match|is not a|layout|PEM/.test(e.message);
    return verdict('broken', loose ? 'a key file is open to more than the install\'s own accounts' : 'a key file is not what the service accepts', [e.message],
      loose ? `${fix.tightenKeyFile(e.file, modeFor(e.file))}, then replace the keys if others could have read them (${fix.cli('uninstall')} && ${fix.install})` : fix.install);
  }
  const evidence = [SECRET_FILE, PRIVATE_FILE, PUBLIC_FILE].map((f) => describe(path.join(dir, f), ctx.machine.os));
  return verdict('ok', `${SECRET_FILE}, ${PRIVATE_FILE} and ${PUBLIC_FILE} are the install's own and the service accepts them`, evidence);
}

const modeFor = (file: string): number => (file.endsWith(PUBLIC_FILE) ? 0o644 : file.endsWith('keys') ? 0o700 : 0o600);

/** Mode and owner (POSIX), or only that the ACL passed (Windows: the check says what is wrong, not what is right). */
function describe(file: string, os: string): string {
  if (os === 'win32') return `${file}: owner and ACL let in only SYSTEM, Administrators and the service account`;
  const st = fs.statSync(file);
  return `${file}: mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, uid ${st.uid}`;
}
