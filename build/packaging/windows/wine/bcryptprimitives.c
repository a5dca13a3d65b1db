/*
 * For tests under Wine only, never shipped: Go 1.22+ programs load ProcessPrng from
 * bcryptprimitives.dll at start (Windows 10 and later have it), and Debian 12's Wine 8.0
 * has no such DLL. test-package-windows.sh builds this stand-in with mingw-w64 and puts
 * it in the test's own Wine prefix. It fills the buffer from RtlGenRandom, the system
 * generator Wine does provide.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        size -= n;
    }
    return TRUE;
}
