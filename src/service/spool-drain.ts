// Draining the capture spool (docs/protocol.md "Spool"): events a capture could not deliver, one
// `<event id>.chg` file each, are verified, journaled like a live CHANGE and only then deleted.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type pino from 'pino';
import type { EventSink } from '../ports/event-sink.port';
import type { JournalPort } from '../ports/journal.port';
import { MAX_PASSWORD_BYTES, type ReasonName } from '../protocol/constants';
import { ProtocolError } from '../protocol/errors';
import { sealedCtLen } from '../protocol/messages';
import { MAX_SPOOL_RECORD, decodeSpoolRecord, type DecodedSpoolRecord } from '../protocol/spool-record';
import { journalEntryOf } from './journal-stage';

/** Only complete records have this suffix (the capture writes `.<name>.tmp` and renames it). */
const SPOOL_SUFFIX = '.chg';
/** A refused record is renamed to `<name>.bad` and never read again. */
const BAD_SUFFIX = '.bad';
/** Records per journal transaction: one fsync each, and files are deleted batch by batch. */
const BATCH = 256;

export interface SpoolDrainDeps {
  /** `<data dir>/spool`. */
  dir: string;
  /** K_spool = HMAC(S, "pwbridge/1/spool"). Not copied and not wiped here. */
  key: Buffer;
  journal: JournalPort;
  events: EventSink;
  logger: Pick<pino.Logger, 'error' | 'warn'>;
  /** receivedAt of the journal entries. */
  now?: () => number;
}

export interface SpoolDrainResult {
  /** Newly journaled. */
  stored: number;
  /** The journal already had the event id (delivered live, or drained before a crash): no second effect. */
  duplicate: number;
  /** Renamed to `.bad` with a `spool-refused` event. */
  refused: number;
}

interface Ready {
  name: string;
  file: string;
  record: DecodedSpoolRecord;
}

/** Why a record is refused. Never holds the record's bytes: only sizes, fields and the file's name. */
class SpoolRefusal extends Error {
  constructor(readonly reason: ReasonName | 'not-a-file', readonly detail: string, readonly record?: DecodedSpoolRecord) {
    super(`${reason}: ${detail}`);
  }
}

/**
 * One pass over the spool: every `.chg` file, oldest `captured_at` first, appended to the journal (durable
 * when append returns) and only then deleted. A record that fails its checks is set aside as `.bad`. A
 * missing spool directory is an empty spool. Never throws: I/O errors are logged, and a file that could
 * not be read or journaled stays for the next pass.
 */
export async function drainSpool(d: SpoolDrainDeps): Promise<SpoolDrainResult> {
  const counts: SpoolDrainResult = { stored: 0, duplicate: 0, refused: 0 };
  try {
    await drainInto(d, counts);
  } catch (err) {
    d.logger.error({ err: { message: (err as Error).message }, dir: d.dir }, 'spool: drain failed');
  }
  return counts;
}

async function drainInto(d: SpoolDrainDeps, counts: SpoolDrainResult): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(d.dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    d.logger.error({ err: { message: (err as Error).message }, dir: d.dir }, 'spool: cannot list the spool directory');
    return;
  }
  let dirChanged = false;
  const ready: Ready[] = [];
  for (const e of entries) {
    if (!e.name.endsWith(SPOOL_SUFFIX)) continue;
    const file = path.join(d.dir, e.name);
    try {
      if (!e.isFile()) throw new SpoolRefusal('not-a-file', 'not a regular file');
      const raw = await readRecordFile(file);
      if (raw === undefined) continue; // gone since the listing (the capture delivered it after all)
      ready.push({ name: e.name, file, record: checkRecord(raw, d.key) });
    } catch (err) {
      if (!(err instanceof SpoolRefusal)) {
        // Not the record's fault (permissions, I/O): leave it for the next pass.
        d.logger.error({ err: { message: (err as Error).message }, file }, 'spool: cannot read a record; left for the next pass');
        continue;
      }
      counts.refused++;
      dirChanged = true;
      await setAside(d, e.name, file, err);
    }
  }

  // Oldest capture first, so the journal's order (which decides "latest wins" per account) is capture order
  // whatever the file names. The event id breaks ties, so the order never depends on the listing.
  ready.sort((a, b) => a.record.change.capturedAt - b.record.change.capturedAt || Buffer.compare(a.record.change.eventId, b.record.change.eventId));
  for (let i = 0; i < ready.length; i += BATCH) {
    const batch = ready.slice(i, i + BATCH);
    const receivedAt = (d.now ?? Date.now)();
    let results: Array<'stored' | 'duplicate'>;
    try {
      results = d.journal.append(batch.map((r) => journalEntryOf(r.record.change, r.record.machine, receivedAt)));
    } catch (err) {
      // Not durable: keep every file of this batch and the ones after it (their order matters) for the next pass.
      d.logger.error({ err: { message: (err as Error).message }, files: ready.length - i }, 'spool: journal append failed; records left for the next pass');
      break;
    }
    for (const [j, r] of batch.entries()) {
      counts[results[j]]++;
      dirChanged = (await removeFile(d, r.file)) || dirChanged;
    }
  }
  if (dirChanged) await syncDir(d);
}

/** Authenticate and parse; a record the bridge will never accept is a SpoolRefusal. */
function checkRecord(raw: Buffer, key: Buffer): DecodedSpoolRecord {
  let record: DecodedSpoolRecord;
  try {
    record = decodeSpoolRecord(raw, key);
  } catch (err) {
    if (err instanceof ProtocolError) throw new SpoolRefusal(err.reason, err.detail);
    throw err;
  }
  // As for a live CHANGE (server-session.ts): valid and authentic, but never acceptable.
  const ctLen = sealedCtLen(record.change.sealed);
  if (ctLen > MAX_PASSWORD_BYTES) throw new SpoolRefusal('password-too-long', `sealed password of ${ctLen} bytes exceeds ${MAX_PASSWORD_BYTES}`, record);
  return record;
}

/** The whole file, or undefined when it is gone. Larger than any valid record: refused unread. */
async function readRecordFile(file: string): Promise<Buffer | undefined> {
  let fh: fsp.FileHandle;
  try {
    // O_NOFOLLOW: a symlink put in place of a record is refused, not followed.
    fh = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new SpoolRefusal('not-a-file', 'a symbolic link, not a regular file');
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SpoolRefusal('not-a-file', 'not a regular file');
    if (st.size > MAX_SPOOL_RECORD) throw new SpoolRefusal('oversized', `file of ${st.size} bytes exceeds the largest record (${MAX_SPOOL_RECORD})`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** Rename to `.bad` (kept for the administrator, never read again) and say why. */
async function setAside(d: SpoolDrainDeps, name: string, file: string, why: SpoolRefusal): Promise<void> {
  let kept = `kept as ${name}${BAD_SUFFIX}`;
  try {
    await fsp.rename(file, `${file}${BAD_SUFFIX}`);
  } catch (err) {
    d.logger.error({ err: { message: (err as Error).message }, file }, 'spool: cannot rename a refused record to .bad');
    kept = `could not be renamed to ${name}${BAD_SUFFIX} (see the log)`;
  }
  const change = why.record?.change;
  d.events.record({
    kind: 'spool-refused',
    outcome: 'refused',
    account: change?.account,
    traceId: change?.eventId.toString('hex'),
    reason: `spool file ${name}: ${why.reason}: ${why.detail}; ${kept}`,
  });
}

/** True when the file was removed by this call. */
async function removeFile(d: SpoolDrainDeps, file: string): Promise<boolean> {
  try {
    await fsp.unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // Journaled already: the next pass finds it again and sees a duplicate.
    d.logger.error({ err: { message: (err as Error).message }, file }, 'spool: cannot delete a journaled record');
    return false;
  }
}

/** Make the deletions and renames durable, so a crash does not bring back what was already handled. */
async function syncDir(d: SpoolDrainDeps): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(d.dir, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0));
    await fh.sync();
  } catch (err) {
    d.logger.warn({ err: { message: (err as Error).message }, dir: d.dir }, 'spool: cannot fsync the spool directory');
  } finally {
    await fh?.close();
  }
}
