//! The one API boundary between the Leptos UI (`ui/`) and the Tauri shell (`src-tauri/`).
//!
//! Everything here is plain serde data and compiles for `wasm32-unknown-unknown`: no engine
//! types, no I/O. The shell converts engine values into these types; the UI only sees these.

use serde::{Deserialize, Serialize};

/// The error every command returns to the UI: a stable machine code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable, machine-readable code such as `media.unsupported_type`.
    pub code: String,
    /// A sentence a user can act on. Never raw internals.
    pub message: String,
}
