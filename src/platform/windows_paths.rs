//! Comparing Windows paths as text, so the rules can be tested on any OS.
//!
//! `std::fs::canonicalize` on Windows returns verbatim paths: `\\?\C:\Users\a`, a share as
//! `\\?\UNC\server\share\a`, and a folder reached through a volume mounted without a drive
//! letter (FSLogix profile containers, mounted folders) as `\\?\Volume{GUID}\a`. The user's known
//! folders, as Windows names them, are `C:\Users\a\AppData\Roaming`, `\\server\share\a\AppData`
//! (folder redirection) and `C:\Users\a` (the mount point). These functions tell whether the two
//! forms name the same place without any link in between.

/// The comparable form of a Windows path: `/` as `\`, the verbatim prefixes `\\?\` and `\\.\`
/// removed from drive paths, `\\?\UNC\server\share` as `\\server\share`, ASCII lower case (NTFS
/// compares names case-insensitively), no trailing `\` except after a drive (`c:\`). Volume GUID
/// paths keep their `\\?\volume{...}` prefix: they have no other spelling.
pub fn normalize(path: &str) -> String {
    let p = path.replace('/', "\\");
    let lower = p.to_ascii_lowercase();
    let mut s = if let Some(rest) = lower
        .strip_prefix("\\\\?\\unc\\")
        .or_else(|| lower.strip_prefix("\\\\.\\unc\\"))
    {
        format!("\\\\{rest}")
    } else if let Some(rest) = lower
        .strip_prefix("\\\\?\\")
        .or_else(|| lower.strip_prefix("\\\\.\\"))
    {
        if rest.starts_with("volume{") {
            format!("\\\\?\\{rest}")
        } else {
            rest.to_string()
        }
    } else {
        lower
    };
    while s.ends_with('\\') && !is_bare_root(&s) {
        s.pop();
    }
    s
}

/// `c:\`, `\\?\volume{...}\`: a root that keeps its trailing backslash.
fn is_bare_root(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 3 && b[0].is_ascii_alphabetic() && b[1] == b':')
        || (s.starts_with("\\\\?\\volume{") && s.ends_with("}\\") && s.matches('\\').count() == 4)
}

/// The `\\?\Volume{GUID}\` prefix of a verbatim volume path, and the rest after it.
fn split_volume(path: &str) -> Option<(&str, &str)> {
    let p = path.strip_prefix("\\\\?\\")?;
    if !p.get(..7)?.eq_ignore_ascii_case("volume{") {
        return None;
    }
    let close = p.find('}')?;
    let after = &p[close + 1..];
    if !(after.is_empty() || after.starts_with('\\')) {
        return None;
    }
    let volume_len = 4 + close + 1;
    let rest = after.trim_start_matches('\\');
    Some((&path[..volume_len], rest))
}

/// How a folder as Windows names it relates to the same folder after `canonicalize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SamePlace {
    /// The same path: no link or mount point on the way.
    Same,
    /// `real` is on a volume without a drive letter, mounted at `mount_point` (a prefix of the
    /// given path, in the comparable form of [`normalize`]); the rest of the path is the same. The caller must confirm with the system
    /// that `volume` is what is mounted there (a junction to another folder also resolves this
    /// way).
    ThroughVolumeMount { mount_point: String, volume: String },
    /// Something else: a link, a junction or another folder.
    Different,
}

/// Compares the path Windows gives for a folder (`given`) with its canonical form (`real`).
pub fn compare(given: &str, real: &str) -> SamePlace {
    let (g, r) = (normalize(given), normalize(real));
    if g == r {
        return SamePlace::Same;
    }
    let Some((volume, rest)) = split_volume(real) else {
        return SamePlace::Different;
    };
    if g.starts_with("\\\\?\\volume{") {
        return SamePlace::Different;
    }
    let rest_norm = normalize(rest);
    let mount_len = if rest_norm.is_empty() {
        g.len()
    } else {
        let suffix = format!("\\{rest_norm}");
        if !g.ends_with(&suffix) {
            return SamePlace::Different;
        }
        g.len() - suffix.len()
    };
    // The mount point is a folder of its own: not a drive root, not empty.
    let mount_norm = &g[..mount_len];
    if mount_norm.is_empty() || is_bare_root(mount_norm) || mount_norm.ends_with(':') {
        return SamePlace::Different;
    }
    // The mount point in comparable form: Windows compares these names case-insensitively.
    let mut volume = volume.to_string();
    volume.push('\\');
    SamePlace::ThroughVolumeMount {
        mount_point: mount_norm.to_string(),
        volume,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_prefixes_case_and_slashes_are_normalised() {
        assert_eq!(
            normalize(r"\\?\C:\Users\Anna\AppData\Roaming\"),
            r"c:\users\anna\appdata\roaming"
        );
        assert_eq!(
            normalize(r"\\?\UNC\fs01\Profiles$\anna\AppData\Roaming"),
            r"\\fs01\profiles$\anna\appdata\roaming"
        );
        assert_eq!(
            normalize(r"\\fs01\Profiles$\anna/AppData/Roaming"),
            r"\\fs01\profiles$\anna\appdata\roaming"
        );
        assert_eq!(normalize(r"\\.\C:\x"), r"c:\x");
        assert_eq!(normalize(r"C:\"), r"c:\");
        assert_eq!(
            normalize(r"\\?\Volume{5c9a1f2e-0000-0000-0000-100000000000}\"),
            r"\\?\volume{5c9a1f2e-0000-0000-0000-100000000000}\"
        );
    }

    #[test]
    fn a_redirected_share_is_the_same_place() {
        assert_eq!(
            compare(
                r"\\fs01\Profiles$\anna\AppData\Roaming",
                r"\\?\UNC\fs01\Profiles$\anna\AppData\Roaming"
            ),
            SamePlace::Same
        );
        assert_eq!(
            compare(
                r"C:\Users\anna\AppData\Local",
                r"\\?\C:\Users\anna\AppData\Local"
            ),
            SamePlace::Same
        );
        // Another share or another user's folder is not.
        assert_eq!(
            compare(
                r"\\fs01\Profiles$\anna\AppData\Roaming",
                r"\\?\UNC\fs02\Profiles$\anna\AppData\Roaming"
            ),
            SamePlace::Different
        );
        assert_eq!(
            compare(
                r"C:\Users\anna\AppData\Local",
                r"\\?\C:\Users\bert\AppData\Local"
            ),
            SamePlace::Different
        );
    }

    #[test]
    fn a_profile_on_a_volume_without_a_letter_names_its_mount_point() {
        let vol = r"\\?\Volume{5c9a1f2e-3b4d-11ef-9a1c-806e6f6e6963}";
        assert_eq!(
            compare(
                r"C:\Users\anna\AppData\Local",
                &format!(r"{vol}\AppData\Local")
            ),
            SamePlace::ThroughVolumeMount {
                mount_point: r"c:\users\anna".into(),
                volume: format!(r"{vol}\"),
            }
        );
        // The home folder itself is the mount point: the volume's root.
        assert_eq!(
            compare(r"C:\Users\anna", &format!(r"{vol}\")),
            SamePlace::ThroughVolumeMount {
                mount_point: r"c:\users\anna".into(),
                volume: format!(r"{vol}\"),
            }
        );
        assert_eq!(
            compare(
                r"\\?\C:\Users\Anna\AppData\Roaming",
                &format!(r"{vol}\AppData\Roaming")
            ),
            SamePlace::ThroughVolumeMount {
                mount_point: r"c:\users\anna".into(),
                volume: format!(r"{vol}\"),
            }
        );
    }

    #[test]
    fn a_volume_path_that_does_not_end_like_the_given_path_is_different() {
        let vol = r"\\?\Volume{5c9a1f2e-3b4d-11ef-9a1c-806e6f6e6963}";
        // A junction inside the profile pointing at another volume's folder.
        assert_eq!(
            compare(r"C:\Users\anna\AppData\Local", &format!(r"{vol}\Elsewhere")),
            SamePlace::Different
        );
        // A whole drive is never a mount point of a profile.
        assert_eq!(
            compare(r"C:\AppData\Local", &format!(r"{vol}\AppData\Local")),
            SamePlace::Different
        );
        assert_eq!(compare(r"C:\", &format!(r"{vol}\")), SamePlace::Different);
        assert_eq!(
            compare(r"C:\Users\anna", r"\\?\Volume{broken\Users\anna"),
            SamePlace::Different
        );
    }
}
