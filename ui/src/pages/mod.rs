//! One module per page.

pub mod add;
pub mod library;
pub mod status;
