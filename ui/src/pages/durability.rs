//! Media that outlives the platform: the availability check (problems first, and "re-pin from
//! the local copy"), the exit kit (export and import), the remote pinning services, and
//! refreshing one work's metadata.

use hallmark_api::{HealthCheckRequest, KitRequest, PinningRequest, RefreshRequest, commands};
use leptos::prelude::*;

use super::ErrorBox;
use crate::i18n::{self, Text, t, tr};
use crate::{api, format};

/// The availability of the active account's works, from the local store and every pinning
/// service, problems first.
#[component]
pub fn HealthCard() -> impl IntoView {
    let job = RwSignal::new(String::new());
    let check = Action::new_local(move |(fix, id): &(bool, String)| {
        let (request, id) = (HealthCheckRequest { fix: *fix }, id.clone());
        async move { api::invoke_job::<commands::Health>(&request, &id).await }
    });
    let (busy, report) = (check.pending(), check.value());
    let run = move |fix: bool| {
        if busy.get_untracked() {
            return;
        }
        let id = api::job_id("health");
        job.set(id.clone());
        check.dispatch((fix, id));
    };
    view! {
        <div class="card health" id="health">
            <h2>{t(Text::Availability)}</h2>
            <p class="muted small">{t(Text::AvailabilityLede)}</p>
            <div class="actions">
                <button id="health-check" class="primary" type="button" disabled=move || busy.get() on:click=move |_| run(false)>
                    {tr(move |l| if busy.get() { Text::Checking } else { Text::CheckAvailability }.text(l).into())}
                </button>
                <Show when=move || report.with(|r| matches!(r, Some(Ok(v)) if v.problems > 0))>
                    <button id="health-fix" type="button" disabled=move || busy.get() on:click=move |_| run(true)>{t(Text::RepinFromLocal)}</button>
                </Show>
                <Show when=move || busy.get()>
                    <button id="health-cancel" type="button" on:click=move |_| api::cancel(job.get_untracked())>{t(Text::Cancel)}</button>
                </Show>
            </div>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <ErrorBox error=e id="health-error" /> }.into_any(),
                Ok(v) => {
                    let (works, problems) = (v.works, v.problems);
                    let fixed = v.fixes.iter().filter(|f| f.done).count();
                    view! {
                        <p id="health-summary" role="status" class=if problems == 0 { "ok" } else { "warn" }>
                            {tr(move |l| i18n::health_summary(l, works, problems))}
                            {(fixed > 0).then(|| view! { " " {tr(move |l| i18n::health_fixed(l, fixed))} })}
                        </p>
                        <ul class="health-lines" id="health-lines">
                            {v.lines.into_iter().map(|line| {
                                let items = line.items.iter().map(|(item, status)| format!("{item} {status}")).collect::<Vec<_>>().join(" · ");
                                let verified = line.last_verified_at.map(format::utc);
                                view! {
                                    <li class=if line.ok { "ok-line" } else { "problem" }>
                                        <span class="status-tag">{line.status.as_str()}</span>
                                        <strong>{{
                                            let (work, title) = (line.work_id, line.title.clone().unwrap_or_default());
                                            tr(move |l| i18n::work_titled(l, work, &title))
                                        }}</strong>
                                        <span class="muted small">{line.backend.clone()}</span>
                                        <span class="small">{items}</span>
                                        {line.detail.clone().map(|d| view! { <span class="small">{d}</span> })}
                                        {verified.map(|v| view! { <span class="muted small">{tr(move |l| i18n::last_verified(l, &v))}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </div>
    }
}

/// Export the exit kit of the active account's works, or import one.
#[component]
pub fn KitCard() -> impl IntoView {
    let folder = RwSignal::new(None::<hallmark_api::ChosenFile>);
    let kit = Action::new_local(move |request: &KitRequest| {
        let request = request.clone();
        let export = matches!(request, KitRequest::Export);
        async move {
            let id = api::job_id("kit");
            let answer = api::invoke_job::<commands::Kit>(&request, &id).await;
            (export, answer)
        }
    });
    let (busy, outcome) = (kit.pending(), kit.value());
    let run = move |request: KitRequest| {
        if busy.get_untracked() {
            return;
        }
        kit.clear();
        kit.dispatch(request);
    };
    view! {
        <div class="card kit" id="kit">
            <h2>{t(Text::ExitKit)}</h2>
            <p class="muted small">{t(Text::ExitKitLede)}</p>
            <button id="kit-export" class="primary" type="button" disabled=move || busy.get() on:click=move |_| run(KitRequest::Export)>
                {t(Text::ExportKit)}
            </button>
            <div class="pathform" role="group" aria-label=t(Text::KitFolder)>
                <super::ChooseFile id="kit-import-choose" purpose=hallmark_api::FilePurpose::Kit chosen=folder on_chosen=|| () disabled=busy />
                <button id="kit-import" type="button" disabled=move || busy.get() || folder.with(Option::is_none)
                    on:click=move |_| if let Some(chosen) = folder.get_untracked() { run(KitRequest::Import { folder: chosen.token }) }>
                    {t(Text::ImportKit)}
                </button>
            </div>
            {move || outcome.get().map(|(export, r)| match r {
                Ok(k) => view! {
                    <p class="ok" id="kit-result" role="status">
                        {tr(move |l| if export {
                            i18n::kit_exported(l, k.works, k.bundles, &format::bytes(k.bytes))
                        } else {
                            i18n::kit_imported(l, k.works, k.bundles, k.files)
                        })}
                        <br />
                        <span class="mono small" id="kit-path">{k.path.clone()}</span>
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e id="kit-error" /> }.into_any(),
            })}
        </div>
    }
}

/// The remote pinning services: list, add (the token is never shown again), remove.
#[component]
pub fn PinningCard() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let endpoint = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let pinning =
        |request: PinningRequest| async move { api::invoke::<commands::Pinning>(&request).await };
    // The services as last answered: listed on opening, then after each change.
    let services = LocalResource::new(move || pinning(PinningRequest::List));
    let change = Action::new_local(move |request: &PinningRequest| pinning(request.clone()));
    let answer = change.value();
    Effect::new(move |_| {
        if let Some(Ok(list)) = answer.get() {
            services.set(Some(Ok(list)));
        }
    });
    let send = move |request: PinningRequest| {
        change.clear();
        change.dispatch(request);
    };
    let listed = move || services.get().and_then(Result::ok).unwrap_or_default();
    let error = move || {
        answer
            .get()
            .and_then(Result::err)
            .or_else(|| services.get().and_then(Result::err))
    };
    view! {
        <div class="card pinning" id="pinning">
            <h2>{t(Text::PinningServices)}</h2>
            <p class="muted small">{t(Text::PinningLede)}</p>
            <ul class="services" id="pinning-services">
                {move || listed().into_iter().map(|s| {
                    let remove = s.name.clone();
                    view! {
                        <li>
                            <strong>{s.name.clone()}</strong>
                            <span class="mono small">{s.endpoint.clone()}</span>
                            <span class="small">{t(if s.token_set { Text::TokenStored } else { Text::NoTokenStored })}</span>
                            <button type="button" class="remove-service" on:click=move |_| send(PinningRequest::Remove { name: remove.clone() })>{t(Text::Remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="add-service" on:submit=move |ev| {
                ev.prevent_default();
                send(PinningRequest::Add { name: name.get_untracked(), endpoint: endpoint.get_untracked(), token: token.get_untracked() });
                token.set(String::new());
            }>
                <input id="pinning-name" type="text" placeholder=t(Text::ServiceName) aria-label=t(Text::ServiceName)
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <input id="pinning-endpoint" type="text" spellcheck="false" placeholder="http://127.0.0.1:9097" aria-label=t(Text::ServiceEndpoint)
                    prop:value=move || endpoint.get() on:input=move |ev| endpoint.set(event_target_value(&ev)) />
                <input id="pinning-token" type="password" autocomplete="off" placeholder=t(Text::AccessToken) aria-label=t(Text::AccessToken)
                    prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev)) />
                <button id="pinning-add" type="submit">{t(Text::AddService)}</button>
            </form>
            {move || error().map(|e| view! { <ErrorBox error=e id="pinning-error" /> })}
        </div>
    }
}

/// Fetches the work's metadata again now.
#[component]
pub fn RefreshButton(work_id: u64) -> impl IntoView {
    let refresh = Action::new_local(move |_: &()| async move {
        let request = RefreshRequest { work_id };
        api::invoke::<commands::RefreshWork>(&request).await
    });
    let (busy, outcome) = (refresh.pending(), refresh.value());
    view! {
        <span class="refresh">
            <button id="refresh-work" type="button" class="link" disabled=move || busy.get() on:click=move |_| { refresh.dispatch(()); }>{t(Text::RefreshMetadata)}</button>
            {move || outcome.get().map(|r| match r {
                Ok(o) => view! { <span class="small" id="refresh-result" role="status">{o.error.unwrap_or_else(|| o.status.to_string())}</span> }.into_any(),
                Err(e) => view! { <span class="small error" id="refresh-result" role="alert">{e.message}</span> }.into_any(),
            })}
        </span>
    }
}
