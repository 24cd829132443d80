//! The app's fonts.
//!
//! On Windows the UI uses the system's own fonts, read from the Windows fonts folder: Segoe UI for
//! text and Consolas (else Courier New) for commands, so teamsfix looks like a Windows program.
//! Everywhere else, and on Windows when a system font is missing or unusable (Wine has neither),
//! the bundled fonts are used. They stay in every chain behind the system fonts as the fallback
//! for characters a system font lacks. The Windows exe bundles only the proportional font (its
//! size budget): there, commands fall back to it when neither Consolas nor Courier New is usable.
//!
//! The bundled fonts are subsets of egui's defaults (Ubuntu Light, Hack) covering Latin, Greek,
//! Cyrillic and the punctuation and symbols the texts use; `packaging/fonts/subset.sh` makes them
//! and `assets/fonts/README.md` says what they hold.

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};
#[cfg(any(windows, test))]
use std::io::Read;
#[cfg(any(windows, test))]
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Proportional text (Ubuntu Light, subset), stored deflated: 51 KB instead of 120 KB in the
/// exe (its size budget); inflated once at start-up, in about a millisecond.
const BUNDLED_SANS_DEFLATED: &[u8] =
    include_bytes!("../../assets/fonts/UbuntuLight-teamsfix.ttf.deflate");
/// Monospace text: commands, paths, the report (Hack, subset), deflated likewise. Not in the
/// Windows exe, where every Windows has Consolas or Courier New.
#[cfg(not(windows))]
const BUNDLED_MONO_DEFLATED: &[u8] = include_bytes!("../../assets/fonts/Hack-teamsfix.ttf.deflate");

/// The bundled proportional font (inflated on first use).
pub(crate) fn bundled_sans() -> &'static [u8] {
    static FONT: OnceLock<Vec<u8>> = OnceLock::new();
    FONT.get_or_init(|| inflate(BUNDLED_SANS_DEFLATED))
}

/// The bundled monospace font (inflated on first use); none in the Windows exe.
pub(crate) fn bundled_mono() -> Option<&'static [u8]> {
    #[cfg(not(windows))]
    {
        static FONT: OnceLock<Vec<u8>> = OnceLock::new();
        Some(FONT.get_or_init(|| inflate(BUNDLED_MONO_DEFLATED)))
    }
    #[cfg(windows)]
    {
        None
    }
}

/// Raw deflate (no header) as `packaging/fonts/subset.sh` writes it. The data is compiled in and
/// `the_deflated_fonts_are_the_subset_fonts` checks it inflates to the subset fonts byte for
/// byte, so a failure here means a broken build, which that test catches before release.
fn inflate(deflated: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::with_capacity(deflated.len() * 3);
    let _ = flate2::read::DeflateDecoder::new(deflated).read_to_end(&mut out);
    out
}

/// The largest font file read from disk. `segoeui.ttf` is about 1 MB (Windows 11), `consola.ttf`
/// about 0.5 MB; a file far larger is not the font we expect.
#[cfg(any(windows, test))]
pub const MAX_FONT_BYTES: u64 = 8 * 1024 * 1024;

/// The system's text font and monospace font, in the Windows fonts folder.
#[cfg(any(windows, test))]
pub const SYSTEM_SANS_FILE: &str = "segoeui.ttf";
#[cfg(any(windows, test))]
pub const SYSTEM_MONO_FILE: &str = "consola.ttf";
/// The monospace font every Windows has, when Consolas is missing or unusable.
#[cfg(any(windows, test))]
pub const SYSTEM_MONO_FALLBACK_FILE: &str = "cour.ttf";

/// Fonts read from the system; `None` where the bundled font is used instead.
#[derive(Default)]
pub struct SystemFonts {
    pub sans: Option<Vec<u8>>,
    pub mono: Option<Vec<u8>>,
}

/// Installs the fonts: the system's on Windows when usable, the bundled ones otherwise.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions(system_fonts()));
}

/// Every family's chain: the system font first (if any), then the bundled font; monospace falls
/// back to the proportional fonts for scripts the monospace fonts lack (as egui's defaults do).
pub fn definitions(system: SystemFonts) -> FontDefinitions {
    let mut defs = FontDefinitions::empty();
    let mut add = |name: &str, data: FontData| {
        defs.font_data.insert(name.to_owned(), Arc::new(data));
        name.to_owned()
    };
    let sys_sans = system
        .sans
        .map(|bytes| add("Segoe UI", FontData::from_owned(bytes)));
    let sys_mono = system
        .mono
        .map(|bytes| add("Consolas", FontData::from_owned(bytes)));
    let sans = add("bundled-sans", FontData::from_static(bundled_sans()));
    let mono = bundled_mono().map(|bytes| add("bundled-mono", FontData::from_static(bytes)));

    let proportional: Vec<String> = sys_sans.iter().cloned().chain([sans]).collect();
    let monospace: Vec<String> = sys_mono
        .into_iter()
        .chain(mono)
        .chain(proportional.iter().cloned())
        .collect();
    defs.families.insert(FontFamily::Proportional, proportional);
    defs.families.insert(FontFamily::Monospace, monospace);
    defs
}

/// The system fonts to use: on Windows those in the Windows fonts folder, elsewhere none.
fn system_fonts() -> SystemFonts {
    #[cfg(windows)]
    {
        match windows_fonts_folder() {
            Some(dir) => system_fonts_in(&dir),
            None => {
                eprintln!("teamsfix: the Windows folder is unknown; using the bundled fonts");
                SystemFonts::default()
            }
        }
    }
    #[cfg(not(windows))]
    {
        SystemFonts::default()
    }
}

/// Reads Segoe UI and Consolas from `dir`; says on stderr why one is not used.
#[cfg(any(windows, test))]
pub fn system_fonts_in(dir: &Path) -> SystemFonts {
    let load = |file: &str| {
        let path = dir.join(file);
        read_font(&path, MAX_FONT_BYTES)
            .map_err(|why| {
                eprintln!(
                    "teamsfix: {}: {why}; using the bundled font",
                    path.display()
                )
            })
            .ok()
    };
    SystemFonts {
        sans: load(SYSTEM_SANS_FILE),
        mono: load(SYSTEM_MONO_FILE).or_else(|| load(SYSTEM_MONO_FALLBACK_FILE)),
    }
}

/// Reads a font file of at most `limit` bytes and checks that it is a font with Latin letters:
/// egui aborts on a font it cannot parse, so nothing unchecked is handed to it.
#[cfg(any(windows, test))]
pub fn read_font(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "not found".to_owned(),
        _ => format!("cannot be opened ({e})"),
    })?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "{} bytes, more than the {limit} allowed",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "grew past the {limit} bytes allowed while being read"
        ));
    }
    check_font(&bytes)?;
    Ok(bytes)
}

#[cfg(any(windows, test))]
fn check_font(bytes: &[u8]) -> Result<(), String> {
    use skrifa::MetadataProvider as _;
    let font = skrifa::FontRef::new(bytes).map_err(|e| format!("not a font file ({e})"))?;
    if "Aaz".chars().any(|c| font.charmap().map(c).is_none()) {
        return Err("the font has no Latin letters".into());
    }
    Ok(())
}

/// `%SystemRoot%\Fonts` from the system, not from the environment (which the user can change).
#[cfg(windows)]
fn windows_fonts_folder() -> Option<std::path::PathBuf> {
    use std::os::windows::ffi::OsStringExt;
    use windows_sys::Win32::System::SystemInformation::GetSystemWindowsDirectoryW;
    let mut buf = [0u16; 1024];
    // SAFETY: the buffer's real length is passed; the call writes at most that many u16s and
    // returns the length written (without the terminating NUL), or 0 on failure.
    let n = unsafe { GetSystemWindowsDirectoryW(buf.as_mut_ptr(), buf.len() as u32) } as usize;
    if n == 0 || n >= buf.len() {
        return None;
    }
    let windows = std::ffi::OsString::from_wide(&buf[..n]);
    Some(std::path::PathBuf::from(windows).join("Fonts"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::FontId;
    use eframe::egui::epaint::text::{Fonts, TextOptions};

    fn fonts(system: SystemFonts) -> Fonts {
        Fonts::new(TextOptions::default(), definitions(system))
    }

    /// Every character of every translation catalogue (both languages, every part), plus what
    /// egui itself draws and what users paste or have in their paths, has a glyph in the bundled
    /// fonts: they are what Linux, macOS and Wine show.
    #[test]
    fn bundled_fonts_cover_every_text() {
        let mut fonts = fonts(SystemFonts::default());
        let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut text = String::new();
        let mut files = 0;
        for entry in std::fs::read_dir(&locales).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yml") {
                text.push_str(&std::fs::read_to_string(&path).unwrap());
                files += 1;
            }
        }
        assert!(files >= 2, "no catalogues found in {}", locales.display());
        // egui: elision, password dots, minus; pasted messages: curly quotes and dashes; Dutch,
        // German and French names; Greek and Cyrillic user names; the euro.
        text.push_str("…•−‘’“”–—€ éëïöüèàçÉËÏ äöüßÄÖÜ ĳ Ελληνικά Кириллица");
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let id = FontId::new(15.0, family.clone());
            let missing: String = text
                .chars()
                .filter(|c| !c.is_control() && !fonts.has_glyph(&id, *c))
                .collect();
            assert!(
                missing.is_empty(),
                "{family:?} lacks glyphs for {missing:?}"
            );
        }
    }

    #[test]
    fn a_system_font_comes_first_and_the_bundled_one_stays_as_fallback() {
        let defs = definitions(SystemFonts {
            sans: Some(bundled_sans().to_vec()),
            mono: Some(bundled_mono().unwrap().to_vec()),
        });
        assert_eq!(
            defs.families[&FontFamily::Proportional],
            ["Segoe UI", "bundled-sans"]
        );
        assert_eq!(
            defs.families[&FontFamily::Monospace],
            ["Consolas", "bundled-mono", "Segoe UI", "bundled-sans"]
        );
        // egui can build both families from them (it aborts on a font it cannot parse).
        let mut fonts = Fonts::new(TextOptions::default(), defs);
        assert!(fonts.has_glyph(&FontId::proportional(15.0), 'é'));
        assert!(fonts.has_glyph(&FontId::monospace(15.0), 'é'));
    }

    #[test]
    fn the_deflated_fonts_are_the_subset_fonts() {
        assert_eq!(
            bundled_sans(),
            include_bytes!("../../assets/fonts/UbuntuLight-teamsfix.ttf")
        );
        assert_eq!(
            bundled_mono().unwrap(),
            include_bytes!("../../assets/fonts/Hack-teamsfix.ttf")
        );
    }

    #[test]
    fn without_system_fonts_only_the_bundled_ones_are_used() {
        let defs = definitions(SystemFonts::default());
        assert_eq!(defs.families[&FontFamily::Proportional], ["bundled-sans"]);
        assert_eq!(
            defs.families[&FontFamily::Monospace],
            ["bundled-mono", "bundled-sans"]
        );
        assert_eq!(defs.font_data.len(), 2);
    }

    #[test]
    fn system_fonts_are_read_from_the_folder_and_bad_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Nothing there (Wine): both fall back.
        let none = system_fonts_in(dir.path());
        assert!(none.sans.is_none() && none.mono.is_none());

        // A real font file under each name is used.
        std::fs::write(dir.path().join(SYSTEM_SANS_FILE), bundled_sans()).unwrap();
        std::fs::write(dir.path().join(SYSTEM_MONO_FILE), bundled_mono().unwrap()).unwrap();
        let both = system_fonts_in(dir.path());
        assert_eq!(both.sans.as_deref(), Some(bundled_sans()));
        assert_eq!(both.mono.as_deref(), Some(bundled_mono().unwrap()));

        // Not a font, a truncated font, a folder: refused before egui could abort on them.
        std::fs::write(dir.path().join(SYSTEM_SANS_FILE), b"not a font at all").unwrap();
        std::fs::write(
            dir.path().join(SYSTEM_MONO_FILE),
            &bundled_mono().unwrap()[..64],
        )
        .unwrap();
        let bad = system_fonts_in(dir.path());
        assert!(bad.sans.is_none() && bad.mono.is_none());

        // Consolas unusable, Courier New there: commands use Courier New.
        std::fs::write(
            dir.path().join(SYSTEM_MONO_FALLBACK_FILE),
            bundled_mono().unwrap(),
        )
        .unwrap();
        let courier = system_fonts_in(dir.path());
        assert_eq!(courier.mono.as_deref(), bundled_mono());
        let folder = dir.path().join("folder.ttf");
        std::fs::create_dir(&folder).unwrap();
        assert!(read_font(&folder, MAX_FONT_BYTES).is_err());
    }

    #[test]
    fn a_font_over_the_size_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SYSTEM_SANS_FILE);
        std::fs::write(&path, bundled_sans()).unwrap();
        let limit = bundled_sans().len() as u64;
        assert_eq!(read_font(&path, limit).unwrap(), bundled_sans());
        let err = read_font(&path, limit - 1).unwrap_err();
        assert!(err.contains("more than"), "{err}");
    }
}
