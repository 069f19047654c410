//! One module per page.

pub mod account;
pub mod add;
pub mod council;
pub mod durability;
pub mod endorse;
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

use hallmark_api::{ChooseFileRequest, ChosenFile, FilePurpose, commands};
use leptos::prelude::*;

use crate::api;
use crate::i18n::{Text, t};

/// The last file dropped on the window, numbered: the shell granted it and named it by a token.
pub type Dropped = RwSignal<(u32, Option<ChosenFile>)>;

/// Calls `take` with every file dropped on the window after the calling page opened (the app
/// numbers the drops; earlier ones belong to other pages).
pub fn take_dropped_files(dropped: Dropped, take: impl Fn(ChosenFile) + 'static) {
    let seen = dropped.get_untracked().0;
    Effect::new(move |_| {
        let (seq, file) = dropped.get();
        if seq > seen
            && let Some(file) = file
        {
            take(file);
        }
    });
}

/// "Choose…": the shell's file dialog for `purpose`, then the chosen file's name. The page
/// names the file by the token the shell issued (`chosen`); it never sends a path.
#[component]
pub fn ChooseFile(
    /// The button's id; the chosen name is shown in `<id>-name`.
    id: &'static str,
    purpose: FilePurpose,
    chosen: RwSignal<Option<ChosenFile>>,
    /// Called once a file is chosen.
    on_chosen: impl Fn() + Copy + 'static,
    #[prop(into)] disabled: Signal<bool>,
    /// Leaves the chosen name out (the page shows the choice itself).
    #[prop(optional)]
    hide_name: bool,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let choose = move |_| {
        if open.get_untracked() {
            return;
        }
        open.set(true);
        leptos::task::spawn_local(async move {
            let picked = api::invoke::<commands::ChooseFile>(&ChooseFileRequest { purpose }).await;
            open.set(false);
            if let Ok(Some(file)) = picked {
                chosen.set(Some(file));
                on_chosen();
            }
        });
    };
    let none = t(Text::NoFileChosen);
    let label = if purpose.is_folder() {
        Text::ChooseFolder
    } else {
        Text::ChooseFile
    };
    view! {
        <span class="choose-file">
            <button id=id type="button" on:click=choose disabled=move || disabled.get() || open.get()>
                {t(label)}
            </button>
            <span id=format!("{id}-name") class="mono small chosen-name" hidden=hide_name title=move || chosen.with(|c| c.as_ref().map(|c| c.display.clone()).unwrap_or_default())>
                {move || chosen.with(|c| c.as_ref().map(|c| c.name.clone()))
                    .unwrap_or_else(|| none().to_owned())}
            </span>
        </span>
    }
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
