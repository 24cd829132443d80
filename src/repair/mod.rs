//! The repair both front ends run: quit a client, clear its data roots, start it again, each
//! step journaled; clearing only when needed, and undoing a full reset.

pub mod restore;
pub mod sequence;
pub mod threshold;

// The contents of this module before the layers (0.1), for code written against them.
#[doc(hidden)]
pub use sequence::*;
