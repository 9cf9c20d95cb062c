/**
 * A hub user's new password for `pwbridge hub-user add|passwd`: one line on stdin (from a password
 * manager or a script), or typed twice at a terminal with echo off. Never from arguments or the
 * environment, which other users of the host can read. The caller wipes the Buffer.
 */
import { UsageError } from '../errors';
import { promptLine } from '../prompt';
import { readOneLinePasswordFromStdin } from '../stdin';

export async function readNewPassword(what: string): Promise<Buffer> {
  if (process.stdin.isTTY) return promptTwice(what);
  return readOneLinePasswordFromStdin(what);
}

async function promptTwice(what: string): Promise<Buffer> {
  const first = await promptLine('New password: ', true);
  let again: Buffer | undefined;
  try {
    again = await promptLine('Same password again: ', true);
    if (!first.equals(again)) throw new UsageError(`${what}: the two passwords typed differ; nothing changed`);
    return Buffer.from(first);
  } finally {
    first.fill(0);
    again?.fill(0);
  }
}
