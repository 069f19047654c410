//! One module per page.

pub mod account;
pub mod add;
pub mod durability;
pub mod explore;
pub mod library;
pub mod matches;
pub mod review;
pub mod settings;
pub mod status;
pub mod unfinished;
pub mod verify;
pub mod wallet;
pub mod work;

use leptos::prelude::*;

/// Calls `take` with every file dropped on the window after the calling page opened (the app
/// numbers the drops; earlier ones belong to other pages).
pub fn take_dropped_files(dropped: RwSignal<(u32, String)>, take: impl Fn(String) + 'static) {
    let seen = dropped.get_untracked().0;
    Effect::new(move |_| {
        let (seq, file) = dropped.get();
        if seq > seen {
            take(file);
        }
    });
}
