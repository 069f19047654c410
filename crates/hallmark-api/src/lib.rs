//! The one API boundary between the Leptos UI (`ui/`) and the Tauri shell (`src-tauri/`).
//!
//! Everything here is plain serde data and compiles for `wasm32-unknown-unknown`: no engine
//! types, no I/O. The shell converts engine values into these types; the UI only sees these.
//! Each command has a typed signature in [`commands`]; every type is re-exported here, so
//! `hallmark_api::TypeName` names it whatever feature module it lives in.

pub mod commands;
mod council;
mod durability;
mod endorse;
mod errors;
pub mod events;
mod explore;
mod files;
mod library;
mod market;
mod mint;
mod review;
mod settings;
mod status;
mod verify;
mod wallet;

pub use commands::Command;
pub use council::*;
pub use durability::*;
pub use endorse::*;
pub use errors::*;
pub use explore::*;
pub use files::*;
pub use hallmark_domain::{UnknownValue, credits};
pub use library::*;
pub use market::*;
pub use mint::*;
pub use review::*;
pub use settings::*;
pub use status::*;
pub use verify::*;
pub use wallet::*;
