//! Anchored verification: a bundle is evidence only of the consortium whose deployment it names.
//!
//! Anyone allowed to send a transaction can deploy their own copy of the suite (on the same chain,
//! or on a private chain with a back-dated clock), make themselves issuer, register someone
//! else's file and export a bundle that is internally consistent. So a bundle is checked against
//! an [`Anchor`]: the chain id, the genesis block and the contracts of the consortium the verifier
//! trusts (the app's configuration). The [`Conclusion`] tells "verified on that consortium" apart
//! from "internally consistent, not checked against its chain" and "not from this consortium".

use alloy::primitives::B256;
use alloy::providers::DynProvider;
use serde::Serialize;

use crate::model::{ChainInfo, Evidence};
use crate::verify::{Outcome, Report, Status, fail, pass, skip};

/// Check id of the offline comparison with the anchor's deployment.
pub const CONSORTIUM_CHECK: &str = "consortium";
/// Check id of the online comparison of the node's genesis block with the anchor's.
pub const GENESIS_CHECK: &str = "online.genesis";

/// The consortium a bundle must come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// How people know it, e.g. `consortium chain 2024` or `this data folder's dev chain`.
    pub name: String,
    /// Its chain id and contracts.
    pub chain: ChainInfo,
    /// The hash of its chain's block 0, when known: a node is the consortium's only if its
    /// genesis block is this one.
    pub genesis_hash: Option<B256>,
}

/// What a report concludes, strongest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conclusion {
    /// Every check passed, the bundle names the anchor's deployment, and the chain checks ran
    /// against a node whose genesis block is the anchor's.
    Verified {
        /// The anchor's name.
        consortium: String,
    },
    /// As [`Conclusion::Verified`], except for checks the consortium's node could not answer
    /// because it keeps no state for an old block (a pruning node, a restarted dev chain): every
    /// check it answered passed, nothing is false, but the bundle is not fully verified until an
    /// archive node answers `unanswered` too. A missing archive is not a forgery.
    PartlyVerified {
        /// The anchor's name.
        consortium: String,
        /// The ids of the checks the node could not answer, e.g. `online.statement`.
        unanswered: Vec<String>,
    },
    /// No check failed, but the bundle was not checked against the consortium's chain (offline,
    /// no node, or no consortium named): consistent, not proven.
    Consistent,
    /// The bundle (or the node it was checked against) is of another deployment or chain.
    NotThisConsortium,
    /// A check failed: do not trust the bundle.
    Failed,
}

/// The offline comparison of the bundle's chain and contracts with the anchor's.
pub(crate) fn check_deployment(evidence: &Evidence, anchor: &Anchor) -> Outcome {
    let bundle = &evidence.chain;
    let expected = &anchor.chain;
    let mut differences = Vec::new();
    if bundle.chain_id != expected.chain_id {
        differences.push(format!(
            "chain {} (the consortium's is {})",
            bundle.chain_id, expected.chain_id
        ));
    }
    for (name, found, wanted) in [
        ("works", bundle.works, expected.works),
        ("market", bundle.market, expected.market),
        ("licences", bundle.licences, expected.licences),
        ("consortium", bundle.consortium, expected.consortium),
    ] {
        if found != wanted {
            differences.push(format!(
                "{name} contract {found:#x} (the consortium's is {wanted:#x})"
            ));
        }
    }
    if differences.is_empty() {
        pass(format!(
            "{}: chain {}, works {:#x}",
            anchor.name, expected.chain_id, expected.works
        ))
    } else {
        fail(format!(
            "not from {}: the bundle names {}",
            anchor.name,
            differences.join(", ")
        ))
    }
}

/// The online comparison of the node's genesis block with the anchor's.
pub(crate) async fn check_genesis(anchor: &Anchor, provider: &DynProvider) -> Outcome {
    let Some(expected) = anchor.genesis_hash else {
        return skip(format!(
            "the genesis block of {} is not known here, so the node cannot be told apart from another chain with the same id",
            anchor.name
        ));
    };
    let found = crate::online::block_zero_hash(provider).await?;
    if found == expected {
        pass(format!("block 0 is {expected:#x}"))
    } else {
        fail(format!(
            "the node's block 0 is {found:#x}, {}'s is {expected:#x}: it is another chain",
            anchor.name
        ))
    }
}

/// The online checks a [`Conclusion::Verified`] needs, each passed.
const REQUIRED_ONLINE: [&str; 6] = [
    GENESIS_CHECK,
    "online.chain",
    "online.block",
    "online.work",
    "online.owner",
    "online.statement",
];

impl Report {
    /// What the report concludes: verified on the anchor's consortium only when the bundle names
    /// its deployment and every chain check passed against its own chain; partly verified when
    /// the chain checks passed except those the node could not answer (no state for an old block).
    pub fn conclusion(&self) -> Conclusion {
        let status = |id: &str| self.checks.iter().find(|c| c.id == id).map(|c| c.status);
        if status(CONSORTIUM_CHECK) == Some(Status::Fail)
            || status(GENESIS_CHECK) == Some(Status::Fail)
        {
            return Conclusion::NotThisConsortium;
        }
        if self.checks.iter().any(|c| c.status == Status::Fail) {
            return Conclusion::Failed;
        }
        let answered_or_not =
            |id: &&str| matches!(status(id), Some(Status::Pass | Status::Unanswered));
        let anchored = status(CONSORTIUM_CHECK) == Some(Status::Pass)
            && REQUIRED_ONLINE.iter().all(answered_or_not);
        let unanswered: Vec<String> = self.unanswered().map(|c| c.id.to_owned()).collect();
        match (&self.consortium, anchored) {
            (Some(consortium), true) if unanswered.is_empty() => Conclusion::Verified {
                consortium: consortium.clone(),
            },
            (Some(consortium), true) => Conclusion::PartlyVerified {
                consortium: consortium.clone(),
                unanswered,
            },
            _ => Conclusion::Consistent,
        }
    }
}
