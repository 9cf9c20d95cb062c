"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startBridge = startBridge;
const seal_1 = require("../protocol/seal");
const http_vault_1 = require("../vault/http.vault");
const capture_endpoint_1 = require("./capture-endpoint");
const capture_heartbeats_1 = require("./capture-heartbeats");
const capture_peer_policy_1 = require("./capture-peer-policy");
const event_delivery_1 = require("./event-delivery");
const hub_access_watch_1 = require("./hub-access-watch");
const journal_processing_1 = require("./journal-processing");
const journal_purge_1 = require("./journal-purge");
const journal_stage_1 = require("./journal-stage");
const machine_report_1 = require("./machine-report");
const push_down_1 = require("./push-down");
const reconcile_timer_1 = require("./reconcile-timer");
const spool_loop_1 = require("./spool-loop");
const started_jobs_1 = require("./started-jobs");
/**
 * The running service: capture endpoint → journal (durable, then ack) → journal processor → vault, and
 * reconcile on its interval. Starting also drains whatever the journal and the spool held from before.
 *
 * The jobs start in this order and stop in the reverse one (StartedJobs), which is what keeps shutdown
 * safe: push-down stops (a pass it started finishes) before the reconcile timer and the machine report it
 * pokes; the endpoint closes before the journal stage journals what is still buffered; the spool pass
 * under way finishes before its key is wiped and before the journal closes; the opener's key goes last.
 */
async function startBridge(install, opts = {}) {
    const { config, state, vault, events, logger, filter, platform } = install;
    const jobs = new started_jobs_1.StartedJobs();
    // This machine's row in the vault (the hub's dashboard) is reported once the endpoint serves; what
    // changes before then is in that first report.
    let report;
    const pokeReport = () => report?.poke();
    // Events go from state.db's outbox to the vault; stopped last, what is left goes with the shutdown's
    // flush or at the next start.
    await jobs.start(() => (0, event_delivery_1.startEventDelivery)({ delivery: events.delivery, logger, retryBaseMs: config.retryBaseMs, retryMaxMs: config.retryMaxMs }));
    const { opener } = await jobs.start(() => {
        const o = new seal_1.Opener(install.keys.privateKey);
        return { opener: o, stop: () => o.close() };
    });
    const processing = await jobs.start(() => (0, journal_processing_1.startJournalProcessing)(install, opener, pokeReport));
    // The hub's refusal of the agent token: reported once, held entries kept, resumed when it takes it again.
    const access = (0, hub_access_watch_1.watchHubAccess)(vault instanceof http_vault_1.HttpVault ? vault.access : undefined, {
        store: state.state, journal: state.journal, events, logger, wake: processing.wake,
    });
    const journaling = await jobs.start(() => (0, journal_stage_1.startJournalStage)(state.journal, logger, () => {
        processing.wake();
        pokeReport();
    }));
    const spool = await jobs.start(() => (0, spool_loop_1.startSpoolLoop)({
        dir: install.paths.spoolDir, secret: install.keys.secret, journal: state.journal, events, logger, onStored: processing.wake,
    }));
    filter.refresh();
    await jobs.start(() => (0, capture_endpoint_1.startCaptureEndpoint)({
        socketPath: config.socketPath,
        secret: install.keys.secret,
        events,
        logger,
        filter,
        peerUid: (fd) => platform.peerUid(fd),
        limits: opts.captureLimits ?? capture_peer_policy_1.DEFAULT_CAPTURE_LIMITS,
        onChange: journaling.accept,
        onHeartbeat: (0, capture_heartbeats_1.watchCaptureHeartbeats)(events),
    }));
    // At start, on changes (capture batches, journal progress, reconcile passes), and every minute.
    report = await jobs.start(() => (0, machine_report_1.startMachineReport)({
        vault,
        read: () => ({ name: config.machine, client: config.client, filterState: filter.current().state, journalDepth: state.journal.depth() }),
        logger,
        onDelivered: () => access.accepted(),
    }));
    const reconcile = await jobs.start(() => (0, reconcile_timer_1.startReconcileTimer)(install, pokeReport));
    await jobs.start(() => (0, journal_purge_1.startJournalPurge)(state.journal, config.maxEventAgeMs, logger));
    processing.resumeLeftovers();
    events.record({ kind: 'service-started', outcome: 'info', reason: `listening on ${config.socketPath}; client "${config.client}"; filter ${filter.current().state}` });
    if (config.hub && vault instanceof http_vault_1.HttpVault)
        await jobs.start(() => (0, push_down_1.startPushDown)(vault, reconcile.passNow, logger));
    const machineReport = report;
    return {
        socketPath: config.socketPath,
        reconcileNow: reconcile.passNow,
        drain: () => processing.processor.drain(),
        drainSpool: spool.drainNow,
        reportMachine: () => machineReport.reportNow(),
        async stop() {
            await jobs.stopAll();
            events.record({ kind: 'service-stopped', outcome: 'info' });
        },
    };
}
//# sourceMappingURL=bridge.js.map