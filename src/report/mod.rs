//! What teamsfix tells people afterwards: the journal of what it did, the helpdesk report, the
//! support bundle for a ticket, and hiding personal details before any of them is shared.

pub mod bundle;
pub mod helpdesk;
pub mod journal;
pub mod redact;

// The contents of this module before the layers (0.1), for code written against them.
#[doc(hidden)]
pub use {
    crate::common::sizes::human_bytes,
    crate::common::timestamps::{now_rfc3339, timestamp_for_file_names},
    helpdesk::*,
};
