//! The Work page: one token with its work, the facts that prove it, and its provenance drawn as
//! a timeline.

use hallmark_api::{
    AccountInfo, ApiError, EventKind, ExportProofReport, ExportProofRequest, MarketRequest,
    MediaKind, MetadataStatus, Role, TimelineEntry, WorkDetail, WorkDetailRequest, commands,
    media_url,
};
use leptos::prelude::*;

use super::ConfirmDialog;
use crate::i18n::{self, Lang, Message, Text, t, tr, use_lang};
use crate::{api, format};

/// A sentence for one timeline entry.
fn describe(lang: Lang, e: &TimelineEntry) -> String {
    let who = |a: &Option<String>| a.as_deref().map(format::address).unwrap_or_default();
    let (actor, counterparty) = (who(&e.actor), who(&e.counterparty));
    let amount = e
        .amount_cents
        .map(|c| format::credits(lang, c))
        .unwrap_or_default();
    match e.kind {
        EventKind::Registered => i18n::registered_by(lang, &actor, &counterparty),
        EventKind::Minted => i18n::edition_minted_to(lang, &counterparty),
        EventKind::Listed => i18n::listed_for(lang, &amount, &actor),
        EventKind::ListingCancelled => i18n::listing_withdrawn_by(lang, &actor),
        EventKind::Sold => i18n::sold_for(lang, &amount, &actor, &counterparty),
        EventKind::Gifted => i18n::given(lang, &actor, &counterparty),
        EventKind::LicenceOffered => i18n::licence_offered(lang, &counterparty, &amount),
        EventKind::LicenceOfferRevoked => Text::LicenceOfferWithdrawn.text(lang).to_owned(),
        EventKind::LicenceAccepted => i18n::licence_accepted(lang, &counterparty, &amount),
        EventKind::Frozen => i18n::frozen_by(lang, &actor),
        EventKind::Unfrozen => i18n::unfrozen_by(lang, &actor),
        EventKind::MetadataUpdate => Text::MetadataUpdated.text(lang).to_owned(),
        other => other.as_str().replace('_', " "),
    }
}

/// The labelled facts of a token, in `lang`.
fn facts(lang: Lang, d: &WorkDetail) -> [(Text, String); 11] {
    [
        (Text::Creator, d.card.creator.clone()),
        (Text::Holder, d.card.owner.clone()),
        (Text::Issuer, d.issuer.clone()),
        (
            Text::EditionsMinted,
            format!("{} / {}", d.minted, d.card.max_editions),
        ),
        (
            Text::Royalty,
            i18n::royalty_on_resale(lang, f64::from(d.royalty_bps) / 100.0),
        ),
        (
            Text::RegisteredAt,
            i18n::date_at_block(lang, &format::utc(d.registered_at), d.registered_block),
        ),
        (Text::Transaction, d.registered_tx.clone()),
        (
            Text::ContentSha,
            d.content_hash.trim_start_matches("0x").to_owned(),
        ),
        (
            Text::Media,
            d.media_cid.as_ref().map_or_else(
                || Text::Unknown.text(lang).to_owned(),
                |c| format!("ipfs://{c}"),
            ),
        ),
        (Text::Metadata, format!("ipfs://{}", d.metadata_cid)),
        (
            Text::Licence,
            d.licence.clone().unwrap_or_else(|| "—".into()),
        ),
    ]
}

/// What the confirmation box says will be signed, in `lang` (`price` is the listing's,
/// `edition` the next edition to mint and N).
fn confirmation(
    lang: Lang,
    request: &MarketRequest,
    price: Option<i64>,
    royalty_bps: u16,
    edition: (u32, u32),
) -> String {
    let royalty = f64::from(royalty_bps) / 100.0;
    let listed = format::credits(lang, price.unwrap_or_default());
    match request {
        MarketRequest::Cancel { token_id } => i18n::confirm_cancel(lang, token_id, &listed),
        MarketRequest::List {
            token_id,
            price_cents,
        } => {
            let price = format::credits(lang, i64::try_from(*price_cents).unwrap_or(i64::MAX));
            i18n::confirm_list(lang, token_id, &price, royalty)
        }
        MarketRequest::Gift { token_id, to } => {
            i18n::confirm_give(lang, token_id, &format::address(to))
        }
        MarketRequest::Buy {
            token_id,
            price_cents,
        } => {
            let price = format::credits(lang, i64::try_from(*price_cents).unwrap_or(i64::MAX));
            i18n::confirm_buy(lang, token_id, &price, royalty)
        }
        MarketRequest::MintEdition { work_id, to } => {
            i18n::confirm_edition(lang, edition.0, edition.1, work_id, &format::address(to))
        }
    }
}

/// The page of one token.
#[component]
pub fn WorkPage(
    token_id: u64,
    version: RwSignal<u32>,
    accounts: RwSignal<Vec<AccountInfo>>,
    back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let detail = LocalResource::new(move || {
        version.track();
        async move { api::invoke::<commands::WorkDetail>(&WorkDetailRequest { token_id }).await }
    });
    // Kept here, not in the panel: every new block reloads the detail and draws the panel
    // again, and a confirmation open (or a trade under way) must survive that.
    let (trade, proof) = (TradeState::new(), ProofState::new(token_id));
    view! {
        <section class="page">
            <button id="work-back" class="link" on:click=move |_| back()>{t(Text::BackToExplore)}</button>
            {move || match detail.get() {
                None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" id="work-error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(d)) => view! { <Detail d=d accounts=accounts trade=trade proof=proof /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Detail(
    d: WorkDetail,
    accounts: RwSignal<Vec<AccountInfo>>,
    trade: TradeState,
    proof: ProofState,
) -> impl IntoView {
    let lang = use_lang();
    let card = d.card.clone();
    let unavailable = matches!(
        card.media_status,
        MetadataStatus::Unavailable | MetadataStatus::Invalid
    );
    let picture = card
        .thumbnail_cid
        .as_deref()
        .filter(|_| !unavailable)
        .map(media_url);
    let title = {
        let title = card.title.clone();
        tr(move |l| {
            title
                .clone()
                .unwrap_or_else(|| Text::Untitled.text(l).to_owned())
        })
    };
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let (frozen_reason, transferable_at) = (d.frozen_reason, d.transferable_at);
    let blocked = frozen_reason != 0 || transferable_at > now;
    let blocked_note = tr(move |l| {
        if frozen_reason != 0 {
            i18n::frozen_note(l, frozen_reason)
        } else {
            i18n::resale_after(l, &format::utc(transferable_at))
        }
    });
    let kind = card.kind.map(MediaKind::as_str).unwrap_or_default();
    let (edition, max_editions, token_id) = (card.edition, card.max_editions, card.token_id);
    let price = card.price_cents;
    let rows = {
        let d = d.clone();
        move || {
            facts(lang.get(), &d).map(|(label, value)| view! {
                <div class="row"><span class="label">{t(label)}</span><span class="mono">{value}</span></div>
            })
        }
    };
    let timeline = d.timeline.clone();
    view! {
        <div class="work-detail">
            <div class="preview-pane">
                {match picture {
                    Some(url) => view! { <img id="work-picture" src=url alt=title /> }.into_any(),
                    None if unavailable => view! { <div class="placeholder big">{t(Text::MediaUnavailable)}</div> }.into_any(),
                    None => view! { <div class="placeholder big">{tr(move |l| i18n::kind(l, kind))}</div> }.into_any(),
                }}
                {d.media_error.clone().filter(|_| unavailable).map(|e| view! { <p class="warn small">{e}</p> })}
            </div>
            <div class="facts">
                <h1 id="work-title">{title}</h1>
                <p class="muted">{tr(move |l| i18n::edition_token(l, edition, max_editions, token_id))}
                    " " <super::durability::RefreshButton work_id=token_id / 1_000_000 /></p>
                <p class="price big-price" id="work-price">
                    {tr(move |l| price.map_or_else(
                        || Text::NotForSale.text(l).to_owned(),
                        |p| i18n::for_sale(l, &format::credits(l, p)),
                    ))}
                </p>
                {blocked.then(|| view! { <p class="note" id="work-trade-note">{blocked_note}</p> })}
                {(!blocked).then(|| view! { <TradePanel card=card.clone() royalty_bps=d.royalty_bps issuer=d.issuer.clone() minted=d.minted accounts=accounts state=trade /> })}
                <ProofPanel token_id=card.token_id owner=card.owner.clone() accounts=accounts state=proof />
                {d.description.clone().map(|t| view! { <p class="description">{t}</p> })}
                {(!d.attributes.is_empty()).then(|| view! {
                    <div class="attributes">
                        {d.attributes.iter().map(|(k, v)| view! { <span class="tag">{format!("{k}: {v}")}</span> }).collect_view()}
                    </div>
                })}
                <div class="card">{rows}</div>
            </div>
        </div>
        <h2>{t(Text::Provenance)}</h2>
        <ol class="timeline" id="work-timeline">
            {move || {
                let lang = lang.get();
                timeline.iter().map(|e| view! {
                    <li class=format!("event {}", e.kind)>
                        <span class="dot"></span>
                        <div class="what">{describe(lang, e)}</div>
                        <div class="when muted small">
                            {i18n::timeline_when(lang, &format::utc(e.timestamp), e.block, &format::short(&e.tx_hash))}
                        </div>
                    </li>
                }).collect_view()
            }}
        </ol>
    }
}

/// A work page's trading state: the transaction waiting for confirmation, the last error, what
/// is typed, and the trade under way.
#[derive(Clone, Copy)]
struct TradeState {
    pending: RwSignal<Option<MarketRequest>>,
    error: RwSignal<Option<Message>>,
    price_text: RwSignal<String>,
    gift_to: RwSignal<String>,
    trade: Action<MarketRequest, ()>,
}

impl TradeState {
    fn new() -> Self {
        let pending = RwSignal::new(None::<MarketRequest>);
        let error = RwSignal::new(None::<Message>);
        let trade = Action::new_local(move |request: &MarketRequest| {
            let request = request.clone();
            async move {
                match api::invoke::<commands::MarketAction>(&request).await {
                    Ok(_) => pending.set(None),
                    Err(e) => error.set(Some(Message::Raw(e.to_string()))),
                }
            }
        });
        Self {
            pending,
            error,
            price_text: RwSignal::new(String::new()),
            gift_to: RwSignal::new(String::new()),
            trade,
        }
    }
}

/// What the active account can do with this token, with a confirmation step that says in plain
/// words what will be signed.
#[component]
fn TradePanel(
    card: hallmark_api::WorkCard,
    royalty_bps: u16,
    /// The work's issuer: it and the creator mint further editions.
    issuer: String,
    /// Editions minted so far.
    minted: u32,
    accounts: RwSignal<Vec<AccountInfo>>,
    state: TradeState,
) -> impl IntoView {
    let TradeState {
        pending,
        error,
        price_text,
        gift_to,
        trade,
    } = state;
    let busy = trade.pending();
    let sign = move || {
        if let Some(request) = pending.get_untracked() {
            error.set(None);
            trade.dispatch(request);
        }
    };
    let active = move || accounts.with(|a| a.iter().find(|x| x.active).cloned());
    let (token, price, owner) = (card.token_id, card.price_cents, card.owner);
    let (creator, max_editions) = (card.creator, card.max_editions);
    let next_edition = (minted + 1, max_editions);
    view! {
        <div class="trade" id="trade-panel">
            {move || {
                let Some(me) = active() else {
                    return view! { <p class="note">{t(Text::NeedsAccount)}</p> }.into_any();
                };
                match (me.address == owner, price) {
                    (true, Some(_)) => view! {
                        <button id="cancel-button" class="secondary" on:click=move |_| pending.set(Some(
                            MarketRequest::Cancel { token_id: token },
                        ))>{t(Text::WithdrawListing)}</button>
                    }.into_any(),
                    (true, None) => {
                        let others: Vec<AccountInfo> = accounts.get().into_iter().filter(|a| a.address != owner && a.holds(Role::Member)).collect();
                        view! {
                            <ListForm token=token price_text=price_text pending=pending error=error />
                            <GiftForm token=token others=others gift_to=gift_to pending=pending error=error />
                        }.into_any()
                    }
                    (false, Some(p)) => view! {
                        <button id="buy-button" class="primary" on:click=move |_| pending.set(Some(
                            MarketRequest::Buy { token_id: token, price_cents: u64::try_from(p).unwrap_or_default() },
                        ))>{tr(move |l| i18n::buy_for(l, &format::credits(l, p)))}</button>
                    }.into_any(),
                    (false, None) => view! { <p class="note">{t(Text::OnlyHolderLists)}</p> }.into_any(),
                }
            }}
            {move || {
                let me = active()?;
                let may_mint = (me.address == creator || me.address == issuer) && minted < max_editions;
                may_mint.then(|| {
                    let others: Vec<AccountInfo> = accounts.get().into_iter().filter(|a| a.address != me.address && a.holds(Role::Member)).collect();
                    view! { <EditionForm work_id=token / format::EDITION_BASE me=me.address.clone() others=others next=next_edition pending=pending /> }
                })
            }}
            {move || pending.get().map(|request| {
                let who = move || active().map(|a| format!("{} ({})", a.label, format::address(&a.address))).unwrap_or_default();
                let what = move |l: Lang| confirmation(l, &request, price, royalty_bps, next_edition);
                view! { <TradeConfirm who=who what=what busy=busy on_sign=sign on_close=move || pending.set(None) /> }
            })}
            <div aria-live="polite">
                {move || error.get().map(|e| view! { <p class="error" id="trade-error" role="alert">{tr(move |l| e.text(l))}</p> })}
            </div>
        </div>
    }
}

/// The holder's price field and "List for sale".
#[component]
fn ListForm(
    token: u64,
    price_text: RwSignal<String>,
    pending: RwSignal<Option<MarketRequest>>,
    error: RwSignal<Option<Message>>,
) -> impl IntoView {
    let list = move |_| match hallmark_api::credits::parse(&price_text.get_untracked())
        .filter(|c| *c > 0)
    {
        Some(cents) => {
            error.set(None);
            pending.set(Some(MarketRequest::List {
                token_id: token,
                price_cents: cents,
            }));
        }
        None => error.set(Some(Message::Text(Text::TypePrice))),
    };
    view! {
        <div class="trade-row">
            <input id="list-price" type="text" inputmode="decimal" placeholder=t(Text::PriceInCredits) aria-label=t(Text::PriceInCredits)
                prop:value=move || price_text.get() on:input=move |ev| price_text.set(event_target_value(&ev)) />
            <button id="list-button" class="primary" on:click=list>{t(Text::ListForSale)}</button>
        </div>
    }
}

/// The holder's choice of member to give the token to, and "Give".
#[component]
fn GiftForm(
    token: u64,
    others: Vec<AccountInfo>,
    gift_to: RwSignal<String>,
    pending: RwSignal<Option<MarketRequest>>,
    error: RwSignal<Option<Message>>,
) -> impl IntoView {
    let give = move |_| {
        let to = gift_to.get_untracked();
        if to.is_empty() {
            error.set(Some(Message::Text(Text::ChooseRecipient)));
        } else {
            error.set(None);
            pending.set(Some(MarketRequest::Gift {
                token_id: token,
                to,
            }));
        }
    };
    view! {
        <div class="trade-row">
            <select id="gift-to" aria-label=t(Text::GiveTo) on:change=move |ev| gift_to.set(event_target_value(&ev))>
                <option value="">{t(Text::GiveToChoose)}</option>
                {others.into_iter().map(|a| view! { <option value=a.address.clone()>{format!("{} ({})", a.label, format::address(&a.address))}</option> }).collect_view()}
            </select>
            <button id="gift-button" class="secondary" on:click=give>{t(Text::Give)}</button>
        </div>
    }
}

/// The creator's or issuer's choice of who receives the next edition, and "Mint edition n of N".
#[component]
fn EditionForm(
    work_id: u64,
    me: String,
    others: Vec<AccountInfo>,
    next: (u32, u32),
    pending: RwSignal<Option<MarketRequest>>,
) -> impl IntoView {
    let to = RwSignal::new(me.clone());
    let mint = move |_| {
        pending.set(Some(MarketRequest::MintEdition {
            work_id,
            to: to.get_untracked(),
        }))
    };
    view! {
        <div class="trade-row">
            <select id="edition-to" aria-label=t(Text::EditionRecipient) on:change=move |ev| to.set(event_target_value(&ev))>
                <option value=me.clone()>{t(Text::Myself)}</option>
                {others.into_iter().map(|a| view! { <option value=a.address.clone()>{format!("{} ({})", a.label, format::address(&a.address))}</option> }).collect_view()}
            </select>
            <button id="edition-button" class="secondary" on:click=mint>{tr(move |l| i18n::mint_edition_button(l, next.0, next.1))}</button>
        </div>
    }
}

/// "Sign as … to …": the transaction in words, signed or closed (also with Escape) here.
#[component]
fn TradeConfirm(
    who: impl Fn() -> String + Send + Sync + 'static,
    what: impl Fn(Lang) -> String + Send + Sync + 'static,
    busy: Memo<bool>,
    on_sign: impl Fn() + Copy + Send + Sync + 'static,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let label = tr(|l| Text::ConfirmTransaction.text(l).to_owned());
    let close = move || {
        if !busy.get_untracked() {
            on_close();
        }
    };
    view! {
        <ConfirmDialog id="confirm-box" label=label on_escape=close>
            <p>{tr(move |l| i18n::sign_as(l, &who(), &what(l)))}</p>
            <div class="trade-row">
                <button id="confirm-sign" class="primary" disabled=move || busy.get() on:click=move |_| on_sign()>
                    {tr(move |l| if busy.get() { Text::Signing } else { Text::ConfirmSign }.text(l).into())}
                </button>
                <button class="secondary" disabled=move || busy.get() on:click=move |_| on_close()>{t(Text::Cancel)}</button>
            </div>
        </ConfirmDialog>
    }
}

/// A work page's proof state (kept across the panel's redraws, like [`TradeState`]): the
/// confirmation open, and the export under way or done.
#[derive(Clone, Copy)]
struct ProofState {
    confirming: RwSignal<bool>,
    export: Action<(), Result<ExportProofReport, ApiError>>,
}

impl ProofState {
    fn new(token_id: u64) -> Self {
        let export = Action::new_local(move |_: &()| async move {
            let request = ExportProofRequest {
                token_id: token_id.to_string(),
            };
            api::invoke::<commands::ExportProof>(&request).await
        });
        Self {
            confirming: RwSignal::new(false),
            export,
        }
    }
}

/// For the holder: write the evidence bundle and its certificate (signed in the Rust core).
#[component]
fn ProofPanel(
    token_id: u64,
    owner: String,
    accounts: RwSignal<Vec<AccountInfo>>,
    state: ProofState,
) -> impl IntoView {
    let ProofState { confirming, export } = state;
    let (busy, result) = (export.pending(), export.value());
    let owner = StoredValue::new(owner);
    let signer = move || {
        accounts.with(|a| {
            a.iter()
                .find(|x| x.active && owner.with_value(|o| x.address == *o))
                .map(|x| (x.label.clone(), x.address.clone()))
        })
    };
    // (A memo: the panel is drawn again only when the holder changes, not with every balance.)
    let holder = Memo::new(move |_| signer().is_some());
    let sign = move |_| {
        confirming.set(false);
        export.dispatch(());
    };
    let label = tr(|l| Text::ConfirmTransaction.text(l).to_owned());
    view! {
        {move || holder.get().then(|| view! {
            <div class="proof" id="proof-panel">
                <button id="export-proof" class="secondary" disabled=move || busy.get() || confirming.get()
                    on:click=move |_| { export.clear(); confirming.set(true); }>
                    {tr(move |l| if busy.get() { Text::SigningProof } else { Text::ExportProof }.text(l).into())}
                </button>
                <p class="muted small">{t(Text::ProofNote)}</p>
                <Show when=move || confirming.get()>
                    <ConfirmDialog id="proof-confirm" label=label on_escape=move || confirming.set(false)>
                        <p>{tr(move |l| {
                            let (label, address) = signer().unwrap_or_default();
                            i18n::proof_statement(l, &label, &address, token_id)
                        })}</p>
                        <div class="actions">
                            <button id="proof-sign" class="primary" type="button" on:click=sign>{t(Text::ConfirmSign)}</button>
                            <button type="button" on:click=move |_| confirming.set(false)>{t(Text::Cancel)}</button>
                        </div>
                    </ConfirmDialog>
                </Show>
            </div>
        })}
        {move || result.get().map(|r| match r {
            Ok(p) => view! {
                <div class="card" id="proof-result" role="status">
                    <div class="row"><span class="label">{t(Text::Bundle)}</span><span class="mono" id="proof-bundle-path">{p.bundle_path}</span></div>
                    <div class="row"><span class="label">{t(Text::Certificate)}</span><span class="mono" id="proof-certificate-path">{p.certificate_path}</span></div>
                    <div class="row"><span class="label">"sha-256"</span><span class="mono">{p.sha256}</span></div>
                </div>
            }.into_any(),
            Err(e) => view! { <p class="error" id="proof-error" role="alert">{e.message}</p> }.into_any(),
        })}
    }
}
