/* See pipe_server.h.
 *
 * One thread and one completion port per server. Every instance is overlapped and associated with the port;
 * commands from JS arrive on the same port (key KEY_CMD), so the thread is the only one that ever touches an
 * instance, a queue or a counter, and there is no lock. A buffer handed to an overlapped operation is freed
 * only after that operation's completion packet came back (a closed instance's operations complete with
 * ERROR_OPERATION_ABORTED), so the kernel never writes into freed memory.
 *
 * Flow control: one read in flight per connection, on credit: each PWP_CMD_READ (the stream's _read) grants one
 * chunk, a connection starts with one, and at most READ_CREDIT are granted ahead. So the next read is already
 * posted when JS is still handling the last chunk (no thread hop in a round trip's path), and a sender faster
 * than JS can have at most READ_CREDIT chunks waiting in this process; one write in flight per connection,
 * its completion reported so the stream's write callback (and backpressure) follow the kernel. A client that
 * never reads blocks only its own write: every other instance goes on. */
#include "pipe_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "pipe_holder.h"

#define KEY_IO 1
#define KEY_CMD 2
#define TEXT_CHARS 512
#define READ_CREDIT 2

static volatile LONG live_servers, live_instances, live_threads;

typedef struct pwp_conn pwp_conn;
typedef enum { IO_CONNECT, IO_READ, IO_WRITE } io_kind;
typedef struct {
    OVERLAPPED ov; /* first: the port hands back this address */
    io_kind kind;
    pwp_conn *conn;
} pwp_io;

/* A command; a WRITE then waits in the connection's write queue. Its bytes are the poster's (a JS Buffer kept
 * alive by a reference, `token`), so a large write costs no copy on the JS thread. */
typedef struct pwp_cmd {
    struct pwp_cmd *next;
    pwp_cmd_kind kind;
    uint32_t id, req;
    const uint8_t *data;
    size_t len, off;
    void *token;
} pwp_cmd;

typedef enum { C_LISTENING, C_CHECKING, C_OPEN, C_CLOSED } conn_state;

struct pwp_conn {
    pwp_conn *next, *prev;
    HANDLE h;
    uint32_t id; /* 0 until handed to JS */
    conn_state state;
    pwp_io connect_io, read_io, write_io;
    int pending; /* overlapped operations whose packet has not come back */
    int reading, writing, eof, ending;
    int credit; /* chunks JS will take (see the flow control note above) */
    uint8_t *rbuf;
    pwp_cmd *wq_head, *wq_tail;
};

struct pwp_server {
    WCHAR *name;
    pwp_sid_list allowed;
    int max_connections, pipe_token_only;
    pwp_emit_fn emit;
    void (*done)(void *ctx);
    void *ctx;
    PSECURITY_DESCRIPTOR sd;
    HANDLE port, thread;
    pwp_conn *conns;
    int open, listening, stopping, listen_failed;
    uint32_t next_id;
};

static void wipe_free(void *p, size_t n)
{
    if (!p) return;
    SecureZeroMemory(p, n);
    free(p);
}

void pwp_event_free(pwp_event *ev)
{
    if (!ev) return;
    wipe_free(ev->data, ev->len);
    free(ev->peer);
    free(ev->text);
    free(ev);
}

void pwp_live_counts(pwp_counts *out)
{
    out->servers = InterlockedCompareExchange(&live_servers, 0, 0);
    out->instances = InterlockedCompareExchange(&live_instances, 0, 0);
    out->threads = InterlockedCompareExchange(&live_threads, 0, 0);
}

static pwp_event *event_new(pwp_event_kind kind, uint32_t id)
{
    pwp_event *ev = calloc(1, sizeof *ev);
    if (!ev) return NULL;
    ev->kind = kind;
    ev->id = id;
    return ev;
}

/* Events are dropped only when memory is exhausted; the stream then learns of the end from its idle timer. */
static void emit(pwp_server *s, pwp_event *ev)
{
    if (ev) s->emit(s->ctx, ev);
}

static void emit_simple(pwp_server *s, pwp_event_kind kind, uint32_t id, uint32_t req, DWORD code)
{
    pwp_event *ev = event_new(kind, id);
    if (!ev) return;
    ev->req = req;
    ev->code = code;
    emit(s, ev);
}

static void free_cmd(pwp_cmd *c)
{
    free(c);
}

/* A WRITE that will not be done: its token goes back with the error, and the command is freed. */
static void abandon_write(pwp_server *s, pwp_cmd *w, DWORD err)
{
    pwp_event *ev = event_new(PWP_EV_WRITTEN, w->id);
    if (ev) {
        ev->req = w->req;
        ev->code = err;
        ev->token = w->token;
        emit(s, ev);
    }
    free_cmd(w);
}

/* ---- instances ---- */

static void unlink_conn(pwp_server *s, pwp_conn *c)
{
    if (c->prev) c->prev->next = c->next;
    else s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
}

/* Free the connection once no operation of its is in flight (its buffers may still be the kernel's). */
static void maybe_free(pwp_server *s, pwp_conn *c)
{
    if (c->state != C_CLOSED || c->pending > 0) return;
    wipe_free(c->rbuf, PWP_READ_CHUNK);
    for (pwp_cmd *w = c->wq_head; w;) {
        pwp_cmd *next = w->next;
        abandon_write(s, w, ERROR_OPERATION_ABORTED);
        w = next;
    }
    c->wq_head = c->wq_tail = NULL;
    unlink_conn(s, c);
    free(c);
}

/* Close the instance now. `abort`: discard what the client has not read yet (DisconnectNamedPipe); otherwise
 * only our handle goes, and the client still reads what was written before it gets end of file. */
static void conn_close(pwp_server *s, pwp_conn *c, int abort)
{
    if (c->state == C_CLOSED) return;
    if (c->state == C_LISTENING) s->listening--;
    if (c->state == C_OPEN) s->open--;
    c->state = C_CLOSED;
    CancelIoEx(c->h, NULL);
    if (abort) DisconnectNamedPipe(c->h);
    CloseHandle(c->h);
    c->h = INVALID_HANDLE_VALUE;
    InterlockedDecrement(&live_instances);
    maybe_free(s, c);
}

static HANDLE create_instance(pwp_server *s, int first)
{
    SECURITY_ATTRIBUTES sa = { sizeof sa, s->sd, FALSE };
    DWORD open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
    DWORD pipe_mode = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS;
    /* Two instances more than the cap: at the cap, the one a client just connected to (being checked, then
     * refused) and the next listening one. So a client over the cap is accepted, told nothing and disconnected,
     * rather than left waiting for an instance (the filter would wait out its whole deadline). */
    return CreateNamedPipeW(s->name, open_mode, pipe_mode, (DWORD)s->max_connections + 2, PWP_PIPE_BUFFER,
                            PWP_PIPE_BUFFER, 0, &sa);
}

static void on_connected(pwp_server *s, pwp_conn *c);
static DWORD listen_new(pwp_server *s, int first);
static void start_read(pwp_server *s, pwp_conn *c);

/* Keep one instance waiting for a client while the server runs; when that fails, say so and retry. */
static void ensure_listener(pwp_server *s)
{
    if (s->stopping || s->listening > 0) return;
    DWORD err = listen_new(s, 0);
    s->listen_failed = err != 0;
    if (!err) return;
    pwp_event *ev = event_new(PWP_EV_SERVER_ERROR, 0);
    if (!ev) return;
    ev->code = err;
    ev->text = calloc(TEXT_CHARS, sizeof(WCHAR));
    if (ev->text) swprintf(ev->text, TEXT_CHARS, L"could not create a new instance of %ls (Win32 error %lu); retrying every second", s->name, err);
    emit(s, ev);
}

static DWORD listen_new(pwp_server *s, int first)
{
    pwp_conn *c = calloc(1, sizeof *c);
    if (!c) return ERROR_OUTOFMEMORY;
    c->h = create_instance(s, first);
    if (c->h == INVALID_HANDLE_VALUE) {
        DWORD err = GetLastError();
        free(c);
        return err;
    }
    if (!CreateIoCompletionPort(c->h, s->port, KEY_IO, 0)) {
        DWORD err = GetLastError();
        CloseHandle(c->h);
        free(c);
        return err;
    }
    InterlockedIncrement(&live_instances);
    c->state = C_LISTENING;
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    s->listening++;
    c->connect_io.kind = IO_CONNECT;
    c->connect_io.conn = c;
    c->read_io.kind = IO_READ;
    c->read_io.conn = c;
    c->write_io.kind = IO_WRITE;
    c->write_io.conn = c;
    if (ConnectNamedPipe(c->h, &c->connect_io.ov)) {
        c->pending++; /* completed at once: its packet is queued all the same */
        return 0;
    }
    DWORD err = GetLastError();
    if (err == ERROR_IO_PENDING) {
        c->pending++;
        return 0;
    }
    if (err == ERROR_PIPE_CONNECTED) { /* a client came between create and connect: no packet */
        on_connected(s, c);
        return 0;
    }
    /* ERROR_NO_DATA: that client has already gone. Anything else: this instance is unusable. */
    conn_close(s, c, 1);
    return err == ERROR_NO_DATA ? listen_new(s, 0) : err;
}

/* ---- connections ---- */

static void refuse(pwp_server *s, pwp_conn *c, pwp_peer *peer, const char *reason)
{
    /* Closed before the event, so the client is gone by the time JS hears of it. Nothing was written, so only
     * our handle goes: the client reads end of file, as a refused Unix socket client does. */
    conn_close(s, c, 0);
    pwp_event *ev = event_new(PWP_EV_REFUSED, 0);
    if (!ev) {
        free(peer);
        return;
    }
    ev->peer = peer;
    ev->reason = reason;
    emit(s, ev);
}

static void on_connected(pwp_server *s, pwp_conn *c)
{
    s->listening--;
    c->state = C_CHECKING;
    ensure_listener(s);
    pwp_peer *peer = calloc(1, sizeof *peer);
    if (!peer) {
        conn_close(s, c, 1);
        return;
    }
    /* Before the first byte either way, as the bridge does with SO_PEERCRED. */
    pwp_client_identify(c->h, &s->allowed, s->pipe_token_only, peer);
    if (!peer->allowed) { refuse(s, c, peer, "peer"); return; }
    if (s->open >= s->max_connections) { refuse(s, c, peer, "busy"); return; }
    c->state = C_OPEN;
    s->open++;
    if (++s->next_id == 0) s->next_id = 1;
    c->id = s->next_id;
    pwp_event *ev = event_new(PWP_EV_CONNECTION, c->id);
    if (!ev) {
        free(peer);
        conn_close(s, c, 1);
        return;
    }
    ev->peer = peer;
    emit(s, ev);
    c->credit = 1;
    start_read(s, c); /* after CONNECTION: JS knows the id before any DATA */
}

static void on_read(pwp_server *s, pwp_conn *c, DWORD n, DWORD err);
static void on_write(pwp_server *s, pwp_conn *c, DWORD n, DWORD err);

static void start_read(pwp_server *s, pwp_conn *c)
{
    if (c->state != C_OPEN || c->reading || c->eof || c->credit <= 0) return;
    if (!c->rbuf && !(c->rbuf = malloc(PWP_READ_CHUNK))) {
        emit_simple(s, PWP_EV_ERROR, c->id, 0, ERROR_OUTOFMEMORY);
        return;
    }
    ZeroMemory(&c->read_io.ov, sizeof c->read_io.ov);
    if (ReadFile(c->h, c->rbuf, PWP_READ_CHUNK, NULL, &c->read_io.ov) || GetLastError() == ERROR_IO_PENDING) {
        c->pending++;
        c->reading = 1;
        return;
    }
    on_read(s, c, 0, GetLastError());
}

static int is_eof(DWORD err)
{
    return err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED || err == ERROR_NO_DATA || err == ERROR_HANDLE_EOF;
}

static void on_read(pwp_server *s, pwp_conn *c, DWORD n, DWORD err)
{
    c->reading = 0;
    if (err == 0 && n == 0) { start_read(s, c); return; } /* nothing read, still wanted */
    if (err == 0) {
        pwp_event *ev = event_new(PWP_EV_DATA, c->id);
        if (!ev) { emit_simple(s, PWP_EV_ERROR, c->id, 0, ERROR_OUTOFMEMORY); return; }
        ev->data = c->rbuf; /* handed over whole: the receiver copies it out, zeroes and frees it */
        ev->len = n;
        c->rbuf = NULL;
        c->credit--;
        emit(s, ev);
        start_read(s, c);
        return;
    }
    if (is_eof(err)) {
        c->eof = 1;
        emit_simple(s, PWP_EV_END, c->id, 0, 0);
        return;
    }
    if (err != ERROR_OPERATION_ABORTED) emit_simple(s, PWP_EV_ERROR, c->id, 0, err);
}

static void start_write(pwp_server *s, pwp_conn *c)
{
    pwp_cmd *w = c->wq_head;
    if (c->state != C_OPEN || c->writing || !w) return;
    ZeroMemory(&c->write_io.ov, sizeof c->write_io.ov);
    DWORD chunk = w->len - w->off > 0x10000000 ? 0x10000000 : (DWORD)(w->len - w->off);
    if (WriteFile(c->h, w->data + w->off, chunk, NULL, &c->write_io.ov) || GetLastError() == ERROR_IO_PENDING) {
        c->pending++;
        c->writing = 1;
        return;
    }
    on_write(s, c, 0, GetLastError());
}

/* After end(): every byte is in the pipe. Close our handle only (the client still reads them), then say so. */
static void finish(pwp_server *s, pwp_conn *c)
{
    uint32_t id = c->id;
    int eof = c->eof;
    conn_close(s, c, 0);
    emit_simple(s, PWP_EV_FINISHED, id, 0, 0);
    if (!eof) emit_simple(s, PWP_EV_END, id, 0, 0); /* a pipe has no half-close: nothing more will be read */
}

static void on_write(pwp_server *s, pwp_conn *c, DWORD n, DWORD err)
{
    c->writing = 0;
    pwp_cmd *w = c->wq_head;
    if (!w) return;
    if (err) {
        /* The client has gone (or worse): every queued write fails with the same error. */
        while ((w = c->wq_head)) {
            c->wq_head = w->next;
            abandon_write(s, w, err);
        }
        c->wq_tail = NULL;
        return;
    }
    w->off += n;
    if (w->off < w->len) { start_write(s, c); return; }
    c->wq_head = w->next;
    if (!c->wq_head) c->wq_tail = NULL;
    abandon_write(s, w, 0); /* done, in fact: code 0 */
    if (c->wq_head) start_write(s, c);
    else if (c->ending) finish(s, c);
}

static void on_io(pwp_server *s, pwp_io *io, DWORD n, DWORD err)
{
    pwp_conn *c = io->conn;
    c->pending--;
    if (c->state == C_CLOSED) {
        /* Cancelled by a close: the buffer is ours again. */
        if (io->kind == IO_READ) c->reading = 0;
        if (io->kind == IO_WRITE) c->writing = 0;
        maybe_free(s, c);
        return;
    }
    switch (io->kind) {
    case IO_CONNECT:
        if (err == 0 || err == ERROR_PIPE_CONNECTED) { on_connected(s, c); return; }
        conn_close(s, c, 1); /* the client connected and went, or the instance broke: make another */
        ensure_listener(s);
        return;
    case IO_READ:
        on_read(s, c, n, err);
        return;
    case IO_WRITE:
        on_write(s, c, n, err);
        return;
    }
}

/* ---- commands ---- */

static pwp_conn *find_open(pwp_server *s, uint32_t id)
{
    for (pwp_conn *c = s->conns; c; c = c->next)
        if (c->id == id && c->state == C_OPEN) return c;
    return NULL;
}

static void on_cmd(pwp_server *s, pwp_cmd *cmd)
{
    if (cmd->kind == PWP_CMD_CLOSE) {
        s->stopping = 1;
        for (pwp_conn *c = s->conns, *next; c; c = next) {
            next = c->next; /* conn_close may free c */
            conn_close(s, c, 1);
        }
        free_cmd(cmd);
        return;
    }
    pwp_conn *c = find_open(s, cmd->id);
    if (!c) {
        if (cmd->kind == PWP_CMD_WRITE) abandon_write(s, cmd, ERROR_PIPE_NOT_CONNECTED);
        else free_cmd(cmd);
        return;
    }
    switch (cmd->kind) {
    case PWP_CMD_READ:
        if (c->credit < READ_CREDIT) c->credit++;
        start_read(s, c);
        break;
    case PWP_CMD_WRITE:
        if (c->ending) {
            abandon_write(s, cmd, ERROR_PIPE_NOT_CONNECTED);
            return;
        }
        cmd->next = NULL;
        if (c->wq_tail) c->wq_tail->next = cmd;
        else c->wq_head = cmd;
        c->wq_tail = cmd;
        start_write(s, c);
        return; /* the queue owns it now */
    case PWP_CMD_END:
        c->ending = 1;
        if (!c->writing && !c->wq_head) finish(s, c);
        break;
    case PWP_CMD_DESTROY:
        conn_close(s, c, 1);
        break;
    case PWP_CMD_CLOSE:
        break;
    }
    free_cmd(cmd);
}

/* ---- the thread ---- */

static void listen_error(pwp_server *s, DWORD err)
{
    pwp_event *ev = event_new(PWP_EV_LISTEN_ERROR, 0);
    if (!ev) return;
    ev->code = err;
    ev->text = calloc(TEXT_CHARS, sizeof(WCHAR));
    if (!ev->text) { emit(s, ev); return; }
    /* Someone else made the name first (Windows says access denied, Wine pipe busy): name them. */
    if (err == ERROR_ACCESS_DENIED || err == ERROR_PIPE_BUSY) {
        WCHAR holder[TEXT_CHARS - 96];
        pwp_describe_holder(s->name, holder, sizeof holder / sizeof holder[0], &ev->holder_pid);
        swprintf(ev->text, TEXT_CHARS, L"%ls is already held by another process: %ls", s->name, holder);
    } else {
        swprintf(ev->text, TEXT_CHARS, L"could not create %ls (Win32 error %lu)", s->name, err);
    }
    emit(s, ev);
}

static DWORD WINAPI io_main(void *arg)
{
    pwp_server *s = arg;
    DWORD err = listen_new(s, 1);
    if (err) {
        listen_error(s, err);
    } else {
        emit_simple(s, PWP_EV_LISTENING, 0, 0, 0);
        while (!(s->stopping && !s->conns)) {
            DWORD n = 0;
            ULONG_PTR key = 0;
            OVERLAPPED *ov = NULL;
            BOOL ok = GetQueuedCompletionStatus(s->port, &n, &key, &ov, s->listen_failed ? 1000 : INFINITE);
            DWORD e = ok ? 0 : GetLastError();
            if (!ov) {
                if (e == WAIT_TIMEOUT) ensure_listener(s);
                else if (e) break; /* the port itself failed: nothing more can be done */
                continue;
            }
            if (key == KEY_CMD) on_cmd(s, (pwp_cmd *)(void *)ov);
            else on_io(s, (pwp_io *)(void *)ov, n, e);
        }
    }
    InterlockedDecrement(&live_threads);
    s->done(s->ctx); /* last: the glue may join and free us from now on */
    return 0;
}

pwp_server *pwp_server_start(pwp_server_options *o, DWORD *err)
{
    pwp_server *s = calloc(1, sizeof *s);
    size_t name_len = wcslen(o->name) + 1;
    *err = ERROR_OUTOFMEMORY;
    if (!s || !(s->name = malloc(name_len * sizeof(WCHAR)))) goto fail;
    wcscpy_s(s->name, name_len, o->name);
    s->max_connections = o->max_connections;
    s->pipe_token_only = o->pipe_token_only;
    s->emit = o->emit;
    s->done = o->done;
    s->ctx = o->ctx;
    if ((*err = pwp_pipe_security(&o->allowed, &s->sd)) != 0) goto fail;
    if (!(s->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1))) {
        *err = GetLastError();
        goto fail;
    }
    s->allowed = o->allowed; /* moved: the caller's list is emptied below */
    o->allowed.count = 0;
    InterlockedIncrement(&live_servers);
    InterlockedIncrement(&live_threads);
    /* A small stack: the thread's deepest frame is a few hundred bytes of strings. */
    s->thread = CreateThread(NULL, 256 * 1024, io_main, s, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (!s->thread) {
        *err = GetLastError();
        InterlockedDecrement(&live_threads);
        InterlockedDecrement(&live_servers);
        o->allowed = s->allowed;
        s->allowed.count = 0;
        goto fail;
    }
    *err = 0;
    return s;
fail:
    if (s) {
        if (s->port) CloseHandle(s->port);
        if (s->sd) LocalFree(s->sd);
        free(s->name);
        free(s);
    }
    return NULL;
}

DWORD pwp_server_post(pwp_server *s, pwp_cmd_kind kind, uint32_t id, uint32_t req, const void *data, size_t len, void *token)
{
    pwp_cmd *c = malloc(sizeof *c);
    if (!c) return ERROR_OUTOFMEMORY;
    c->next = NULL;
    c->kind = kind;
    c->id = id;
    c->req = req;
    c->data = data;
    c->len = len;
    c->off = 0;
    c->token = token;
    if (!PostQueuedCompletionStatus(s->port, 0, KEY_CMD, (OVERLAPPED *)(void *)c)) {
        DWORD err = GetLastError();
        free_cmd(c);
        return err;
    }
    return 0;
}

void pwp_server_join_and_free(pwp_server *s, void (*release)(void *ctx, void *token), void *ctx)
{
    WaitForSingleObject(s->thread, INFINITE);
    CloseHandle(s->thread);
    /* Commands posted after the thread had ended by itself (listen error) were never read. */
    for (;;) {
        DWORD n = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *ov = NULL;
        if (!GetQueuedCompletionStatus(s->port, &n, &key, &ov, 0) && !ov) break;
        if (key != KEY_CMD || !ov) continue;
        pwp_cmd *c = (pwp_cmd *)(void *)ov;
        if (c->token) release(ctx, c->token);
        free_cmd(c);
    }
    CloseHandle(s->port);
    LocalFree(s->sd);
    pwp_sids_free(&s->allowed);
    free(s->name);
    free(s);
    InterlockedDecrement(&live_servers);
}
