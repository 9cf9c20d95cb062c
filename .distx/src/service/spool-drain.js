"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.drainSpool = drainSpool;
// Draining the capture spool (docs/protocol.md "Spool"): events a capture could not deliver, one
// `<event id>.chg` file each, are verified, journaled like a live CHANGE and only then deleted.
const fs = __importStar(require("node:fs"));
const fsp = __importStar(require("node:fs/promises"));
const path = __importStar(require("node:path"));
const constants_1 = require("../protocol/constants");
const errors_1 = require("../protocol/errors");
const messages_1 = require("../protocol/messages");
const spool_record_1 = require("../protocol/spool-record");
const journal_stage_1 = require("./journal-stage");
/** Only complete records have this suffix (the capture writes `.<name>.tmp` and renames it). */
const SPOOL_SUFFIX = '.chg';
/** A refused record is renamed to `<name>.bad` and never read again. */
const BAD_SUFFIX = '.bad';
/** Records per journal transaction: one fsync each, and files are deleted batch by batch. */
const BATCH = 256;
/** Why a record is refused. Never holds the record's bytes: only sizes, fields and the file's name. */
class SpoolRefusal extends Error {
    reason;
    detail;
    record;
    constructor(reason, detail, record) {
        super(`${reason}: ${detail}`);
        this.reason = reason;
        this.detail = detail;
        this.record = record;
    }
}
/**
 * One pass over the spool: every `.chg` file, oldest `captured_at` first, appended to the journal (durable
 * when append returns) and only then deleted. A record that fails its checks is set aside as `.bad`. A
 * missing spool directory is an empty spool. Never throws: I/O errors are logged, and a file that could
 * not be read or journaled stays for the next pass.
 */
async function drainSpool(d) {
    const counts = { stored: 0, duplicate: 0, refused: 0 };
    try {
        await drainInto(d, counts);
    }
    catch (err) {
        d.logger.error({ err: { message: err.message }, dir: d.dir }, 'spool: drain failed');
    }
    return counts;
}
async function drainInto(d, counts) {
    let entries;
    try {
        entries = await fsp.readdir(d.dir, { withFileTypes: true });
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return;
        d.logger.error({ err: { message: err.message }, dir: d.dir }, 'spool: cannot list the spool directory');
        return;
    }
    let dirChanged = false;
    const ready = [];
    for (const e of entries) {
        if (!e.name.endsWith(SPOOL_SUFFIX))
            continue;
        const file = path.join(d.dir, e.name);
        try {
            if (!e.isFile())
                throw new SpoolRefusal('not-a-file', 'not a regular file');
            const raw = await readRecordFile(file);
            if (raw === undefined)
                continue; // gone since the listing (the capture delivered it after all)
            ready.push({ name: e.name, file, record: checkRecord(raw, d.key) });
        }
        catch (err) {
            if (!(err instanceof SpoolRefusal)) {
                // Not the record's fault (permissions, I/O): leave it for the next pass.
                d.logger.error({ err: { message: err.message }, file }, 'spool: cannot read a record; left for the next pass');
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
        let results;
        try {
            results = d.journal.append(batch.map((r) => (0, journal_stage_1.journalEntryOf)(r.record.change, r.record.machine, receivedAt)));
        }
        catch (err) {
            // Not durable: keep every file of this batch and the ones after it (their order matters) for the next pass.
            d.logger.error({ err: { message: err.message }, files: ready.length - i }, 'spool: journal append failed; records left for the next pass');
            break;
        }
        for (const [j, r] of batch.entries()) {
            counts[results[j]]++;
            dirChanged = (await removeFile(d, r.file)) || dirChanged;
        }
    }
    if (dirChanged)
        await syncDir(d);
}
/** Authenticate and parse; a record the bridge will never accept is a SpoolRefusal. */
function checkRecord(raw, key) {
    let record;
    try {
        record = (0, spool_record_1.decodeSpoolRecord)(raw, key);
    }
    catch (err) {
        if (err instanceof errors_1.ProtocolError)
            throw new SpoolRefusal(err.reason, err.detail);
        throw err;
    }
    // As for a live CHANGE (server-session.ts): valid and authentic, but never acceptable.
    const ctLen = (0, messages_1.sealedCtLen)(record.change.sealed);
    if (ctLen > constants_1.MAX_PASSWORD_BYTES)
        throw new SpoolRefusal('password-too-long', `sealed password of ${ctLen} bytes exceeds ${constants_1.MAX_PASSWORD_BYTES}`, record);
    return record;
}
/** The whole file, or undefined when it is gone. Larger than any valid record: refused unread. */
async function readRecordFile(file) {
    let fh;
    try {
        // O_NOFOLLOW: a symlink put in place of a record is refused, not followed.
        fh = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT')
            return undefined;
        if (code === 'ELOOP')
            throw new SpoolRefusal('not-a-file', 'a symbolic link, not a regular file');
        throw err;
    }
    try {
        const st = await fh.stat();
        if (!st.isFile())
            throw new SpoolRefusal('not-a-file', 'not a regular file');
        if (st.size > spool_record_1.MAX_SPOOL_RECORD)
            throw new SpoolRefusal('oversized', `file of ${st.size} bytes exceeds the largest record (${spool_record_1.MAX_SPOOL_RECORD})`);
        return await fh.readFile();
    }
    finally {
        await fh.close();
    }
}
/** Rename to `.bad` (kept for the administrator, never read again) and say why. */
async function setAside(d, name, file, why) {
    let kept = `kept as ${name}${BAD_SUFFIX}`;
    try {
        await fsp.rename(file, `${file}${BAD_SUFFIX}`);
    }
    catch (err) {
        d.logger.error({ err: { message: err.message }, file }, 'spool: cannot rename a refused record to .bad');
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
async function removeFile(d, file) {
    try {
        await fsp.unlink(file);
        return true;
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return false;
        // Journaled already: the next pass finds it again and sees a duplicate.
        d.logger.error({ err: { message: err.message }, file }, 'spool: cannot delete a journaled record');
        return false;
    }
}
/** Make the deletions and renames durable, so a crash does not bring back what was already handled. */
async function syncDir(d) {
    let fh;
    try {
        fh = await fsp.open(d.dir, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0));
        await fh.sync();
    }
    catch (err) {
        d.logger.warn({ err: { message: err.message }, dir: d.dir }, 'spool: cannot fsync the spool directory');
    }
    finally {
        await fh?.close();
    }
}
//# sourceMappingURL=spool-drain.js.map