import * as fs from 'node:fs';
import pino from 'pino';

/** Log bytes held in memory while the log file cannot be written (disk full); older ones are kept, newer dropped. */
const LOG_BACKLOG_BYTES = 1 << 20;

/**
 * A full disk or an I/O error on the log file must not end the service (sonic-boom emits 'error', and
 * with no listener that is a throw out of whatever logged, in the middle of the journal stage). The
 * lines stay queued, up to LOG_BACKLOG_BYTES, and go out with the next write that succeeds; stderr
 * (the service manager's journal, usually another disk) hears once when the file fails and once when it
 * works again, with how many lines were dropped meanwhile.
 */
function keepGoingOnWriteErrors(dest: pino.DestinationStream & NodeJS.EventEmitter, file: string): pino.DestinationStream {
  let failing = false;
  let dropped = 0;
  dest.on('error', (err: NodeJS.ErrnoException) => {
    if (failing) return;
    failing = true;
    process.stderr.write(`pwbridge: cannot write the log file ${file} (${err.code ?? err.message}); lines are held and written once it can be\n`);
  });
  dest.on('drop', () => { dropped++; });
  dest.on('write', () => {
    if (!failing) return;
    failing = false;
    process.stderr.write(`pwbridge: the log file ${file} is written again${dropped ? `; ${dropped} lines were dropped meanwhile` : ''}\n`);
    dropped = 0;
  });
  return dest;
}

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
    streams.push({ stream: keepGoingOnWriteErrors(pino.destination({ dest: opts.file, sync: true, maxLength: LOG_BACKLOG_BYTES }), opts.file) });
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
