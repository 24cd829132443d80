//! Build script: rebuilds when a translation catalogue changes, and embeds the Windows resources
//! (exe icon, version information and the application manifest) into `teamsfix.exe` and
//! `teamsfix-cli.exe`.
//!
//! Gated on `CARGO_CFG_TARGET_OS` (the target), not `cfg(windows)` (the build host), so it also
//! works in the Linux -> Windows cross-build (mingw's `windres` is used there). On every other
//! target it does nothing and needs no resource compiler.

use std::env;

const ICON: &str = "assets/teamsfix.ico";
const MANIFEST: &str = "packaging/windows/teamsfix.manifest";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={ICON}");
    println!("cargo:rerun-if-changed={MANIFEST}");
    // The translation catalogues are read by rust-i18n's macro, which cargo does not track.
    println!("cargo:rerun-if-changed=locales");

    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }

    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let gui_enabled = env::var_os("CARGO_FEATURE_GUI").is_some();

    // One resource per binary so each exe carries its own description and original file name.
    let mut bins = vec![(
        "teamsfix-cli",
        "teamsfix-cli.exe",
        "teamsfix command line: diagnose and repair Microsoft Teams",
    )];
    if gui_enabled {
        bins.push((
            "teamsfix",
            "teamsfix.exe",
            "teamsfix: repair assistant for Microsoft Teams",
        ));
    }

    for (bin, file_name, description) in bins {
        let mut res = winresource::WindowsResource::new();
        res.set_icon(ICON)
            .set_manifest_file(MANIFEST)
            .set_language(0x0409) // English (United States)
            .set("ProductName", "teamsfix")
            .set("FileDescription", description)
            .set("ProductVersion", &version)
            .set("FileVersion", &version)
            .set("InternalName", bin)
            .set("OriginalFilename", file_name)
            .set("LegalCopyright", "MIT License");
        if let Err(err) = res.compile_for(bin) {
            panic!(
                "failed to embed Windows resources for {bin} ({err}); the cross-build needs \
                 x86_64-w64-mingw32-windres (Debian package binutils-mingw-w64-x86-64)"
            );
        }
    }
}
