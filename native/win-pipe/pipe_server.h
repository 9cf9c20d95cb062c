/* The named-pipe server: one I/O thread per server, every pipe instance overlapped on one completion port.
 * The thread owns every instance and connection; the JS side talks to it only by posting commands to the port
 * (pwp_server_post) and hears from it only through the emit callback, called on the I/O thread with an event
 * it now owns. No N-API here (addon.c is the glue). */
#ifndef PWP_PIPE_SERVER_H
#define PWP_PIPE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "peer_identity.h"
#include "pipe_security.h"

#define PWP_READ_CHUNK 65536
#define PWP_PIPE_BUFFER 65536

typedef enum {
    PWP_EV_LISTENING,    /* the first instance exists: the name is ours */
    PWP_EV_LISTEN_ERROR, /* it could not be had; text says why (and who holds it) */
    PWP_EV_CONNECTION,   /* id, peer: an allowed client, nothing read or written yet */
    PWP_EV_REFUSED,      /* peer, reason: a client disconnected before its first byte */
    PWP_EV_DATA,         /* id, data/len (the receiver frees and zeroes data) */
    PWP_EV_END,          /* id: the client closed its end; nothing more will be read */
    PWP_EV_WRITTEN,      /* id, req, code: one write done (code 0) or failed */
    PWP_EV_FINISHED,     /* id: after end(), every write was done and our end is closed */
    PWP_EV_ERROR,        /* id, code: a read failed */
    PWP_EV_SERVER_ERROR  /* code, text: the server could not make a new instance (it retries) */
} pwp_event_kind;

typedef struct {
    pwp_event_kind kind;
    uint32_t id;
    uint32_t req;
    DWORD code;
    uint8_t *data; /* PWP_EV_DATA: HeapAlloc'ed, owned by the receiver */
    size_t len;
    pwp_peer *peer; /* CONNECTION, REFUSED: owned by the receiver */
    const char *reason; /* REFUSED: "peer" or "busy" (static) */
    WCHAR *text;  /* LISTEN_ERROR, SERVER_ERROR: owned by the receiver */
    ULONG holder_pid; /* LISTEN_ERROR: the name's holder, 0 when unknown */
    void *token;  /* WRITTEN: the write's token, back to the poster (who keeps the bytes alive until then) */
} pwp_event;

void pwp_event_free(pwp_event *ev);

typedef void (*pwp_emit_fn)(void *ctx, pwp_event *ev);

typedef struct {
    const WCHAR *name;      /* \\.\pipe\... */
    pwp_sid_list allowed;   /* moved into the server */
    int max_connections;    /* open connections at most; one more is accepted and refused */
    int pipe_token_only;    /* see pwp_client_identify */
    pwp_emit_fn emit;
    void (*done)(void *ctx); /* the thread's last act: after it, pwp_server_join_and_free returns at once */
    void *ctx;
} pwp_server_options;

typedef struct pwp_server pwp_server;

typedef enum { PWP_CMD_READ, PWP_CMD_WRITE, PWP_CMD_END, PWP_CMD_DESTROY, PWP_CMD_CLOSE } pwp_cmd_kind;

/* Start the server's thread, which creates the first instance and emits LISTENING or LISTEN_ERROR (after
 * LISTEN_ERROR it stops by itself). NULL with *err set when not even the thread could start. */
pwp_server *pwp_server_start(pwp_server_options *opts, DWORD *err);

/* Queue a command for the I/O thread. WRITE does not copy `data`: the poster keeps it alive and unchanged
 * until the WRITTEN event that carries `token` back (every posted WRITE gets exactly one, written, failed or
 * abandoned at a close), or until pwp_server_join_and_free hands the token to `release`. CLOSE: every
 * connection and the listener end, and the thread returns once nothing is pending; after CLOSE nothing else
 * may be posted. 0 or the Win32 error (then the command was not queued and the token is the poster's again). */
DWORD pwp_server_post(pwp_server *s, pwp_cmd_kind kind, uint32_t id, uint32_t req, const void *data, size_t len, void *token);

/* Wait for the thread (after CLOSE, or after LISTEN_ERROR), then free everything; the token of a WRITE that
 * was never read off the port goes to `release`. */
void pwp_server_join_and_free(pwp_server *s, void (*release)(void *ctx, void *token), void *ctx);

/* Live objects in this process, for leak checks: servers, pipe instances, I/O threads. */
typedef struct { long servers, instances, threads; } pwp_counts;
void pwp_live_counts(pwp_counts *out);

#endif
