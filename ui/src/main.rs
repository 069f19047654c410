//! Hallmark's desktop UI (Leptos 0.8, client-side rendered, compiled to wasm).
//!
//! It talks to the engine only through the Tauri shell's commands ([`api`]), with the types of
//! `hallmark-api`; media is shown from the shell's `media://` protocol, which serves only
//! CID-verified bytes.

mod api;
mod format;
mod i18n;
mod pages;

use i18n::{Lang, Text, t};
use leptos::prelude::*;

/// The pages of the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Explore,
    Collection,
    Studio,
    Library,
    Add,
    Verify,
    Review,
    /// Endorsement requests: an artist's, and those an issuer may decide.
    Endorsements,
    /// The council's proposals.
    Council,
    Status,
    /// The gear at the right of the top bar.
    Settings,
    /// One token, opened from Explore (not in the navigation bar).
    Work(u64),
}

impl Page {
    const NAV: [Page; 10] = [
        Page::Explore,
        Page::Collection,
        Page::Studio,
        Page::Library,
        Page::Add,
        Page::Verify,
        Page::Endorsements,
        Page::Review,
        Page::Council,
        Page::Status,
    ];

    fn title(self) -> Text {
        match self {
            Page::Explore | Page::Work(_) => Text::Explore,
            Page::Collection => Text::Collection,
            Page::Studio => Text::Studio,
            Page::Library => Text::Library,
            Page::Add => Text::Mint,
            Page::Verify => Text::Verify,
            Page::Review => Text::Review,
            Page::Endorsements => Text::Endorsements,
            Page::Council => Text::Council,
            Page::Status => Text::Status,
            Page::Settings => Text::Settings,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Page::Explore | Page::Work(_) => "nav-explore",
            Page::Collection => "nav-collection",
            Page::Studio => "nav-studio",
            Page::Library => "nav-library",
            Page::Add => "nav-add",
            Page::Verify => "nav-verify",
            Page::Review => "nav-review",
            Page::Endorsements => "nav-endorsements",
            Page::Council => "nav-council",
            Page::Status => "nav-status",
            Page::Settings => "nav-settings",
        }
    }
}

/// The top bar's language switch; the choice is kept for the next start.
#[component]
fn LanguageSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <select
            id="lang-select"
            class="lang"
            aria-label=t(Text::Language)
            title=t(Text::Language)
            on:change=move |ev| {
                if let Some(choice) = Lang::from_tag(&event_target_value(&ev)) {
                    lang.set(choice);
                    i18n::remember(choice);
                }
            }
        >
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <option value=l.code() lang=l.code() prop:selected=move || lang.get() == l>
                            {l.name()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn App() -> impl IntoView {
    let lang = i18n::provide_language();
    let page = RwSignal::new(Page::Library);
    // Bumped whenever the library changes, so the Library page reloads.
    let library_version = RwSignal::new(0u32);
    // Bumped on every `catalog-changed` event (one listener for the app's lifetime).
    let catalog_version = RwSignal::new(0u32);
    let sync = RwSignal::new(None::<hallmark_api::SyncStatus>);
    leptos::task::spawn_local(async move {
        if let Ok(s) = api::invoke::<hallmark_api::commands::SyncStatus>(&()).await
            && (s.synced_block.is_some() || s.error.is_some())
        {
            sync.set(Some(s));
        }
    });
    // The last file dropped on the window, numbered; the open page takes it (one listener).
    // The shell grants each dropped file and names it by a token (never a path the page sends).
    let dropped: pages::Dropped = RwSignal::new((0u32, None));
    api::listen::<Vec<hallmark_api::ChosenFile>>(
        hallmark_api::events::FILES_DROPPED,
        move |files| {
            if let Some(first) = files.into_iter().next() {
                dropped.update(|(seq, file)| {
                    *seq += 1;
                    *file = Some(first);
                });
            }
        },
    );
    let accounts = RwSignal::new(Vec::<hallmark_api::AccountInfo>::new());
    pages::account::load_accounts(accounts);
    api::listen(
        hallmark_api::events::CATALOG_CHANGED,
        move |s: hallmark_api::SyncStatus| {
            sync.set(Some(s));
            catalog_version.update(|v| *v += 1);
            // Roles and balances follow the chain too.
            pages::account::load_accounts(accounts);
        },
    );
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="mark">"◆"</span>
                <span class="name">"Hallmark"</span>
            </div>
            <nav>
                {Page::NAV
                    .into_iter()
                    .map(|p| {
                        view! {
                            <button
                                id=p.id()
                                class:active=move || page.get().id() == p.id()
                                on:click=move |_| page.set(p)
                            >
                                {t(p.title())}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <pages::account::AccountSwitcher accounts=accounts />
            <pages::status::ChainBadge />
            <LanguageSwitch lang=lang />
            <button id="nav-settings" class="gear" class:active=move || page.get() == Page::Settings
                title=t(Text::Settings) aria-label=t(Text::Settings) on:click=move |_| page.set(Page::Settings)>"⚙"</button>
        </header>
        <main>
            {move || match page.get() {
                Page::Explore => view! { <pages::explore::ExplorePage scope=pages::explore::Scope::All version=catalog_version sync=sync accounts=accounts open=move |token| page.set(Page::Work(token)) /> }.into_any(),
                Page::Collection => view! { <pages::explore::ExplorePage scope=pages::explore::Scope::Collection version=catalog_version sync=sync accounts=accounts open=move |token| page.set(Page::Work(token)) /> }.into_any(),
                Page::Studio => view! { <pages::explore::ExplorePage scope=pages::explore::Scope::Studio version=catalog_version sync=sync accounts=accounts open=move |token| page.set(Page::Work(token)) /> }.into_any(),
                Page::Work(token) => view! { <pages::work::WorkPage token_id=token version=catalog_version accounts=accounts back=move || page.set(Page::Explore) /> }.into_any(),
                Page::Library => view! { <pages::library::LibraryPage version=library_version go_add=move || page.set(Page::Add) /> }.into_any(),
                Page::Add => view! { <pages::add::AddPage dropped=dropped accounts=accounts on_added=move || library_version.update(|v| *v += 1) open_work=move |token| page.set(Page::Work(token)) /> }.into_any(),
                Page::Verify => view! { <pages::verify::VerifyPage dropped=dropped /> }.into_any(),
                Page::Review => view! { <pages::review::ReviewPage version=catalog_version accounts=accounts /> }.into_any(),
                Page::Endorsements => view! { <pages::endorse::EndorsementsPage version=catalog_version accounts=accounts open_work=move |token| page.set(Page::Work(token)) /> }.into_any(),
                Page::Council => view! { <pages::council::CouncilPage version=catalog_version /> }.into_any(),
                Page::Status => view! { <pages::status::StatusPage /> }.into_any(),
                Page::Settings => view! { <pages::settings::SettingsPage accounts=accounts /> }.into_any(),
            }}
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
