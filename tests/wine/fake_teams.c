/*
 * Fake Teams / WebView2 process for the Wine tests -- TEST SCAFFOLDING ONLY.
 *
 * Copied into place as ms-teams.exe, ms-teams_modulehost.exe, Teams.exe, Update.exe or
 * msedgewebview2.exe.
 * It creates a top-level window and runs a message loop until it is told to quit.
 *
 *   (default)          window exits on WM_CLOSE: a polite close works.
 *   --ignore-close     WM_CLOSE is ignored (the app "stays in the tray"):
 *                      only a forced kill ends it.
 *   --no-window        no window at all (like a WebView2 child): only a kill ends it.
 *   --visible          show the window (default: hidden top-level window).
 *   --hold PATH        keep PATH open without sharing (no FILE_SHARE_DELETE) for as long
 *                      as the process lives, as a running Teams holds files of its data
 *                      root: renaming or deleting PATH fails until the process has ended.
 *
 * Any other arguments (e.g. --webview-exe-name=..., --user-data-dir=...) are
 * ignored; they only have to show up in the process's command line.
 * The environment variable FAKE_TEAMS_IGNORE_CLOSE=1 also selects --ignore-close,
 * so a copy can be switched without changing its command line.
 */
#include <windows.h>
#include <string.h>
#include <stdlib.h>

static int ignore_close = 0;

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_CLOSE:
        if (ignore_close)
            return 0;           /* hide to "tray": stay alive */
        DestroyWindow(hwnd);
        return 0;
    case WM_QUERYENDSESSION:
        return TRUE;
    case WM_DESTROY:
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int main(int argc, char **argv)
{
    int no_window = 0, visible = 0, i;
    const char *env = getenv("FAKE_TEAMS_IGNORE_CLOSE");
    if (env && strcmp(env, "1") == 0)
        ignore_close = 1;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ignore-close") == 0) ignore_close = 1;
        else if (strcmp(argv[i], "--no-window") == 0) no_window = 1;
        else if (strcmp(argv[i], "--visible") == 0) visible = 1;
        else if (strcmp(argv[i], "--hold") == 0 && i + 1 < argc) {
            /* Kept open until the process ends; never closed on purpose. */
            HANDLE h = CreateFileA(argv[++i], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ,
                                   NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
            if (h == INVALID_HANDLE_VALUE)
                return 4;
        }
    }

    if (no_window) {
        for (;;)
            Sleep(INFINITE);
    }

    HINSTANCE inst = GetModuleHandleW(NULL);
    WNDCLASSW wc;
    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = wndproc;
    wc.hInstance = inst;
    wc.lpszClassName = L"TeamsfixFakeTeamsWindow";
    if (!RegisterClassW(&wc))
        return 2;
    HWND hwnd = CreateWindowExW(0, wc.lpszClassName, L"Microsoft Teams (fake)",
                                WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT,
                                320, 200, NULL, NULL, inst, NULL);
    if (!hwnd)
        return 3;
    if (visible)
        ShowWindow(hwnd, SW_SHOWNORMAL);

    MSG msg;
    while (GetMessageW(&msg, NULL, 0, 0) > 0) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    return 0;
}
