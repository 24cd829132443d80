//! The Teams clients: the one table that describes them, finding their data roots and
//! processes on this machine, reading and judging their versions, starting them again, and the
//! state of every client found.

pub mod client_table;
pub mod discover;
pub mod processes;
pub mod restart;
pub mod status;
pub mod version;
