/**
 * The agent token on Linux (and any POSIX system): a file only its owner may read or write (0600), written
 * whole (temp file, fsync, rename) so the service never reads half of a token that setup is replacing.
 * Windows keeps it DPAPI-protected instead (windows/dpapi-token.ts); src/platform/index.ts picks one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-file';

/** Where `pwbridge setup` puts the agent token and where the service reads it. */
export interface AgentTokenStore {
  /** The token, refused with the fix when missing, readable by others, or not a token. */
  read(file: string): string;
  write(file: string, token: string): void;
  /** How the token is kept, for setup's message ("a 0600 file", "DPAPI-protected"). */
  readonly how: string;
}

const TOKEN_FORMAT = /^pwa_[A-Za-z0-9_-]{43}$/;

/** The token's own shape: a wrong file is refused before its content is sent anywhere. */
export function checkAgentToken(token: string, file: string): string {
  if (!TOKEN_FORMAT.test(token)) throw new Error(`the agent token ${file} is not an agent token; run pwbridge setup again`);
  return token;
}

export function missingToken(file: string): Error {
  return new Error(`the agent token ${file} is missing; enrol this machine with: pwbridge setup --hub URL`);
}

export const privateFileTokenStore: AgentTokenStore = {
  how: 'a file only its owner can read (0600)',
  read(file) {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      throw missingToken(file);
    }
    if ((st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new Error(`the agent token ${file} has mode ${mode}; it must not be readable or writable by group or others (chmod 600)`);
    }
    return checkAgentToken(fs.readFileSync(file, 'utf8').trim(), file);
  },
  write(file, token) {
    checkAgentToken(token, file);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, `${token}\n`, { mode: 0o600 });
  },
};
