//! Windows-only calls: closing a process's windows politely and reading the MSIX package version.

use windows_sys::Win32::Foundation::{HWND, LPARAM};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    EnumWindows, GetWindowThreadProcessId, PostMessageW, WM_CLOSE,
};

struct CloseRequest<'a> {
    pids: &'a [u32],
    posted: usize,
}

unsafe extern "system" fn close_if_owned(hwnd: HWND, lparam: LPARAM) -> i32 {
    // SAFETY: lparam is the &mut CloseRequest passed to EnumWindows below, alive for the call.
    let req = unsafe { &mut *(lparam as *mut CloseRequest) };
    let mut pid = 0u32;
    // SAFETY: hwnd comes from EnumWindows; pid is a valid out pointer.
    unsafe { GetWindowThreadProcessId(hwnd, &mut pid) };
    if req.pids.contains(&pid) {
        // SAFETY: posting a message to a window handle is safe even if it was just destroyed.
        if unsafe { PostMessageW(hwnd, WM_CLOSE, 0, 0) } != 0 {
            req.posted += 1;
        }
    }
    1
}

/// Posts WM_CLOSE to every top-level window of these processes; returns how many were asked.
/// Teams may keep running in the tray after this; the caller waits and then forces.
pub fn close_windows_of(pids: &[u32]) -> usize {
    let mut req = CloseRequest { pids, posted: 0 };
    // SAFETY: the callback only touches `req`, which outlives the call.
    unsafe {
        EnumWindows(
            Some(close_if_owned),
            &mut req as *mut CloseRequest as LPARAM,
        )
    };
    req.posted
}

/// The version of the installed MSIX package of this family (`MSTeams_8wekyb3d8bbwe`), read from
/// the package full name `MSTeams_<version>_x64__8wekyb3d8bbwe`. The function is looked up at run
/// time: Windows versions and Wine without it must still start teamsfix.
pub fn appx_package_version(family: &str) -> Option<String> {
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
    type GetPackagesByPackageFamily =
        unsafe extern "system" fn(*const u16, *mut u32, *mut *mut u16, *mut u32, *mut u16) -> u32;
    let kernel32: Vec<u16> = "kernel32.dll\0".encode_utf16().collect();
    // SAFETY: plain Win32 calls with valid, NUL-terminated arguments.
    let func = unsafe {
        let module = GetModuleHandleW(kernel32.as_ptr());
        if module.is_null() {
            return None;
        }
        GetProcAddress(module, c"GetPackagesByPackageFamily".as_ptr().cast())?
    };
    // SAFETY: the symbol has this signature (appmodel.h).
    let func: GetPackagesByPackageFamily = unsafe { std::mem::transmute(func) };
    let family_w: Vec<u16> = family.encode_utf16().chain(std::iter::once(0)).collect();
    let (mut count, mut len) = (0u32, 0u32);
    // SAFETY: first call with null buffers asks for the sizes.
    unsafe {
        func(
            family_w.as_ptr(),
            &mut count,
            std::ptr::null_mut(),
            &mut len,
            std::ptr::null_mut(),
        )
    };
    if count == 0 || len == 0 {
        return None;
    }
    let mut names = vec![std::ptr::null_mut::<u16>(); count as usize];
    let mut buffer = vec![0u16; len as usize];
    // SAFETY: buffers have the sizes the first call asked for.
    let rc = unsafe {
        func(
            family_w.as_ptr(),
            &mut count,
            names.as_mut_ptr(),
            &mut len,
            buffer.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return None;
    }
    let end = buffer.iter().position(|&c| c == 0).unwrap_or(buffer.len());
    let full_name = String::from_utf16_lossy(&buffer[..end]);
    full_name.split('_').nth(1).map(str::to_string)
}

/// The versions of every installed package of this MSIX family, newest first. While an
/// update is staged, `GetPackagesByPackageFamily` lists the new package beside the one Teams
/// still runs from. Looked up at run time like [`appx_package_version`].
pub fn appx_package_versions(family: &str) -> Vec<String> {
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
    type GetPackagesByPackageFamily =
        unsafe extern "system" fn(*const u16, *mut u32, *mut *mut u16, *mut u32, *mut u16) -> u32;
    let kernel32: Vec<u16> = "kernel32.dll\0".encode_utf16().collect();
    // SAFETY: plain Win32 calls with valid, NUL-terminated arguments.
    let func = unsafe {
        let module = GetModuleHandleW(kernel32.as_ptr());
        if module.is_null() {
            return Vec::new();
        }
        match GetProcAddress(module, c"GetPackagesByPackageFamily".as_ptr().cast()) {
            Some(f) => f,
            None => return Vec::new(),
        }
    };
    // SAFETY: the symbol has this signature (appmodel.h).
    let func: GetPackagesByPackageFamily = unsafe { std::mem::transmute(func) };
    let family_w: Vec<u16> = family.encode_utf16().chain(std::iter::once(0)).collect();
    let (mut count, mut len) = (0u32, 0u32);
    // SAFETY: first call with null buffers asks for the sizes.
    unsafe {
        func(
            family_w.as_ptr(),
            &mut count,
            std::ptr::null_mut(),
            &mut len,
            std::ptr::null_mut(),
        )
    };
    // A family has a handful of packages; refuse absurd sizes rather than allocate them.
    if count == 0 || len == 0 || count > 64 || len > 64 * 1024 {
        return Vec::new();
    }
    let mut names = vec![std::ptr::null_mut::<u16>(); count as usize];
    let mut buffer = vec![0u16; len as usize];
    // SAFETY: buffers have the sizes the first call asked for.
    let rc = unsafe {
        func(
            family_w.as_ptr(),
            &mut count,
            names.as_mut_ptr(),
            &mut len,
            buffer.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return Vec::new();
    }
    // Each name points into `buffer`, NUL-terminated; read them as offsets into it.
    let base = buffer.as_ptr() as usize;
    let mut versions: Vec<String> = names
        .iter()
        .take(count as usize)
        .filter_map(|&p| {
            let offset = (p as usize).checked_sub(base)? / std::mem::size_of::<u16>();
            let rest = buffer.get(offset..)?;
            let end = rest.iter().position(|&c| c == 0)?;
            let full_name = String::from_utf16_lossy(&rest[..end]);
            full_name.split('_').nth(1).map(str::to_string)
        })
        .collect();
    versions.sort_by(|a, b| version_key(b).cmp(&version_key(a)));
    versions.dedup();
    versions
}

/// `25306.804.4102.7193` as numbers, for sorting (unreadable parts count as 0).
fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Bytes free for this user on the volume that holds `path` (`GetDiskFreeSpaceExW`, which
/// accepts any folder on the volume, UNC shares and mounted folders included).
pub fn available_space(path: &std::path::Path) -> Option<u64> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::GetDiskFreeSpaceExW;
    let wide: Vec<u16> = path
        .as_os_str()
        .encode_wide()
        .chain(std::iter::once(0))
        .collect();
    let mut free_to_caller = 0u64;
    // SAFETY: `wide` is NUL-terminated; the out pointer is valid; the other two may be null.
    let ok = unsafe {
        GetDiskFreeSpaceExW(
            wide.as_ptr(),
            &mut free_to_caller,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    (ok != 0).then_some(free_to_caller)
}
