//! A data root's content: the classes its entries fall into, walking and sizing it, archiving
//! its diagnostics, keeping a backup before a full reset, and clearing it. Knows nothing about which client a root belongs to.

pub mod archive;
pub mod backup;
pub mod classes;
pub mod clear;
pub mod scan;
pub mod tree_walk;
