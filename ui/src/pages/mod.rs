//! One module per page.

pub mod account;
pub mod add;
pub mod explore;
pub mod library;
pub mod status;
pub mod work;
