//! DLL search-path hardening for Windows.
//!
//! teamsfix is meant to be run from wherever a helpdesk puts it: a USB stick, a network share,
//! the Downloads folder. By default Windows also looks for DLLs in the exe's own folder and the
//! current directory, so a DLL planted next to the exe (e.g. a malicious `version.dll` or
//! `dwmapi.dll` on the stick) would be loaded into our process ("DLL planting" / search-order
//! hijacking). Restricting later `LoadLibrary` look-ups to `System32` and removing the current
//! directory from the search path closes that hole for every DLL loaded after this call, which
//! is why it must be called first thing in `main`.
//!
//! DLLs in the exe's import table are resolved by the loader before `main` runs; those are all
//! KnownDLLs / system DLLs here, which Windows always takes from `System32`.

/// Restricts the DLL search path of this process to `System32` and removes the current
/// directory from it. Call it first thing in `main`. A no-op on non-Windows targets.
///
/// Failures are ignored: on an old system without `SetDefaultDllDirectories` support
/// (Windows 7 without KB2533623) the call fails and the default search order stays.
pub fn restrict_dll_search_path() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::LibraryLoader::{
            LOAD_LIBRARY_SEARCH_SYSTEM32, SetDefaultDllDirectories, SetDllDirectoryW,
        };

        // An empty string (not NULL) removes the current directory from the search path.
        let empty: [u16; 1] = [0];
        // SAFETY: plain Win32 calls with a constant flag and a NUL-terminated UTF-16 string
        // that outlives the call.
        unsafe {
            SetDefaultDllDirectories(LOAD_LIBRARY_SEARCH_SYSTEM32);
            SetDllDirectoryW(empty.as_ptr());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn can_be_called_twice() {
        super::restrict_dll_search_path();
        super::restrict_dll_search_path();
    }
}
