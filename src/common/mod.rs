//! The bottom layer: what every other layer needs and that needs nothing of theirs.

pub mod i18n;
pub mod lossy_path;
pub mod progress;
pub mod sizes;
pub mod timestamps;
