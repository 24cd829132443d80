/*
 * A planted program -- TEST SCAFFOLDING ONLY.
 *
 * Copied next to teamsfix-cli.exe as taskkill.exe or explorer.exe: a program that Windows would
 * run if teamsfix started it by bare name (Windows looks in the exe's own folder first). When it
 * runs, it writes "<its own path>.ran" holding its command line, and exits 0. The Wine test
 * checks that no such file appears.
 */
#include <windows.h>

int main(void)
{
    WCHAR path[MAX_PATH + 8];
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return 1;
    lstrcatW(path, L".ran");
    HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f != INVALID_HANDLE_VALUE) {
        LPCWSTR cmd = GetCommandLineW();
        DWORD written;
        WriteFile(f, cmd, lstrlenW(cmd) * sizeof(WCHAR), &written, NULL);
        CloseHandle(f);
    }
    return 0;
}
