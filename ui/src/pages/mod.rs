//! One module per page.

pub mod account;
pub mod add;
pub mod council;
pub mod durability;
pub mod explore;
pub mod library;
pub mod matches;
pub mod mint;
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

/// An error from the shell, announced to screen readers: its message and its stable code.
#[component]
pub fn ErrorBox(error: hallmark_api::ApiError, id: &'static str) -> impl IntoView {
    view! {
        <div class="error-box" id=id role="alert">
            <strong>{error.message}</strong>
            <span class="mono small">{error.code.to_string()}</span>
        </div>
    }
}

/// A confirmation box: it takes the focus when it opens (so it is read out and the keyboard is
/// in it), and Escape calls `on_escape` (close it, unless it can no longer be closed).
#[component]
pub fn ConfirmDialog(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    on_escape: impl Fn() + 'static,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(dialog) = node.get() {
            let _ = dialog.focus();
        }
    });
    view! {
        <div class="confirm" id=id role="alertdialog" aria-label=label tabindex="-1" node_ref=node
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_escape();
                }
            }>
            {children()}
        </div>
    }
}
