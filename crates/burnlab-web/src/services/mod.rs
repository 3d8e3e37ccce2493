//! The only code that touches the browser: the address, local storage, the clipboard, the theme.

pub mod clipboard;
pub mod compress;
pub mod crash;
pub mod files;
pub mod full_build;
pub mod heavy;
pub mod link;
pub mod persist;
pub mod theme;
