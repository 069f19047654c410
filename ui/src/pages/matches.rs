//! Registered works shown beside a new one: the copy check, the review queue and Verify.

use hallmark_api::{MatchedWork, Transform, media_url};
use leptos::prelude::*;

use crate::format;
use crate::i18n::{self, Lang, Text, t, tr};

/// One line about how close a match is.
fn closeness(lang: Lang, m: &MatchedWork) -> String {
    match (m.distance, m.transform) {
        (None, _) => Text::ExactSameBytes.text(lang).to_owned(),
        (Some(d), Some(t)) if t != Transform::Original => {
            i18n::bits_apart_via(lang, d, &t.as_str().replace('_', " "))
        }
        (Some(d), _) => i18n::bits_apart(lang, d),
    }
}

/// A row of registered works with their pictures and distances.
#[component]
pub fn MatchGrid(matches: Vec<MatchedWork>, id: &'static str) -> impl IntoView {
    view! {
        <div class="matches" id=id>
            {matches.into_iter().map(|m| {
                let picture = m.thumbnail_cid.as_deref().map(media_url);
                let title = {
                    let title = m.title.clone();
                    tr(move |l| title.clone().unwrap_or_else(|| Text::Untitled.text(l).to_owned()))
                };
                let heading = tr(move |l| i18n::work_titled(l, m.work_id, &title.get()));
                let (creator, date) = (format::address(&m.creator), format::utc(m.registered_at));
                view! {
                    <div class="match">
                        {match picture {
                            Some(url) => view! { <img src=url alt=title /> }.into_any(),
                            None => view! { <div class="placeholder">{t(Text::NoPicture)}</div> }.into_any(),
                        }}
                        <div class="meta">
                            <strong>{heading}</strong>
                            <span class="small">{tr(move |l| closeness(l, &m))}</span>
                            <span class="muted small">{tr(move |l| i18n::by_on(l, &creator, &date))}</span>
                        </div>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}
