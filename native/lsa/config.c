/* See config.h. */
#include "config.h"

static const WCHAR KEY_PATH[] = L"SOFTWARE\\pwbridge";
static HKEY g_key; /* opened once; NULL when the key did not exist then */

static LONG open_key(HKEY *out)
{
    return RegOpenKeyExW(HKEY_LOCAL_MACHINE, KEY_PATH, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, out);
}

void pwb_config_open(void)
{
    HKEY k = NULL;
    if (!g_key && open_key(&k) == ERROR_SUCCESS) g_key = k;
}

/* One value through the key opened at load; a fresh handle when that one is gone (the key was deleted or
 * made later). 0 with *type and *size set, or a Win32 error. */
static LONG query(const WCHAR *name, DWORD *type, void *data, DWORD *size)
{
    DWORD cap = *size;
    LONG rc = g_key ? RegQueryValueExW(g_key, name, NULL, type, data, size) : ERROR_KEY_DELETED;
    if (rc == ERROR_KEY_DELETED || rc == ERROR_INVALID_HANDLE) {
        HKEY k = NULL;
        *size = cap;
        rc = open_key(&k);
        if (rc == ERROR_SUCCESS) {
            rc = RegQueryValueExW(k, name, NULL, type, data, size);
            RegCloseKey(k);
        }
    }
    return rc;
}

static DWORD read_dword(const WCHAR *name, DWORD dflt, DWORD lo, DWORD hi)
{
    DWORD v = 0, type = 0, size = sizeof v;
    if (query(name, &type, &v, &size) != ERROR_SUCCESS || type != REG_DWORD || size != sizeof v) return dflt;
    return v < lo || v > hi ? dflt : v;
}

/* A REG_SZ that fits with its terminator; 0 when read. */
static int read_string(const WCHAR *name, WCHAR *out, size_t cap)
{
    DWORD type = 0, size = (DWORD)((cap - 1) * sizeof(WCHAR));
    out[0] = 0;
    if (query(name, &type, out, &size) != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ) || size % 2) {
        out[0] = 0;
        return -1;
    }
    size_t n = size / sizeof(WCHAR);
    out[n] = 0;
    while (n > 0 && out[n - 1] == 0) n--;
    return n > 0 ? 0 : -1;
}

static void copy_w(WCHAR *dst, size_t cap, const WCHAR *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++) dst[i] = src[i];
    dst[i] = 0;
}

void pwb_config_read(pwb_config *c)
{
    WCHAR raw[PWB_PATH_CAP];
    c->timeout_ms = read_dword(L"TimeoutMs", 2000, 100, 60000);
    c->heartbeat_s = read_dword(L"HeartbeatSeconds", 10, 1, 3600);
    c->spool_max = read_dword(L"SpoolMax", 10000, 1, 1000000);
    c->spool_retry_s = read_dword(L"SpoolRetrySeconds", 600, 1, 86400);
    if (read_string(L"PipeName", c->pipe_name, sizeof c->pipe_name / sizeof(WCHAR)) != 0)
        copy_w(c->pipe_name, sizeof c->pipe_name / sizeof(WCHAR), L"\\\\.\\pipe\\pwbridge");
    if (read_string(L"ServiceSid", c->service_sid, sizeof c->service_sid / sizeof(WCHAR)) != 0) c->service_sid[0] = 0;
    c->data_dir[0] = 0;
    if (read_string(L"DataDir", raw, PWB_PATH_CAP) == 0) {
        DWORD n = ExpandEnvironmentStringsW(raw, c->data_dir, PWB_PATH_CAP);
        if (n == 0 || n > PWB_PATH_CAP) c->data_dir[0] = 0;
    }
    if (c->data_dir[0] == 0) {
        DWORD n = ExpandEnvironmentStringsW(L"%ProgramData%\\pwbridge", c->data_dir, PWB_PATH_CAP);
        if (n == 0 || n > PWB_PATH_CAP) copy_w(c->data_dir, PWB_PATH_CAP, L"C:\\ProgramData\\pwbridge");
    }
    /* No trailing separator: paths are built as DataDir\keys\... */
    size_t len = 0;
    while (c->data_dir[len]) len++;
    while (len > 3 && (c->data_dir[len - 1] == L'\\' || c->data_dir[len - 1] == L'/')) c->data_dir[--len] = 0;
}

static int same_name(const WCHAR *a, size_t al, const WCHAR *b, size_t bl)
{
    return al == bl && al <= 0x7FFFFFFF && CompareStringOrdinal(a, (int)al, b, (int)bl, TRUE) == CSTR_EQUAL;
}

int pwb_excluded_builtin(const WCHAR *name, size_t len)
{
    if (len > 0 && name[len - 1] == L'$') return 1; /* computer and trust accounts */
    return len >= 6 && same_name(name, 6, L"krbtgt", 6);
}

int pwb_excluded_configured(const WCHAR *name, size_t len)
{
    static WCHAR list[8192]; /* the worker's only: one caller */
    DWORD type = 0, size = sizeof list - 2 * sizeof(WCHAR);
    if (query(L"ExcludeAccounts", &type, list, &size) != ERROR_SUCCESS || type != REG_MULTI_SZ) return 0;
    size_t n = size / sizeof(WCHAR);
    list[n] = 0;
    list[n + 1] = 0;
    for (size_t i = 0; i < n && list[i];) {
        size_t l = 0;
        while (i + l < n && list[i + l]) l++;
        if (same_name(list + i, l, name, len)) return 1;
        i += l + 1;
    }
    return 0;
}
