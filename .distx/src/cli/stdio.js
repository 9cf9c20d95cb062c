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
exports.repairStdio = repairStdio;
// The CLI's stdin, stdout and stderr where Node cannot open them as streams. Under Wine, Node's Windows
// build fails to open a std handle that is a pipe (EBADF at the first use of process.stdout or stdin), so
// `pwbridge.cmd status | findstr …` or a password piped to `setup` would crash. Plain reads and writes on
// the descriptors work there, so a std stream that cannot be opened is replaced by one made of them. On
// Windows itself and on Linux every stream opens and nothing here changes anything.
const fs = __importStar(require("node:fs"));
const node_stream_1 = require("node:stream");
function opens(name) {
    try {
        void process[name];
        return true;
    }
    catch {
        return false;
    }
}
function fdWriter(fd) {
    return new node_stream_1.Writable({
        write(chunk, _enc, done) {
            try {
                for (let off = 0; off < chunk.length;)
                    off += fs.writeSync(fd, chunk, off);
                done();
            }
            catch (e) {
                done(e);
            }
        },
    });
}
function fdReader(fd) {
    return new node_stream_1.Readable({
        read(size) {
            const buf = Buffer.alloc(Math.max(size, 4096));
            fs.read(fd, buf, 0, buf.length, null, (err, n) => {
                // A closed pipe reads as end of input, as it does for a stream.
                if (err && err.code !== 'EOF' && err.code !== 'EPIPE')
                    this.destroy(err);
                else
                    this.push(n > 0 ? buf.subarray(0, n) : null);
            });
        },
    });
}
/** Replace each std stream that cannot be opened (Windows only; see above). Call before any output. */
function repairStdio() {
    if (process.platform !== 'win32')
        return;
    const make = { stdin: () => fdReader(0), stdout: () => fdWriter(1), stderr: () => fdWriter(2) };
    for (const name of ['stdout', 'stderr', 'stdin']) {
        if (opens(name))
            continue;
        const stream = make[name]();
        Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
    }
}
//# sourceMappingURL=stdio.js.map