//! Deploying the suite once per chain and remembering where it is.
//!
//! [`deploy_suite`] is idempotent: it reads `<dir>/deployment-<chain_id>.json`, checks that this
//! build's code is at each address and the contracts are wired as recorded, and deploys only when
//! the file is missing or (where replacing is allowed) any of the five wired contracts is gone
//! (they are wired to each other, so a partly missing suite is deployed again as a whole). The
//! file is written atomically (temp file, fsync, rename).
//!
//! HallmarkReviews came later than the rest of the suite, so a record without it (written before
//! it existed: no `reviews` field, read as [`Address::ZERO`]) or whose HallmarkReviews has no
//! code is completed in place: [`deploy_suite`] (or [`deploy_reviews`]) takes the queue the works
//! contract is wired to (`HallmarkWorks.reviews()`, which reserves content under review), or
//! deploys one for a suite without, and rewrites the record, keeping every other address.
//!
//! A recorded suite must also speak this client's interface: its market's `SUITE_VERSION` must be
//! [`SUITE_VERSION`] (older suites have none). An outdated suite is replaced by a fresh one when
//! [`DeployParams::replace_outdated`] says so (the dev chain), and refused with
//! [`ChainError::OutdatedSuite`] otherwise: a consortium's deployment is never replaced silently.
//! The same holds for a recorded suite whose code is gone ([`ChainError::NotDeployed`]: an
//! unsynced or wrong node) or is not this build's runtime code ([`ChainError::ForeignCode`]:
//! compared byte for byte outside the immutables, whose values are checked as the suite's
//! wiring). [`Deployment::verify`] runs every check before a client signs.

use std::io::Write;
use std::path::{Path, PathBuf};

use alloy::network::Ethereum;
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolValue;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use crate::bindings::{
    HallmarkConsortium, HallmarkCouncil, HallmarkCredit, HallmarkEndorsements, HallmarkLicences,
    HallmarkMarket, HallmarkReviews, HallmarkTimelock, HallmarkWorks,
};
use crate::client::connect_provider;
use crate::error::{ChainError, ChainResult};

/// Where the suite lives on one chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// The chain id.
    pub chain_id: u64,
    /// HallmarkConsortium.
    pub consortium: Address,
    /// HallmarkWorks.
    pub works: Address,
    /// HallmarkCredit.
    pub credit: Address,
    /// HallmarkMarket.
    pub market: Address,
    /// HallmarkLicences.
    pub licences: Address,
    /// HallmarkReviews (the near-duplicate review queue); [`Address::ZERO`] in a record written
    /// before it existed, until [`deploy_reviews`] (or [`deploy_suite`]) adds it.
    #[serde(default)]
    pub reviews: Address,
    /// HallmarkCouncil, the governor through which the council acts together
    /// ([`Address::ZERO`] in a record of a suite from before governance: such a suite is outdated).
    #[serde(default)]
    pub council: Address,
    /// HallmarkTimelock, which holds the dangerous powers and runs what the council approved.
    #[serde(default)]
    pub timelock: Address,
    /// HallmarkEndorsements, where artists ask issuers to endorse their works
    /// ([`Address::ZERO`] in a record of a suite from before suite version 5: such a suite is
    /// outdated).
    #[serde(default)]
    pub endorsements: Address,
    /// Block of the first deployment transaction (where an indexer starts; contracts added later,
    /// such as HallmarkReviews on an upgraded record, were deployed after it).
    pub block: u64,
}

impl Deployment {
    /// The contracts by name; HallmarkReviews only when the record has it.
    pub fn contracts(&self) -> Vec<(&'static str, Address)> {
        let mut all = self.core_contracts().to_vec();
        if self.has_reviews() {
            all.push(("HallmarkReviews", self.reviews));
        }
        all
    }

    /// True when the record names the council's governor and time lock (every suite of this
    /// [`SUITE_VERSION`] has them).
    pub fn has_governance(&self) -> bool {
        self.council != Address::ZERO && self.timelock != Address::ZERO
    }

    /// True when the record names a HallmarkReviews contract.
    pub fn has_reviews(&self) -> bool {
        self.reviews != Address::ZERO
    }

    /// The contracts every record has (wired to each other, deployed together).
    fn core_contracts(&self) -> [(&'static str, Address); 8] {
        [
            ("HallmarkConsortium", self.consortium),
            ("HallmarkWorks", self.works),
            ("HallmarkCredit", self.credit),
            ("HallmarkMarket", self.market),
            ("HallmarkLicences", self.licences),
            ("HallmarkCouncil", self.council),
            ("HallmarkTimelock", self.timelock),
            ("HallmarkEndorsements", self.endorsements),
        ]
    }

    /// Fails with [`ChainError::NotDeployed`] when a contract has no code on the provider's
    /// chain, and with [`ChainError::ForeignCode`] when its runtime code is not this build's
    /// (outside its immutables, which [`check_wiring`](Self::check_wiring) checks).
    pub async fn check_code(&self, provider: &DynProvider) -> ChainResult<()> {
        check_code_of(provider, &self.contracts()).await
    }

    /// Everything a client checks before it signs for this deployment: this build's code at
    /// every address, this client's [`SUITE_VERSION`], and the contracts wired to each other as
    /// recorded.
    pub async fn verify(&self, provider: &DynProvider) -> ChainResult<()> {
        check_code_and_version(provider, self, &self.contracts()).await?;
        self.check_wiring(provider).await
    }

    /// Fails with [`ChainError::Miswired`] unless the contracts point at each other as this
    /// record says: every contract's consortium is HallmarkConsortium, the works, credit and
    /// settlement links match, the market and licences may move credit, and the dangerous powers
    /// belong to the recorded time lock, whose only proposer is the recorded council governor.
    /// A record with one address swapped for another suite's contract (or any contract) fails
    /// here.
    pub async fn check_wiring(&self, provider: &DynProvider) -> ChainResult<()> {
        self.check_contract_links(provider).await?;
        self.check_governance(provider).await
    }

    /// The governance half of [`check_wiring`](Self::check_wiring).
    async fn check_governance(&self, provider: &DynProvider) -> ChainResult<()> {
        let consortium = HallmarkConsortium::new(self.consortium, provider);
        let council = HallmarkCouncil::new(self.council, provider);
        let timelock = HallmarkTimelock::new(self.timelock, provider);
        let links = [
            (
                "HallmarkConsortium.governance()",
                consortium.governance().call().await.ok(),
                self.timelock,
            ),
            (
                "HallmarkCouncil.token()",
                council.token().call().await.ok(),
                self.consortium,
            ),
            (
                "HallmarkCouncil.timelock()",
                council.timelock().call().await.ok(),
                self.timelock,
            ),
        ];
        if let Some((what, found, expected)) = links
            .into_iter()
            .find(|(_, f, e)| f.unwrap_or(Address::ZERO) != *e)
        {
            return Err(ChainError::Miswired {
                what: format!(
                    "{what} is {:#x}, the record says {expected:#x}",
                    found.unwrap_or(Address::ZERO)
                ),
            });
        }
        let proposer = timelock
            .PROPOSER_ROLE()
            .call()
            .await
            .map_err(ChainError::from_contract)?;
        let holds = timelock
            .hasRole(proposer, self.council)
            .call()
            .await
            .map_err(ChainError::from_contract)?;
        if !holds {
            return Err(ChainError::Miswired {
                what: format!(
                    "HallmarkTimelock {:#x} does not take proposals from HallmarkCouncil {:#x}",
                    self.timelock, self.council
                ),
            });
        }
        Ok(())
    }

    /// The contract-to-contract half of [`check_wiring`](Self::check_wiring).
    async fn check_contract_links(&self, provider: &DynProvider) -> ChainResult<()> {
        let works = HallmarkWorks::new(self.works, provider);
        let credit = HallmarkCredit::new(self.credit, provider);
        let market = HallmarkMarket::new(self.market, provider);
        let licences = HallmarkLicences::new(self.licences, provider);
        let mut links: Vec<(String, Address, Address)> = Vec::new();
        let mut link = |what: &str, found: Option<Address>, expected: Address| {
            links.push((what.to_owned(), found.unwrap_or(Address::ZERO), expected));
        };
        link(
            "HallmarkWorks.consortium()",
            works.consortium().call().await.ok(),
            self.consortium,
        );
        link(
            "HallmarkWorks.market()",
            works.market().call().await.ok(),
            self.market,
        );
        link(
            "HallmarkCredit.consortium()",
            credit.consortium().call().await.ok(),
            self.consortium,
        );
        link(
            "HallmarkMarket.consortium()",
            market.consortium().call().await.ok(),
            self.consortium,
        );
        link(
            "HallmarkMarket.works()",
            market.works().call().await.ok(),
            self.works,
        );
        link(
            "HallmarkMarket.credit()",
            market.credit().call().await.ok(),
            self.credit,
        );
        link(
            "HallmarkLicences.consortium()",
            licences.consortium().call().await.ok(),
            self.consortium,
        );
        link(
            "HallmarkLicences.works()",
            licences.works().call().await.ok(),
            self.works,
        );
        link(
            "HallmarkLicences.credit()",
            licences.credit().call().await.ok(),
            self.credit,
        );
        link(
            "HallmarkLicences.feeConfig()",
            licences.feeConfig().call().await.ok(),
            self.market,
        );
        link(
            "HallmarkMarket.licences()",
            market.licences().call().await.ok(),
            self.licences,
        );
        let endorsements = HallmarkEndorsements::new(self.endorsements, provider);
        link(
            "HallmarkEndorsements.consortium()",
            endorsements.consortium().call().await.ok(),
            self.consortium,
        );
        link(
            "HallmarkEndorsements.works()",
            endorsements.works().call().await.ok(),
            self.works,
        );
        link(
            "HallmarkWorks.endorsements()",
            works.endorsements().call().await.ok(),
            self.endorsements,
        );
        if self.has_reviews() {
            let reviews = HallmarkReviews::new(self.reviews, provider);
            link(
                "HallmarkReviews.consortium()",
                reviews.consortium().call().await.ok(),
                self.consortium,
            );
            link(
                "HallmarkWorks.reviews()",
                works.reviews().call().await.ok(),
                self.reviews,
            );
        }
        if let Some((what, found, expected)) = links.into_iter().find(|(_, f, e)| f != e) {
            return Err(ChainError::Miswired {
                what: format!("{what} is {found:#x}, the record says {expected:#x}"),
            });
        }
        for (name, account) in [
            ("HallmarkMarket", self.market),
            ("HallmarkLicences", self.licences),
        ] {
            let allowed = credit
                .isSystemAccount(account)
                .call()
                .await
                .map_err(ChainError::from_contract)?;
            if !allowed {
                return Err(ChainError::Miswired {
                    what: format!("HallmarkCredit does not let {name} {account:#x} move credit"),
                });
            }
        }
        Ok(())
    }

    /// Whether `account` is on the council of this deployment's consortium.
    pub async fn is_council(&self, provider: &DynProvider, account: Address) -> ChainResult<bool> {
        HallmarkConsortium::new(self.consortium, provider)
            .isCouncil(account)
            .call()
            .await
            .map_err(ChainError::from_contract)
    }
}

/// [`check_code_of`] `contracts`, then the market's [`SUITE_VERSION`]. Code that is not this
/// build's is reported as [`ChainError::OutdatedSuite`] when the market speaks another version
/// (more helpful than "foreign code"), else as [`ChainError::ForeignCode`].
async fn check_code_and_version(
    provider: &DynProvider,
    deployment: &Deployment,
    contracts: &[(&'static str, Address)],
) -> ChainResult<()> {
    if !deployment.has_governance() {
        // A record from before governance: its suite is outdated (or the record was cut).
        check_suite_version(provider, deployment).await?;
        return Err(ChainError::Miswired {
            what: "the deployment record names no HallmarkCouncil and HallmarkTimelock".into(),
        });
    }
    match check_code_of(provider, contracts).await {
        Ok(()) => check_suite_version(provider, deployment).await,
        Err(foreign @ ChainError::ForeignCode { .. }) => {
            check_suite_version(provider, deployment).await?;
            Err(foreign)
        }
        Err(other) => Err(other),
    }
}

/// Fails with [`ChainError::NotDeployed`] when a contract has no code, and with
/// [`ChainError::ForeignCode`] when its code is not this build's.
async fn check_code_of(
    provider: &DynProvider,
    contracts: &[(&'static str, Address)],
) -> ChainResult<()> {
    for &(name, address) in contracts {
        let code = provider
            .get_code_at(address)
            .await
            .map_err(ChainError::from_rpc)?;
        if code.is_empty() {
            return Err(ChainError::NotDeployed {
                contract: name.to_owned(),
                address,
            });
        }
        if !crate::build_code::is_build_code(name, &code) {
            return Err(ChainError::ForeignCode {
                contract: name.to_owned(),
                address,
            });
        }
    }
    Ok(())
}

/// Settings of a new deployment.
#[derive(Debug, Clone)]
pub struct DeployParams {
    /// Folder of `deployment-<chain_id>.json`.
    pub dir: PathBuf,
    /// Receiver of the platform fee; `None` = the deploying council account.
    pub treasury: Option<Address>,
    /// Platform fee in basis points (at most 1000).
    pub platform_fee_bps: u16,
    /// Holding period in seconds (at most one year).
    pub holding_period: u64,
    /// ERC-7572 collection metadata URI.
    pub contract_uri: String,
    /// Blocks a council proposal is open for approval.
    pub voting_blocks: u32,
    /// Seconds an approved council proposal waits in the time lock before it runs.
    pub delay_seconds: u64,
    /// Whether a recorded suite that is missing, not this build's code, or of another
    /// [`SUITE_VERSION`] is replaced by a fresh deployment (the dev chain, or an explicit
    /// `consortium deploy --replace`) instead of refused.
    pub replace_outdated: bool,
}

/// The suite interface this client speaks (`HallmarkMarket.SUITE_VERSION`).
pub const SUITE_VERSION: u16 = 5;

impl DeployParams {
    /// Defaults for a dev chain: 2.5 % fee to the council, no holding period.
    pub fn dev(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            treasury: None,
            platform_fee_bps: 250,
            holding_period: 0,
            contract_uri: String::new(),
            // Two blocks: a vote is checked against the latest block and lands in the next one.
            voting_blocks: 2,
            delay_seconds: 0,
            replace_outdated: true,
        }
    }
}

/// The deployment file of a chain.
pub fn deployment_path(dir: &Path, chain_id: u64) -> PathBuf {
    dir.join(format!("deployment-{chain_id}.json"))
}

/// Reads a deployment file; `Ok(None)` when it does not exist.
pub fn read_deployment(dir: &Path, chain_id: u64) -> ChainResult<Option<Deployment>> {
    let path = deployment_path(dir, chain_id);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ChainError::File {
                path,
                reason: e.to_string(),
            });
        }
    };
    let deployment: Deployment = serde_json::from_slice(&bytes).map_err(|e| ChainError::File {
        path: path.clone(),
        reason: format!("not a deployment file: {e}"),
    })?;
    if deployment.chain_id != chain_id {
        return Err(ChainError::File {
            path,
            reason: format!("it describes chain {}", deployment.chain_id),
        });
    }
    Ok(Some(deployment))
}

fn write_deployment(dir: &Path, deployment: &Deployment) -> ChainResult<PathBuf> {
    let path = deployment_path(dir, deployment.chain_id);
    let fail = |e: &dyn std::fmt::Display| ChainError::File {
        path: path.clone(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
    let bytes = serde_json::to_vec_pretty(deployment).map_err(|e| fail(&e))?;
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    let mut file = std::fs::File::create(&tmp).map_err(|e| fail(&e))?;
    file.write_all(&bytes).map_err(|e| fail(&e))?;
    file.sync_all().map_err(|e| fail(&e))?;
    drop(file);
    std::fs::rename(&tmp, &path).map_err(|e| fail(&e))?;
    Ok(path)
}

/// Deploys the suite with `council` as the first council account, unless
/// `<dir>/deployment-<chain_id>.json` already names a suite whose code is on the chain. A recorded
/// suite without HallmarkReviews (written by an older version) gets only HallmarkReviews deployed
/// and the record rewritten.
pub async fn deploy_suite(
    rpc_url: &str,
    council: &PrivateKeySigner,
    params: &DeployParams,
) -> ChainResult<Deployment> {
    let provider = connect_provider(rpc_url, council.clone())?;
    let chain_id = provider
        .get_chain_id()
        .await
        .map_err(ChainError::from_rpc)?;
    if let Some(mut existing) = read_deployment(&params.dir, chain_id)? {
        let checked =
            check_code_and_version(&provider, &existing, &existing.core_contracts()).await;
        match checked {
            Ok(()) => {
                existing.check_wiring(&provider).await?;
                ensure_reviews(&provider, &params.dir, &mut existing).await?;
                return Ok(existing);
            }
            // A suite that is gone or not this build's is replaced only where that is asked for
            // (the dev chain, or `consortium deploy --replace`): a consortium's record is never
            // overwritten because a node is unsynced or lies.
            Err(ChainError::NotDeployed { contract, address }) if params.replace_outdated => {
                warn!(%contract, %address, "recorded suite is incomplete on this chain; deploying it again");
            }
            Err(ChainError::ForeignCode { contract, address }) if params.replace_outdated => {
                warn!(%contract, %address, "recorded suite is not this build's; deploying a new one");
            }
            Err(ChainError::OutdatedSuite { found, expected }) if params.replace_outdated => {
                warn!(
                    ?found,
                    expected, "recorded suite speaks another interface; deploying a new one"
                );
            }
            Err(other) => return Err(other),
        }
    }
    let deployment = deploy_fresh(&provider, chain_id, council.address(), params).await?;
    let path = write_deployment(&params.dir, &deployment)?;
    info!(chain_id, path = %path.display(), "Hallmark suite deployed");
    Ok(deployment)
}

/// Fails with [`ChainError::OutdatedSuite`] unless the suite's market reports [`SUITE_VERSION`]
/// (a suite from before versions existed has no such function, so its call reverts).
pub async fn check_suite_version(
    provider: &DynProvider,
    deployment: &Deployment,
) -> ChainResult<()> {
    let market = HallmarkMarket::new(deployment.market, provider);
    let found = market.SUITE_VERSION().call().await.ok();
    if found == Some(SUITE_VERSION) {
        Ok(())
    } else {
        Err(ChainError::OutdatedSuite {
            found,
            expected: SUITE_VERSION,
        })
    }
}

/// Deploys HallmarkReviews for a recorded suite whose record lacks it (written before the review
/// queue existed), records its address in `deployment` and rewrites
/// `<dir>/deployment-<chain_id>.json`. Idempotent: when the record already names a HallmarkReviews with code, nothing is sent. Any
/// account may deploy it (it has no owner; roles come from the suite's consortium). Fails with
/// [`ChainError::ChainIdMismatch`] when the node is on another chain and
/// [`ChainError::NotDeployed`] when the rest of the suite is not on the chain (then
/// [`deploy_suite`] deploys a whole new suite).
pub async fn deploy_reviews(
    rpc_url: &str,
    deployer: &PrivateKeySigner,
    dir: &Path,
    deployment: &mut Deployment,
) -> ChainResult<Address> {
    let provider = connect_provider(rpc_url, deployer.clone())?;
    let actual = provider
        .get_chain_id()
        .await
        .map_err(ChainError::from_rpc)?;
    if actual != deployment.chain_id {
        return Err(ChainError::ChainIdMismatch {
            expected: deployment.chain_id,
            actual,
        });
    }
    check_code_of(&provider, &deployment.core_contracts()).await?;
    ensure_reviews(&provider, dir, deployment).await?;
    Ok(deployment.reviews)
}

/// Deploys HallmarkReviews for a recorded suite (whose code is on the chain) unless the record
/// names one with code; records it and rewrites the file.
async fn ensure_reviews(
    provider: &DynProvider,
    dir: &Path,
    deployment: &mut Deployment,
) -> ChainResult<()> {
    if deployment.has_reviews() {
        let code = provider
            .get_code_at(deployment.reviews)
            .await
            .map_err(ChainError::from_rpc)?;
        if !code.is_empty() {
            return Ok(());
        }
        warn!(address = %deployment.reviews, "recorded HallmarkReviews is not on this chain; deploying it again");
    }
    // A suite wired to its review queue (every suite of this version) names it itself.
    let wired = HallmarkWorks::new(deployment.works, provider)
        .reviews()
        .call()
        .await
        .unwrap_or(Address::ZERO);
    let reviews = if wired != Address::ZERO
        && !provider
            .get_code_at(wired)
            .await
            .map_err(ChainError::from_rpc)?
            .is_empty()
    {
        wired
    } else {
        let tx = HallmarkReviews::deploy_builder(provider, deployment.consortium);
        deployed("HallmarkReviews", tx).await?.0
    };
    deployment.reviews = reviews;
    let path = write_deployment(dir, deployment)?;
    info!(chain_id = deployment.chain_id, %reviews, path = %path.display(), "HallmarkReviews added to the recorded suite");
    Ok(())
}

async fn deploy_fresh(
    provider: &DynProvider,
    chain_id: u64,
    council: Address,
    params: &DeployParams,
) -> ChainResult<Deployment> {
    let treasury = params.treasury.unwrap_or(council);

    let tx = HallmarkConsortium::deploy_builder(provider, council);
    let (consortium, block) = deployed("HallmarkConsortium", tx).await?;
    let tx = HallmarkCredit::deploy_builder(provider, consortium);
    let (credit, _) = deployed("HallmarkCredit", tx).await?;
    let tx = HallmarkWorks::deploy_builder(provider, consortium, params.contract_uri.clone());
    let (works, _) = deployed("HallmarkWorks", tx).await?;
    let tx = HallmarkMarket::deploy_builder(
        provider,
        consortium,
        works,
        credit,
        treasury,
        params.platform_fee_bps,
        params.holding_period,
    );
    let (market, _) = deployed("HallmarkMarket", tx).await?;
    let tx = HallmarkLicences::deploy_builder(provider, consortium, works, credit, market);
    let (licences, _) = deployed("HallmarkLicences", tx).await?;
    let tx = HallmarkReviews::deploy_builder(provider, consortium);
    let (reviews, _) = deployed("HallmarkReviews", tx).await?;
    let (endorsements, _) = deployed(
        "HallmarkEndorsements",
        raw_deploy(
            provider,
            "HallmarkEndorsements",
            &(consortium, works).abi_encode_params(),
        ),
    )
    .await?;

    let wire = |step: &str, e: alloy::contract::Error| ChainError::Deploy {
        contract: step.to_owned(),
        reason: ChainError::from_contract(e).to_string(),
    };
    let works_c = HallmarkWorks::new(works, provider);
    let credit_c = HallmarkCredit::new(credit, provider);
    let market_c = HallmarkMarket::new(market, provider);
    let mut pending = Vec::new();
    pending.push(
        market_c
            .setLicences(licences)
            .send()
            .await
            .map_err(|e| wire("HallmarkMarket.setLicences", e))?,
    );
    pending.push(
        works_c
            .setMarket(market)
            .send()
            .await
            .map_err(|e| wire("HallmarkWorks.setMarket", e))?,
    );
    pending.push(
        works_c
            .setReviews(reviews)
            .send()
            .await
            .map_err(|e| wire("HallmarkWorks.setReviews", e))?,
    );
    pending.push(
        works_c
            .setEndorsements(endorsements)
            .send()
            .await
            .map_err(|e| wire("HallmarkWorks.setEndorsements", e))?,
    );
    for system in [market, licences, treasury] {
        pending.push(
            credit_c
                .setSystemAccount(system, true)
                .send()
                .await
                .map_err(|e| wire("HallmarkCredit.setSystemAccount", e))?,
        );
    }
    for tx in pending {
        let receipt = tx.get_receipt().await.map_err(|e| ChainError::Deploy {
            contract: "wiring".into(),
            reason: e.to_string(),
        })?;
        if !receipt.status() {
            return Err(ChainError::TxReverted {
                tx_hash: receipt.transaction_hash,
            });
        }
    }
    let (council_governor, timelock) =
        deploy_governance(provider, council, consortium, params).await?;
    Ok(Deployment {
        chain_id,
        consortium,
        works,
        credit,
        market,
        licences,
        reviews,
        council: council_governor,
        timelock,
        endorsements,
        block,
    })
}

/// Deploys the time lock and the council's governor, and hands the dangerous powers to the time
/// lock (closing the founding council's wiring window). The time lock is deployed first, with
/// the governor's address (the deployer's next contract) as its only proposer, anyone as
/// executor and no admin: no account ever holds a role on it that governance did not grant.
async fn deploy_governance(
    provider: &DynProvider,
    deployer: Address,
    consortium: Address,
    params: &DeployParams,
) -> ChainResult<(Address, Address)> {
    let nonce = provider
        .get_transaction_count(deployer)
        .await
        .map_err(ChainError::from_rpc)?;
    let expected_governor = deployer.create(nonce + 1);
    let args = (
        U256::from(params.delay_seconds),
        vec![expected_governor],
        vec![Address::ZERO],
    )
        .abi_encode_params();
    let (timelock, _) = deployed(
        "HallmarkTimelock",
        raw_deploy(provider, "HallmarkTimelock", &args),
    )
    .await?;
    let args = (consortium, timelock, params.voting_blocks).abi_encode_params();
    let (governor, _) = deployed(
        "HallmarkCouncil",
        raw_deploy(provider, "HallmarkCouncil", &args),
    )
    .await?;
    if governor != expected_governor {
        return Err(ChainError::Deploy {
            contract: "HallmarkCouncil".into(),
            reason: format!(
                "deployed at {governor:#x}, not at {expected_governor:#x} where the time lock expects it (another transaction from {deployer:#x} ran during the deployment)"
            ),
        });
    }
    let consortium_c = HallmarkConsortium::new(consortium, provider);
    let receipt = consortium_c
        .setGovernance(timelock)
        .send()
        .await
        .map_err(|e| ChainError::Deploy {
            contract: "HallmarkConsortium.setGovernance".into(),
            reason: ChainError::from_contract(e).to_string(),
        })?
        .get_receipt()
        .await
        .map_err(|e| ChainError::Deploy {
            contract: "HallmarkConsortium.setGovernance".into(),
            reason: e.to_string(),
        })?;
    if !receipt.status() {
        return Err(ChainError::TxReverted {
            tx_hash: receipt.transaction_hash,
        });
    }
    Ok((governor, timelock))
}

/// The deployment of a contract bound by hand (its creation code from the artifact, then the
/// ABI-encoded constructor arguments).
fn raw_deploy<'a>(
    provider: &'a DynProvider,
    name: &str,
    constructor_args: &[u8],
) -> alloy::contract::RawCallBuilder<&'a DynProvider, Ethereum> {
    let mut code = crate::bindings::artifact_code(name, false).to_vec();
    code.extend_from_slice(constructor_args);
    alloy::contract::RawCallBuilder::new_raw_deploy(provider, code.into())
}

async fn deployed(
    name: &str,
    tx: alloy::contract::RawCallBuilder<&DynProvider, Ethereum>,
) -> ChainResult<(Address, u64)> {
    let fail = |reason: String| ChainError::Deploy {
        contract: name.to_owned(),
        reason,
    };
    let receipt = tx
        .send()
        .await
        .map_err(|e| fail(ChainError::from_contract(e).to_string()))?
        .get_receipt()
        .await
        .map_err(|e| fail(e.to_string()))?;
    let address = receipt
        .contract_address
        .filter(|_| receipt.status())
        .ok_or_else(|| fail(format!("transaction {} reverted", receipt.transaction_hash)))?;
    Ok((address, receipt.block_number.unwrap_or_default()))
}

/// An amount of credit units for people (units are cents): `25` or `12.50`; the raw units when
/// too large for a price.
pub fn credit_text(units: U256) -> String {
    match i64::try_from(units) {
        Ok(cents) if cents % 100 == 0 => (cents / 100).to_string(),
        Ok(cents) => hallmark_domain::credits::format(cents),
        Err(_) => format!("{units} units of"),
    }
}

/// Credit amounts are in units of 0.01 credit.
pub fn credits(whole: u64) -> U256 {
    U256::from(whole) * U256::from(100u64)
}
