//! Registered works shown beside a new one: the copy check, the review queue and Verify.

use hallmark_api::{MatchedWork, media_url};
use leptos::prelude::*;

use crate::format;

/// One line about how close a match is.
fn closeness(m: &MatchedWork) -> String {
    match (m.distance, m.transform.as_deref()) {
        (None, _) => "the exact same bytes".to_owned(),
        (Some(d), Some(t)) if t != "original" => {
            format!("{d} of 256 bits apart ({})", t.replace('_', " "))
        }
        (Some(d), _) => format!("{d} of 256 bits apart"),
    }
}

/// A row of registered works with their pictures and distances.
#[component]
pub fn MatchGrid(matches: Vec<MatchedWork>, id: &'static str) -> impl IntoView {
    view! {
        <div class="matches" id=id>
            {matches.into_iter().map(|m| {
                let picture = m.thumbnail_cid.as_deref().map(media_url);
                let title = m.title.clone().unwrap_or_else(|| "Untitled".into());
                view! {
                    <div class="match">
                        {match picture {
                            Some(url) => view! { <img src=url alt=title.clone() /> }.into_any(),
                            None => view! { <div class="placeholder">"no picture"</div> }.into_any(),
                        }}
                        <div class="meta">
                            <strong>{format!("Work {} · {title}", m.work_id)}</strong>
                            <span class="small">{closeness(&m)}</span>
                            <span class="muted small">{format!("by {} · {}", format::address(&m.creator), format::utc(m.registered_at))}</span>
                        </div>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}
