//! The shell's check of an address the UI sends, used by every command. (Files come only by
//! token: [`crate::files`].)

use hallmark_engine::Address;

use crate::error::{CommandError, CommandResult};

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
