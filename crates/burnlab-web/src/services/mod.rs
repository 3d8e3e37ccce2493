//! The only code that touches the browser: the URL and local storage.

pub mod files;
pub mod heavy;
pub mod persist;
