//! Started where no window can open (over SSH, in a container, a session without a display):
//! say so in one line and point at `teamsfix-cli`, instead of the renderers' errors.

use crate::common::i18n::{Lang, tr, tr_args};

/// Why no window can open here, when that is known before trying: on Linux and the BSDs a
/// window needs an X11 or Wayland display, named by `DISPLAY`, `WAYLAND_DISPLAY` or
/// `WAYLAND_SOCKET`. Windows and macOS always have one in a user's session.
pub fn missing_display() -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        return false;
    }
    ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .all(|v| std::env::var_os(v).is_none_or(|s| s.is_empty()))
}

/// The one line for a session without a display.
pub fn no_display_line(lang: Lang) -> String {
    tr(lang, "helpdesk.gui.no_display")
}

/// The one line for a display that is named but cannot be opened (an X server that is gone, a
/// Wayland socket without permission). `error` is winit's message; only its last part (after
/// the source location winit puts first) is shown.
pub fn cannot_open_line(lang: Lang, error: &str) -> String {
    let reason = error.rsplit(": ").next().unwrap_or(error).trim();
    tr_args(lang, "helpdesk.gui.cannot_open", &[("reason", reason)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_winits_last_words() {
        let line = cannot_open_line(
            Lang::En,
            "winit EventLoopError: os error at /x/winit/src/linux/mod.rs:788: Failed to open connection to X server",
        );
        assert!(
            line.contains("(Failed to open connection to X server)"),
            "{line}"
        );
        assert!(!line.contains("mod.rs"), "{line}");
        assert!(line.contains("teamsfix-cli"), "{line}");
        assert!(!line.contains('\n'));
    }
}
