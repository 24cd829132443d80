//! A data root's content: the classes its entries fall into, walking and sizing it, archiving
//! its diagnostics and clearing it. Knows nothing about which client a root belongs to.

pub mod archive;
pub mod classes;
pub mod clear;
pub mod scan;
pub mod tree_walk;
