//! Who teamsfix runs as, whether that is an administrator, and whether a folder belongs to that
//! user. A data root or home folder owned by someone else is refused: run as root or elevated by
//! a helpdesk agent, teamsfix must not clear whatever profile the environment points at.
//!
//! - Unix: the effective uid (`geteuid`) against the folder's `st_uid`; root is uid 0.
//! - Windows: the user SID of the process token against the folder's owner SID. Windows itself
//!   accepts a roaming profile owned by the user or by the Administrators group (policy "Do not
//!   check for user ownership of Roaming Profile Folders"); teamsfix accepts those two and
//!   LocalSystem, which creates profile folders. Neither can be set as owner by a standard user.
//!   Elevation is the token's `TokenElevation`.

use std::path::Path;

/// Whether `path` is owned by the user teamsfix runs as. `Err` carries the reason the owner
/// could not be read (then the caller refuses too).
pub fn owned_by_current_user(path: &Path) -> Result<bool, std::io::Error> {
    imp::owned_by_current_user(path)
}

/// True when teamsfix runs as root (Unix) or elevated (Windows).
pub fn is_elevated() -> bool {
    imp::is_elevated()
}

/// Whether the user teamsfix runs as is known to the system: on Unix the uid has an entry in
/// the user database (`getpwuid_r`), on Windows the process token names a user SID. A uid with
/// no entry (a container, `setpriv --reuid` to a number nobody has) is an unknown user: whose
/// Teams that is cannot be told, so nothing is quit or cleared.
pub fn current_user_known() -> bool {
    imp::current_user_known()
}

/// The name of the user teamsfix runs as, for messages (`alice`, `CONTOSO\alice`, `uid 1000`).
pub fn current_user_name() -> String {
    imp::current_user_name()
}

#[cfg(unix)]
mod imp {
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    pub fn owned_by_current_user(path: &Path) -> Result<bool, std::io::Error> {
        let meta = std::fs::symlink_metadata(path)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        Ok(meta.uid() == unsafe { libc::geteuid() })
    }

    pub fn is_elevated() -> bool {
        // SAFETY: as above.
        unsafe { libc::geteuid() == 0 }
    }

    pub fn current_user_known() -> bool {
        // SAFETY: as above.
        user_name(unsafe { libc::geteuid() }).is_some()
    }

    pub fn current_user_name() -> String {
        // SAFETY: as above.
        let uid = unsafe { libc::geteuid() };
        match user_name(uid) {
            Some(n) => format!("{n} (uid {uid})"),
            None => format!("uid {uid}"),
        }
    }

    /// The user database's name for `uid`, if it has one.
    fn user_name(uid: libc::uid_t) -> Option<String> {
        let mut buf = vec![0 as libc::c_char; 4096];
        // SAFETY: a zeroed passwd, a buffer of this size and an out pointer; getpwuid_r writes
        // only into them.
        unsafe {
            let mut pw: libc::passwd = std::mem::zeroed();
            let mut out: *mut libc::passwd = std::ptr::null_mut();
            let rc = libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr(), buf.len(), &mut out);
            (rc == 0 && !out.is_null() && !pw.pw_name.is_null()).then(|| {
                std::ffi::CStr::from_ptr(pw.pw_name)
                    .to_string_lossy()
                    .into_owned()
            })
        }
    }
}

#[cfg(windows)]
mod imp {
    use crate::platform::windows;
    use std::path::Path;

    pub fn owned_by_current_user(path: &Path) -> Result<bool, std::io::Error> {
        let owner = windows::owner_sid(path)?;
        let me = windows::token_user_sid().ok_or_else(std::io::Error::last_os_error)?;
        Ok(owner == me || owner == "S-1-5-18" || owner == "S-1-5-32-544")
    }

    pub fn is_elevated() -> bool {
        windows::token_is_elevated()
    }

    pub fn current_user_known() -> bool {
        windows::token_user_sid().is_some()
    }

    /// For messages only (the checks use SIDs): `DOMAIN\\name` from the logon environment, or the
    /// token's SID when that is unset.
    pub fn current_user_name() -> String {
        match (std::env::var("USERDOMAIN"), std::env::var("USERNAME")) {
            (Ok(d), Ok(n)) if !n.is_empty() => format!("{d}\\{n}"),
            _ => windows::token_user_sid().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_folder_is_ours() {
        let t = tempfile::tempdir().unwrap();
        assert!(owned_by_current_user(t.path()).unwrap());
        assert!(owned_by_current_user(&t.path().join("missing")).is_err());
        assert!(!current_user_name().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_of_another_uid_is_not_ours() {
        if !is_elevated() {
            eprintln!("skipped: needs root to give a folder to another uid");
            return;
        }
        let t = tempfile::tempdir().unwrap();
        let c = std::ffi::CString::new(t.path().to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
        assert!(!owned_by_current_user(t.path()).unwrap());
    }
}
