//! The knowledge for people, as data: the messages users see and what they mean, matching a
//! pasted message, the checklist, and the server-side admin steps.

pub mod admin_steps;
pub mod audit;
pub mod checklist;
pub mod diagnose;
pub mod error_catalogue;
