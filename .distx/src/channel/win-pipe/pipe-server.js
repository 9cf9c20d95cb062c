"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PipeServer = exports.DEFAULT_MAX_CONNECTIONS = exports.SYSTEM_SID = void 0;
// The capture endpoint on Windows: \\.\pipe\NAME served by pwbridge_pipe.node, with the security Node's net
// module cannot give a pipe (libuv passes no security attributes, so the default DACL lets every local user
// in, and anyone may create the name while the service is stopped):
// - every instance has a protected DACL for SYSTEM and the service's account only, rejects remote clients,
//   and the first is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so a name someone else holds stops the start
//   with an error naming the holder (pid and image);
// - before a client's first byte, its token user must be one of the allowed SIDs, else it is disconnected
//   and 'refused' says who it was (the service logs it as frame-refused, reason peer);
// - the addon's own thread does every blocking call; this file only turns its events into streams.
const node_events_1 = require("node:events");
const load_addon_1 = require("./load-addon");
const pipe_connection_1 = require("./pipe-connection");
exports.SYSTEM_SID = 'S-1-5-18';
exports.DEFAULT_MAX_CONNECTIONS = 64;
/**
 * Events: 'connection' (PipeConnection), 'refused' (PipeRefusal), 'error' (Error: no new instance could be
 * made; it retries), 'close'.
 */
class PipeServer extends node_events_1.EventEmitter {
    path;
    opts;
    allowedSids;
    addon;
    handle;
    connections = new Map();
    closing;
    constructor(path, opts = {}) {
        super();
        this.path = path;
        this.opts = opts;
        this.addon = opts.addon ?? (0, load_addon_1.loadPipeAddon)();
        this.allowedSids = opts.allowedSids ?? [...new Set([exports.SYSTEM_SID, this.addon.processUserSid()])];
    }
    /** Resolves once the name is ours; rejects (ListenError) when it is not to be had. */
    listen() {
        if (this.handle)
            return Promise.reject(new Error(`${this.path}: listen() was already called`));
        return new Promise((resolve, reject) => {
            let settled = false;
            const ops = {
                read: (id) => this.addon.read(this.handle, id),
                write: (id, bytes, req) => this.addon.write(this.handle, id, bytes, req),
                end: (id) => this.addon.end(this.handle, id),
                destroy: (id) => {
                    this.connections.delete(id);
                    this.addon.destroy(this.handle, id);
                },
            };
            const onEvent = (kind, id, a, b) => {
                try {
                    if (kind === 'listening') {
                        settled = true;
                        resolve();
                    }
                    else if (kind === 'listen-error') {
                        const err = new Error(String(a));
                        err.code = 'EADDRINUSE';
                        if (typeof b === 'number' && b > 0)
                            err.holderPid = b;
                        settled = true;
                        reject(err);
                    }
                    else {
                        this.dispatch(kind, id, a, b, ops);
                    }
                }
                catch (err) {
                    // Never let an exception unwind into the addon's callback: report it as Node would.
                    process.nextTick(() => { throw err; });
                }
            };
            try {
                this.handle = this.addon.createServer(this.path, this.allowedSids, this.opts.maxConnections ?? exports.DEFAULT_MAX_CONNECTIONS, this.opts.pipeTokenOnly ?? false, onEvent);
            }
            catch (err) {
                if (!settled)
                    reject(err);
            }
        });
    }
    dispatch(kind, id, a, b, ops) {
        if (kind === 'connection') {
            const c = new pipe_connection_1.PipeConnection(ops, id, a);
            this.connections.set(id, c);
            c.once('close', () => this.connections.delete(id));
            this.emit('connection', c);
            return;
        }
        if (kind === 'refused') {
            this.emit('refused', refusalOf(a, b === 'busy' ? 'busy' : 'peer', this.allowedSids, this.opts.maxConnections ?? exports.DEFAULT_MAX_CONNECTIONS));
            return;
        }
        if (kind === 'server-error') {
            const err = (0, pipe_connection_1.win32Error)('CreateNamedPipeW', Number(b));
            err.message = String(a);
            this.emit('error', err);
            return;
        }
        const c = this.connections.get(id);
        if (!c)
            return; // destroyed here already: the native side catches up
        switch (kind) {
            case 'data':
                // The addon could not make the Buffer (out of memory): the bytes are lost, so is the stream.
                if (Buffer.isBuffer(a))
                    c.onData(a);
                else
                    c.destroy(new Error('pipe read: the addon could not hand the bytes over (out of memory)'));
                break;
            case 'end':
                c.onEnd();
                break;
            case 'written':
                c.onWritten(Number(a), Number(b));
                break;
            case 'finished':
                c.onFinished();
                break;
            case 'error':
                c.onError(Number(a));
                break;
            default: break;
        }
    }
    /** Open connections. */
    get connectionCount() {
        return this.connections.size;
    }
    ref() {
        if (this.handle && !this.closing)
            this.addon.ref(this.handle);
        return this;
    }
    unref() {
        if (this.handle && !this.closing)
            this.addon.unref(this.handle);
        return this;
    }
    /** End the listener and every connection; resolves when the addon has joined its thread and freed all. */
    close(cb) {
        if (!this.closing) {
            for (const c of [...this.connections.values()])
                c.destroy();
            this.connections.clear();
            this.closing = this.handle ? this.addon.close(this.handle) : Promise.resolve();
            void this.closing.then(() => this.emit('close'));
        }
        if (cb)
            void this.closing.then(cb);
        return this.closing;
    }
}
exports.PipeServer = PipeServer;
function refusalOf(peer, reason, allowed, max) {
    const peerLabel = `pipe client pid ${peer.pid}${peer.image ? ` (${peer.image})` : ''}`;
    let detail;
    if (reason === 'busy')
        detail = `${max} connections are open already (the most allowed)`;
    else if (!peer.sid)
        detail = `the OS did not say who the client is (its token could not be read: Win32 error ${peer.error})`;
    else
        detail = `the client runs as ${peer.sid}, which may not use this pipe (allowed: ${allowed.join(', ')})`;
    return { reason, detail, peer, peerLabel };
}
//# sourceMappingURL=pipe-server.js.map