// Where this checkout's pieces are, computed from the running file (dist/src/setup/repo.js).
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** What the service runs: the compiled CLI. */
export const MAIN_JS = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
/** The PAM module as `npm run build:native` leaves it (native/, issue 3). */
export const DEFAULT_MODULE_SOURCE = path.join(REPO_ROOT, 'native', 'build', 'pam', 'pam_pwbridge.so');
