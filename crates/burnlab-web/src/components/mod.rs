//! One component and its props per file.

pub mod app;
pub mod calculator;
pub mod explain;
pub mod incident;
pub mod sections;
pub mod sweep_chart;
pub mod text_field;
pub mod tier_table;
