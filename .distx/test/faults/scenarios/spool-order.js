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
exports.scenario = void 0;
// spool-order: changes the real PAM module spooled (it could not reach the bridge) reach the journal
// after newer live changes of the same accounts, and the vault must still end with the newest password
// of each account by capture time. The hub is away while it happens, so the live changes are still
// pending when the spooled ones are drained (at the service's restart): exactly the case where ordering
// by journal arrival put the older, spooled password in the vault.
//
// Real parts: `pwbridge hub` (SQLite), `pwbridge setup`, `pwbridge run` as processes, the real
// pam_pwbridge.so driven by pamtester under pam_wrapper (pam_matrix is the account database).
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_crypto_1 = require("node:crypto");
const paths_1 = require("../../../src/config/paths");
const key_files_1 = require("../../../src/protocol/key-files");
const keys_1 = require("../../../src/protocol/keys");
const spool_record_1 = require("../../../src/protocol/spool-record");
const drivers_1 = require("../../../src/sqlite/drivers");
const cli_1 = require("../../cli/cli");
const hub_agent_1 = require("../../helpers/hub-agent");
const pam_1 = require("../../helpers/pam");
const ledger_1 = require("../ledger");
const ACCOUNTS = 6;
const MACHINE = 'WS01';
const CLIENT = 'Acme';
const SERVICE = 'pwfault';
/** A read-only look at the agent's state.db (the service keeps writing it). */
function journalRows(agentDir, sql, ...args) {
    const db = (0, drivers_1.defaultSqliteDriver)().open((0, paths_1.dataPaths)(agentDir).stateDb, { readonly: true });
    try {
        return db.prepare(sql).all(...args);
    }
    finally {
        db.close();
    }
}
/** The PAM stack: pam_matrix (the "account database") then our module with `args`, rewritten per run. */
function writeStack(dir, passdb, args) {
    const serviceDir = path.join(dir, 'pam-services');
    fs.mkdirSync(serviceDir, { recursive: true });
    fs.writeFileSync(path.join(serviceDir, SERVICE), `password required ${pam_1.PAM_MATRIX} passdb=${passdb}\npassword optional ${pam_1.PAM_MODULE} ${[...args, 'shadow_check=off'].join(' ')}\n`);
    return serviceDir;
}
async function run(progress) {
    const ledger = new ledger_1.Ledger();
    const adminPassword = `admin-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
    const a = await (0, hub_agent_1.startHubAgent)({ adminPassword, machine: MACHINE, client: CLIENT, config: { retryBase: '100ms', retryMax: '1s' } });
    try {
        const users = Array.from({ length: ACCOUNTS }, (_, i) => `faultuser${i}`);
        const current = new Map(users.map((u) => [u, `initial-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`]));
        for (const u of users) {
            await a.admin().addCredential({ client: CLIENT, username: `${MACHINE}\\${u}`, password: Buffer.from(current.get(u)), windowsSync: true, mode: 'report' });
            ledger.base(u, 1);
        }
        const passdb = path.join(a.agentDir, 'passdb');
        fs.writeFileSync(passdb, users.map((u) => `${u}:${current.get(u)}:${SERVICE}\n`).join(''));
        const uidArg = process.getuid?.() === 0 ? [] : [`uid=${process.getuid?.()}`];
        const spoolStack = [`dir=${a.agentDir}`, `socket=${path.join(a.agentDir, 'run', 'nobody-serves-this.sock')}`, ...uidArg];
        const liveStack = [`dir=${a.agentDir}`, ...uidArg];
        const spoolDir = (0, paths_1.dataPaths)(a.agentDir).spoolDir;
        const change = async (user, stack) => {
            const next = `pw-${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
            const serviceDir = writeStack(a.agentDir, passdb, stack);
            const r = await (0, pam_1.pamtester)({ serviceDir, service: SERVICE, user, op: 'chauthtok', answers: [current.get(user), next, next] });
            if (r.code !== 0)
                throw new Error(`pamtester for ${user} exited ${r.code}: ${r.stderr}`);
            current.set(user, next);
            return { password: next, syslog: r.syslog.join('\n') };
        };
        await a.startService();
        const kSpool = (0, keys_1.spoolKey)(fs.readFileSync(path.join((0, paths_1.dataPaths)(a.agentDir).keysDir, key_files_1.SECRET_FILE))); // made by the first start
        progress('hub stopped; each account: a change spooled (module cannot reach the bridge), then a newer one live');
        await a.stopHub();
        let liveAcked = 0;
        const spooledIds = new Set();
        for (const u of users) {
            const before = new Set(fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir) : []);
            const s = await change(u, spoolStack);
            const file = fs.readdirSync(spoolDir).find((f) => f.endsWith('.chg') && !before.has(f));
            if (!file)
                throw new Error(`the module did not spool the change for ${u}: ${s.syslog}`);
            const rec = (0, spool_record_1.decodeSpoolRecord)(fs.readFileSync(path.join(spoolDir, file)), kSpool);
            ledger.sent({ account: u, password: s.password, eventIdHex: rec.change.eventId.toString('hex'), capturedAt: rec.change.capturedAt });
            spooledIds.add(rec.change.eventId.toString('hex'));
            await (0, cli_1.sleep)(5); // a different ms, so "newer" never rests on the tie-break
            const l = await change(u, liveStack);
            const [row] = journalRows(a.agentDir, 'SELECT event_id, captured_at, seq, state FROM journal WHERE account = ? ORDER BY seq DESC LIMIT 1', u);
            if (!row || row.captured_at <= rec.change.capturedAt)
                throw new Error(`the live change for ${u} is not in the journal: ${l.syslog}`);
            ledger.sent({ account: u, password: l.password, eventIdHex: row.event_id, capturedAt: row.captured_at });
            ledger.acked(row.event_id);
            liveAcked++;
        }
        progress('service restarted with the hub still away: the spool is drained behind the live changes');
        await a.stopService();
        await a.startService();
        const spooledAfterLive = users.filter((u) => {
            const rows = journalRows(a.agentDir, 'SELECT event_id, captured_at, seq, state FROM journal WHERE account = ? ORDER BY seq', u);
            return rows.length === 2 && rows[0].captured_at > rows[1].captured_at;
        }).length;
        // A spooled change counts as acked once the journal holds it (durable, which is what an ack says).
        for (const r of journalRows(a.agentDir, 'SELECT event_id, captured_at, seq, state FROM journal')) {
            if (spooledIds.has(r.event_id))
                ledger.acked(r.event_id);
        }
        progress('hub back: the journal drains');
        const hubBack = Date.now();
        await a.startHub();
        const until = Date.now() + 30_000;
        while (journalRows(a.agentDir, "SELECT event_id, captured_at, seq, state FROM journal WHERE state = 'pending'").length > 0) {
            if (Date.now() > until)
                throw new Error('the journal did not drain within 30 s of the hub\'s return');
            await (0, cli_1.sleep)(100);
        }
        const recover = (Date.now() - hubBack) / 1000;
        const admin = a.admin();
        let conflicts = 0;
        const tally = await ledger.settle(async (u) => {
            const cred = await admin.findCredential(CLIENT, `${MACHINE}\\${u}`);
            if (!cred)
                return undefined;
            if (cred.flags.includes('conflict'))
                conflicts++;
            const pw = await admin.readPassword(cred.id);
            const view = { version: cred.version, passwordSetAt: cred.passwordSetAt, password: pw.toString('utf8') };
            pw.fill(0);
            return view;
        });
        return {
            scenario: 'spool-order',
            sent: tally.sent,
            acked: tally.acked,
            exactly_once: tally.exactly_once,
            lost: tally.lost,
            applied_twice: tally.applied_twice,
            recover_s: Math.round(recover * 10) / 10,
            served_throughout: liveAcked === users.length,
            detail: { accounts: users.length, spooled_after_live: spooledAfterLive, conflicts_flagged: conflicts, problems: tally.problems },
        };
    }
    finally {
        await a.cleanup();
    }
}
exports.scenario = {
    name: 'spool-order',
    fault: 'changes the PAM module spooled reach the journal after newer live ones of the same accounts (drained at a restart while the hub is away); the vault must end with the newest by capture time',
    ci: true,
    missing() {
        for (const [what, p] of [['the PAM module (npm run build)', pam_1.PAM_MODULE], ['pam_wrapper (libpam-wrapper)', pam_1.PAM_MATRIX], ['pamtester', '/usr/bin/pamtester']]) {
            if (!fs.existsSync(p))
                return `${what} is missing: ${p}`;
        }
        return undefined;
    },
    run,
};
//# sourceMappingURL=spool-order.js.map