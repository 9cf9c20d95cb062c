import * as fs from 'node:fs';
import pino from 'pino';

/**
 * pino JSON to a file (and stdout when running in the foreground). Redaction is a second line of defence:
 * nothing pwbridge logs should hold a secret in the first place.
 */
export function createLogger(opts: { level: string; file?: string; stdout?: boolean }): pino.Logger {
  const streams: pino.StreamEntry[] = [];
  if (opts.file) {
    // Owner-only before the first line is written; events name accounts, which is not for every user.
    fs.closeSync(fs.openSync(opts.file, 'a', 0o600));
    if (process.platform !== 'win32') fs.chmodSync(opts.file, 0o600);
    // Synchronous writes: each line is on disk when the call returns (an admin tailing the file sees it,
    // a crash loses none), and memory stays bounded in a burst, where an async writer would buffer without
    // limit while events come faster than the disk takes them.
    streams.push({ stream: pino.destination({ dest: opts.file, sync: true }) });
  }
  if (opts.stdout) streams.push({ stream: pino.destination({ fd: 1, sync: false }) });
  return pino(
    {
      level: opts.level,
      base: { app: 'pwbridge' },
      redact: { paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'key', '*.key'], censor: '[redacted]' },
    },
    pino.multistream(streams.length ? streams : [{ stream: pino.destination({ fd: 2, sync: false }) }]),
  );
}
