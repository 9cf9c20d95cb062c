/* See spool.h. */
#include "spool.h"

#include <dpapi.h>
#include <sddl.h>

#include "acl.h"
#include "host.h"
#include "pwb_crypto.h"

static const WCHAR SUFFIX[] = L".chg.dpapi";

int pwb_spool_dir(const WCHAR *data_dir, WCHAR dir[PWB_PATH_CAP])
{
    PSECURITY_DESCRIPTOR sd = NULL;
    BY_HANDLE_FILE_INFORMATION fi;
    int rc = -1;
    if (pwb_path(dir, PWB_PATH_CAP, data_dir, L"spool") != 0) return -1;
    if (ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", SDDL_REVISION_1,
                                                             &sd, NULL)) {
        SECURITY_ATTRIBUTES sa = { sizeof sa, sd, FALSE };
        CreateDirectoryW(dir, &sa); /* ERROR_ALREADY_EXISTS is the usual case; the checks below decide */
        LocalFree(sd);
    }
    HANDLE h = CreateFileW(dir, FILE_LIST_DIRECTORY | READ_CONTROL, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) return -1;
    if (GetFileInformationByHandle(h, &fi) && (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
        !(fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) && pwb_acl_ok(h, FILE_ALL_ACCESS, NULL) == 0)
        rc = 0;
    CloseHandle(h);
    return rc;
}

static void hex(WCHAR *out, uint64_t v, int digits)
{
    static const WCHAR d[] = L"0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--, v >>= 4) out[i] = d[v & 15];
}

static void make_name(WCHAR *n, uint64_t captured_at, uint32_t seq, const uint8_t id[16])
{
    hex(n, captured_at, 16);
    n[16] = L'-';
    hex(n + 17, seq, 8);
    n[25] = L'-';
    for (int i = 0; i < 16; i++) hex(n + 26 + 2 * i, id[i], 2);
    for (int i = 0; SUFFIX[i]; i++) n[58 + i] = SUFFIX[i];
    n[PWB_SPOOL_NAME_LEN] = 0;
}

static int is_hex(WCHAR c) { return (c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'f'); }

/* Exactly our name pattern: anything else in the folder is left alone. */
static int is_spool_name(const WCHAR *n)
{
    for (int i = 0; i < 58; i++) {
        if (i == 16 || i == 25) {
            if (n[i] != L'-') return 0;
        } else if (!is_hex(n[i])) {
            return 0;
        }
    }
    for (int i = 0; SUFFIX[i]; i++)
        if (n[58 + i] != SUFFIX[i]) return 0;
    return n[PWB_SPOOL_NAME_LEN] == 0;
}

static int name_cmp(const WCHAR *a, const WCHAR *b)
{
    for (int i = 0; i < PWB_SPOOL_NAME_LEN; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

static DATA_BLOB entropy_blob(const uint8_t entropy[32])
{
    DATA_BLOB b = { 32, (BYTE *)entropy };
    return b;
}

int pwb_spool_write(const WCHAR *dir, uint64_t captured_at, uint32_t seq, const uint8_t event_id[16],
                    const uint8_t *record, size_t len, const uint8_t entropy[32])
{
    WCHAR name[PWB_SPOOL_NAME_LEN + 1], tmp_name[PWB_SPOOL_NAME_LEN + 6], path[PWB_PATH_CAP + 80], tmp[PWB_PATH_CAP + 80];
    DATA_BLOB in = { (DWORD)len, (BYTE *)record }, ent = entropy_blob(entropy), out = { 0, NULL };
    DWORD done = 0;
    int rc = -1;

    make_name(name, captured_at, seq, event_id);
    tmp_name[0] = L'.';
    for (int i = 0; i < PWB_SPOOL_NAME_LEN; i++) tmp_name[1 + i] = name[i];
    tmp_name[PWB_SPOOL_NAME_LEN + 1] = L'.', tmp_name[PWB_SPOOL_NAME_LEN + 2] = L't';
    tmp_name[PWB_SPOOL_NAME_LEN + 3] = L'm', tmp_name[PWB_SPOOL_NAME_LEN + 4] = L'p', tmp_name[PWB_SPOOL_NAME_LEN + 5] = 0;
    if (pwb_path(path, sizeof path / sizeof path[0], dir, name) != 0 ||
        pwb_path(tmp, sizeof tmp / sizeof tmp[0], dir, tmp_name) != 0)
        return -1;
    /* No CRYPTPROTECT_LOCAL_MACHINE: the user scope of the account we run as (SYSTEM in lsass). */
    if (!CryptProtectData(&in, NULL, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out)) return -1;
    HANDLE h = CreateFileW(tmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_WRITE_THROUGH, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        int ok = WriteFile(h, out.pbData, out.cbData, &done, NULL) && done == out.cbData && FlushFileBuffers(h);
        CloseHandle(h);
        if (ok && MoveFileExW(tmp, path, MOVEFILE_WRITE_THROUGH)) rc = 0;
        else DeleteFileW(tmp);
    }
    LocalFree(out.pbData);
    return rc;
}

size_t pwb_spool_list(const WCHAR *dir, pwb_spool_name *oldest, size_t max, uint32_t *total)
{
    WCHAR pattern[PWB_PATH_CAP + 20];
    WIN32_FIND_DATAW fd;
    size_t kept = 0;
    *total = 0;
    if (pwb_path(pattern, sizeof pattern / sizeof pattern[0], dir, L"*.chg.dpapi") != 0) return 0;
    HANDLE f = FindFirstFileExW(pattern, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
    if (f == INVALID_HANDLE_VALUE) return 0;
    do {
        if ((fd.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) || !is_spool_name(fd.cFileName))
            continue;
        (*total)++;
        /* Keep the `max` smallest names, sorted: insertion into a short array. */
        size_t at = kept;
        while (at > 0 && name_cmp(fd.cFileName, oldest[at - 1].name) < 0) at--;
        if (at >= max) continue;
        size_t last = kept < max ? kept : max - 1;
        for (size_t i = last; i > at; i--) oldest[i] = oldest[i - 1];
        for (int i = 0; i <= PWB_SPOOL_NAME_LEN; i++) oldest[at].name[i] = fd.cFileName[i];
        if (kept < max) kept++;
    } while (FindNextFileW(f, &fd));
    FindClose(f);
    return kept;
}

int pwb_spool_read(const WCHAR *dir, const WCHAR *name, const uint8_t entropy[32], uint8_t *record, size_t cap,
                   size_t *len, DWORD *error)
{
    static uint8_t raw[16384]; /* the worker's only */
    WCHAR path[PWB_PATH_CAP + 80];
    DWORD got = 0;
    LARGE_INTEGER size;
    *error = 0;
    if (pwb_path(path, sizeof path / sizeof path[0], dir, name) != 0) return PWB_SPOOL_DAMAGED;
    /* Share-read only: a writer (or an antivirus holding it exclusively) makes this fail, and we try later. */
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return PWB_SPOOL_TRANSIENT;
    }
    if (!GetFileSizeEx(h, &size)) {
        *error = GetLastError();
        CloseHandle(h);
        return PWB_SPOOL_TRANSIENT;
    }
    if (size.QuadPart <= 0 || size.QuadPart > (LONGLONG)sizeof raw) { /* renamed into place complete: never grows */
        CloseHandle(h);
        return PWB_SPOOL_DAMAGED;
    }
    int ok = ReadFile(h, raw, (DWORD)size.QuadPart, &got, NULL) && got == (DWORD)size.QuadPart;
    if (!ok) *error = GetLastError() ? GetLastError() : ERROR_READ_FAULT; /* a byte-range lock, a bad sector */
    CloseHandle(h);
    if (!ok) return PWB_SPOOL_TRANSIENT;
    int rc = PWB_SPOOL_TRANSIENT;
    DATA_BLOB in = { got, raw }, ent = entropy_blob(entropy), out = { 0, NULL };
    /* A failed unwrap may be another install's file, or DPAPI not ready: not told apart, so retried. */
    if (CryptUnprotectData(&in, NULL, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out)) {
        if (out.cbData <= cap) {
            for (DWORD i = 0; i < out.cbData; i++) record[i] = out.pbData[i];
            *len = out.cbData;
            rc = PWB_SPOOL_OK;
        } else {
            rc = PWB_SPOOL_DAMAGED;
        }
        pwb_wipe(out.pbData, out.cbData);
        LocalFree(out.pbData);
    } else {
        *error = GetLastError() ? GetLastError() : ERROR_INVALID_DATA; /* never 0: 0 means "the bridge" to the caller */
    }
    pwb_wipe(raw, got);
    return rc;
}

void pwb_spool_remove(const WCHAR *dir, const WCHAR *name)
{
    WCHAR path[PWB_PATH_CAP + 80];
    if (pwb_path(path, sizeof path / sizeof path[0], dir, name) == 0) DeleteFileW(path);
}

int pwb_spool_set_aside(const WCHAR *dir, const WCHAR *name)
{
    WCHAR path[PWB_PATH_CAP + 80], rejected[PWB_PATH_CAP + 20], to[PWB_PATH_CAP + 100];
    if (pwb_path(path, sizeof path / sizeof path[0], dir, name) != 0) return PWB_ASIDE_STUCK;
    /* No security attributes: the folder inherits the spool's protected SYSTEM/Administrators entries. */
    if (pwb_path(rejected, sizeof rejected / sizeof rejected[0], dir, L"rejected") == 0) {
        CreateDirectoryW(rejected, NULL);
        if (pwb_path(to, sizeof to / sizeof to[0], rejected, name) == 0 &&
            MoveFileExW(path, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
            return PWB_ASIDE_REJECTED;
    }
    size_t n = 0;
    for (; path[n]; n++) to[n] = path[n];
    to[n++] = L'.', to[n++] = L'b', to[n++] = L'a', to[n++] = L'd', to[n] = 0;
    if (MoveFileExW(path, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) return PWB_ASIDE_BAD;
    if (DeleteFileW(path)) return PWB_ASIDE_DELETED;
    return PWB_ASIDE_STUCK;
}
