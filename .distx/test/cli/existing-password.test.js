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
// The password of an existing account (`pwbridge install --service-account NAME`): one line from stdin,
// more refused; at a terminal asked once with echo off. Run in a child process as the CLI runs it; the
// pseudo-terminal is util-linux `script`. (The flag itself is for Windows; on Linux install refuses it.)
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const path = __importStar(require("node:path"));
const cli_1 = require("./cli");
const MODULE = path.resolve(__dirname, '..', '..', 'src', 'cli', 'existing-password.js');
const SCRIPT = `require(${JSON.stringify(MODULE)}).readExistingPassword('--service-account', 'opsadmin')`
    + '.then((b) => { process.stdout.write(`hex:${b.toString("hex")}\\n`); b.fill(0); }, (e) => { process.stdout.write(`refused:${e.message}\\n`); })';
const fromStdin = (input) => (0, node_child_process_1.spawnSync)(process.execPath, ['-e', SCRIPT], { input, encoding: 'utf8' }).stdout.trim();
const hex = (s) => `hex:${Buffer.from(s).toString('hex')}`;
describe('cli: an existing account\'s password', () => {
    it('from stdin: one line (its newline dropped), bytes as given; more lines, none, or invalid UTF-8 refused', () => {
        node_assert_1.strict.equal(fromStdin('Ops-Passw0rd!\n'), hex('Ops-Passw0rd!'));
        node_assert_1.strict.equal(fromStdin('Ünïcode pass\r\n'), hex('Ünïcode pass'));
        node_assert_1.strict.equal(fromStdin('first\nsecond\n'), 'refused:--service-account: stdin holds more than one line; give the password alone, on one line');
        node_assert_1.strict.equal(fromStdin(''), 'refused:--service-account: stdin held no password');
        node_assert_1.strict.equal(fromStdin(Buffer.from([0x61, 0xff, 0x0a])), 'refused:--service-account: the password is not valid UTF-8');
    });
    it('at a terminal: asked once, not echoed', async function () {
        if ((0, node_child_process_1.spawnSync)('script', ['--version'], { stdio: 'ignore' }).status !== 0)
            this.skip();
        const quote = (a) => `'${a.replace(/'/g, `'\\''`)}'`;
        const child = (0, node_child_process_1.spawn)('script', ['-qec', [process.execPath, '-e', SCRIPT].map(quote).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (b) => { output += b.toString('utf8'); });
        const done = new Promise((resolve) => child.once('close', resolve));
        await (0, cli_1.pollUntil)('the prompt', () => (output.includes('Password of opsadmin: ') ? true : undefined), 30_000, 50);
        child.stdin.write('Typed-Secret-7\r');
        await done;
        child.stdin.end();
        node_assert_1.strict.ok(output.includes(hex('Typed-Secret-7')), output);
        node_assert_1.strict.equal(output.includes('Typed-Secret-7'), false, 'not echoed');
        node_assert_1.strict.equal(output.split('Password of').length, 2, 'asked once');
    });
});
//# sourceMappingURL=existing-password.test.js.map