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
// The enrolment file of a silent deployment (`pwbridge install --hub … --enrol-file F`, the MSI's
// PWB_ENROL_FILE): refused while others may read it, read once, then overwritten and removed. The Windows
// owner-and-DACL form of the check runs under Wine in test/windows/msi-deploy.test.ts.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const install_enrolment_1 = require("../../src/setup/install-enrolment");
const cli_1 = require("../cli/cli");
const tmp_1 = require("../helpers/tmp");
describe('setup/install-enrolment: the enrolment file', () => {
    let t;
    beforeEach(() => { t = (0, tmp_1.makeTempDir)('pwbridge-enrol-'); });
    afterEach(() => t.cleanup());
    const file = (text, mode) => {
        const f = path.join(t.dir, 'enrol.txt');
        fs.writeFileSync(f, text, { mode });
        fs.chmodSync(f, mode);
        return f;
    };
    it('is refused while group or others may read it, when missing, and when it is not a plain file', () => {
        node_assert_1.strict.throws(() => (0, install_enrolment_1.checkEnrolFile)(file('rmm\npw\n', 0o644), undefined), /--enrol-file: \S+enrol\.txt has mode 0644, readable by others \(it must be 0600\)\. It holds a hub user's password/);
        node_assert_1.strict.doesNotThrow(() => (0, install_enrolment_1.checkEnrolFile)(file('rmm\npw\n', 0o600), undefined));
        node_assert_1.strict.throws(() => (0, install_enrolment_1.checkEnrolFile)(path.join(t.dir, 'nope'), undefined), /--enrol-file: \S+nope cannot be read \(ENOENT\)/);
        node_assert_1.strict.throws(() => (0, install_enrolment_1.checkEnrolFile)(t.dir, undefined), /is not a regular file/);
        node_assert_1.strict.throws(() => (0, install_enrolment_1.checkEnrolFile)(file('x', 0o600), () => 'has an entry that gives Everyone read'), /enrol\.txt has an entry that gives Everyone read\. It holds/);
    });
    it('is read once, its bytes overwritten with zeros and the file removed, also when what it holds is refused', () => {
        const f = file('rmm\r\nsecret-pw\r\n', 0o600);
        const witness = path.join(t.dir, 'witness'); // a second name for the same bytes: shows they were overwritten
        fs.linkSync(f, witness);
        const login = (0, install_enrolment_1.takeLogin)(f);
        node_assert_1.strict.equal(login.user, 'rmm');
        node_assert_1.strict.equal(login.password.toString(), 'secret-pw');
        node_assert_1.strict.ok(!fs.existsSync(f));
        node_assert_1.strict.ok(fs.readFileSync(witness).every((b) => b === 0), 'the bytes were not overwritten');
        const bad = file('only-a-name\n', 0o600);
        node_assert_1.strict.throws(() => (0, install_enrolment_1.takeLogin)(bad), /--enrol-file: give the hub user's name and password on two lines/);
        node_assert_1.strict.ok(!fs.existsSync(bad), 'a refused file is removed too: it was read');
    });
    it('install --hub is refused on Linux, naming what to do instead, and changes nothing', async () => {
        const r = await (0, cli_1.runCli)(['install', '--hub', 'https://hub:8443', '--client', 'Acme', '--enrol-file', '/nonexistent'], { dataDir: t.dir });
        node_assert_1.strict.equal(r.code, 2, r.stderr);
        node_assert_1.strict.match(r.stderr, /--hub is for the Windows package's silent deployment; on Linux run pwbridge setup after install/);
        node_assert_1.strict.deepEqual(fs.readdirSync(t.dir), []);
    });
});
//# sourceMappingURL=install-enrolment.test.js.map