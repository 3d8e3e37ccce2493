//! One component and its props per file; `dom` reads the values of the events they handle.

pub mod app;
pub mod calculator;
pub mod dom;
pub mod explain;
pub mod incident;
pub mod learn;
pub mod notices;
pub mod sections;
pub mod share;
pub mod stale;
pub mod summary;
pub mod sweep_chart;
pub mod text_field;
pub mod theme_toggle;
pub mod tier_editor;
pub mod tier_table;
