#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
fn main() {
    teamsfix::dll_hardening::restrict_dll_search_path();
    teamsfix::gui::run();
}
