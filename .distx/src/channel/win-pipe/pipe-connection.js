"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PipeConnection = void 0;
exports.win32Error = win32Error;
// One accepted client of the pipe server as a Duplex stream, so serveCaptureConnection serves it as it serves
// a net.Socket: data / end / close / error, write (with the native write's completion as its callback, so
// backpressure follows the kernel), end, destroy, setTimeout (idle, as net's).
//
// A pipe has no half-close: end() closes our handle once everything is written (the client still reads it),
// and with it the reading side; the client closing its end is 'end' here.
const node_stream_1 = require("node:stream");
const BROKEN = new Set([109, 232, 233]); // ERROR_BROKEN_PIPE, ERROR_NO_DATA, ERROR_PIPE_NOT_CONNECTED
function win32Error(op, code) {
    const err = new Error(`${op} failed: ${BROKEN.has(code) ? 'the client closed the pipe' : 'Win32 error'} (${code})`);
    err.code = BROKEN.has(code) ? 'EPIPE' : `WIN32_${code}`;
    err.errno = code;
    err.syscall = op;
    return err;
}
class PipeConnection extends node_stream_1.Duplex {
    ops;
    id;
    peer;
    /** For logs: who the client is, as the OS says. */
    peerLabel;
    /** A pipe has no address (net.Socket's is undefined for local sockets too). */
    remoteAddress = undefined;
    remotePort = undefined;
    reading = false;
    nativeGone = false;
    nextReq = 1;
    writeCallbacks = new Map();
    finalCallback;
    idle;
    constructor(ops, id, peer) {
        super({ allowHalfOpen: true });
        this.ops = ops;
        this.id = id;
        this.peer = peer;
        this.peerLabel = `pipe client pid ${peer.pid}${peer.image ? ` (${peer.image})` : ''}, ${peer.sid}`;
    }
    /** Idle timeout as net.Socket's: 'timeout' after `ms` without bytes in or out; 0 turns it off. */
    setTimeout(ms, onTimeout) {
        if (this.idle)
            clearTimeout(this.idle);
        this.idle = undefined;
        if (onTimeout)
            this.once('timeout', onTimeout);
        if (ms > 0) {
            this.idle = setTimeout(() => this.emit('timeout'), ms);
            this.idle.unref?.();
        }
        return this;
    }
    touch() {
        this.idle?.refresh();
    }
    _read() {
        if (this.reading || this.nativeGone)
            return;
        this.reading = true;
        this.call(() => this.ops.read(this.id));
    }
    _write(chunk, _enc, cb) {
        const req = this.nextReq++;
        this.writeCallbacks.set(req, cb);
        this.call(() => this.ops.write(this.id, chunk, req));
    }
    _final(cb) {
        this.finalCallback = cb;
        this.call(() => this.ops.end(this.id));
    }
    _destroy(err, cb) {
        if (this.idle)
            clearTimeout(this.idle);
        if (!this.nativeGone) {
            this.nativeGone = true;
            try {
                this.ops.destroy(this.id);
            }
            catch {
                // the server is closed already: so is this connection
            }
        }
        this.writeCallbacks.clear();
        cb(err);
    }
    // ---- from the server's native events ----
    onData(bytes) {
        this.reading = false;
        this.touch();
        this.push(bytes); // Duplex calls _read again when it wants more
    }
    onEnd() {
        this.reading = false;
        this.push(null);
    }
    onWritten(req, code) {
        const cb = this.writeCallbacks.get(req);
        this.writeCallbacks.delete(req);
        this.touch();
        cb?.(code ? win32Error('write', code) : null);
    }
    onFinished() {
        this.nativeGone = true;
        const cb = this.finalCallback;
        this.finalCallback = undefined;
        cb?.();
    }
    onError(code) {
        this.destroy(win32Error('read', code));
    }
    /** A native call on a closed server throws: the connection is then over. */
    call(fn) {
        try {
            fn();
        }
        catch (err) {
            this.nativeGone = true;
            this.destroy(err);
        }
    }
}
exports.PipeConnection = PipeConnection;
//# sourceMappingURL=pipe-connection.js.map