// Is pwbridge's line in common-password still where install put it, after pam_unix's success on every path?
// An administrator's later edit (or a line placed by hand) can open a path around a failed pam_unix; the
// module's /etc/shadow check still guards it, so doctor warns rather than calls the capture broken.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unsafePwbridgeFlow } from './pam-edit';
import { PWBRIDGE_PAM_MODULE } from './pam-stack';

export const PAM_FILE = 'common-password';

/** What is wrong with the flow to pwbridge's line in PAM_DIR/common-password; empty when nothing (or no file). */
export function pamFlowProblems(pamDir: string): string[] {
  const file = path.join(pamDir, PAM_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const bad = unsafePwbridgeFlow(text);
  if (!bad) return [];
  const how = bad.unix === 'failed' ? 'when pam_unix.so fails, the stack still goes on' : 'a jump goes around pam_unix.so';
  return [`${file}: ${how} to ${PWBRIDGE_PAM_MODULE} (lines ${bad.lines.join(' → ')}), so it runs for a password that was never set (its /etc/shadow check is then the only guard)`];
}
