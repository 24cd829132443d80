//! Opening the window: options, icon, and the renderer fallback.
//!
//! Renderer: glow (OpenGL 2.0+) first: small, quick to start, and what nearly every machine has.
//! If it cannot start (plain RDP sessions and VMs without 3D offer only OpenGL 1.1), the window
//! is opened again with wgpu: Direct3D 12 (with the WARP software rasteriser) on Windows, Vulkan
//! (lavapipe) on Linux, Metal on macOS. `TEAMSFIX_RENDERER=glow|wgpu` forces one.

use super::app::{App, Tab};
use super::env::Environment;
use super::screenshot::{Screenshot, ShotResult};
use super::state::SavedState;
use crate::common::i18n::{Lang, tr};
use eframe::egui;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();

/// Call first thing in `main`: the first-frame benchmark measures from here.
pub fn mark_start() {
    let _ = START.set(Instant::now());
}

/// With `TEAMSFIX_BENCH_FIRST_FRAME=1`, prints the time to the first frame on stderr.
pub(crate) fn report_first_frame() {
    if std::env::var_os("TEAMSFIX_BENCH_FIRST_FRAME").is_some_and(|v| !v.is_empty() && v != "0") {
        let ms = START.get().map_or(0, |s| s.elapsed().as_millis());
        eprintln!("first_frame_ms={ms}");
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Save a screenshot of the window to this file and exit.
    pub screenshot: Option<PathBuf>,
    pub tab: Option<Tab>,
    /// Language for this run (not saved).
    pub lang: Option<Lang>,
}

/// The window's icon. Windows shows it at 16 to 48 px (64 at 200 %) and takes the large sizes
/// from the exe's own icon, so the Windows exe carries a 64 px image (its size budget).
#[cfg(not(windows))]
const ICON: &[u8] = include_bytes!("../../assets/teamsfix-256.png");
#[cfg(windows)]
const ICON: &[u8] = include_bytes!("../../assets/teamsfix-64.png");

fn renderers() -> Vec<eframe::Renderer> {
    match std::env::var("TEAMSFIX_RENDERER").ok().as_deref() {
        Some("wgpu") => vec![eframe::Renderer::Wgpu],
        Some("glow") => vec![eframe::Renderer::Glow],
        _ => vec![eframe::Renderer::Glow, eframe::Renderer::Wgpu],
    }
}

fn native_options(title: &str, renderer: eframe::Renderer) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id("teamsfix")
        .with_inner_size([1000.0, 720.0])
        .with_min_inner_size([720.0, 480.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON) {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        renderer,
        ..Default::default()
    }
}

/// Runs the app until its window is closed.
pub fn run(opts: Options) -> ExitCode {
    let env = Environment::detect();
    let lang = opts
        .lang
        .or(SavedState::load(&env.app_folders.state_file()).lang)
        .unwrap_or(env.lang);
    if super::headless::missing_display() {
        eprintln!("{}", super::headless::no_display_line(lang));
        return ExitCode::from(1);
    }
    let title = tr(lang, "gui.window_title");
    let mut shot_result: Option<ShotResult> = None;
    let mut last_error = String::new();
    for renderer in renderers() {
        let created = AtomicBool::new(false);
        let (shot, result) = match &opts.screenshot {
            Some(path) => {
                let (s, r) = Screenshot::new(path.clone());
                (Some(s), Some(r))
            }
            None => (None, None),
        };
        shot_result = result;
        let app_env = env.clone();
        let app_opts = opts.clone();
        let run = eframe::run_native(
            "teamsfix",
            native_options(&title, renderer),
            Box::new(|_cc| {
                created.store(true, Ordering::Relaxed);
                let mut app = App::new(app_env);
                if let Some(tab) = app_opts.tab {
                    app = app.with_tab(tab);
                }
                if let Some(lang) = app_opts.lang {
                    app = app.with_lang(lang);
                }
                if let Some(s) = shot {
                    app = app.with_screenshot(s);
                }
                Ok(Box::new(app))
            }),
        );
        match run {
            Ok(()) => {
                last_error.clear();
                break;
            }
            // No event loop: no renderer can help (a second try only fails with "EventLoop
            // can't be recreated"); say so in one line.
            Err(eframe::Error::WinitEventLoop(e)) if !created.load(Ordering::Relaxed) => {
                eprintln!(
                    "{}",
                    super::headless::cannot_open_line(lang, &e.to_string())
                );
                return ExitCode::from(1);
            }
            Err(e) => {
                last_error = format!("{renderer}: {e}");
                eprintln!("teamsfix: the {renderer} renderer failed: {e}");
                // Only a renderer that could not start is worth a second try.
                if created.load(Ordering::Relaxed) {
                    break;
                }
            }
        }
    }
    if !last_error.is_empty() {
        eprintln!("teamsfix: cannot open the window ({last_error}). Use teamsfix-cli instead.");
        return ExitCode::from(1);
    }
    if let Some(result) = shot_result {
        let r = result.lock().ok().and_then(|r| r.clone());
        return match r {
            Some(Ok(())) => ExitCode::SUCCESS,
            Some(Err(e)) => {
                eprintln!("teamsfix: screenshot failed: {e}");
                ExitCode::from(1)
            }
            None => {
                eprintln!("teamsfix: the window closed before the screenshot was taken");
                ExitCode::from(1)
            }
        };
    }
    ExitCode::SUCCESS
}
