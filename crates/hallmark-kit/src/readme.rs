//! The kit's description of the chain (`chain.json`, `abi/*.json`, function selectors) and its
//! plain-language `README.md`, filled in from `templates/README.md.template`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use hallmark_chain::{Deployment, format_utc};
use hallmark_domain::ErrorCode;
use hallmark_engine::EngineError;
use serde::Serialize;

use super::{KitManifest, KitWork, kit_error};

/// The contracts' built artifacts (ABI, bytecode); the kit copies only the ABI.
const ARTIFACTS: [(&str, &str); 9] = [
    (
        "HallmarkConsortium",
        include_str!("../../../contracts/out/HallmarkConsortium.json"),
    ),
    (
        "HallmarkCredit",
        include_str!("../../../contracts/out/HallmarkCredit.json"),
    ),
    (
        "HallmarkWorks",
        include_str!("../../../contracts/out/HallmarkWorks.json"),
    ),
    (
        "HallmarkMarket",
        include_str!("../../../contracts/out/HallmarkMarket.json"),
    ),
    (
        "HallmarkLicences",
        include_str!("../../../contracts/out/HallmarkLicences.json"),
    ),
    (
        "HallmarkReviews",
        include_str!("../../../contracts/out/HallmarkReviews.json"),
    ),
    (
        "HallmarkEndorsements",
        include_str!("../../../contracts/out/HallmarkEndorsements.json"),
    ),
    (
        "HallmarkCouncil",
        include_str!("../../../contracts/out/HallmarkCouncil.json"),
    ),
    (
        "HallmarkTimelock",
        include_str!("../../../contracts/out/HallmarkTimelock.json"),
    ),
];

/// The read functions of HallmarkWorks the README's `eth_call`s use.
pub(crate) const WORKS_FUNCTIONS: [&str; 5] = [
    "work(uint256)",
    "ownerOf(uint256)",
    "tokenURI(uint256)",
    "metadataCid(uint256)",
    "workIdByContentHash(bytes32)",
];

/// The 4-byte selector of a Solidity function signature, `0x` and 8 hex digits.
pub(crate) fn selector(signature: &str) -> String {
    let hash = alloy::primitives::keccak256(signature.as_bytes());
    format!("0x{}", hex::encode(&hash[..4]))
}

/// `chain.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KitChain {
    /// The chain id.
    pub(crate) chain_id: u64,
    /// `dev` (a local anvil) or `consortium` (a configured node).
    pub(crate) kind: &'static str,
    /// What a reader should know about this chain.
    pub(crate) note: String,
    /// Hash of the genesis block (block 1's parent): names the chain beyond its id.
    pub(crate) genesis_block_hash: String,
    /// The JSON-RPC URLs the kit's maker used.
    pub(crate) rpc_urls: Vec<String>,
    /// Block of the contracts' deployment.
    pub(crate) deployment_block: u64,
    /// The chain's head when the kit was made.
    pub(crate) head_block: u64,
    /// Contract name → address.
    pub(crate) contracts: BTreeMap<String, String>,
    /// Contract name → its ABI file in the kit.
    pub(crate) abi: BTreeMap<String, String>,
    /// HallmarkWorks function signature → selector, for `eth_call`.
    pub(crate) works_selectors: BTreeMap<String, String>,
}

/// The ABI (only) of each deployed contract, pretty-printed, by contract name.
pub(crate) fn abis(deployment: &Deployment) -> Result<Vec<(String, Vec<u8>)>, EngineError> {
    let mut out = Vec::new();
    for (name, _) in deployment.contracts() {
        let artifact = ARTIFACTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
            .ok_or_else(|| kit_error(ErrorCode::KitAbi, format!("no built artifact for {name}")))?;
        let value: serde_json::Value = serde_json::from_str(artifact)
            .map_err(|e| kit_error(ErrorCode::KitAbi, format!("the artifact of {name}: {e}")))?;
        let abi = value.get("abi").filter(|a| a.is_array()).ok_or_else(|| {
            kit_error(
                ErrorCode::KitAbi,
                format!("the artifact of {name} has no ABI"),
            )
        })?;
        let mut bytes = serde_json::to_vec_pretty(abi)
            .map_err(|e| kit_error(ErrorCode::KitAbi, format!("{name}: {e}")))?;
        bytes.push(b'\n');
        out.push((name.to_owned(), bytes));
    }
    Ok(out)
}

/// A 32-byte hash field (`hash`, `parentHash`) of block `number` from the node at `url`.
async fn block_field(url: &str, number: u64, field: &str) -> Result<String, EngineError> {
    let unreachable = |reason: String| EngineError::ChainUnavailable {
        url: url.to_owned(),
        reason,
    };
    let client = hallmark_net::default_client_builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| unreachable(e.to_string()))?;
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "eth_getBlockByNumber",
        "params": [format!("{number:#x}"), false],
    });
    let reply: serde_json::Value = client
        .post(url)
        .json(&body)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| unreachable(e.to_string()))?
        .json()
        .await
        .map_err(|e| unreachable(format!("not a JSON-RPC answer: {e}")))?;
    let hash = reply["result"][field]
        .as_str()
        .filter(|h| h.len() == 66 && h.starts_with("0x"))
        .filter(|h| h[2..].bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| unreachable(format!("block {number} has no {field}: {reply}")))?;
    Ok(hash.to_ascii_lowercase())
}

/// The hash of the genesis block the chain's history builds on: block 1's `parentHash` (anvil
/// re-creates block 0 at every restart of a dev chain, and then may answer another block 0;
/// block 1 still names the original), else block 0's hash on a chain with no block 1.
pub(crate) async fn genesis_hash(url: &str) -> Result<String, EngineError> {
    match block_field(url, 1, "parentHash").await {
        Ok(hash) => Ok(hash),
        Err(_) => block_field(url, 0, "hash").await,
    }
}

/// The dev chain's note.
pub(crate) const DEV_CHAIN_NOTE: &str = "This is a local anvil development chain, run on its own \
computer by the Hallmark installation that made this kit. It is not a public or consortium \
network: the RPC URL only answered on that computer while Hallmark ran, and the chain's history \
lives only in that installation's data folder (chain/anvil-state.json). The offline checks \
(files, CIDs, evidence bundles) hold without it; the on-chain checks need that chain. Anvil \
re-creates block 0 each time it restarts: the genesis hash here is block 1's parentHash.";

/// The consortium chain's note.
pub(crate) const CONSORTIUM_NOTE: &str = "The consortium chain the works are registered on. Any \
node of it answers the eth_call checks in README.md; compare its genesis block hash with \
genesis_block_hash first.";

fn data_uint(selector: &str, value: u64) -> String {
    format!("{selector}{value:064x}")
}

fn curl(rpc: &str, method: &str, params: &str) -> String {
    format!(
        "curl -s -X POST -H 'Content-Type: application/json' \\\n  --data '{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{params}}}' {rpc}"
    )
}

fn eth_call(works: &str, data: &str) -> String {
    curl(
        "\"$RPC\"",
        "eth_call",
        &format!("[{{\"to\":\"{works}\",\"data\":\"{data}\"}},\"latest\"]"),
    )
}

fn address_word(address: &str) -> String {
    format!("{:0>64}", super::plain_hex(address))
}

/// The README's text, with `{{name}}` placeholders (see [`fill`]).
const README_TEMPLATE: &str = include_str!("templates/README.md.template");
/// Step 3 of the README when the kit holds bundles.
const BUNDLE_CHECKS_TEMPLATE: &str = include_str!("templates/bundle-checks.md.template");

/// Fills a template's placeholders with `values`. A placeholder alone on its line stands for
/// whole lines: the line is replaced by the value, which ends in a newline (or is empty). Any
/// other `{{name}}` is text within its line. An unknown name is left as written.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let value = |name: &str| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    let mut out = String::with_capacity(template.len() * 2);
    for line in template.split_inclusive('\n') {
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if let Some(block) = bare
            .strip_prefix("{{")
            .and_then(|rest| rest.strip_suffix("}}"))
            .and_then(value)
        {
            out.push_str(block);
            continue;
        }
        let mut rest = line;
        while let Some(open) = rest.find("{{") {
            let (before, after) = rest.split_at(open);
            out.push_str(before);
            match after[2..]
                .split_once("}}")
                .and_then(|(name, tail)| Some((value(name)?, tail)))
            {
                Some((filled, tail)) => {
                    out.push_str(filled);
                    rest = tail;
                }
                None => {
                    out.push_str("{{");
                    rest = &after[2..];
                }
            }
        }
        out.push_str(rest);
    }
    out
}

/// `README.md`: what is in the kit and how to check every claim with standard tools.
pub(crate) fn render(manifest: &KitManifest, chain: &KitChain, version: &str) -> String {
    let works_address = chain
        .contracts
        .get("HallmarkWorks")
        .cloned()
        .unwrap_or_default();
    let sel = |sig: &str| chain.works_selectors.get(sig).cloned().unwrap_or_default();
    let mut works = String::new();
    for work in &manifest.works {
        render_work(&mut works, work);
    }
    let mut work_calls = String::new();
    for work in &manifest.works {
        render_work_calls(&mut work_calls, work, &works_address, &sel);
    }
    let values = [
        ("created_at", format_utc(manifest.created_at)),
        ("version", version.to_owned()),
        ("account", manifest.account.clone()),
        ("chain_id", manifest.chain_id.to_string()),
        (
            "chain_kind",
            if chain.kind == "dev" {
                "a local development chain, see below"
            } else {
                "a consortium chain"
            }
            .to_owned(),
        ),
        ("works", works),
        ("ipfs_checks", ipfs_checks(manifest)),
        ("bundle_checks", bundle_checks(manifest)),
        ("chain_note", format!("{}\n", chain.note)),
        (
            "rpc_urls",
            chain
                .rpc_urls
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("chain_id_hex", format!("{:#x}", chain.chain_id)),
        ("genesis_block_hash", chain.genesis_block_hash.clone()),
        (
            "chain_id_call",
            format!("{}\n", curl("\"$RPC\"", "eth_chainId", "[]")),
        ),
        (
            "block_one_call",
            format!(
                "{}\n",
                curl("\"$RPC\"", "eth_getBlockByNumber", "[\"0x1\",false]")
            ),
        ),
        ("works_address", works_address.clone()),
        (
            "selectors",
            WORKS_FUNCTIONS
                .iter()
                .map(|sig| format!("- `{sig}`: `{}`\n", sel(sig)))
                .collect(),
        ),
        ("work_calls", work_calls),
    ];
    fill(README_TEMPLATE, &values)
}

/// Step 2's commands: import each work's CARs, take the files out and check their hashes and
/// CIDs.
fn ipfs_checks(manifest: &KitManifest) -> String {
    const ADD: &str = "ipfs add --only-hash -Q --cid-version 1 --raw-leaves --chunker size-262144";
    let mut s = String::new();
    for work in &manifest.works {
        let id = work.work_id;
        let cars = [
            Some(work.files.media_car.as_str()),
            Some(work.files.metadata_car.as_str()),
            work.files.image_car.as_deref(),
        ];
        let _ = writeln!(
            s,
            "ipfs dag import {}",
            cars.into_iter().flatten().collect::<Vec<_>>().join(" ")
        );
        let _ = writeln!(s, "ipfs cat {} > /tmp/work-{id}.media", work.media_cid);
        let _ = writeln!(
            s,
            "sha256sum /tmp/work-{id}.media    # must print {}",
            work.content_sha256
        );
        let _ = writeln!(
            s,
            "{ADD} /tmp/work-{id}.media    # must print {}",
            work.media_cid
        );
        let _ = writeln!(
            s,
            "sha256sum {}    # must print {}",
            work.files.metadata_json, work.metadata_sha256
        );
        let _ = writeln!(
            s,
            "{ADD} {}    # must print {}",
            work.files.metadata_json, work.metadata_cid
        );
    }
    s
}

/// Step 3: how to verify the kit's bundles offline, or that it has none.
fn bundle_checks(manifest: &KitManifest) -> String {
    let commands: String = manifest
        .works
        .iter()
        .flat_map(|w| w.tokens.iter().filter_map(|t| t.bundle.as_deref()))
        .map(|bundle| format!("hallmark verify {bundle} --offline\n"))
        .collect();
    if commands.is_empty() {
        "This kit holds no bundle: the account held none of the tokens.\n\n".to_owned()
    } else {
        fill(BUNDLE_CHECKS_TEMPLATE, &[("verify_commands", commands)])
    }
}

/// Step 4's calls for one work: its registration record, the work registered under its content
/// hash, each token's holder and the first token's metadata.
fn render_work_calls(
    s: &mut String,
    work: &KitWork,
    works_address: &str,
    sel: &dyn Fn(&str) -> String,
) {
    let _ = writeln!(s, "Work {}:\n\n```sh", work.work_id);
    let _ = writeln!(
        s,
        "# the registration record: the answer starts with 0x{}{}{}",
        work.content_sha256,
        work.metadata_sha256,
        address_word(&work.creator)
    );
    let _ = writeln!(
        s,
        "{}",
        eth_call(
            works_address,
            &data_uint(&sel("work(uint256)"), work.work_id)
        )
    );
    let _ = writeln!(
        s,
        "# the work registered under this content hash: must answer work {} ({:#066x})",
        work.work_id, work.work_id
    );
    let _ = writeln!(
        s,
        "{}",
        eth_call(
            works_address,
            &format!(
                "{}{}",
                sel("workIdByContentHash(bytes32)"),
                work.content_sha256
            )
        )
    );
    for token in &work.tokens {
        let _ = writeln!(
            s,
            "# token {}: the holder (it was 0x{} when the kit was made)",
            token.token_id,
            address_word(&token.holder)
        );
        let _ = writeln!(
            s,
            "{}",
            eth_call(
                works_address,
                &data_uint(&sel("ownerOf(uint256)"), token.token_id)
            )
        );
    }
    if let Some(token) = work.tokens.first() {
        let _ = writeln!(
            s,
            "# the metadata of token {}: ipfs://{}",
            token.token_id, work.metadata_cid
        );
        let _ = writeln!(
            s,
            "{}",
            eth_call(
                works_address,
                &data_uint(&sel("tokenURI(uint256)"), token.token_id)
            )
        );
    }
    s.push_str("```\n\n");
}

fn render_work(s: &mut String, work: &KitWork) {
    let _ = writeln!(
        s,
        "### Work {}: {}\n",
        work.work_id,
        work.title.as_deref().unwrap_or("(untitled)")
    );
    let _ = writeln!(
        s,
        "- media: `{}`, {} bytes of `{}`, sha-256 `{}`",
        work.media_cid, work.media_size, work.mime, work.content_sha256
    );
    let _ = writeln!(
        s,
        "- metadata: `{}`, sha-256 `{}`",
        work.metadata_cid, work.metadata_sha256
    );
    if let Some(image) = &work.image_cid {
        let _ = writeln!(s, "- picture shown (thumbnail): `{image}`");
    }
    let _ = writeln!(
        s,
        "- registered {} in block {} (transaction `{}`) by the issuer `{}`; creator `{}`{}",
        format_utc(work.registered_at),
        work.registered_block,
        work.registered_tx,
        work.issuer,
        work.creator,
        if work.created_by_account {
            " (this account)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "- {} of {} editions minted; royalty {} basis points{}",
        work.minted,
        work.max_editions,
        work.royalty_bps,
        if work.frozen_reason != 0 {
            format!("; frozen by review (reason {})", work.frozen_reason)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        s,
        "- files: `{}`, `{}`, `{}`{}",
        work.files.media_car,
        work.files.metadata_car,
        work.files.metadata_json,
        work.files
            .image_car
            .as_deref()
            .map(|p| format!(", `{p}`"))
            .unwrap_or_default()
    );
    for token in &work.tokens {
        let holder = if token.held_by_account {
            "this account".to_owned()
        } else {
            format!("`{}`", token.holder)
        };
        let _ = writeln!(
            s,
            "- token {} (edition {}): held by {}{}",
            token.token_id,
            token.edition,
            holder,
            token
                .bundle
                .as_deref()
                .map(|b| format!("; evidence bundle `{b}`"))
                .unwrap_or_default()
        );
    }
    if let Some(note) = &work.note {
        let _ = writeln!(s, "\n{note}");
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KitToken, KitWorkFiles};
    use alloy::sol_types::SolCall;
    use hallmark_chain::bindings::HallmarkWorks;

    fn sample_work(id: u64, image: bool, held: bool) -> KitWork {
        let dir = format!("works/{id}");
        KitWork {
            work_id: id,
            title: (id == 1).then(|| "Dawn over the bay".to_owned()),
            creator: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8".to_owned(),
            issuer: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8".to_owned(),
            content_sha256: "ab".repeat(32),
            media_cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy".to_owned(),
            media_size: 1234,
            mime: "image/png".to_owned(),
            metadata_cid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku".to_owned(),
            metadata_sha256: "cd".repeat(32),
            image_cid: image
                .then(|| "bafkreie5hvjkz5jq2kmuc2ydvkwcx6xtkcw7ehfyqcaxq5lbmxeyhvhd4a".to_owned()),
            max_editions: 3,
            minted: 2,
            royalty_bps: 1000,
            registered_block: 7,
            registered_at: 1_767_225_600,
            registered_tx: format!("0x{}", "ef".repeat(32)),
            frozen_reason: if image { 2 } else { 0 },
            created_by_account: !held,
            files: KitWorkFiles {
                media_car: format!("{dir}/media.car"),
                metadata_car: format!("{dir}/metadata.car"),
                metadata_json: format!("{dir}/metadata.json"),
                image_car: image.then(|| format!("{dir}/image.car")),
            },
            tokens: vec![
                KitToken {
                    token_id: id * 1_000_000 + 1,
                    edition: 1,
                    holder: "0x90f79bf6eb2c4f870365e785982e1f101e93b906".to_owned(),
                    held_by_account: held,
                    bundle: held
                        .then(|| format!("bundles/hallmark-token-{}.zip", id * 1_000_000 + 1)),
                },
                KitToken {
                    token_id: id * 1_000_000 + 2,
                    edition: 2,
                    holder: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65".to_owned(),
                    held_by_account: false,
                    bundle: None,
                },
            ],
            note: (!held).then(|| "This account holds none of the work's tokens.".to_owned()),
        }
    }

    fn sample(works: Vec<KitWork>, kind: &'static str) -> (KitManifest, KitChain) {
        let manifest = KitManifest {
            format: crate::KIT_FORMAT.to_owned(),
            created_at: 1_767_225_700,
            created_by: "hallmark 0.1.0".to_owned(),
            account: "0x90f79bf6eb2c4f870365e785982e1f101e93b906".to_owned(),
            chain_id: 31337,
            selection: crate::KitSelection::default(),
            works,
            files: Vec::new(),
        };
        let chain = KitChain {
            chain_id: 31337,
            kind,
            note: DEV_CHAIN_NOTE.to_owned(),
            genesis_block_hash: format!("0x{}", "12".repeat(32)),
            rpc_urls: vec!["http://127.0.0.1:8545".to_owned()],
            deployment_block: 1,
            head_block: 9,
            contracts: [("HallmarkWorks".to_owned(), format!("0x{}", "02".repeat(20)))].into(),
            abi: BTreeMap::new(),
            works_selectors: WORKS_FUNCTIONS
                .iter()
                .map(|sig| ((*sig).to_owned(), selector(sig)))
                .collect(),
        };
        (manifest, chain)
    }

    #[test]
    fn every_placeholder_is_filled() {
        let (manifest, chain) = sample(
            vec![sample_work(1, true, true), sample_work(2, false, false)],
            "dev",
        );
        let readme = render(&manifest, &chain, "0.1.0");
        assert!(!readme.contains("{{"), "{readme}");
        assert!(readme.contains("hallmark verify bundles/hallmark-token-1000001.zip --offline\n"));
        assert!(readme.contains("Made 2026-01-01"), "{readme}");
        let (manifest, chain) = sample(vec![sample_work(3, false, false)], "consortium");
        let readme = render(&manifest, &chain, "0.1.0");
        assert!(readme.contains("This kit holds no bundle"), "{readme}");
        assert!(readme.contains("(a consortium chain)"), "{readme}");
    }

    #[test]
    fn placeholders_fill_words_and_whole_lines() {
        let values = [("word", "W".to_owned()), ("lines", "a\nb\n".to_owned())];
        assert_eq!(
            fill("x {{word}} y {{other}}\n{{lines}}\nend {{word}}", &values),
            "x W y {{other}}\na\nb\nend W"
        );
        assert_eq!(fill("{{lines}}\n", &[("lines", String::new())]), "");
    }

    #[test]
    fn selectors_are_the_contracts_own() {
        let known = [
            ("work(uint256)", HallmarkWorks::workCall::SELECTOR),
            ("ownerOf(uint256)", HallmarkWorks::ownerOfCall::SELECTOR),
            ("tokenURI(uint256)", HallmarkWorks::tokenURICall::SELECTOR),
            (
                "metadataCid(uint256)",
                HallmarkWorks::metadataCidCall::SELECTOR,
            ),
            (
                "workIdByContentHash(bytes32)",
                HallmarkWorks::workIdByContentHashCall::SELECTOR,
            ),
        ];
        assert_eq!(known.len(), WORKS_FUNCTIONS.len());
        for (signature, expected) in known {
            assert!(WORKS_FUNCTIONS.contains(&signature));
            assert_eq!(selector(signature), format!("0x{}", hex::encode(expected)));
        }
        // The ERC-721 ones everybody knows.
        assert_eq!(selector("ownerOf(uint256)"), "0x6352211e");
        assert_eq!(selector("tokenURI(uint256)"), "0xc87b56dd");
    }

    #[test]
    fn abis_are_only_the_abi() {
        let deployment = Deployment {
            chain_id: 31337,
            consortium: hallmark_chain::Address::repeat_byte(1),
            works: hallmark_chain::Address::repeat_byte(2),
            credit: hallmark_chain::Address::repeat_byte(3),
            market: hallmark_chain::Address::repeat_byte(4),
            licences: hallmark_chain::Address::repeat_byte(5),
            reviews: hallmark_chain::Address::repeat_byte(6),
            council: hallmark_chain::Address::repeat_byte(7),
            timelock: hallmark_chain::Address::repeat_byte(8),
            endorsements: hallmark_chain::Address::repeat_byte(9),
            block: 1,
        };
        let abis = abis(&deployment).expect("abis");
        assert_eq!(abis.len(), 9);
        for (name, bytes) in abis {
            let value: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
            let entries = value.as_array().expect("an ABI is an array");
            assert!(!entries.is_empty(), "{name}");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("bytecode"),
                "{name}"
            );
        }
    }
}
