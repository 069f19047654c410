//! Test set-up shared by every Hallmark test suite, bench and example (a dev-dependency only;
//! never published):
//!
//! - [`cli`]: runs the `hallmark` binary with a private data folder and none of the caller's
//!   Hallmark settings;
//! - [`anvil`]: a throwaway anvil dev chain on a port of its own, stopped on drop;
//! - [`noise`]: seeded noise bytes;
//! - [`pictures`]: seeded test pictures (noise, and detailed textures for the copy check);
//! - [`tmpfs`]: a small tmpfs for disk-full and read-only tests (root).
//!
//! It depends on no Hallmark crate, so any crate of the workspace can use it in its tests.

pub mod anvil;
pub mod cli;
pub mod noise;
pub mod pictures;
pub mod tls;
pub mod tmpfs;

pub use anvil::{Anvil, AnvilBuilder};
pub use cli::Hallmark;
pub use noise::noise_bytes;
