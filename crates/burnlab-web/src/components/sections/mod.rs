//! The Rules, Routing and Replay sections and their parts. Each file holds one component; the
//! sections get the page's state as an `Rc` and a `Callback<Action>`.

pub mod editor;
pub mod generator;
pub mod hygiene;
pub mod markdown;
#[cfg(not(feature = "first-load"))]
pub mod replay;
pub mod route_tree;
pub mod routing;
pub mod rules;
pub mod tester;
