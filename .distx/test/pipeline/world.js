"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ACME = void 0;
exports.world = world;
const process_journal_1 = require("../../src/pipeline/process-journal");
const fakes_1 = require("../helpers/fakes");
exports.ACME = { name: 'acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: false };
function world(opts = {}) {
    const clock = new fakes_1.FakeClock();
    const journal = new fakes_1.FakeJournal();
    const vault = opts.vault ?? new fakes_1.FakeVault(clock);
    const echo = new fakes_1.FakeEcho();
    const events = new fakes_1.FakeEvents();
    const opener = new fakes_1.FakeOpener();
    const filter = { active: true, state: 'active' };
    if (opts.client !== null)
        void vault.addClient({ ...exports.ACME, ...opts.client });
    const options = {
        machine: 'HOST1', client: 'acme', serviceAccount: 'svc-pwbridge', exclude: ['guest'], concurrency: 4,
        retryBaseMs: 1000, retryMaxMs: 8000, maxEventAgeMs: 60_000, echoTtlMs: 30_000, now: clock.now, pollMs: 0,
        ...opts.options,
    };
    const proc = (0, process_journal_1.createJournalProcessor)({ journal, vault, echo, events, open: opener.open, filterActive: () => filter.active, filterState: () => filter.state }, options);
    const cred = (username, password, o = {}) => vault.addCredential({ client: 'acme', username, password: Buffer.from(password), windowsSync: o.windowsSync ?? true, mode: o.mode ?? 'report' });
    const change = (account, password, o) => (0, fakes_1.capture)(journal, clock, account, password, o);
    return { clock, journal, vault, echo, events, opener, filter, options, proc, cred, change };
}
//# sourceMappingURL=world.js.map