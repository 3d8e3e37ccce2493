//! One component and its props per file.

pub mod app;
pub mod calculator;
pub mod explain;
pub mod incident;
pub mod notices;
pub mod share;
pub mod summary;
pub mod sweep_chart;
pub mod text_field;
pub mod theme_toggle;
pub mod tier_editor;
pub mod tier_table;
