/*
 * A planted DLL -- TEST SCAFFOLDING ONLY.
 *
 * Built once per DLL name that teamsfix's exes import and that is not a KnownDLL
 * (bcryptprimitives.dll, pdh.dll, ...), with a .def file that exports every function teamsfix
 * imports from it as `planted_stub`. Put next to the exe: if the loader takes it instead of the
 * one in System32, DllMain writes "<its own path>.loaded". The Wine test looks for that file.
 */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        WCHAR path[MAX_PATH + 8];
        DWORD n = GetModuleFileNameW(inst, path, MAX_PATH);
        if (n > 0 && n < MAX_PATH) {
            lstrcatW(path, L".loaded");
            HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                                   FILE_ATTRIBUTE_NORMAL, NULL);
            if (f != INVALID_HANDLE_VALUE)
                CloseHandle(f);
        }
    }
    return TRUE;
}

/* Every import is bound here. It is never meant to be called: the loader should not have
 * picked this DLL in the first place. */
__declspec(dllexport) LONG_PTR WINAPI planted_stub(void)
{
    return 0;
}
