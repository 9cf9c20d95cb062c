/* Who holds a pipe name we could not create as its first instance: connect as a client and ask the OS for
 * the server's process. No N-API here. */
#ifndef PWP_PIPE_HOLDER_H
#define PWP_PIPE_HOLDER_H

#include <windows.h>

/* A sentence naming the holder ("pid 1234 (C:\x\y.exe)", or "could not tell which: ..."), into out.
 * *pid is the holder's pid, 0 when it could not be told. */
void pwp_describe_holder(const WCHAR *name, WCHAR *out, size_t cap, ULONG *pid);

#endif
