//! Plain-text formatting helpers (everything the UI shows is text, never HTML). Words come from
//! the catalogue ([`crate::i18n`]); units such as KiB and UTC are the same in every language.

use crate::i18n::{self, Lang};

/// Token ids are `work id × EDITION_BASE + edition` (edition 1 is the creator's).
pub const EDITION_BASE: u64 = 1_000_000;

/// `1536` → `1.5 KiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A long identifier shortened in the middle: `bafkreia…xyz123`.
pub fn short(id: &str) -> String {
    if id.chars().count() <= 20 {
        id.to_owned()
    } else {
        let head: String = id.chars().take(10).collect();
        let tail: String = id
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{head}…{tail}")
    }
}

/// `640 × 480`, or an empty string.
pub fn dimensions(width: Option<u32>, height: Option<u32>) -> String {
    match (width, height) {
        (Some(w), Some(h)) => format!("{w} × {h}"),
        _ => String::new(),
    }
}

/// Credit cents as `15.00 credits` (in `lang`).
pub fn credits(lang: Lang, cents: i64) -> String {
    i18n::credits(lang, &hallmark_api::credits::format(cents))
}

/// Unix seconds as `2026-11-28 21:42 UTC`.
pub fn utc(secs: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    let iso: String = date.to_iso_string().into();
    // 2026-11-28T21:42:09.000Z
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => iso,
    }
}

/// An address shortened: `0x7099…79c8`.
pub fn address(a: &str) -> String {
    if a.len() == 42 {
        format!("{}…{}", &a[..6], &a[38..])
    } else {
        a.to_owned()
    }
}

/// Basis points as a percentage: `1000` → `10 %`, `1250` → `12.5 %`.
pub fn percent_bps(bps: u32) -> String {
    let text = format!("{:.2}", f64::from(bps) / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_points_read_as_percentages() {
        assert_eq!(percent_bps(1000), "10 %");
        assert_eq!(percent_bps(1250), "12.5 %");
        assert_eq!(percent_bps(7501), "75.01 %");
        assert_eq!(percent_bps(0), "0 %");
        assert_eq!(percent_bps(10_000), "100 %");
    }
}
