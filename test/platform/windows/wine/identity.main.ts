// Run by the Windows node.exe under Wine (test/windows/install-wine.test.ts) in an installed prefix: the
// filter probe as the serving process makes it (`pwbridge run` passes servesCapture), which holds this
// process's SID against HKLM\SOFTWARE\pwbridge ServiceSid. Prints { sid, state, reason }.
import { loadConfig } from '../../../../src/config/config';
import { ownSid, windowsPlatform } from '../../../../src/platform/windows';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: identity.main.js DATA_DIR');
const probe = windowsPlatform(loadConfig(dataDir), { servesCapture: true }).probeFilter();
process.stdout.write(`${JSON.stringify({ sid: ownSid(), state: probe.state, reason: probe.reason })}\n`);
