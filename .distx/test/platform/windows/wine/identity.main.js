"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Run by the Windows node.exe under Wine (test/windows/install-wine.test.ts) in an installed prefix: the
// filter probe as the serving process makes it (`pwbridge run` passes servesCapture), which holds this
// process's SID against HKLM\SOFTWARE\pwbridge ServiceSid, and as `status` makes it, which holds the
// account the service manager starts the service as. Prints { sid, served, configured }.
const config_1 = require("../../../../src/config/config");
const windows_1 = require("../../../../src/platform/windows");
const dataDir = process.argv[2];
if (!dataDir)
    throw new Error('usage: identity.main.js DATA_DIR');
const config = (0, config_1.loadConfig)(dataDir);
const served = (0, windows_1.windowsPlatform)(config, { servesCapture: true }).probeFilter();
const configured = (0, windows_1.windowsPlatform)(config).probeFilter();
process.stdout.write(`${JSON.stringify({
    sid: (0, windows_1.ownSid)(), served: { state: served.state, reason: served.reason }, configured: { state: configured.state, reason: configured.reason },
})}\n`);
//# sourceMappingURL=identity.main.js.map