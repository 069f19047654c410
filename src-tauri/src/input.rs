//! The shell's checks of what the UI sends: one rule for a file path and one for an address,
//! used by every command.

use std::path::PathBuf;

use hallmark_engine::Address;

use crate::error::{CommandError, CommandResult};

/// Longest path accepted from the UI.
const MAX_PATH_BYTES: usize = 4096;

/// A path from the UI: trimmed, non-empty, at most 4096 bytes, no NUL, absolute.
pub(crate) fn checked_path(text: &str) -> CommandResult<PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CommandError::invalid("choose a file first"));
    }
    if text.len() > MAX_PATH_BYTES || text.contains('\0') {
        return Err(CommandError::invalid("that is not a file path"));
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(CommandError::invalid(
            "give the full path of the file (starting with /)",
        ));
    }
    Ok(path)
}

/// An address from the UI: `0x` and exactly 40 hex digits (either case), trimmed.
pub(crate) fn checked_address(text: &str) -> CommandResult<Address> {
    let text = text.trim();
    let well_formed = text.len() == 42
        && text.starts_with("0x")
        && text[2..].bytes().all(|b| b.is_ascii_hexdigit());
    well_formed
        .then(|| text.parse().ok())
        .flatten()
        .ok_or_else(|| CommandError::invalid("an address is 0x and 40 hex digits"))
}

/// [`checked_address`] as the catalog stores addresses: `0x` and 40 lowercase hex digits.
pub(crate) fn checked_address_text(text: &str) -> CommandResult<String> {
    checked_address(text).map(|address| format!("{address:#x}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_api::ErrorCode;

    #[test]
    fn paths_are_validated() {
        for bad in [
            "",
            "   ",
            "relative/file.png",
            "/a\0b",
            &format!("/{}", "a".repeat(5000)),
        ] {
            assert_eq!(
                checked_path(bad).err().map(|e| e.code()),
                Some(ErrorCode::RequestInvalid),
                "{bad:?}"
            );
        }
        assert_eq!(
            checked_path(" /tmp/x.png ").ok(),
            Some(PathBuf::from("/tmp/x.png"))
        );
    }

    #[test]
    fn addresses_need_0x_and_40_hex_digits() {
        let lower = format!("0x{}", "ab".repeat(20));
        assert_eq!(
            checked_address_text(&format!("  0x{}  ", "AB".repeat(20))).ok(),
            Some(lower.clone())
        );
        assert!(checked_address(&lower).is_ok());
        for bad in [
            "",
            "0x12",
            "ab".repeat(21).as_str(),
            &"ab".repeat(20),
            &format!("0x{}", "g".repeat(40)),
            &format!("0X{}", "a".repeat(40)),
            &format!("0x{}", "a".repeat(41)),
            "nobody",
        ] {
            assert_eq!(
                checked_address(bad).err().map(|e| e.code()),
                Some(ErrorCode::RequestInvalid),
                "{bad:?}"
            );
        }
    }
}
