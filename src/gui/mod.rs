//! The desktop app (placeholder until the GUI lands).
pub fn run() {}
