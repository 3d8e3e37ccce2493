//! The burnlab playground: Yew function components over the burnlab core. The page holds no SLO
//! math of its own; every figure it shows comes from `burnlab`.

pub mod components;
pub mod hooks;
pub mod services;
pub mod state;

pub use components::app::{App, AppProps};
