//! `deploy/besu/`: what can be checked of the sample QBFT network without running Besu. Its
//! genesis `extraData` is QBFT extraData as Besu writes it (`QbftExtraDataCodec.encodeFromAddresses`,
//! what `besu operator generate-blockchain-config` puts there) naming 4 validators, and the
//! genesis, the generator's input, the Hallmark config and the guide agree on the chain.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, hex};
use alloy::signers::local::PrivateKeySigner;
use hallmark_evidence::qbft::{Encoding, QbftExtraData};

fn besu_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/besu")
}

fn read(name: &str) -> String {
    let path = besu_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn genesis_extra_data() -> Vec<u8> {
    let genesis = read_json("genesis.json");
    let text = genesis["extraData"].as_str().expect("genesis extraData");
    hex::decode(text).expect("hex extraData")
}

/// The example validators: the addresses of the private keys 1, 2, 3 and 4 (public knowledge,
/// as in Besu's `BftBlockHashingTest`): a throwaway local network can run from the file as it is.
fn example_validators() -> Vec<Address> {
    (1u8..=4)
        .map(|i| {
            let mut key = [0u8; 32];
            key[31] = i;
            PrivateKeySigner::from_bytes(&B256::from(key))
                .expect("a key")
                .address()
        })
        .collect()
}

#[test]
fn the_genesis_extra_data_is_qbft_with_four_validators_as_besu_writes_it() {
    let bytes = genesis_extra_data();
    let extra = QbftExtraData::decode(&bytes).expect("QBFT extraData");
    assert_eq!(extra.validators.len(), 4, "4 validators");
    assert_eq!(extra.vanity, vec![0u8; 32], "32 zero bytes of vanity");
    assert_eq!(extra.vote, None);
    assert_eq!(extra.round, 0);
    assert!(extra.seals.is_empty(), "a genesis has no commit seals");
    let canonical = QbftExtraData::genesis(extra.validators.clone()).encode(Encoding::All);
    assert_eq!(
        hex::encode_prefixed(&bytes),
        hex::encode_prefixed(canonical),
        "byte for byte what Besu writes for these validators"
    );
    assert_eq!(extra.validators, example_validators());
}

#[test]
fn the_genesis_is_what_the_generator_makes_of_its_input() {
    let mut genesis = read_json("genesis.json");
    let generator = read_json("qbft-config.json");
    // generate-blockchain-config copies its `genesis` and adds the extraData of the keys it makes.
    let object = genesis.as_object_mut().expect("a JSON object");
    object.remove("extraData");
    assert_eq!(&genesis, &generator["genesis"]);
    assert_eq!(generator["blockchain"]["nodes"]["generate"], true);
    assert_eq!(
        generator["blockchain"]["nodes"]["count"].as_u64(),
        Some(example_validators().len() as u64)
    );
}

#[test]
fn the_chain_and_qbft_settings_are_the_guides_and_the_hallmark_configs() {
    let genesis = read_json("genesis.json");
    let config = &genesis["config"];
    let qbft = &config["qbft"];
    let chain_id = config["chainId"].as_u64().expect("chainId");
    let readme = read("README.md");
    let hallmark = read_json("hallmark-config.json");
    assert_eq!(hallmark["chain"]["kind"], "rpc");
    assert_eq!(hallmark["chain"]["chain_id"].as_u64(), Some(chain_id));
    assert!(
        readme.contains(&format!("chain id {chain_id}")),
        "README: chain id"
    );
    for key in ["blockperiodseconds", "epochlength", "requesttimeoutseconds"] {
        let value = qbft[key].as_u64().unwrap_or_else(|| panic!("qbft.{key}"));
        assert!(
            readme.contains(&format!("`{key}` = {value}")),
            "README: {key} = {value}"
        );
    }
    assert!(config.get("ibft2").is_none() && config.get("clique").is_none());
    // BFT headers: difficulty 1 and the BFT mix hash ("Istanbul digest"); free gas.
    assert_eq!(genesis["difficulty"], "0x1");
    assert_eq!(
        genesis["mixHash"],
        "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365"
    );
    assert_eq!(config["zeroBaseFee"], true);
    // The guide exports the profile as QBFT, so bundles record Besu's block hash rule.
    assert!(
        readme.contains("--consensus qbft"),
        "README: --consensus qbft"
    );
    for validator in example_validators() {
        assert!(
            readme.contains(&format!("{validator:#x}")),
            "README names example validator {validator:#x}"
        );
    }
}
