/* pwbridge_pipe.node: the N-API glue around pipe_server.c. Everything here runs on the JS thread except
 * emit_event and thread_done, which the server's I/O thread calls and which only hand things to the
 * thread-safe function. The types of what crosses into JS are in src/channel/win-pipe/native.ts. */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipe_server.h"

#include <tlhelp32.h> /* after windows.h (pipe_server.h) */

#define PIPE_PREFIX L"\\\\.\\pipe\\"
#define NAME_CHARS 256

/* One per createServer. Freed when both the thread-safe function (native side) and the JS external that
 * holds it (JS side) are finalized, whichever comes last. */
typedef struct {
    napi_env env;
    napi_threadsafe_function tsfn;
    pwp_server *server;
    napi_deferred close_deferred;
    int closing;        /* close() was called, or the env is going away: nothing more is posted */
    volatile LONG thread_done;
    int hook_ran;
    int refs;
} server_box;

#define CHECK(env, call)                                                                   \
    do {                                                                                   \
        if ((call) != napi_ok) {                                                           \
            const napi_extended_error_info *info_ = NULL;                                  \
            napi_get_last_error_info((env), &info_);                                       \
            bool pending_ = false;                                                         \
            napi_is_exception_pending((env), &pending_);                                   \
            if (!pending_)                                                                 \
                napi_throw_error((env), NULL, info_ && info_->error_message ? info_->error_message : "N-API call failed"); \
            return NULL;                                                                   \
        }                                                                                  \
    } while (0)

static napi_value throw_type(napi_env env, const char *msg)
{
    napi_throw_type_error(env, "ERR_INVALID_ARG", msg);
    return NULL;
}

static void box_unref(server_box *box)
{
    if (--box->refs == 0) free(box);
}

/* ---- the I/O thread's side ---- */

static void emit_event(void *ctx, pwp_event *ev)
{
    server_box *box = ctx;
    /* Non-blocking on an unbounded queue: the I/O thread never waits for JS. Fails only once the function
     * is closing (the env is going away), and then nobody is left to tell. */
    if (napi_call_threadsafe_function(box->tsfn, ev, napi_tsfn_nonblocking) != napi_ok) pwp_event_free(ev);
}

static void thread_done(void *ctx)
{
    server_box *box = ctx;
    InterlockedExchange(&box->thread_done, 1);
    napi_release_threadsafe_function(box->tsfn, napi_tsfn_release);
}

/* ---- events into JS ---- */

static napi_value str16(napi_env env, const WCHAR *s)
{
    napi_value v;
    if (napi_create_string_utf16(env, (const char16_t *)s, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
    return v;
}

static napi_value str8(napi_env env, const char *s)
{
    napi_value v;
    if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
    return v;
}

static napi_value num(napi_env env, double d)
{
    napi_value v;
    if (napi_create_double(env, d, &v) != napi_ok) return NULL;
    return v;
}

static void set(napi_env env, napi_value obj, const char *key, napi_value v)
{
    if (v) napi_set_named_property(env, obj, key, v);
}

static napi_value peer_object(napi_env env, const pwp_peer *p)
{
    napi_value o;
    if (napi_create_object(env, &o) != napi_ok) return NULL;
    set(env, o, "pid", num(env, p->pid));
    set(env, o, "sid", str16(env, p->sid));
    set(env, o, "image", str16(env, p->image));
    set(env, o, "source", str8(env, p->source));
    set(env, o, "error", num(env, p->error));
    return o;
}

static const char *kind_name(pwp_event_kind k)
{
    switch (k) {
    case PWP_EV_LISTENING: return "listening";
    case PWP_EV_LISTEN_ERROR: return "listen-error";
    case PWP_EV_CONNECTION: return "connection";
    case PWP_EV_REFUSED: return "refused";
    case PWP_EV_DATA: return "data";
    case PWP_EV_END: return "end";
    case PWP_EV_WRITTEN: return "written";
    case PWP_EV_FINISHED: return "finished";
    case PWP_EV_ERROR: return "error";
    case PWP_EV_SERVER_ERROR: return "server-error";
    }
    return "unknown";
}

/* onEvent(kind, id, a, b): see NativeEvent in native.ts. */
static void call_js(napi_env env, napi_value js_cb, void *context, void *data)
{
    (void)context;
    pwp_event *ev = data;
    if (env == NULL || js_cb == NULL) { /* the function is being torn down: only free */
        pwp_event_free(ev);
        return;
    }
    napi_value argv[4] = { NULL, NULL, NULL, NULL }, undef;
    napi_get_undefined(env, &undef);
    for (int i = 0; i < 4; i++) argv[i] = undef;
    argv[0] = str8(env, kind_name(ev->kind));
    argv[1] = num(env, ev->id);
    switch (ev->kind) {
    case PWP_EV_LISTEN_ERROR:
        argv[2] = ev->text ? str16(env, ev->text) : str8(env, "out of memory");
        argv[3] = num(env, ev->holder_pid);
        break;
    case PWP_EV_SERVER_ERROR:
        argv[2] = ev->text ? str16(env, ev->text) : str8(env, "out of memory");
        argv[3] = num(env, ev->code);
        break;
    case PWP_EV_CONNECTION:
        argv[2] = peer_object(env, ev->peer);
        break;
    case PWP_EV_REFUSED:
        argv[2] = peer_object(env, ev->peer);
        argv[3] = str8(env, ev->reason);
        break;
    case PWP_EV_DATA: {
        napi_value buf = NULL;
        void *copy = NULL;
        if (napi_create_buffer_copy(env, ev->len, ev->data, &copy, &buf) == napi_ok) argv[2] = buf;
        break; /* pwp_event_free wipes the native copy */
    }
    case PWP_EV_WRITTEN:
        argv[2] = num(env, ev->req);
        argv[3] = num(env, ev->code);
        if (ev->token) napi_delete_reference(env, (napi_ref)ev->token); /* the Buffer may go now */
        break;
    case PWP_EV_ERROR:
        argv[2] = num(env, ev->code);
        break;
    default:
        break;
    }
    for (int i = 0; i < 4; i++)
        if (!argv[i]) argv[i] = undef;
    napi_call_function(env, undef, js_cb, 4, argv, NULL);
    pwp_event_free(ev);
}

/* The env is going away without close(): stop the thread and wait for it, so it never outlives the env. */
static void env_cleanup(void *arg)
{
    server_box *box = arg;
    box->hook_ran = 1;
    if (!box->server) return;
    if (!box->closing && !InterlockedCompareExchange(&box->thread_done, 0, 0)) {
        box->closing = 1;
        pwp_server_post(box->server, PWP_CMD_CLOSE, 0, 0, NULL, 0, NULL);
    }
    /* The thread only finishes cancelled I/O now: quick. tsfn_finalize joins and frees. */
    while (!InterlockedCompareExchange(&box->thread_done, 0, 0)) Sleep(1);
}

static void release_token(void *ctx, void *token)
{
    napi_delete_reference((napi_env)ctx, (napi_ref)token);
}

/* The thread has released the function and the queue is empty: join it, free the server, settle close(). */
static void tsfn_finalize(napi_env env, void *data, void *hint)
{
    (void)hint;
    server_box *box = data;
    if (box->server) pwp_server_join_and_free(box->server, release_token, env);
    box->server = NULL;
    if (!box->hook_ran) napi_remove_env_cleanup_hook(env, env_cleanup, box);
    if (box->close_deferred) {
        napi_value undef;
        napi_get_undefined(env, &undef);
        napi_resolve_deferred(env, box->close_deferred, undef);
        box->close_deferred = NULL;
    }
    box_unref(box);
}

static void external_finalize(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)hint;
    box_unref(data);
}

/* ---- exports ---- */

static int get_wstring(napi_env env, napi_value v, WCHAR *out, size_t cap)
{
    size_t len = 0;
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok || t != napi_string) return 0;
    if (napi_get_value_string_utf16(env, v, (char16_t *)out, cap, &len) != napi_ok) return 0;
    return len + 1 < cap; /* not truncated */
}

static server_box *get_box(napi_env env, napi_value v)
{
    void *p = NULL;
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok || t != napi_external || napi_get_value_external(env, v, &p) != napi_ok) return NULL;
    return p;
}

/* createServer(name, allowedSids, maxConnections, pipeTokenOnly, onEvent) → handle */
static napi_value create_server(napi_env env, napi_callback_info info)
{
    size_t argc = 5;
    napi_value argv[5];
    CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    if (argc < 5) return throw_type(env, "createServer(name, allowedSids, maxConnections, pipeTokenOnly, onEvent)");
    WCHAR name[NAME_CHARS];
    if (!get_wstring(env, argv[0], name, NAME_CHARS) || _wcsnicmp(name, PIPE_PREFIX, wcslen(PIPE_PREFIX)) != 0 ||
        wcslen(name) == wcslen(PIPE_PREFIX))
        return throw_type(env, "name must be a pipe path \\\\.\\pipe\\NAME of at most 255 characters");
    bool is_array = false;
    uint32_t nsids = 0;
    CHECK(env, napi_is_array(env, argv[1], &is_array));
    if (!is_array) return throw_type(env, "allowedSids must be an array of SID strings");
    CHECK(env, napi_get_array_length(env, argv[1], &nsids));
    if (nsids < 1 || nsids > PWP_MAX_SIDS) return throw_type(env, "allowedSids must hold 1 to 8 SIDs");
    WCHAR sid_text[PWP_MAX_SIDS][PWP_SID_CHARS];
    const WCHAR *sid_ptr[PWP_MAX_SIDS];
    for (uint32_t i = 0; i < nsids; i++) {
        napi_value el;
        CHECK(env, napi_get_element(env, argv[1], i, &el));
        if (!get_wstring(env, el, sid_text[i], PWP_SID_CHARS)) return throw_type(env, "allowedSids must be SID strings");
        sid_ptr[i] = sid_text[i];
    }
    int32_t max_conn = 0;
    if (napi_get_value_int32(env, argv[2], &max_conn) != napi_ok || max_conn < 1 || max_conn > 253)
        return throw_type(env, "maxConnections must be an integer from 1 to 253");
    bool pipe_token_only = false;
    if (napi_get_value_bool(env, argv[3], &pipe_token_only) != napi_ok) return throw_type(env, "pipeTokenOnly must be a boolean");
    napi_valuetype t;
    CHECK(env, napi_typeof(env, argv[4], &t));
    if (t != napi_function) return throw_type(env, "onEvent must be a function");

    pwp_server_options o;
    ZeroMemory(&o, sizeof o);
    DWORD err = pwp_sids_parse(sid_ptr, (int)nsids, &o.allowed);
    if (err) return throw_type(env, "allowedSids holds a string that is not a SID (S-1-5-...)");

    server_box *box = calloc(1, sizeof *box);
    if (!box) {
        pwp_sids_free(&o.allowed);
        napi_throw_error(env, "ENOMEM", "out of memory");
        return NULL;
    }
    box->env = env;
    box->refs = 2; /* the thread-safe function and the JS external */
    napi_value resource;
    CHECK(env, napi_create_string_utf8(env, "pwbridge_pipe", NAPI_AUTO_LENGTH, &resource));
    if (napi_create_threadsafe_function(env, argv[4], NULL, resource, 0, 1, box, tsfn_finalize, box, call_js, &box->tsfn) != napi_ok) {
        pwp_sids_free(&o.allowed);
        free(box);
        napi_throw_error(env, NULL, "napi_create_threadsafe_function failed");
        return NULL;
    }
    o.name = name;
    o.max_connections = max_conn;
    o.pipe_token_only = pipe_token_only;
    o.emit = emit_event;
    o.done = thread_done;
    o.ctx = box;
    box->server = pwp_server_start(&o, &err);
    if (!box->server) {
        pwp_sids_free(&o.allowed);
        box->hook_ran = 1; /* none was added */
        box->refs = 1; /* only the function's finalizer will run */
        napi_release_threadsafe_function(box->tsfn, napi_tsfn_release);
        char msg[96];
        sprintf_s(msg, sizeof msg, "could not start the pipe server (Win32 error %lu)", err);
        napi_throw_error(env, NULL, msg);
        return NULL;
    }
    napi_add_env_cleanup_hook(env, env_cleanup, box);
    napi_value handle;
    CHECK(env, napi_create_external(env, box, external_finalize, NULL, &handle));
    return handle;
}

static napi_value post(napi_env env, napi_callback_info info, pwp_cmd_kind kind)
{
    size_t argc = 4;
    napi_value argv[4];
    CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    server_box *box = argc >= 2 ? get_box(env, argv[0]) : NULL;
    if (!box) return throw_type(env, "expected (handle, id, ...)");
    uint32_t id = 0, req = 0;
    if (napi_get_value_uint32(env, argv[1], &id) != napi_ok) return throw_type(env, "id must be a number");
    void *data = NULL;
    size_t len = 0;
    if (kind == PWP_CMD_WRITE) {
        bool is_buffer = false;
        if (argc < 4 || napi_is_buffer(env, argv[2], &is_buffer) != napi_ok || !is_buffer ||
            napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok || napi_get_value_uint32(env, argv[3], &req) != napi_ok)
            return throw_type(env, "write(handle, id, buffer, req)");
    }
    if (box->closing || !box->server || InterlockedCompareExchange(&box->thread_done, 0, 0)) {
        napi_throw_error(env, "ERR_SERVER_CLOSED", "the pipe server is closed");
        return NULL;
    }
    /* A WRITE keeps its Buffer alive with a reference until WRITTEN brings the token back (call_js): the
     * I/O thread writes straight from it, so even megabytes cost the JS thread no copy. */
    napi_ref token = NULL;
    if (kind == PWP_CMD_WRITE) CHECK(env, napi_create_reference(env, argv[2], 1, &token));
    DWORD err = pwp_server_post(box->server, kind, id, req, data, len, token);
    if (err) {
        if (token) napi_delete_reference(env, token);
        char msg[80];
        sprintf_s(msg, sizeof msg, "could not queue the operation (Win32 error %lu)", err);
        napi_throw_error(env, NULL, msg);
    }
    return NULL;
}

static napi_value js_read(napi_env env, napi_callback_info info) { return post(env, info, PWP_CMD_READ); }
static napi_value js_write(napi_env env, napi_callback_info info) { return post(env, info, PWP_CMD_WRITE); }
static napi_value js_end(napi_env env, napi_callback_info info) { return post(env, info, PWP_CMD_END); }
static napi_value js_destroy(napi_env env, napi_callback_info info) { return post(env, info, PWP_CMD_DESTROY); }

/* close(handle) → Promise<void>, settled once the thread is joined and everything is freed. */
static napi_value js_close(napi_env env, napi_callback_info info)
{
    size_t argc = 1;
    napi_value argv[1], promise;
    CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    server_box *box = argc >= 1 ? get_box(env, argv[0]) : NULL;
    if (!box) return throw_type(env, "close(handle)");
    if (box->closing) {
        napi_throw_error(env, "ERR_SERVER_CLOSED", "close() was already called");
        return NULL;
    }
    box->closing = 1;
    if (!box->server) { /* already finalized (the listen failed and the thread is gone) */
        napi_deferred d;
        CHECK(env, napi_create_promise(env, &d, &promise));
        napi_value undef;
        napi_get_undefined(env, &undef);
        napi_resolve_deferred(env, d, undef);
        return promise;
    }
    CHECK(env, napi_create_promise(env, &box->close_deferred, &promise));
    /* After the thread has finished by itself (listen error) nobody reads the port; the free drains it. */
    if (!InterlockedCompareExchange(&box->thread_done, 0, 0)) pwp_server_post(box->server, PWP_CMD_CLOSE, 0, 0, NULL, 0, NULL);
    return promise;
}

static napi_value set_ref(napi_env env, napi_callback_info info, int ref)
{
    size_t argc = 1;
    napi_value argv[1];
    CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    server_box *box = argc >= 1 ? get_box(env, argv[0]) : NULL;
    if (!box) return throw_type(env, "ref(handle) / unref(handle)");
    if (box->server) {
        if (ref) napi_ref_threadsafe_function(env, box->tsfn);
        else napi_unref_threadsafe_function(env, box->tsfn);
    }
    return NULL;
}

static napi_value js_ref(napi_env env, napi_callback_info info) { return set_ref(env, info, 1); }
static napi_value js_unref(napi_env env, napi_callback_info info) { return set_ref(env, info, 0); }

static napi_value js_process_user_sid(napi_env env, napi_callback_info info)
{
    (void)info;
    WCHAR sid[PWP_SID_CHARS];
    DWORD err = pwp_self_sid(sid, PWP_SID_CHARS);
    if (err) {
        char msg[80];
        sprintf_s(msg, sizeof msg, "could not read this process's token user (Win32 error %lu)", err);
        napi_throw_error(env, NULL, msg);
        return NULL;
    }
    return str16(env, sid);
}

static long process_threads(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE) return -1;
    THREADENTRY32 te;
    te.dwSize = sizeof te;
    long n = 0;
    DWORD self = GetCurrentProcessId();
    for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te))
        if (te.th32OwnerProcessID == self) n++;
    CloseHandle(snap);
    return n;
}

/* diagnostics() → the addon's live objects and the process's handle and thread counts (for leak tests). */
static napi_value js_diagnostics(napi_env env, napi_callback_info info)
{
    (void)info;
    pwp_counts c;
    pwp_live_counts(&c);
    DWORD handles = 0;
    napi_value o;
    CHECK(env, napi_create_object(env, &o));
    set(env, o, "servers", num(env, c.servers));
    set(env, o, "instances", num(env, c.instances));
    set(env, o, "ioThreads", num(env, c.threads));
    set(env, o, "processHandles", num(env, GetProcessHandleCount(GetCurrentProcess(), &handles) ? (double)handles : -1.0));
    set(env, o, "processThreads", num(env, process_threads()));
    return o;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */)
{
    napi_property_descriptor props[] = {
        { "createServer", NULL, create_server, NULL, NULL, NULL, napi_enumerable, NULL },
        { "read", NULL, js_read, NULL, NULL, NULL, napi_enumerable, NULL },
        { "write", NULL, js_write, NULL, NULL, NULL, napi_enumerable, NULL },
        { "end", NULL, js_end, NULL, NULL, NULL, napi_enumerable, NULL },
        { "destroy", NULL, js_destroy, NULL, NULL, NULL, napi_enumerable, NULL },
        { "close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL },
        { "ref", NULL, js_ref, NULL, NULL, NULL, napi_enumerable, NULL },
        { "unref", NULL, js_unref, NULL, NULL, NULL, napi_enumerable, NULL },
        { "processUserSid", NULL, js_process_user_sid, NULL, NULL, NULL, napi_enumerable, NULL },
        { "diagnostics", NULL, js_diagnostics, NULL, NULL, NULL, napi_enumerable, NULL },
    };
    if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
    return exports;
}
