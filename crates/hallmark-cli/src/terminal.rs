//! Text from outside (file names, titles, reasons, manifest fields, a node's error text) made safe
//! for a terminal: no character of it can move the cursor, change colours, start a new line or
//! reorder what is shown.
//!
//! Two layers: [`shown`] escapes one untrusted value where a command puts it into a line (a line
//! break in a title becomes `\n`, so it cannot forge a second `error:` line), and [`safe_lines`]
//! escapes every control character except the line breaks of the output itself, on everything
//! written to stdout or stderr, so a value no command escaped still cannot reach the terminal as
//! a control sequence.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls, DEL, and the Unicode
/// controls that reorder or hide text (bidirectional overrides and isolates, the line and
/// paragraph separators).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Escapes `c` as `\n`, `\r`, `\t` or `\uXXXX`: visible in a line, and the same escape JSON
/// uses, so output that is JSON stays JSON that decodes to the same strings (every unsafe
/// character is in the Basic Multilingual Plane).
fn escape_into(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        other => {
            let _ = write!(out, "\\u{:04x}", u32::from(other));
        }
    }
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One untrusted value for a line of output: every control character escaped, line breaks
/// included (`\n`, `\u001b`).
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// A path from outside (a file name may hold any byte but `/` and NUL), escaped like [`shown`].
pub(crate) fn shown_path(path: &std::path::Path) -> String {
    shown(&path.to_string_lossy()).into_owned()
}

/// Output as written to stdout: every control character escaped except the line breaks and
/// tabs of the output's own layout. JSON output stays the same JSON: serde_json escapes line
/// breaks and tabs inside strings, and the rest become `\uXXXX` escapes.
pub(crate) fn safe_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_line_break_and_an_escape_sequence_are_shown_not_obeyed() {
        assert_eq!(
            shown("a\nerror: forged\u{1b}[2J\u{9b}\u{202e}b"),
            "a\\nerror: forged\\u001b[2J\\u009b\\u202eb"
        );
        assert_eq!(shown("plain — “quoted” 日本"), "plain — “quoted” 日本");
        assert_eq!(safe_lines("one\n\ttwo\u{7}\r"), "one\n\ttwo\\u0007\\r");
    }

    #[test]
    fn json_output_stays_the_same_json() {
        let value = serde_json::json!({"title": "x\u{9b}y\u{202e}z\u{1b}\u{7f}\n", "n": 1});
        let text = serde_json::to_string_pretty(&value).expect("json");
        let safe = safe_lines(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_unsafe(c)), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value);
    }

    proptest! {
        /// Whatever a value holds, shown it is one line with no control character.
        #[test]
        fn shown_text_is_one_line_without_controls(text in "\\PC*|[\\x00-\\x{9f}\\x{2028}-\\x{206f}]*") {
            let out = shown(&text);
            prop_assert!(!out.chars().any(is_unsafe));
        }

        /// Output lines keep their breaks and lose every other control.
        #[test]
        fn safe_lines_keep_only_line_breaks_and_tabs(text in "[\\x00-\\x{a0}\\x{202a}-\\x{202e}a-z]*") {
            let out = safe_lines(&text);
            prop_assert!(!out.chars().any(|c| c != '\n' && c != '\t' && is_unsafe(c)));
            prop_assert_eq!(out.matches('\n').count(), text.matches('\n').count());
        }
    }
}
