// Run by the Windows node.exe under Wine (test/windows/install-wine.test.ts) in an installed prefix: the
// filter probe as the serving process makes it (`pwbridge run` passes servesCapture), which holds this
// process's SID against HKLM\SOFTWARE\pwbridge ServiceSid, and as `status` makes it, which holds the
// account the service manager starts the service as. Prints { sid, served, configured }.
import { loadConfig } from '../../../../src/config/config';
import { ownSid, windowsPlatform } from '../../../../src/platform/windows';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: identity.main.js DATA_DIR');
const config = loadConfig(dataDir);
const served = windowsPlatform(config, { servesCapture: true }).probeFilter();
const configured = windowsPlatform(config).probeFilter();
process.stdout.write(`${JSON.stringify({
  sid: ownSid(), served: { state: served.state, reason: served.reason }, configured: { state: configured.state, reason: configured.reason },
})}\n`);
