/* The filter's settings: values under HKLM\SOFTWARE\pwbridge, a key only administrators and SYSTEM can
 * write. Every value is optional; a missing or malformed one means its default.
 *
 *   Disabled          REG_DWORD     1 = the kill switch: the filter does nothing; watched, effective at
 *                                   once without a reboot (kill_switch.h)
 *   ExcludeAccounts   REG_MULTI_SZ  more account names never sent, besides *$ and krbtgt* (any case)
 *   ServiceSid        REG_SZ        the SID (S-1-5-...) the bridge runs as; the pipe's server must be it.
 *                                   Missing: nothing is sent (see docs/protocol.md for what is kept).
 *   DataDir           REG_SZ        default %ProgramData%\pwbridge: keys\ and spool\ are under it
 *   PipeName          REG_SZ        default \\.\pipe\pwbridge
 *   TimeoutMs         REG_DWORD     100..60000, default 2000: the handshake, and each batch's ACKs
 *   HeartbeatSeconds  REG_DWORD     1..3600, default 10 (the bridge drops a connection idle for 30 s)
 *   SpoolMax          REG_DWORD     1..1000000, default 10000: spooled events kept at most
 *   SpoolRetrySeconds REG_DWORD     1..86400, default 600: how long a spool file that cannot be read (or
 *                                   that the bridge drops the connection on) holds the newer ones behind
 *                                   it before it is set aside (spool_retry.h) */
#ifndef PWB_LSA_CONFIG_H
#define PWB_LSA_CONFIG_H

#include <windows.h>
#include <stddef.h>

#define PWB_PATH_CAP 520

typedef struct {
    WCHAR data_dir[PWB_PATH_CAP];
    WCHAR pipe_name[256];
    WCHAR service_sid[192]; /* empty: none configured */
    DWORD timeout_ms;
    DWORD heartbeat_s;
    DWORD spool_max;
    DWORD spool_retry_s;
} pwb_config;

/* Open the settings key once (InitializeChangeNotify) so each of the worker's reads is one query. */
void pwb_config_open(void);
/* Read every setting but Disabled (kill_switch.h) and ExcludeAccounts (below). The worker's, each turn. */
void pwb_config_read(pwb_config *c);
/* *$ and krbtgt*, any case: no registry read. */
int pwb_excluded_builtin(const WCHAR *name, size_t len);
/* Names in ExcludeAccounts, any case, read now: by the worker, per change taken from the queue. */
int pwb_excluded_configured(const WCHAR *name, size_t len);

#endif
