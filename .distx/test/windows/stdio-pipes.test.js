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
// Under Wine, the Windows node.exe cannot open a std handle that is a pipe as a stream (EBADF), so the CLI
// replaces such a stream with plain reads and writes on its descriptor (src/cli/stdio.ts). Here node.exe
// runs with pipes for stdin, stdout and stderr, as `pwbridge.cmd status | findstr` or a password piped to
// `pwbridge.cmd setup` would give it: without the repair it dies; with it, every byte goes through.
const node_assert_1 = require("node:assert");
const path = __importStar(require("node:path"));
const windows_node_1 = require("../helpers/windows-node");
const wine_1 = require("../helpers/wine");
const STDIO_JS = (0, wine_1.winPath)(path.join(__dirname, '..', '..', 'src', 'cli', 'stdio.js'));
function runPiped(script, input) {
    const child = (0, wine_1.spawnWindows)((0, windows_node_1.windowsNodeExe)(), ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (err += d.toString()));
    child.stdin.end(input);
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}
const ECHO = `
  console.log('out: ready');
  console.error('err: ready');
  (async () => {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    process.stdout.write('in: ' + JSON.stringify(Buffer.concat(chunks).toString()) + '\\n');
  })();
`;
describe('the CLI\'s std streams when they are pipes (Windows node.exe under Wine)', function () {
    this.timeout(120_000);
    before(function () {
        if (process.platform === 'win32' || (0, wine_1.windowsPartsMissing)().skip)
            this.skip();
    });
    it('without the repair, node.exe dies at the first write to a pipe (what the repair is for)', async () => {
        const r = await runPiped(ECHO, 'x\n');
        node_assert_1.strict.notEqual(r.code, 0);
        node_assert_1.strict.match(r.err, /EBADF/);
    });
    it('with it, stdout, stderr and stdin all carry their bytes, and none is taken for a terminal', async () => {
        const r = await runPiped(`require(${JSON.stringify(STDIO_JS)}).repairStdio();\nif (process.stdin.isTTY || process.stdout.isTTY) throw new Error('a pipe taken for a terminal');\n${ECHO}`, 'alice\nsecret-line\n');
        node_assert_1.strict.equal(r.code, 0, r.err);
        node_assert_1.strict.equal(r.out, 'out: ready\nin: "alice\\nsecret-line\\n"\n');
        node_assert_1.strict.equal(r.err, 'err: ready\n');
    });
});
//# sourceMappingURL=stdio-pipes.test.js.map