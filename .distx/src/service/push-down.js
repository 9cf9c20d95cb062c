"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startPushDown = startPushDown;
const http_vault_1 = require("../vault/http.vault");
/** How long one GET /api/changes waits on the hub, and the backoff after a failed one. */
const PUSH_WAIT_MS = 25_000;
const PUSH_BACKOFF_MIN_MS = 1_000;
const PUSH_BACKOFF_MAX_MS = 60_000;
function startPushDown(hub, reconcileNow, logger) {
    const abort = new AbortController();
    const sleep = (ms) => new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    const loop = (async () => {
        let cursor = '';
        let backoff = PUSH_BACKOFF_MIN_MS;
        while (!abort.signal.aborted) {
            let answer;
            try {
                answer = await hub.waitForChanges(cursor, PUSH_WAIT_MS, abort.signal);
            }
            catch (err) {
                if (abort.signal.aborted)
                    break;
                cursor = ''; // the next answer is a (re)connect: one pass then
                if (err instanceof http_vault_1.HubAccessError) {
                    // The token is refused: the gate logged why and holds requests back; look again at the slowest pace.
                    backoff = PUSH_BACKOFF_MAX_MS;
                }
                else {
                    logger.warn({ err: { message: err.message }, retryMs: backoff }, 'push-down: no answer from the hub; retrying');
                }
                await sleep(backoff);
                backoff = Math.min(backoff * 2, PUSH_BACKOFF_MAX_MS);
                continue;
            }
            backoff = PUSH_BACKOFF_MIN_MS;
            const connected = cursor === '';
            cursor = answer.cursor;
            if ((connected || answer.changed) && !abort.signal.aborted) {
                logger.info({ reason: connected ? 'connected' : 'changed' }, 'push-down: reconcile pass');
                await reconcileNow().catch((err) => logger.error({ err: { message: err.message } }, 'push-down: reconcile pass failed'));
            }
        }
    })();
    return {
        async stop() {
            abort.abort();
            await loop;
        },
    };
}
//# sourceMappingURL=push-down.js.map