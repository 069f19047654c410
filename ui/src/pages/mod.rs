//! One module per page.

pub mod account;
pub mod add;
pub mod explore;
pub mod library;
pub mod matches;
pub mod review;
pub mod settings;
pub mod status;
pub mod verify;
pub mod work;
