// The CLI's stdin, stdout and stderr where Node cannot open them as streams. Under Wine, Node's Windows
// build fails to open a std handle that is a pipe (EBADF at the first use of process.stdout or stdin), so
// `pwbridge.cmd status | findstr …` or a password piped to `setup` would crash. Plain reads and writes on
// the descriptors work there, so a std stream that cannot be opened is replaced by one made of them. On
// Windows itself and on Linux every stream opens and nothing here changes anything.
import * as fs from 'node:fs';
import { Readable, Writable } from 'node:stream';

type StdName = 'stdin' | 'stdout' | 'stderr';

function opens(name: StdName): boolean {
  try {
    void process[name];
    return true;
  } catch {
    return false;
  }
}

function fdWriter(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        for (let off = 0; off < chunk.length;) off += fs.writeSync(fd, chunk, off);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
}

function fdReader(fd: number): Readable {
  return new Readable({
    read(size) {
      const buf = Buffer.alloc(Math.max(size, 4096));
      fs.read(fd, buf, 0, buf.length, null, (err, n) => {
        // A closed pipe reads as end of input, as it does for a stream.
        if (err && (err as NodeJS.ErrnoException).code !== 'EOF' && (err as NodeJS.ErrnoException).code !== 'EPIPE') this.destroy(err);
        else this.push(n > 0 ? buf.subarray(0, n) : null);
      });
    },
  });
}

/** Replace each std stream that cannot be opened (Windows only; see above). Call before any output. */
export function repairStdio(): void {
  if (process.platform !== 'win32') return;
  const make: Record<StdName, () => Readable | Writable> = { stdin: () => fdReader(0), stdout: () => fdWriter(1), stderr: () => fdWriter(2) };
  for (const name of ['stdout', 'stderr', 'stdin'] as const) {
    if (opens(name)) continue;
    const stream = make[name]();
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
  }
}
