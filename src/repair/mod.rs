//! The repair both front ends run: quit a client, clear its data roots, start it again, each
//! step journaled.

pub mod sequence;
pub mod threshold;

// The contents of this module before the layers (0.1), for code written against them.
#[doc(hidden)]
pub use sequence::*;
