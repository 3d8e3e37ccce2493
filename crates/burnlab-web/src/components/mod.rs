//! One component and its props per file.

pub mod app;
pub mod calculator;
