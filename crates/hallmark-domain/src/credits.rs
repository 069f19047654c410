//! Amounts of settlement credit (two decimals) as people type and read them.

/// `15`, `12.5`, `12.50` → cents; `None` for anything else (signs, exponents, 3 decimals,
/// overflow).
pub fn parse(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || fraction.len() > 2 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let cents: u64 = format!("{fraction:0<2}").parse().ok()?;
    whole
        .parse::<u64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

/// Cents → `12.50`.
pub fn format(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_strict() {
        assert_eq!(parse("15"), Some(1500));
        assert_eq!(parse(" 12.5 "), Some(1250));
        assert_eq!(parse("0.07"), Some(7));
        assert_eq!(parse("0"), Some(0));
        for bad in [
            "",
            ".5",
            "1.234",
            "-1",
            "+1",
            "1e3",
            "12,50",
            "abc",
            "99999999999999999999",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn format_round_trips() {
        assert_eq!(format(1250), "12.50");
        assert_eq!(format(7), "0.07");
        assert_eq!(format(-150), "-1.50");
        for cents in [0u64, 1, 99, 100, 123_456] {
            assert_eq!(parse(&format(cents as i64)), Some(cents));
        }
    }
}
