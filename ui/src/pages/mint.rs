//! Step two of minting: the work's details (title, description, licence, attributes, editions,
//! royalty and co-creator splits), a summary to confirm, then registration on-chain, signed in
//! the Rust core, with each step shown and a cancel button until the transaction is sent.

use hallmark_api::{
    AccountInfo, AttributeInput, EndorsementSendRequest, EndorsementSentReport, ErrorCode,
    FileToken, MintProgress, MintStage, MintWorkReport, MintWorkRequest, Role, ShareInput,
    commands, events,
};
use leptos::prelude::*;

use super::{ConfirmDialog, ErrorBox};
use crate::i18n::{self, Text, t, tr, use_lang};
use crate::{api, format};

/// The steps of a mint, in order, as the shell names them.
const MINT_STAGES: [(MintStage, Text); 4] = [
    (MintStage::Ingest, Text::StageIngest),
    (MintStage::CopyCheck, Text::StageCopyCheck),
    (MintStage::Upload, Text::StageUpload),
    (MintStage::Register, Text::StageRegister),
];

/// One editable row of a two-field list (attributes, co-creators).
type Row = (u32, RwSignal<String>, RwSignal<String>);

fn add_row(rows: RwSignal<Vec<Row>>) {
    rows.update(|r| {
        let id = r.last().map_or(0, |last| last.0 + 1);
        r.push((
            id,
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
        ));
    });
}

/// A percentage typed by the user (`25`, `12.5`) in basis points, if it is one.
fn percent_to_bps(text: &str) -> Option<u16> {
    let percent: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0)
        .contains(&percent)
        .then(|| (percent * 100.0).round() as u16)
}

/// The form's fields as typed, one signal each.
#[derive(Debug, Clone, Copy)]
struct Draft {
    title: RwSignal<String>,
    description: RwSignal<String>,
    licence: RwSignal<String>,
    editions: RwSignal<String>,
    royalty: RwSignal<String>,
    attributes: RwSignal<Vec<Row>>,
    co_creators: RwSignal<Vec<Row>>,
}

impl Draft {
    fn new(title: String, licence: String) -> Self {
        Self {
            title: RwSignal::new(title),
            description: RwSignal::new(String::new()),
            licence: RwSignal::new(licence),
            editions: RwSignal::new("1".to_owned()),
            royalty: RwSignal::new("10".to_owned()),
            attributes: RwSignal::new(Vec::new()),
            co_creators: RwSignal::new(Vec::new()),
        }
    }

    /// The request for the chosen `file` (unparsable numbers become values the shell refuses
    /// with a clear error).
    fn request(&self, file: &FileToken) -> MintWorkRequest {
        MintWorkRequest {
            file: file.clone(),
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            licence: self.licence.get_untracked(),
            editions: self.editions.get_untracked().trim().parse().unwrap_or(0),
            royalty_bps: percent_to_bps(&self.royalty.get_untracked()).unwrap_or(u16::MAX),
            attributes: self
                .attributes
                .get_untracked()
                .into_iter()
                .map(|(_, name, value)| AttributeInput {
                    name: name.get_untracked(),
                    value: value.get_untracked(),
                })
                .collect(),
            co_creators: self
                .co_creators
                .get_untracked()
                .into_iter()
                .filter(|(_, address, _)| !address.get_untracked().trim().is_empty())
                .map(|(_, address, share)| ShareInput {
                    address: address.get_untracked().trim().to_owned(),
                    bps: percent_to_bps(&share.get_untracked()).unwrap_or(0),
                })
                .collect(),
        }
    }
}

/// The mint of the chosen `file`: details, summary, registration and its outcome.
#[component]
pub fn MintForm(
    file: FileToken,
    default_title: String,
    accounts: RwSignal<Vec<AccountInfo>>,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // An account that is not an issuer sends the work for an issuer's endorsement instead.
    let artist = Signal::derive(move || {
        accounts.with(|a| {
            a.iter()
                .find(|x| x.active)
                .is_some_and(|x| !x.holds(Role::Issuer))
        })
    });
    let issuer_asked = RwSignal::new(String::new());
    let lang = use_lang();
    // The default licence in the language the form opened in (it is the work's metadata).
    let draft = Draft::new(
        default_title,
        Text::AllRightsReserved
            .text(lang.get_untracked())
            .to_owned(),
    );
    let confirming = RwSignal::new(None::<MintWorkRequest>);
    let job = RwSignal::new(String::new());
    let stage = RwSignal::new(None::<MintProgress>);
    api::listen::<MintProgress>(events::MINT_PROGRESS, move |p| {
        if p.job.as_deref() == Some(job.get_untracked().as_str()) {
            stage.set(Some(p));
        }
    });
    let register = Action::new_local(move |(request, id): &(MintWorkRequest, String)| {
        let (request, id) = (request.clone(), id.clone());
        async move {
            let result = api::invoke_job::<commands::MintWork>(&request, &id).await;
            // A registered work keeps its summary with every step done; otherwise back to the form.
            if result.is_err() {
                confirming.set(None);
            }
            result
        }
    });
    let endorse = Action::new_local(move |request: &EndorsementSendRequest| {
        let request = request.clone();
        async move {
            let result = api::invoke::<commands::EndorsementSend>(&request).await;
            if result.is_err() {
                confirming.set(None);
            }
            result
        }
    });
    let (minting, outcome) = (register.pending(), register.value());
    let (sending, sent) = (endorse.pending(), endorse.value());
    let busy = Signal::derive(move || minting.get() || sending.get());
    let registered = move || {
        outcome.with(|o| matches!(o, Some(Ok(_)))) || sent.with(|o| matches!(o, Some(Ok(_))))
    };
    let review = move || {
        if !busy.get_untracked() {
            register.clear();
            endorse.clear();
            confirming.set(Some(draft.request(&file)));
        }
    };
    let sign = move || {
        let Some(request) = confirming.get_untracked() else {
            return;
        };
        if artist.get_untracked() {
            let issuer = issuer_asked.get_untracked().trim().to_owned();
            endorse.dispatch(EndorsementSendRequest {
                work: request,
                issuer: (!issuer.is_empty()).then_some(issuer),
            });
            return;
        }
        let id = api::job_id("mint");
        job.set(id.clone());
        stage.set(None);
        register.dispatch((request, id));
    };
    view! {
        <form class="mintform" on:submit=move |ev| { ev.prevent_default(); review(); }>
            <h3>{t(Text::RegisterOnChain)}</h3>
            {move || artist.get().then(|| view! { <p class="note" id="mint-endorsement-note">{t(Text::EndorsementNote)}</p> })}
            <DraftFields draft=draft />
            {move || artist.get().then(|| view! {
                <label class="field">
                    <span>{t(Text::IssuerToAsk)}</span>
                    <input id="mint-issuer" type="text" placeholder="0x…" prop:value=move || issuer_asked.get()
                        on:input=move |ev| issuer_asked.set(event_target_value(&ev)) />
                </label>
            })}
            <Show when=move || confirming.with(Option::is_none) && !registered()>
                <button id="mint-button" class="primary" type="submit">
                    {move || if artist.get() { t(Text::SendForEndorsement)() } else { t(Text::ReviewAndSign)() }}
                </button>
            </Show>
            {move || confirming.get().map(|r| view! {
                <MintSummary request=r busy=busy stage=stage done=Signal::derive(registered)
                    endorse=artist.get_untracked()
                    on_sign=sign
                    on_back=move || confirming.set(None)
                    on_cancel=move || api::cancel(job.get_untracked()) />
            })}
            {move || outcome.get().map(|o| view! { <MintOutcome outcome=o open_work=open_work /> })}
            {move || sent.get().map(|o| view! { <EndorsementOutcome outcome=o /> })}
        </form>
    }
}

/// The editable details of the work.
#[component]
fn DraftFields(draft: Draft) -> impl IntoView {
    let field = |label: Text, id: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input id=id type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        {field(Text::Title, "mint-title", draft.title)}
        {field(Text::Description, "mint-description", draft.description)}
        {field(Text::Licence, "mint-licence", draft.licence)}
        <div class="pair">
            {field(Text::EditionsField, "mint-editions", draft.editions)}
            {field(Text::RoyaltyField, "mint-royalty", draft.royalty)}
        </div>
        <RowList rows=draft.attributes id="mint-attributes" legend=Text::Attributes
            first=Text::AttributeName second=Text::AttributeValue add=Text::AddAttribute />
        <RowList rows=draft.co_creators id="mint-co-creators" legend=Text::CoCreators
            first=Text::CoCreatorAddress second=Text::CoCreatorShare add=Text::AddCoCreator />
    }
}

/// How the registration ended: registered (with a way to the work), sent to review, cancelled,
/// or refused.
#[component]
fn MintOutcome(
    outcome: Result<MintWorkReport, hallmark_api::ApiError>,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    match outcome {
        Ok(r) => {
            let token: Option<u64> = r.token_id.parse().ok();
            view! {
                <div class="ok" id="mint-result" role="status">
                    <p>{tr(move |l| i18n::registered_as(l, &r.work_id, &r.token_id, r.block_number, r.elapsed_ms))}</p>
                    <p class="mono small">{tr(move |l| i18n::tx(l, &r.tx_hash))}</p>
                    {token.map(|token| view! {
                        <button id="mint-open-work" type="button" on:click=move |_| open_work(token)>{t(Text::OpenWork)}</button>
                    })}
                </div>
            }
            .into_any()
        }
        Err(e)
            if matches!(
                e.code,
                ErrorCode::ReviewSubmitted | ErrorCode::ReviewPending
            ) =>
        {
            view! {
                <div class="notice" id="mint-review" role="status">
                    <strong>{t(Text::SentToReview)}</strong>{e.message.clone()}
                </div>
            }
            .into_any()
        }
        Err(e) if e.code == ErrorCode::JobCancelled => view! {
            <div class="notice" id="mint-cancelled" role="status">{t(Text::MintCancelled)}</div>
        }
        .into_any(),
        Err(e) => view! { <ErrorBox error=e id="mint-error" /> }.into_any(),
    }
}

/// How sending for endorsement ended: sent (with where to follow it), or refused.
#[component]
fn EndorsementOutcome(
    outcome: Result<EndorsementSentReport, hallmark_api::ApiError>,
) -> impl IntoView {
    match outcome {
        Ok(r) => {
            let id = r.request_id;
            let issuer = r.issuer.clone();
            view! {
                <div class="ok" id="endorse-sent" role="status">
                    <p>{tr(move |l| {
                        let issuer = issuer.clone().map_or_else(
                            || Text::AnyIssuer.text(l).to_owned(),
                            |i| format::address(&i),
                        );
                        i18n::endorsement_sent(l, id, &issuer)
                    })}</p>
                </div>
            }
            .into_any()
        }
        Err(e) => view! { <ErrorBox error=e id="mint-error" /> }.into_any(),
    }
}

/// A list of two-field rows with an "add" and a "remove" button per row.
#[component]
fn RowList(
    rows: RwSignal<Vec<Row>>,
    id: &'static str,
    legend: Text,
    first: Text,
    second: Text,
    add: Text,
) -> impl IntoView {
    view! {
        <fieldset class="rows" id=id>
            <legend>{t(legend)}</legend>
            <For each=move || rows.get() key=|row| row.0 let:row>
                <div class="entry">
                    <input type="text" class="row-first" aria-label=t(first) placeholder=t(first)
                        prop:value=move || row.1.get() on:input=move |ev| row.1.set(event_target_value(&ev)) />
                    <input type="text" class="row-second" aria-label=t(second) placeholder=t(second)
                        prop:value=move || row.2.get() on:input=move |ev| row.2.set(event_target_value(&ev)) />
                    <button type="button" class="remove" aria-label=t(Text::Remove) title=t(Text::Remove)
                        on:click=move |_| rows.update(|r| r.retain(|x| x.0 != row.0))>"×"</button>
                </div>
            </For>
            <button type="button" class="add-row" on:click=move |_| add_row(rows)>{t(add)}</button>
        </fieldset>
    }
}

/// What will be signed, in plain words, then the steps of the mint as they happen. Escape goes
/// back to the form until the mint is signed.
#[component]
fn MintSummary(
    request: MintWorkRequest,
    #[prop(into)] busy: Signal<bool>,
    stage: RwSignal<Option<MintProgress>>,
    done: Signal<bool>,
    /// Sent for an issuer's endorsement rather than registered.
    endorse: bool,
    on_sign: impl Fn() + Copy + Send + Sync + 'static,
    on_back: impl Fn() + Copy + Send + Sync + 'static,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (heading, note, sign) = if endorse {
        (
            Text::ConfirmEndorsement,
            Text::EndorsementSignNote,
            Text::SendForEndorsement,
        )
    } else {
        (Text::ConfirmMint, Text::MintSignNote, Text::SignAndRegister)
    };
    let label = tr(move |l| heading.text(l).to_owned());
    let escape = move || {
        if !busy.get_untracked() && !done.get_untracked() {
            on_back();
        }
    };
    view! {
        <ConfirmDialog id="mint-confirm" label=label on_escape=escape>
            <h4>{t(heading)}</h4>
            <SummaryFacts request=request />
            <p class="muted small">{t(note)}</p>
            <Show when=move || busy.get() || done.get() fallback=move || view! {
                <div class="actions">
                    <button id="mint-sign" class="primary" type="button" on:click=move |_| on_sign()>{t(sign)}</button>
                    <button id="mint-back" type="button" on:click=move |_| on_back()>{t(Text::Back)}</button>
                </div>
            }>
                {if endorse {
                    view! { <p class="muted" id="endorse-sending" aria-live="polite">{move || if busy.get() { t(Text::Sending)() } else { "" }}</p> }.into_any()
                } else {
                    view! { <MintStages busy=busy stage=stage done=done on_cancel=on_cancel /> }.into_any()
                }}
            </Show>
        </ConfirmDialog>
    }
}

/// The request in plain words: title, editions, licence, royalty and its split, attributes.
#[component]
fn SummaryFacts(request: MintWorkRequest) -> impl IntoView {
    let shared: u32 = request.co_creators.iter().map(|c| u32::from(c.bps)).sum();
    let creator_share = 10_000u32.saturating_sub(shared);
    let royalty = format::percent_bps(u32::from(request.royalty_bps));
    let MintWorkRequest {
        title,
        editions,
        licence,
        attributes,
        co_creators,
        ..
    } = request;
    view! {
        <dl>
            <dt>{t(Text::Title)}</dt><dd>{title}</dd>
            <dt>{t(Text::EditionsField)}</dt><dd>{editions}</dd>
            <dt>{t(Text::Licence)}</dt><dd>{licence}</dd>
            <dt>{t(Text::RoyaltyField)}</dt><dd>{royalty}</dd>
            <dt>{t(Text::RoyaltySplit)}</dt>
            <dd>
                <div>{tr(move |l| i18n::creator_share(l, &format::percent_bps(creator_share)))}</div>
                {co_creators.into_iter().map(|c| {
                    let share = format::percent_bps(u32::from(c.bps));
                    view! { <div class="mono small">{format!("{} · {share}", c.address)}</div> }
                }).collect_view()}
            </dd>
            {(!attributes.is_empty()).then(|| view! {
                <dt>{t(Text::Attributes)}</dt>
                <dd>{attributes.into_iter().filter(|a| !a.name.trim().is_empty()).map(|a| view! {
                    <div>{format!("{}: {}", a.name, a.value)}</div>
                }).collect_view()}</dd>
            })}
        </dl>
    }
}

/// Where the mint is: each step waiting, active or done, and cancel while it still can be.
#[component]
fn MintStages(
    busy: Signal<bool>,
    stage: RwSignal<Option<MintProgress>>,
    done: Signal<bool>,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let reached = move |name: MintStage| {
        let at = stage.with(|s| s.as_ref().map(|p| p.stage));
        let order = |n: MintStage| MINT_STAGES.iter().position(|(s, _)| *s == n);
        match (at.and_then(order), order(name)) {
            (Some(current), Some(this)) if this < current => "done",
            (Some(current), Some(this)) if this == current => "active",
            _ if at == Some(MintStage::Done) || done.get() => "done",
            _ => "waiting",
        }
    };
    let cancellable = move || stage.with(|s| s.as_ref().is_none_or(|p| p.cancellable));
    view! {
        <ol class="stages" id="mint-stages" aria-live="polite">
            {MINT_STAGES.into_iter().map(|(name, label)| view! {
                <li class=move || reached(name)>{t(label)}</li>
            }).collect_view()}
        </ol>
        <Show when=move || busy.get()>
            <button id="mint-cancel" type="button" disabled=move || !cancellable() on:click=move |_| on_cancel()>
                {tr(move |l| if cancellable() { Text::Cancel } else { Text::TooLateToCancel }.text(l).into())}
            </button>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_percentages_become_basis_points() {
        assert_eq!(percent_to_bps("25"), Some(2500));
        assert_eq!(percent_to_bps(" 12.5 % "), Some(1250));
        assert_eq!(percent_to_bps("0"), Some(0));
        assert_eq!(percent_to_bps("100"), Some(10_000));
        for bad in ["", "-1", "100.5", "ten", "NaN"] {
            assert_eq!(percent_to_bps(bad), None, "{bad:?}");
        }
    }
}
