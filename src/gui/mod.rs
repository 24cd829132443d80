//! The desktop app: a thin egui layer over the core. Four tabs (checklist, repair, admin steps,
//! report); long work runs on a worker thread and reports back over a channel.

mod app;
mod audit_panel;
mod env;
mod fonts;
mod headless;
mod helpdesk_panel;
mod keyboard;
mod launch;
mod one_click;
mod report_save;
mod screenshot;
mod state;
mod style;
mod tab_admin;
mod tab_checklist;
mod tab_repair;
mod tab_report;
mod widgets;
mod worker;

pub use app::{App, Level, Notice, Tab};
pub use env::Environment;
/// The app's fonts (for test harnesses that draw widgets without the app).
pub use fonts::install as install_fonts;
pub use launch::{Options, mark_start, run};
pub use report_save::{DialogFn, DialogRequest};
pub use state::{SavedState, ThemeChoice};
