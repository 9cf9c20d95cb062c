/* See host.h. */
#include "host.h"

#include "acl.h"
#include "pwb_crypto.h"

int pwb_path(WCHAR *dst, size_t cap, const WCHAR *a, const WCHAR *b)
{
    size_t n = 0;
    for (; *a; a++) {
        if (n + 1 >= cap) return -1;
        dst[n++] = *a;
    }
    if (n + 1 >= cap) return -1;
    dst[n++] = L'\\';
    for (; *b; b++) {
        if (n + 1 >= cap) return -1;
        dst[n++] = *b;
    }
    dst[n] = 0;
    return 0;
}

/* Exactly `len` bytes from a regular file that passes the ACL check. */
static int read_key_file(const WCHAR *dir, const WCHAR *name, DWORD forbidden, PSID reader, uint8_t *out, DWORD len)
{
    WCHAR path[600];
    BY_HANDLE_FILE_INFORMATION fi;
    DWORD got = 0;
    int rc = -1;
    if (pwb_path(path, sizeof path / sizeof path[0], dir, name) != 0) return -1;
    HANDLE h = CreateFileW(path, GENERIC_READ | READ_CONTROL, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) return -1;
    if (GetFileInformationByHandle(h, &fi) &&
        !(fi.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY)) && fi.nFileSizeHigh == 0 &&
        fi.nFileSizeLow == len && pwb_acl_ok(h, forbidden, reader) == 0 && ReadFile(h, out, len, &got, NULL) &&
        got == len)
        rc = 0;
    CloseHandle(h);
    if (rc != 0) pwb_wipe(out, len);
    return rc;
}

int pwb_read_keys(const WCHAR *data_dir, PSID service_sid, uint8_t secret[PWB_SECRET], uint8_t bridge_pub[PWB_EPK])
{
    WCHAR keys[560];
    if (pwb_path(keys, sizeof keys / sizeof keys[0], data_dir, L"keys") != 0) return -1;
    if (read_key_file(keys, L"capture.secret", PWB_WRITE_RIGHTS | PWB_READ_RIGHTS, service_sid, secret, PWB_SECRET) != 0)
        return -1;
    /* bridge.pub is public, but whoever can write it would receive every password: nobody else may. */
    if (read_key_file(keys, L"bridge.pub", PWB_WRITE_RIGHTS, NULL, bridge_pub, PWB_EPK) != 0 || bridge_pub[0] != 0x04) {
        pwb_wipe(secret, PWB_SECRET);
        pwb_wipe(bridge_pub, PWB_EPK);
        return -1;
    }
    return 0;
}

int pwb_utf8(const WCHAR *in, size_t in_len, char *out, size_t cap, size_t *out_len)
{
    if (in_len == 0 || in_len > 0x7FFFFFFF || cap > 0x7FFFFFFF) return -1;
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, in, (int)in_len, out, (int)cap, NULL, NULL);
    if (n <= 0) return -1;
    *out_len = (size_t)n;
    return 0;
}

void pwb_machine_name(char out[PWB_MAX_NAME + 1])
{
    WCHAR name[PWB_MAX_NAME + 1];
    DWORD n = PWB_MAX_NAME + 1;
    size_t len = 0;
    if (GetComputerNameExW(ComputerNameDnsHostname, name, &n) && n > 0 &&
        pwb_utf8(name, n, out, PWB_MAX_NAME, &len) == 0 && pwb_name_ok((const uint8_t *)out, len)) {
        out[len] = 0;
        return;
    }
    const char *dflt = "localhost";
    for (len = 0; dflt[len]; len++) out[len] = dflt[len];
    out[len] = 0;
}

typedef LONG(NTAPI *query_system_information)(ULONG, PVOID, ULONG, PULONG);

void pwb_boot_id(uint8_t out[16])
{
    static const char key[] = "pwbridge/1/boot";
    /* SYSTEM_TIMEOFDAY_INFORMATION starts with BootTime, 100 ns units since 1601. */
    uint64_t tod[6] = { 0 };
    ULONG got = 0;
    uint8_t le[8], mac[32];
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    query_system_information q = ntdll ? (query_system_information)(void (*)(void))GetProcAddress(ntdll, "NtQuerySystemInformation") : NULL;
    uint64_t secs = 0;
    if (q && q(3 /* SystemTimeOfDayInformation */, tod, sizeof tod, &got) >= 0 && tod[0] > 116444736000000000ULL)
        secs = tod[0] / 10000000ULL - 11644473600ULL;
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(secs >> (8 * i));
    pwb_hmac3((const uint8_t *)key, sizeof key - 1, le, sizeof le, NULL, 0, NULL, 0, mac);
    for (int i = 0; i < 16; i++) out[i] = mac[i];
}
