//! DLL search-path hardening for Windows.
//!
//! teamsfix is meant to be run from wherever a helpdesk puts it: a USB stick, a network share,
//! the Downloads folder. By default Windows also looks for DLLs in the exe's own folder and the
//! current directory, so a DLL planted next to the exe (e.g. a `pdh.dll` or `version.dll` on the
//! stick) would be loaded into our process ("DLL planting" / search-order hijacking). Two
//! measures close that:
//!
//! 1. **The exe's own imports** are resolved by the loader before `main` runs. KnownDLLs
//!    (`kernel32`, `user32`, `advapi32`, `shell32`, ...) always come from System32; the others
//!    (`bcryptprimitives.dll`, `pdh.dll`, `powrprof.dll`, and in the app `opengl32.dll`,
//!    `dwmapi.dll`, `uxtheme.dll`, ...) would be searched in the exe's folder first. The load
//!    configuration below sets `DependentLoadFlags = LOAD_LIBRARY_SEARCH_SYSTEM32`, which makes
//!    Windows 10 1607 and later take every import from System32 (what MSVC's and lld's
//!    `/DEPENDENTLOADFLAG:0x800` do). GNU ld does not point the PE data directory at
//!    `_load_config_used`; `packaging/windows/pe_load_config.py` does that after the link.
//! 2. **Later loads** (`LoadLibrary`, also by system DLLs and by the GPU drivers' loaders):
//!    [`restrict_dll_search_path`] limits them to System32 and removes the current directory.
//!
//! What stays exposed: Windows before 10 1607 ignores `DependentLoadFlags`; Wine ignores it too
//! (tested: `tests/wine/run.sh`). There, a DLL planted next to the exe with the name of a
//! non-KnownDLL import is loaded; run teamsfix from a folder standard users cannot write to.

/// The first 0x60 bytes of `IMAGE_LOAD_CONFIG_DIRECTORY64`, up to and including
/// `SecurityCookie` (0 here: mingw's CRT sets up its own cookie).
#[cfg(all(windows, target_env = "gnu"))]
#[repr(C)]
pub struct LoadConfigDirectory64 {
    pub size: u32,
    pub time_date_stamp: u32,
    pub major_version: u16,
    pub minor_version: u16,
    pub global_flags_clear: u32,
    pub global_flags_set: u32,
    pub critical_section_default_timeout: u32,
    pub de_commit_free_block_threshold: u64,
    pub de_commit_total_free_threshold: u64,
    pub lock_prefix_table: u64,
    pub maximum_allocation_size: u64,
    pub virtual_memory_threshold: u64,
    pub process_affinity_mask: u64,
    pub process_heap_flags: u32,
    pub csd_version: u16,
    pub dependent_load_flags: u16,
    pub edit_list: u64,
    pub security_cookie: u64,
}

/// `TimeDateStamp` of the load configuration (informational; the loader ignores it): lets
/// `pe_load_config.py` find the structure in the stripped exe. Keep both in sync.
pub const LOAD_CONFIG_MAGIC: u32 = 0x7EA3_F1F0;
/// `LOAD_LIBRARY_SEARCH_SYSTEM32`.
pub const DEPENDENT_LOAD_FLAGS: u16 = 0x0800;

#[cfg(all(windows, target_env = "gnu"))]
const _: () = {
    assert!(std::mem::size_of::<LoadConfigDirectory64>() == 0x60);
    assert!(std::mem::offset_of!(LoadConfigDirectory64, dependent_load_flags) == 0x4E);
};

/// The load configuration the loader reads (`_load_config_used` is the name linkers look for).
/// MSVC's CRT defines its own, so this one is only for the GNU (mingw) target.
#[cfg(all(windows, target_env = "gnu"))]
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
#[used]
pub static _load_config_used: LoadConfigDirectory64 = LoadConfigDirectory64 {
    size: 0x60,
    time_date_stamp: LOAD_CONFIG_MAGIC,
    major_version: 0,
    minor_version: 0,
    global_flags_clear: 0,
    global_flags_set: 0,
    critical_section_default_timeout: 0,
    de_commit_free_block_threshold: 0,
    de_commit_total_free_threshold: 0,
    lock_prefix_table: 0,
    maximum_allocation_size: 0,
    virtual_memory_threshold: 0,
    process_affinity_mask: 0,
    process_heap_flags: 0,
    csd_version: 0,
    dependent_load_flags: DEPENDENT_LOAD_FLAGS,
    edit_list: 0,
    security_cookie: 0,
};

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

        // Keeps the load configuration in the link (it is otherwise referenced only by the PE
        // header, which the linker does not know about).
        #[cfg(target_env = "gnu")]
        std::hint::black_box(&_load_config_used);
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
