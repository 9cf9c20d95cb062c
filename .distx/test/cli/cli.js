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
exports.transcript = exports.BIN = exports.REPO = void 0;
exports.runCli = runCli;
exports.spawnCli = spawnCli;
exports.startCli = startCli;
exports.assertExit = assertExit;
exports.assertRefused = assertRefused;
exports.jsonLines = jsonLines;
exports.sleep = sleep;
exports.pollUntil = pollUntil;
exports.tempDataDir = tempDataDir;
exports.listing = listing;
exports.modeOf = modeOf;
exports.findSecret = findSecret;
// Drive the real CLI (bin/pwbridge) as a user does: a child process, stdin piped, a private data dir.
const node_child_process_1 = require("node:child_process");
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const tmp_1 = require("../helpers/tmp");
/** The repository root: this file runs as dist/test/cli/cli.js. */
exports.REPO = path.resolve(__dirname, '..', '..', '..');
exports.BIN = path.join(exports.REPO, 'bin', 'pwbridge');
/** Every CliResult produced in this process, so a test can check that no output ever held a secret. */
exports.transcript = [];
function childEnv() {
    // No colours or locale surprises; nothing else from the test's environment matters to the CLI.
    return { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
}
/** Run `pwbridge --data-dir DIR ...args` to completion. */
function runCli(args, opts) {
    const child = spawnCli(args, opts.dataDir, opts.prefix);
    if (opts.stdin !== undefined)
        child.stdin.end(opts.stdin);
    else
        child.stdin.end();
    return collect(child, opts.timeoutMs ?? 30_000);
}
/** Start `[...prefix] node bin/pwbridge --data-dir DIR ...args` and leave it running; stdin stays open. */
function spawnCli(args, dataDir, prefix = []) {
    const argv = [...prefix, process.execPath, exports.BIN, '--data-dir', dataDir, ...args];
    return (0, node_child_process_1.spawn)(argv[0], argv.slice(1), {
        cwd: exports.REPO,
        env: childEnv(),
        stdio: ['pipe', 'pipe', 'pipe'],
    });
}
function startCli(args, dataDir, timeoutMs = 120_000, prefix = []) {
    const child = spawnCli(args, dataDir, prefix);
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const done = collect(child, timeoutMs, { out, err });
    let exited = false;
    done.then(() => { exited = true; }, () => { exited = true; });
    const live = {
        child,
        stdout: () => Buffer.concat(out).toString('utf8'),
        stderr: () => Buffer.concat(err).toString('utf8'),
        done,
        async waitFor(what, pred, ms = 15_000) {
            const until = Date.now() + ms;
            while (!pred(live.stdout(), live.stderr())) {
                if (exited)
                    node_assert_1.strict.fail(`pwbridge ${args.join(' ')} exited while waiting for ${what}\nstdout:\n${live.stdout()}\nstderr:\n${live.stderr()}`);
                if (Date.now() > until)
                    node_assert_1.strict.fail(`timed out waiting for ${what}\nstdout:\n${live.stdout()}\nstderr:\n${live.stderr()}`);
                await sleep(50);
            }
        },
    };
    return live;
}
function collect(child, timeoutMs, hooked) {
    const out = hooked?.out ?? [];
    const err = hooked?.err ?? [];
    if (!hooked) {
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => err.push(b));
    }
    child.stdin.on('error', () => undefined); // the child may exit before reading stdin (a refusal)
    let timedOut = false;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, timeoutMs);
        child.once('error', (e) => { clearTimeout(timer); reject(e); });
        child.once('close', (code, signal) => {
            clearTimeout(timer);
            const stdoutBytes = Buffer.concat(out);
            const stderrBytes = Buffer.concat(err);
            const r = { code, signal, timedOut, stdoutBytes, stderrBytes, stdout: stdoutBytes.toString('utf8'), stderr: stderrBytes.toString('utf8') };
            exports.transcript.push(r);
            resolve(r);
        });
    });
}
/** A failed exit-status check shows what the command printed. */
function assertExit(r, code, what) {
    const how = r.timedOut ? 'did not exit in time (killed)' : `exit ${r.code} (signal ${r.signal})`;
    node_assert_1.strict.equal(r.code, code, `${what}: ${how}, expected ${code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}
/** A refusal: exit 2, a message on stderr matching every pattern, nothing on stdout. */
function assertRefused(r, what, ...patterns) {
    assertExit(r, 2, what);
    for (const p of patterns)
        node_assert_1.strict.match(r.stderr, p, `${what}: stderr does not match ${p}\nstderr:\n${r.stderr}`);
    node_assert_1.strict.equal(r.stdout, '', `${what}: a refusal printed to stdout:\n${r.stdout}`);
}
/** `--json` output: one JSON object per line, every line parsable. */
function jsonLines(r) {
    const text = typeof r === 'string' ? r : r.stdout;
    if (text === '')
        return [];
    node_assert_1.strict.ok(text.endsWith('\n'), `JSON output does not end with a newline: ${JSON.stringify(text)}`);
    return text.slice(0, -1).split('\n').map((line, i) => {
        let v;
        try {
            v = JSON.parse(line);
        }
        catch (e) {
            node_assert_1.strict.fail(`line ${i + 1} is not JSON (${e.message}): ${line}`);
        }
        node_assert_1.strict.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `line ${i + 1} is not a JSON object: ${line}`);
        return v;
    });
}
function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}
/** Poll `fn` until it returns a value that is not undefined, or fail after `timeoutMs`. */
async function pollUntil(what, fn, timeoutMs = 10_000, everyMs = 150) {
    const until = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v !== undefined)
            return v;
        if (Date.now() > until)
            node_assert_1.strict.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(everyMs);
    }
}
/** A private temp data dir; `config` (if given) is written as its config.json. */
function tempDataDir(config) {
    const t = (0, tmp_1.makeTempDir)('pwbridge-cli-');
    if (config)
        fs.writeFileSync(path.join(t.dir, 'config.json'), JSON.stringify(config));
    return t;
}
/** Every entry under `dir` (files, dirs, sockets) with its type and mode, sorted: a before/after snapshot. */
function listing(dir) {
    const out = [];
    const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            const st = fs.lstatSync(p);
            const rel = path.relative(dir, p);
            out.push(`${rel} ${e.isDirectory() ? 'dir' : e.isFile() ? `file ${st.size}` : e.isSocket() ? 'socket' : 'other'} ${(st.mode & 0o777).toString(8)}`);
            if (e.isDirectory())
                walk(p);
        }
    };
    walk(dir);
    return out.sort();
}
function modeOf(p) {
    return (fs.lstatSync(p).mode & 0o777).toString(8).padStart(4, '0');
}
/** Where `needle` occurs in `hay` in UTF-8 or UTF-16LE, or undefined. */
function findSecret(hay, needle) {
    if (hay.includes(Buffer.from(needle, 'utf8')))
        return 'UTF-8';
    if (hay.includes(Buffer.from(needle, 'utf16le')))
        return 'UTF-16LE';
    return undefined;
}
//# sourceMappingURL=cli.js.map