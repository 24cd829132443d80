/*
 * bcryptprimitives.dll shim for Wine 8.0 -- TEST SCAFFOLDING ONLY, NEVER SHIPPED.
 *
 * Rust's standard library (>= 1.78) imports ProcessPrng from bcryptprimitives.dll.
 * Wine 8.0 does not provide that DLL, so any Rust exe fails to start with
 * "Library bcryptprimitives.dll ... not found". This DLL exports ProcessPrng and
 * fills the buffer with RtlGenRandom (advapi32!SystemFunction036).
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll \
 *            processprng_shim.c processprng_shim.def -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000u ? 0x10000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst; (void)reason; (void)reserved;
    return TRUE;
}
