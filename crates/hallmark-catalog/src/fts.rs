//! Full-text helpers: text prepared for the FTS5 index and user input turned into a safe MATCH
//! expression (never raw FTS syntax from the user).
//!
//! FTS5's `unicode61` tokenizer keeps a run of CJK characters as one token, so 数字藏品 would only
//! match itself. Both the indexed text and the query put spaces around every CJK character, and
//! a query term becomes a phrase of its characters: 藏品 matches 数字藏品.

/// Whether `c` is a CJK ideograph, kana or hangul syllable (scripts written without spaces).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F  // CJK extensions B–F, compatibility supplement
    )
}

/// `text` with every CJK character separated by spaces, for indexing.
pub(crate) fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Turns what a user typed into an FTS5 MATCH expression: every term must match (AND), the last
/// term also as a prefix (search as you type), each term quoted so no FTS syntax can leak in.
/// Returns `None` when the input has no searchable term.
pub(crate) fn match_expression(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split(|c: char| !(c.is_alphanumeric() || is_cjk(c)))
        .filter(|t| !t.is_empty())
        .take(16)
        .map(|t| {
            let spaced = index_text(t);
            let inner: Vec<&str> = spaced.split_whitespace().collect();
            inner.join(" ")
        })
        .collect();
    let last = terms.len().checked_sub(1)?;
    let parts: Vec<String> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let quoted = format!("\"{}\"", t.replace('"', "\"\""));
            let ends_in_cjk = t.chars().last().is_some_and(is_cjk);
            if i == last && !ends_in_cjk {
                format!("{quoted}*")
            } else {
                quoted
            }
        })
        .collect();
    Some(parts.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_spaced() {
        assert_eq!(index_text("数字藏品 art"), " 数  字  藏  品  art");
    }

    #[test]
    fn expressions_quote_every_term() {
        assert_eq!(
            match_expression("blue  tide").as_deref(),
            Some("\"blue\" AND \"tide\"*")
        );
        assert_eq!(match_expression("藏品").as_deref(), Some("\"藏 品\""));
        assert_eq!(
            match_expression("\"OR NEAR(").as_deref(),
            Some("\"OR\" AND \"NEAR\"*")
        );
        assert_eq!(match_expression("  -*() "), None);
    }
}
