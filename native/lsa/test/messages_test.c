/* messages_test.exe DLL ID...: reads each message ID from DLL's message table the way Event Viewer does
 * (LoadLibraryEx as a data file, FormatMessageW from that module, the event's one insertion string as %1)
 * and prints one line per ID:
 *   <id> ok <the formatted message, UTF-16LE in hex>
 *   <id> err <the Win32 error>            (317, ERROR_MR_MID_NOT_FOUND: the table has no such ID)
 * The test (test/windows/event-messages-dll.test.ts) compares each with the event ID table. Exit status: 0,
 * or 2 when the DLL cannot be loaded. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

#define INSERT L"[insertion 1]"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: messages_test DLL ID...\n");
        return 2;
    }
    WCHAR path[MAX_PATH];
    if (MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, path, MAX_PATH) <= 0) return 2;
    HMODULE m = LoadLibraryExW(path, NULL, LOAD_LIBRARY_AS_DATAFILE);
    if (!m) {
        fprintf(stderr, "LoadLibraryEx %s: error %lu\n", argv[1], (unsigned long)GetLastError());
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        static WCHAR text[8192];
        DWORD_PTR args[1] = { (DWORD_PTR)INSERT };
        DWORD id = (DWORD)strtoul(argv[i], NULL, 10);
        DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY, m, id, 0, text,
                                 sizeof text / sizeof text[0], (va_list *)args);
        if (n == 0) {
            printf("%lu err %lu\n", (unsigned long)id, (unsigned long)GetLastError());
            continue;
        }
        printf("%lu ok ", (unsigned long)id);
        for (DWORD k = 0; k < n; k++) printf("%02x%02x", text[k] & 0xFF, (text[k] >> 8) & 0xFF);
        printf("\n");
    }
    FreeLibrary(m);
    return 0;
}
