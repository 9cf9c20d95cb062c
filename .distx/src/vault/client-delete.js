"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CLIENT_HOLDINGS_SQL = void 0;
exports.checkEmpty = checkEmpty;
/**
 * Deleting a client: only an empty one. What it still holds is counted in the deleting transaction, and
 * the refusal says how many of each, so an operator sees why (the counts are names' business, never a
 * secret). Revoked agent tokens go with the client (they only remember who enrolled a machine once;
 * the events keep that); a live one keeps it.
 */
const errors_1 = require("./errors");
/** The counts, as every engine reads them: `$1` is the client's id. */
exports.CLIENT_HOLDINGS_SQL = `SELECT
  (SELECT COUNT(*) FROM credentials WHERE client_id = $1) AS credentials,
  (SELECT COUNT(*) FROM machines WHERE client_id = $1) AS machines,
  (SELECT COUNT(*) FROM hub_agents WHERE client_id = $1 AND revoked_at IS NULL) AS agents`;
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;
/** Throws unless the client holds nothing. */
function checkEmpty(name, h) {
    if (h.credentials === 0 && h.machines === 0 && h.agents === 0)
        return;
    const agents = h.agents > 0 ? ` and ${count(h.agents, 'live agent token', 'live agent tokens')}` : '';
    throw new errors_1.VaultInputError(`client "${name}" is not empty: it still has ${count(h.credentials, 'credential', 'credentials')}, `
        + `${count(h.machines, 'machine', 'machines')}${agents}; only an empty client can be deleted`);
}
//# sourceMappingURL=client-delete.js.map