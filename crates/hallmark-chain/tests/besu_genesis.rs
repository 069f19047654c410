//! The sample Besu network and the sample Hallmark config agree on the chain.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

use std::path::{Path, PathBuf};

fn besu_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/besu")
}

fn read_json(name: &str) -> serde_json::Value {
    let path = besu_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn genesis_chain_id_matches_the_hallmark_config() {
    let genesis = read_json("genesis.json");
    let generator = read_json("qbft-config.json");
    let config = read_json("hallmark-config.json");
    let chain_id = genesis["config"]["chainId"]
        .as_u64()
        .expect("genesis config.chainId");
    assert_eq!(config["chain"]["kind"], "rpc");
    assert_eq!(config["chain"]["chain_id"].as_u64(), Some(chain_id));
    assert_eq!(
        generator["genesis"]["config"]["chainId"].as_u64(),
        Some(chain_id)
    );
    assert_ne!(
        chain_id, 31337,
        "the consortium chain must not reuse the dev chain id"
    );
}

#[test]
fn genesis_is_qbft_with_four_validators_and_free_gas() {
    let genesis = read_json("genesis.json");
    let qbft = &genesis["config"]["qbft"];
    assert!(qbft["blockperiodseconds"].as_u64().is_some_and(|s| s > 0));
    assert_eq!(genesis["config"]["zeroBaseFee"], true);
    assert_eq!(
        genesis["config"]["cancunTime"], 0,
        "contracts are compiled for cancun"
    );
    let extra = genesis["extraData"].as_str().expect("extraData");
    let bytes = hex::decode(extra.trim_start_matches("0x")).expect("hex extraData");
    assert_eq!(
        qbft_validators(&bytes).len(),
        4,
        "4 validators in extraData"
    );
    let generator = read_json("qbft-config.json");
    assert_eq!(generator["blockchain"]["nodes"]["count"], 4);
}

/// The validator addresses of QBFT `extraData` = RLP([vanity(32), [addresses], votes, round, seals]).
fn qbft_validators(extra: &[u8]) -> Vec<&[u8]> {
    let (outer, _) = list_header(extra, 0);
    assert_eq!(extra[outer], 0xa0, "32-byte vanity first");
    let (start, len) = list_header(extra, outer + 33);
    let mut at = start;
    let mut out = Vec::new();
    while at < start + len {
        assert_eq!(extra[at], 0x94, "a 20-byte address");
        out.push(&extra[at + 1..at + 21]);
        at += 21;
    }
    out
}

/// (payload start, payload length) of the RLP list at `at`.
fn list_header(b: &[u8], at: usize) -> (usize, usize) {
    let head = b[at];
    assert!(head >= 0xc0, "an RLP list at {at}");
    if head <= 0xf7 {
        (at + 1, usize::from(head - 0xc0))
    } else {
        let n = usize::from(head - 0xf7);
        let len = b[at + 1..at + 1 + n]
            .iter()
            .fold(0usize, |acc, x| acc << 8 | usize::from(*x));
        (at + 1 + n, len)
    }
}
