//! `teamsfix --screenshot FILE`: render the real window, wait until the first scan is shown,
//! capture the next frame, save it as PNG and close.

use eframe::egui;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The outcome the launcher reads after the window closed.
pub type ShotResult = Arc<Mutex<Option<Result<(), String>>>>;

/// Give up when the window has not settled in this time (a hung scan, a stuck renderer).
const TIMEOUT: Duration = Duration::from_secs(60);
/// Frames rendered with nothing running before the capture: lets layout and fonts settle.
const SETTLE_FRAMES: u32 = 4;

pub struct Screenshot {
    path: PathBuf,
    idle_frames: u32,
    requested: bool,
    closing: bool,
    started: Instant,
    result: ShotResult,
}

impl Screenshot {
    pub fn new(path: PathBuf) -> (Screenshot, ShotResult) {
        let result: ShotResult = Arc::new(Mutex::new(None));
        let shot = Screenshot {
            path,
            idle_frames: 0,
            requested: false,
            closing: false,
            started: Instant::now(),
            result: result.clone(),
        };
        (shot, result)
    }

    /// Called once per frame from `App::logic`; `idle` is true once the first scan is shown and
    /// no job runs.
    pub fn logic(&mut self, ctx: &egui::Context, idle: bool) {
        if self.closing {
            return;
        }
        let done = self.result.lock().map(|r| r.is_some()).unwrap_or(true);
        if done {
            self.closing = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if self.started.elapsed() > TIMEOUT {
            if let Ok(mut r) = self.result.lock() {
                *r = Some(Err("timed out waiting for the window to settle".into()));
            }
            ctx.request_repaint();
            return;
        }
        // Keep frames coming until the capture is saved.
        ctx.request_repaint_after(Duration::from_millis(30));
        if idle {
            self.idle_frames += 1;
        }
        if self.idle_frames >= SETTLE_FRAMES && !self.requested {
            self.requested = true;
            let path = self.path.clone();
            let result = self.result.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let saved = save_png(&path, &image);
                if let Ok(mut r) = result.lock() {
                    *r = Some(saved);
                }
                repaint.request_repaint();
            });
        }
    }
}

fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let img = image::RgbaImage::from_raw(w as u32, h as u32, bytes).ok_or("bad image size")?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    img.save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| e.to_string())
}
