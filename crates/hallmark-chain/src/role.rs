//! The consortium roles, as the contract numbers them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A role the council grants (the contract's `Role` enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A real-name verified account that may hold works and credit.
    Member,
    /// An endorsed organisation or artist allowed to mint.
    Issuer,
    /// A content reviewer allowed to freeze works.
    Reviewer,
}

impl Role {
    /// The contract's number of the role.
    pub fn as_u8(self) -> u8 {
        match self {
            Self::Member => 0,
            Self::Issuer => 1,
            Self::Reviewer => 2,
        }
    }
}

impl TryFrom<u8> for Role {
    type Error = u8;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            0 => Ok(Self::Member),
            1 => Ok(Self::Issuer),
            2 => Ok(Self::Reviewer),
            other => Err(other),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Member => "member",
            Self::Issuer => "issuer",
            Self::Reviewer => "reviewer",
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_roundtrip_and_unknown_is_refused() {
        for role in [Role::Member, Role::Issuer, Role::Reviewer] {
            assert_eq!(Role::try_from(role.as_u8()), Ok(role));
        }
        assert_eq!(Role::try_from(3), Err(3));
    }
}
