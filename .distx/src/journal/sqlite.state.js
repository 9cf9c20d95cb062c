"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SqliteEventOutbox = exports.SqliteStateStore = exports.SqliteEchoStore = exports.SqliteJournal = void 0;
exports.openStateDb = openStateDb;
const sqlite_open_1 = require("../vault/sqlite-open");
const sqlite_echo_1 = require("./sqlite.echo");
const sqlite_event_outbox_1 = require("./sqlite.event-outbox");
const sqlite_journal_1 = require("./sqlite.journal");
const sqlite_state_store_1 = require("./sqlite.state-store");
const state_schema_1 = require("./state-schema");
const write_behind_1 = require("./write-behind");
function openStateDb(path, options) {
    const db = (0, sqlite_open_1.openDatabase)(path, state_schema_1.STATE_MIGRATIONS, options.sqlite);
    try {
        const now = options.now ?? Date.now;
        // One write-behind for the stores whose rows may land a few ms late, so they share each commit.
        const writes = new write_behind_1.WriteBehind(db, { onError: options.onWriteError });
        const journal = new sqlite_journal_1.SqliteJournal(db, now, writes, options.keepFinished);
        return {
            db,
            journal,
            outbox: new sqlite_event_outbox_1.SqliteEventOutbox(db, writes, options.outbox),
            echo: new sqlite_echo_1.SqliteEchoStore(db, options.echoKey, options),
            state: new sqlite_state_store_1.SqliteStateStore(db, now),
            close: () => {
                if (!db.open)
                    return;
                journal.flushMarks();
                db.close();
            },
        };
    }
    catch (err) {
        db.close();
        throw err;
    }
}
var sqlite_journal_2 = require("./sqlite.journal");
Object.defineProperty(exports, "SqliteJournal", { enumerable: true, get: function () { return sqlite_journal_2.SqliteJournal; } });
var sqlite_echo_2 = require("./sqlite.echo");
Object.defineProperty(exports, "SqliteEchoStore", { enumerable: true, get: function () { return sqlite_echo_2.SqliteEchoStore; } });
var sqlite_state_store_2 = require("./sqlite.state-store");
Object.defineProperty(exports, "SqliteStateStore", { enumerable: true, get: function () { return sqlite_state_store_2.SqliteStateStore; } });
var sqlite_event_outbox_2 = require("./sqlite.event-outbox");
Object.defineProperty(exports, "SqliteEventOutbox", { enumerable: true, get: function () { return sqlite_event_outbox_2.SqliteEventOutbox; } });
//# sourceMappingURL=sqlite.state.js.map