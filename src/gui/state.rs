//! What survives a restart of the app: the language, the theme, the zoom and the checklist. Saved as JSON
//! in `AppFolders::state_file()` (next to the exe in portable mode), not in eframe's storage.

use crate::common::i18n::Lang;
use crate::guide::checklist::StepStatus;
use eframe::egui;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn key(self) -> &'static str {
        match self {
            ThemeChoice::System => "gui.theme.system",
            ThemeChoice::Light => "gui.theme.light",
            ThemeChoice::Dark => "gui.theme.dark",
        }
    }

    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedState {
    /// `None` until the user picks a language: then the OS language is used.
    #[serde(default)]
    pub lang: Option<Lang>,
    #[serde(default)]
    pub theme: ThemeChoice,
    /// The app's own zoom (Ctrl+plus / Ctrl+minus), on top of the system's display scale.
    #[serde(default = "default_zoom")]
    pub zoom: f32,
    /// Checklist step id to status; steps not listed are still to do.
    #[serde(default)]
    pub steps: BTreeMap<String, StepStatus>,
}

fn default_zoom() -> f32 {
    1.0
}

impl Default for SavedState {
    fn default() -> SavedState {
        SavedState {
            lang: None,
            theme: ThemeChoice::default(),
            zoom: default_zoom(),
            steps: BTreeMap::new(),
        }
    }
}

/// The zoom range offered: from a bit smaller than normal to three times as large.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.5..=3.0;

impl SavedState {
    /// The saved zoom, kept within [`ZOOM_RANGE`] (the file may have been edited by hand).
    pub fn zoom(&self) -> f32 {
        if self.zoom.is_finite() {
            self.zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end())
        } else {
            1.0
        }
    }

    /// The saved state, or the defaults when there is none or it cannot be read.
    pub fn load(path: &Path) -> SavedState {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Writes the state atomically (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(tmp, path)
    }

    pub fn status(&self, step: &str) -> StepStatus {
        self.steps.get(step).copied().unwrap_or_default()
    }

    pub fn set_status(&mut self, step: &str, status: StepStatus) {
        if status == StepStatus::Open {
            self.steps.remove(step);
        } else {
            self.steps.insert(step.to_string(), status);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_damage() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("sub").join("state.json");
        let mut s = SavedState {
            lang: Some(Lang::Nl),
            theme: ThemeChoice::Dark,
            zoom: 1.5,
            ..Default::default()
        };
        s.set_status("quit-teams", StepStatus::Done);
        s.save(&path).unwrap();
        assert_eq!(SavedState::load(&path), s);
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(SavedState::load(&path), SavedState::default());
        // A state from before the zoom was saved, and a zoom edited out of range.
        std::fs::write(&path, br#"{"lang":"nl","theme":"dark"}"#).unwrap();
        assert_eq!(SavedState::load(&path).zoom(), 1.0);
        std::fs::write(&path, br#"{"zoom":40.0}"#).unwrap();
        assert_eq!(SavedState::load(&path).zoom(), 3.0);
    }
}
