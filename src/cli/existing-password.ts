/**
 * The password of an account that already exists (`pwbridge install --service-account NAME`): one line on
 * stdin, or asked once at a terminal with echo off (it is checked against the account, so no second
 * typing). Never from arguments or the environment. The caller wipes the Buffer.
 */
import { promptLine } from './prompt';
import { readOneLinePasswordFromStdin } from './stdin';
import { UsageError } from './errors';

export async function readExistingPassword(what: string, account: string): Promise<Buffer> {
  if (!process.stdin.isTTY) return readOneLinePasswordFromStdin(what);
  const password = await promptLine(`Password of ${account}: `, true);
  if (password.length === 0) throw new UsageError(`${what}: no password typed`);
  return password;
}
