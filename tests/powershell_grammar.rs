//! The PowerShell test helper checks itself against the real grammar (see
//! tests/support/powershell.rs); the content tests use it on the admin steps, the checklist,
//! the Intune scripts and the generated audit script.

#[path = "support/powershell.rs"]
mod powershell;
