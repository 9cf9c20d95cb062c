/* See pipe_holder.h. */
#include "pipe_holder.h"

#include <stdio.h>

#include "peer_identity.h"

void pwp_describe_holder(const WCHAR *name, WCHAR *out, size_t cap, ULONG *pid)
{
    *pid = 0;
    /* SECURITY_ANONYMOUS: the holder may be anyone; it must not even learn who we are. Reads only. */
    HANDLE h = INVALID_HANDLE_VALUE;
    DWORD err = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        h = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, SECURITY_SQOS_PRESENT | SECURITY_ANONYMOUS, NULL);
        if (h != INVALID_HANDLE_VALUE) break;
        err = GetLastError();
        /* Every instance it has is connected: wait briefly for one (we run on the addon's thread). */
        if (err != ERROR_PIPE_BUSY || !WaitNamedPipeW(name, 500)) break;
    }
    if (h == INVALID_HANDLE_VALUE) {
        swprintf(out, cap, L"could not tell which (connecting to it as a client failed: Win32 error %lu)", err);
        return;
    }
    ULONG server = 0;
    if (!GetNamedPipeServerProcessId(h, &server) || server == 0) {
        err = GetLastError();
        CloseHandle(h);
        swprintf(out, cap, L"could not tell which (GetNamedPipeServerProcessId failed: Win32 error %lu)", err);
        return;
    }
    CloseHandle(h);
    WCHAR image[MAX_PATH + 1];
    pwp_process_image(server, image, MAX_PATH + 1);
    *pid = server;
    if (image[0]) swprintf(out, cap, L"pid %lu (%ls)", server, image);
    else swprintf(out, cap, L"pid %lu (its image path could not be read)", server);
}
