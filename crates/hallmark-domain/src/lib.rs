//! Hallmark's domain vocabulary shared by the engine, the CLI, the shell and the UI.
//!
//! Everything here is plain data and compiles for `wasm32-unknown-unknown`: no I/O.
//! - [`ErrorCode`]: the one closed, documented set of stable error codes (`docs/errors.md`).
//! - [`credits`]: settlement-credit amounts as people type and read them.
//! - [`wire_enum!`]: closed lists of values whose JSON form is a fixed string.
//! - [`Consensus`]: which rule defines a chain's block hashes (profiles, evidence bundles).

mod consensus;
pub mod credits;
mod error_code;
pub mod paths;
mod wire;

pub use consensus::Consensus;
pub use error_code::ErrorCode;
pub use wire::UnknownValue;
