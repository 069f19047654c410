//! The kit's description of the chain (`chain.json`, `abi/*.json`, function selectors) and its
//! plain-language `README.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use hallmark_chain::{Deployment, format_utc};
use hallmark_domain::ErrorCode;
use serde::Serialize;

use super::{KitManifest, KitWork, kit_error};
use crate::error::EngineError;

/// The contracts' built artifacts (ABI, bytecode); the kit copies only the ABI.
const ARTIFACTS: [(&str, &str); 6] = [
    (
        "HallmarkConsortium",
        include_str!("../../../../contracts/out/HallmarkConsortium.json"),
    ),
    (
        "HallmarkCredit",
        include_str!("../../../../contracts/out/HallmarkCredit.json"),
    ),
    (
        "HallmarkWorks",
        include_str!("../../../../contracts/out/HallmarkWorks.json"),
    ),
    (
        "HallmarkMarket",
        include_str!("../../../../contracts/out/HallmarkMarket.json"),
    ),
    (
        "HallmarkLicences",
        include_str!("../../../../contracts/out/HallmarkLicences.json"),
    ),
    (
        "HallmarkReviews",
        include_str!("../../../../contracts/out/HallmarkReviews.json"),
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
    let client = reqwest::Client::builder()
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

/// `README.md`: what is in the kit and how to check every claim with standard tools.
pub(crate) fn render(manifest: &KitManifest, chain: &KitChain, version: &str) -> String {
    let mut s = String::new();
    let works_address = chain
        .contracts
        .get("HallmarkWorks")
        .cloned()
        .unwrap_or_default();
    let sel = |sig: &str| chain.works_selectors.get(sig).cloned().unwrap_or_default();
    let _ = writeln!(s, "# Hallmark exit kit\n");
    let _ = writeln!(
        s,
        "Made {} by Hallmark {version} for the account `{}`, on chain {} ({}).\n",
        format_utc(manifest.created_at),
        manifest.account,
        manifest.chain_id,
        if chain.kind == "dev" {
            "a local development chain, see below"
        } else {
            "a consortium chain"
        },
    );
    s.push_str(
        "This folder holds everything needed to keep, re-host and prove the works listed below \
without Hallmark, its servers or this computer. Every claim in it can be checked with standard \
tools: `sha256sum`, any IPFS node (or the `car` tools) and `curl` against any node of the chain. \
Nothing here needs to be trusted on its own word.\n\n",
    );
    s.push_str("## What is in it\n\n| path | what |\n|---|---|\n");
    s.push_str("| `manifest.json` | every file with its sha-256 and size, and every work: token ids, work id, title, content sha-256, media and metadata CIDs, registration facts, its files |\n");
    s.push_str("| `SHA256SUMS` | the sha-256 of every file (including `manifest.json`), for `sha256sum -c` |\n");
    s.push_str("| `chain.json` | the chain: id, genesis block hash, contract addresses, deployment block, the RPC URL(s) used, function selectors |\n");
    s.push_str("| `abi/<contract>.json` | each contract's ABI (the interface any Ethereum tool needs to call it) |\n");
    s.push_str("| `works/<work id>/media.car` | the work's exact bytes as an IPFS DAG, a CAR v1 file whose root is the media CID |\n");
    s.push_str("| `works/<work id>/metadata.car` | the work's metadata document (ERC-721 JSON with Hallmark's content binding), root = the metadata CID |\n");
    s.push_str("| `works/<work id>/metadata.json` | the same metadata document, byte for byte |\n");
    s.push_str("| `works/<work id>/image.car` | the picture the metadata shows (its thumbnail), when it is another file than the media |\n");
    s.push_str("| `bundles/hallmark-token-<token id>.zip` | the evidence bundle of a token the account held: the registration block, the provenance and the holder's signed ownership statement |\n\n");

    s.push_str("## The works\n\n");
    for work in &manifest.works {
        render_work(&mut s, work);
    }

    s.push_str("## How to check each claim\n\n");
    s.push_str("### 1. Nothing changed since the kit was made\n\n```sh\ncd <this folder>\nsha256sum -c SHA256SUMS\n```\n\n");
    s.push_str(
        "Every line must end in `OK`. `manifest.json` lists the same hashes and sizes. These lists \
catch damage and careless edits, but they are not signed: someone who rewrites a file can rewrite \
the lists too. The claims below do not rest on them: the CIDs are computed from the bytes, the \
hashes are registered on the chain, and the bundles are signed by the holder.\n\n",
    );
    s.push_str(
        "### 2. The media and metadata are the registered bytes, under their CIDs (any IPFS node)\n\n",
    );
    s.push_str(
        "Import the CAR files into any IPFS node (Kubo: `ipfs`), take the files out again and \
check them: the sha-256 of the media is the content hash registered on the chain, the sha-256 of \
the metadata document the registered metadata hash, and adding the bytes again with `--only-hash` \
recomputes each CID from the bytes alone (Hallmark builds its CIDs with Kubo's classic import \
settings: CIDv1, raw leaves, 256 KiB chunks, balanced layout, 174 links a node).\n\n```sh\n",
    );
    const ADD: &str = "ipfs add --only-hash -Q --cid-version 1 --raw-leaves --chunker size-262144";
    for work in &manifest.works {
        let id = work.work_id;
        let _ = writeln!(
            s,
            "ipfs dag import {}",
            [
                Some(work.files.media_car.as_str()),
                Some(work.files.metadata_car.as_str()),
                work.files.image_car.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
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
    s.push_str("```\n\n");
    s.push_str(
        "The metadata document names the media: its `hallmark.content_cid` and \
`hallmark.content_sha256` are the media CID and sha-256 above, and its `image` is the picture \
(`ipfs://<CID>`). Without a node, the `car` tool (github.com/ipld/go-car, `cmd/car`) prints a \
CAR's root with `car root FILE` and lists its blocks with `car ls FILE`, and the media is also \
inside each evidence bundle (a zip: `unzip -l`). Once imported, `ipfs pin add <CID>` keeps the \
content on the node, and any pinning service can host it.\n\n",
    );
    s.push_str("### 3. The evidence bundles (offline)\n\n");
    let bundles: Vec<&str> = manifest
        .works
        .iter()
        .flat_map(|w| w.tokens.iter().filter_map(|t| t.bundle.as_deref()))
        .collect();
    if bundles.is_empty() {
        s.push_str("This kit holds no bundle: the account held none of the tokens.\n\n");
    } else {
        s.push_str("With Hallmark (any installation, no chain needed):\n\n```sh\n");
        for bundle in &bundles {
            let _ = writeln!(s, "hallmark verify {bundle} --offline");
        }
        s.push_str(
            "```\n\nEach bundle is also a plain zip: its own `README.txt` explains how to check \
its claims with standard tools (the registration block's hash, the transactions and receipts, \
the holder's EIP-712 signatures). The offline checks show that a bundle is internally consistent \
and signed by the holder; that its block is part of the chain needs a node (step 4, or \
`hallmark verify BUNDLE --rpc URL`).\n\n",
        );
    }
    s.push_str(
        "### 4. The chain confirms the registrations and the holders (`curl`, any EVM node)\n\n",
    );
    let _ = writeln!(s, "{}\n", chain.note);
    let _ = writeln!(
        s,
        "Set `RPC` to a node of the chain (the kit's maker used {}). First make sure it is the \
right chain: the chain id must be `{:#x}` ({}), and the genesis block, the `parentHash` of block 1, \
must be `{}` (on a consortium chain, block 0 has that hash too; an anvil dev chain re-creates \
block 0 each time it restarts, so there only block 1 names the original).\n",
        chain
            .rpc_urls
            .iter()
            .map(|u| format!("`{u}`"))
            .collect::<Vec<_>>()
            .join(", "),
        chain.chain_id,
        chain.chain_id,
        chain.genesis_block_hash
    );
    s.push_str("```sh\nRPC=http://127.0.0.1:8545   # your node\n");
    let _ = writeln!(s, "{}", curl("\"$RPC\"", "eth_chainId", "[]"));
    let _ = writeln!(
        s,
        "# block 1: its parentHash must be {}",
        chain.genesis_block_hash
    );
    let _ = writeln!(
        s,
        "{}",
        curl("\"$RPC\"", "eth_getBlockByNumber", "[\"0x1\",false]")
    );
    s.push_str("```\n\n");
    let _ = writeln!(
        s,
        "The works contract is HallmarkWorks at `{works_address}` (ABI in \
`abi/HallmarkWorks.json`). Its read functions, by selector (the first 4 bytes of the keccak-256 \
of the signature; `chain.json` lists them too):\n"
    );
    for sig in WORKS_FUNCTIONS {
        let _ = writeln!(s, "- `{sig}`: `{}`", sel(sig));
    }
    s.push_str(
        "\nThe call data is the selector followed by the argument as a 32-byte (64 hex digit) \
word. The answer of `work(uint256)`, the registration record, is ten 32-byte words: content \
hash (the media's sha-256), metadata hash (the metadata document's sha-256), creator, \
registration block, issuer, registration time (unix seconds), editions allowed, editions minted, \
royalty (basis points), freeze reason. `ownerOf(uint256)` answers the holder as a 32-byte word; \
`tokenURI(uint256)` and `metadataCid(uint256)` answer ABI-encoded strings (offset, length, then \
the text in hex: `ipfs://<metadata CID>` and `<metadata CID>`).\n\n",
    );
    for work in &manifest.works {
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
                &works_address,
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
                &works_address,
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
                    &works_address,
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
                    &works_address,
                    &data_uint(&sel("tokenURI(uint256)"), token.token_id)
                )
            );
        }
        s.push_str("```\n\n");
    }
    s.push_str(
        "Any Ethereum tool does the same with the ABI, e.g. Foundry's `cast call <address> \
\"ownerOf(uint256)(address)\" <token id> --rpc-url \"$RPC\"`.\n\n",
    );
    s.push_str("## Bringing the works back into Hallmark\n\n");
    s.push_str(
        "```sh\nhallmark import-kit <this folder>\n```\n\nchecks every file against the \
manifest, every block of every CAR against its CID, that each metadata document binds its media \
and that every bundle passes the offline checks, and only then stores and pins the media, \
metadata and pictures in the content store (the embedded one, or the IPFS node given with \
`--ipfs-api`) and adds the works to the library. A kit with a single wrong byte is refused, \
naming the file, and nothing of it is stored.\n",
    );
    s
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
    use alloy::sol_types::SolCall;
    use hallmark_chain::bindings::HallmarkWorks;

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
            block: 1,
        };
        let abis = abis(&deployment).expect("abis");
        assert_eq!(abis.len(), 6);
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
