//! Windows-only calls: closing a process's windows politely, reading the MSIX package version,
//! the system folders, the token's user and elevation, a folder's owner and volume mount points.

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
    use windows_sys::Win32::Storage::FileSystem::GetDiskFreeSpaceExW;
    let wide = wide(path);
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

/// A UTF-16, NUL-terminated copy of a path for the W functions.
fn wide(path: &std::path::Path) -> Vec<u16> {
    use std::os::windows::ffi::OsStrExt;
    path.as_os_str()
        .encode_wide()
        .chain(std::iter::once(0))
        .collect()
}

/// Reads a folder name from a `GetXxxDirectoryW`-style function.
fn folder_from(get: unsafe extern "system" fn(*mut u16, u32) -> u32) -> Option<std::path::PathBuf> {
    use std::os::windows::ffi::OsStringExt;
    let mut buf = vec![0u16; 520];
    // SAFETY: the buffer has the length passed; the function writes at most that many units.
    let n = unsafe { get(buf.as_mut_ptr(), buf.len() as u32) } as usize;
    if n == 0 || n >= buf.len() {
        return None;
    }
    Some(std::ffi::OsString::from_wide(&buf[..n]).into())
}

/// The Windows folder (`C:\Windows`) as the system reports it (`GetSystemWindowsDirectoryW`,
/// the real one also on terminal servers), never from the environment.
pub fn windows_directory() -> Option<std::path::PathBuf> {
    folder_from(windows_sys::Win32::System::SystemInformation::GetSystemWindowsDirectoryW)
}

/// `C:\Windows\System32` (`GetSystemDirectoryW`).
pub fn system_directory() -> Option<std::path::PathBuf> {
    folder_from(windows_sys::Win32::System::SystemInformation::GetSystemDirectoryW)
}

/// A SID as text (`S-1-5-21-...`).
fn sid_string(sid: windows_sys::Win32::Security::PSID) -> Option<String> {
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Authorization::ConvertSidToStringSidW;
    let mut text: *mut u16 = std::ptr::null_mut();
    // SAFETY: a valid SID; the function allocates the string, freed below with LocalFree.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 || text.is_null() {
        return None;
    }
    // SAFETY: `text` is a NUL-terminated UTF-16 string allocated by the call above.
    let s = unsafe {
        let len = (0..).take_while(|&i| *text.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(text, len))
    };
    // SAFETY: allocated by ConvertSidToStringSidW.
    unsafe { LocalFree(text as _) };
    Some(s)
}

/// Reads one piece of information from this process's token into a buffer.
fn token_information(
    class: windows_sys::Win32::Security::TOKEN_INFORMATION_CLASS,
) -> Option<Vec<u64>> {
    use std::os::windows::io::{FromRawHandle, OwnedHandle};
    use windows_sys::Win32::Security::{GetTokenInformation, TOKEN_QUERY};
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    let mut token = std::ptr::null_mut();
    // SAFETY: the pseudo handle of this process and an out pointer.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return None;
    }
    // SAFETY: OpenProcessToken returned a new handle; closed when `_owned` drops.
    let _owned = unsafe { OwnedHandle::from_raw_handle(token as _) };
    let mut len = 0u32;
    // SAFETY: a size query with a null buffer.
    unsafe { GetTokenInformation(token, class, std::ptr::null_mut(), 0, &mut len) };
    if len == 0 {
        return None;
    }
    // u64s keep the buffer aligned for the structures it holds.
    let mut buf = vec![0u64; (len as usize).div_ceil(8)];
    // SAFETY: the buffer is at least `len` bytes.
    let ok = unsafe { GetTokenInformation(token, class, buf.as_mut_ptr().cast(), len, &mut len) };
    (ok != 0).then_some(buf)
}

/// The SID of the user this process runs as (from its token), as text.
pub fn token_user_sid() -> Option<String> {
    use windows_sys::Win32::Security::{TOKEN_USER, TokenUser};
    let buf = token_information(TokenUser)?;
    // SAFETY: GetTokenInformation(TokenUser) filled the buffer with a TOKEN_USER.
    let user = unsafe { &*(buf.as_ptr() as *const TOKEN_USER) };
    sid_string(user.User.Sid)
}

/// True when this process runs elevated (UAC: "Run as administrator").
pub fn token_is_elevated() -> bool {
    use windows_sys::Win32::Security::{TOKEN_ELEVATION, TokenElevation};
    token_information(TokenElevation).is_some_and(|buf| {
        // SAFETY: GetTokenInformation(TokenElevation) filled the buffer with a TOKEN_ELEVATION.
        unsafe { (*(buf.as_ptr() as *const TOKEN_ELEVATION)).TokenIsElevated != 0 }
    })
}

/// The owner SID of a file or folder, as text.
pub fn owner_sid(path: &std::path::Path) -> std::io::Result<String> {
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Authorization::{GetNamedSecurityInfoW, SE_FILE_OBJECT};
    use windows_sys::Win32::Security::OWNER_SECURITY_INFORMATION;
    let name = wide(path);
    let mut owner = std::ptr::null_mut();
    let mut sd = std::ptr::null_mut();
    // SAFETY: a NUL-terminated path; only the owner is asked for; `sd` is freed below.
    let rc = unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION,
            &mut owner,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut sd,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::from_raw_os_error(rc as i32));
    }
    let text = sid_string(owner);
    // SAFETY: allocated by GetNamedSecurityInfoW; `owner` points into it and is not used after.
    unsafe { LocalFree(sd as _) };
    text.ok_or_else(|| std::io::Error::other("unreadable owner SID"))
}

/// The volume (`\\?\Volume{GUID}\`) mounted at `mount_point`, or `None` when no volume is
/// mounted there (an ordinary folder, or a junction to another folder).
pub fn volume_mounted_at(mount_point: &std::path::Path) -> Option<String> {
    use windows_sys::Win32::Storage::FileSystem::GetVolumeNameForVolumeMountPointW;
    let mut p = mount_point.as_os_str().to_os_string();
    if !p.to_string_lossy().ends_with('\\') {
        p.push("\\");
    }
    let name = wide(std::path::Path::new(&p));
    let mut buf = [0u16; 64];
    // SAFETY: a NUL-terminated path ending in a backslash and a buffer of 64 units (a volume
    // GUID path is 49).
    let ok = unsafe {
        GetVolumeNameForVolumeMountPointW(name.as_ptr(), buf.as_mut_ptr(), buf.len() as u32)
    };
    if ok == 0 {
        return None;
    }
    let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Some(String::from_utf16_lossy(&buf[..end]))
}
