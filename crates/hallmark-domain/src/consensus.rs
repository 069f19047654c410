//! [`Consensus`]: which rule defines a chain's block hashes.

crate::wire_enum! {
    /// How a chain's block hash is computed from its header. A consortium profile names it, and
    /// an evidence bundle records it so that its verifier re-derives the block hash the chain's
    /// way. The default (and the only value before it was recorded) is [`Consensus::Ethereum`].
    #[derive(Default)]
    pub enum Consensus {
        /// Ethereum's: keccak-256 of the RLP header (anvil, geth, Besu with Clique or ethash).
        #[default]
        Ethereum = "ethereum",
        /// Besu QBFT: keccak-256 of the RLP header whose `extraData` is re-encoded without the
        /// commit seals and with round 0 (`BftBlockHashing.calculateHashOfBftBlockOnchain`).
        Qbft = "qbft",
    }
}

impl Consensus {
    /// Whether this is [`Consensus::Ethereum`] (for `skip_serializing_if`: documents written
    /// before the field existed stay byte for byte the same).
    pub fn is_ethereum(&self) -> bool {
        *self == Self::Ethereum
    }
}

#[cfg(test)]
mod tests {
    use super::Consensus;

    #[test]
    fn wire_forms_are_snake_case_and_ethereum_is_the_default() {
        assert_eq!(
            serde_json::to_string(&Consensus::Qbft).expect("json"),
            "\"qbft\""
        );
        assert_eq!(
            serde_json::from_str::<Consensus>("\"ethereum\"").expect("json"),
            Consensus::Ethereum
        );
        assert!(serde_json::from_str::<Consensus>("\"Qbft\"").is_err());
        assert_eq!(Consensus::default(), Consensus::Ethereum);
        assert_eq!("qbft".parse::<Consensus>(), Ok(Consensus::Qbft));
    }
}
