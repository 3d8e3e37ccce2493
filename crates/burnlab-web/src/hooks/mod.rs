//! Custom hooks, one per file.

pub mod use_heavy;
pub mod use_width;
