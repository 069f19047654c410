//! [`ChainClient`]: one account's typed access to a deployed Hallmark suite.
//!
//! Every write waits for its receipt under the [`ConfirmationPolicy`] and returns a
//! [`TxOutcome`]; every contract refusal comes back as its typed [`ChainError`]. Nonces are filled
//! by alloy's cached nonce manager, so many writes of one client may be in flight at once (e.g.
//! with `futures::future::join_all`).

use std::time::Duration;

use alloy::contract::{CallBuilder, CallDecoder};
use alloy::network::{Ethereum, EthereumWallet};
use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::TransactionReceipt;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::{Eip712Domain, SolEvent, SolStruct, eip712_domain};

use crate::bindings::HallmarkEndorsements;
use crate::bindings::{
    HallmarkConsortium, HallmarkCredit, HallmarkLicences, HallmarkMarket, HallmarkReviews,
    HallmarkWorks, OwnershipStatement,
};
use crate::deploy::Deployment;
use crate::error::{ChainError, ChainResult};
use crate::governance::{CouncilAction, ProposalState};
use crate::role::Role;
use crate::types::{
    ActiveLicence, EndorsementRecord, EndorsementStatus, LicenceTerms, Listing, MintVoucher,
    Minted, ReviewRecord, ReviewStatus, ReviewSubmission, RoyaltySplit, TxOutcome, WorkInput,
    WorkRecord,
};

/// How long to wait for a transaction before giving up.
pub const DEFAULT_TX_TIMEOUT: Duration = Duration::from_secs(60);

/// When a transaction counts as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmationPolicy {
    /// Blocks to wait after the one that includes the transaction. anvil and QBFT (immediate
    /// finality) need 0; an automining anvil mines no further blocks on its own, so anything
    /// above 0 waits for later transactions.
    pub extra_confirmations: u64,
    /// Give up after this long.
    pub timeout: Duration,
}

impl Default for ConfirmationPolicy {
    fn default() -> Self {
        Self {
            extra_confirmations: 0,
            timeout: DEFAULT_TX_TIMEOUT,
        }
    }
}

/// Connects to `rpc_url` with `signer` as the sending account (recommended fillers: gas, chain
/// id, cached nonces). Every request has a connect and a request timeout, and reads that fail
/// fast are retried a few times (never a transaction): see [`crate::transport`].
pub fn connect_provider(rpc_url: &str, signer: PrivateKeySigner) -> ChainResult<DynProvider> {
    Ok(ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_client(rpc_client(rpc_url)?)
        .erased())
}

/// A read-only connection to `rpc_url` (no signer, no fillers), with the same timeouts and read
/// retries as [`connect_provider`].
pub fn connect_reader(rpc_url: &str) -> ChainResult<DynProvider> {
    Ok(ProviderBuilder::new()
        .disable_recommended_fillers()
        .connect_client(rpc_client(rpc_url)?)
        .erased())
}

/// [`connect_reader`] trusting `trust` instead of the installation's default (e.g. a consortium
/// profile's CA certificates, before the user has adopted the profile).
pub fn connect_reader_trusting(
    rpc_url: &str,
    trust: &hallmark_net::Trust,
) -> ChainResult<DynProvider> {
    Ok(ProviderBuilder::new()
        .disable_recommended_fillers()
        .connect_client(rpc_client_trusting(rpc_url, trust)?)
        .erased())
}

/// The chain id the node at `provider` reports.
pub async fn node_chain_id(provider: &DynProvider) -> ChainResult<u64> {
    provider.get_chain_id().await.map_err(ChainError::from_rpc)
}

/// The hash of the node's block 0 (what tells one chain from another with the same id).
pub async fn genesis_hash(provider: &DynProvider) -> ChainResult<B256> {
    let block = provider
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Number(0))
        .await
        .map_err(ChainError::from_rpc)?
        .ok_or_else(|| ChainError::Rpc {
            reason: "the node has no block 0".to_owned(),
        })?;
    Ok(block.header.hash)
}

/// The node's head block number.
pub async fn head_block(provider: &DynProvider) -> ChainResult<u64> {
    provider
        .get_block_number()
        .await
        .map_err(ChainError::from_rpc)
}

/// The JSON-RPC client over [`HallmarkHttp`](crate::transport::HallmarkHttp).
fn rpc_client(rpc_url: &str) -> ChainResult<alloy::rpc::client::RpcClient> {
    rpc_client_trusting(rpc_url, &hallmark_net::default_trust())
}

fn rpc_client_trusting(
    rpc_url: &str,
    trust: &hallmark_net::Trust,
) -> ChainResult<alloy::rpc::client::RpcClient> {
    let url: alloy::transports::http::reqwest::Url =
        rpc_url.parse().map_err(|e| ChainError::InvalidInput {
            reason: format!("{rpc_url:?} is not a URL: {e}"),
        })?;
    let client = crate::transport::rpc_http_client_trusting(trust).map_err(|e| {
        ChainError::InvalidInput {
            reason: format!("cannot set up a connection to {rpc_url}: {e}"),
        }
    })?;
    let local = alloy::transports::utils::guess_local_url(url.as_str());
    Ok(alloy::rpc::client::RpcClient::new(
        crate::transport::HallmarkHttp::new(client, url),
        local,
    ))
}

/// One account's typed access to a deployed suite.
#[derive(Debug, Clone)]
pub struct ChainClient {
    rpc_url: String,
    provider: DynProvider,
    signer: PrivateKeySigner,
    deployment: Deployment,
    policy: ConfirmationPolicy,
}

impl ChainClient {
    /// Connects as `signer` and checks that the node is on the deployment's chain.
    pub async fn connect(
        rpc_url: &str,
        signer: PrivateKeySigner,
        deployment: Deployment,
        policy: ConfirmationPolicy,
    ) -> ChainResult<Self> {
        let provider = connect_provider(rpc_url, signer.clone())?;
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
        Ok(Self {
            rpc_url: rpc_url.to_owned(),
            provider,
            signer,
            deployment,
            policy,
        })
    }

    /// The same suite and node, acting as another account.
    pub fn as_account(&self, signer: PrivateKeySigner) -> ChainResult<Self> {
        Ok(Self {
            rpc_url: self.rpc_url.clone(),
            provider: connect_provider(&self.rpc_url, signer.clone())?,
            signer,
            deployment: self.deployment.clone(),
            policy: self.policy,
        })
    }

    /// The sending account.
    pub fn address(&self) -> Address {
        self.signer.address()
    }

    /// The signing key.
    pub(crate) fn signer(&self) -> &PrivateKeySigner {
        &self.signer
    }

    /// When a transaction counts as done.
    pub(crate) fn policy(&self) -> ConfirmationPolicy {
        self.policy
    }

    /// The deployment this client talks to.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The provider (for reads the wrappers do not cover).
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The raw consortium binding.
    pub fn consortium(&self) -> HallmarkConsortium::HallmarkConsortiumInstance<DynProvider> {
        HallmarkConsortium::new(self.deployment.consortium, self.provider.clone())
    }

    /// The raw works binding.
    pub fn works(&self) -> HallmarkWorks::HallmarkWorksInstance<DynProvider> {
        HallmarkWorks::new(self.deployment.works, self.provider.clone())
    }

    /// The raw credit binding.
    pub fn credit(&self) -> HallmarkCredit::HallmarkCreditInstance<DynProvider> {
        HallmarkCredit::new(self.deployment.credit, self.provider.clone())
    }

    /// The raw market binding.
    pub fn market(&self) -> HallmarkMarket::HallmarkMarketInstance<DynProvider> {
        HallmarkMarket::new(self.deployment.market, self.provider.clone())
    }

    /// The raw licences binding.
    pub fn licences(&self) -> HallmarkLicences::HallmarkLicencesInstance<DynProvider> {
        HallmarkLicences::new(self.deployment.licences, self.provider.clone())
    }

    /// The raw review-queue binding (at [`Address::ZERO`] for a deployment recorded before the
    /// queue existed; the typed wrappers refuse that with [`ChainError::NotDeployed`]).
    pub fn reviews(&self) -> HallmarkReviews::HallmarkReviewsInstance<DynProvider> {
        HallmarkReviews::new(self.deployment.reviews, self.provider.clone())
    }

    /// The endorsement-queue binding.
    pub fn endorsements(&self) -> HallmarkEndorsements::HallmarkEndorsementsInstance<DynProvider> {
        HallmarkEndorsements::new(self.deployment.endorsements, self.provider.clone())
    }

    /// The review-queue binding, or [`ChainError::NotDeployed`] when the deployment has none.
    fn reviews_deployed(
        &self,
    ) -> ChainResult<HallmarkReviews::HallmarkReviewsInstance<DynProvider>> {
        if self.deployment.has_reviews() {
            Ok(self.reviews())
        } else {
            Err(ChainError::NotDeployed {
                contract: "HallmarkReviews".to_owned(),
                address: Address::ZERO,
            })
        }
    }

    /// Sends a contract call as a transaction and waits for its receipt under the policy
    /// (estimating gas first, so a refusal comes back typed and consumes no nonce).
    pub async fn submit<D: CallDecoder>(
        &self,
        call: CallBuilder<&DynProvider, D, Ethereum>,
    ) -> ChainResult<TransactionReceipt> {
        // Estimate first: a refusal surfaces here as typed revert data, before the nonce filler
        // reserves a nonce (a reserved but unsent nonce would stall every later transaction).
        let gas = gas_limit(&call).await?;
        let pending = call
            .gas(gas)
            .send()
            .await
            .map_err(ChainError::from_contract)?;
        let tx_hash = *pending.tx_hash();
        let receipt = pending
            .with_required_confirmations(1 + self.policy.extra_confirmations)
            .with_timeout(Some(self.policy.timeout))
            .get_receipt()
            .await
            .map_err(|e| ChainError::Rpc {
                reason: format!("waiting for transaction {tx_hash}: {e}"),
            })?;
        if !receipt.status() {
            return Err(ChainError::TxReverted { tx_hash });
        }
        Ok(receipt)
    }

    pub(crate) async fn send<D: CallDecoder>(
        &self,
        call: CallBuilder<&DynProvider, D, Ethereum>,
    ) -> ChainResult<TxOutcome> {
        self.submit(call).await.map(|r| outcome(&r))
    }

    // ---- consortium ----

    /// Grants a role (council only). `attestation_hash` is the salted hash of the identity
    /// attestation, `attested_by` the organisation that checked it.
    pub async fn grant_role(
        &self,
        role: Role,
        account: Address,
        attestation_hash: B256,
        attested_by: Address,
    ) -> ChainResult<TxOutcome> {
        let c = self.consortium();
        self.send(c.grant(role.as_u8(), account, attestation_hash, attested_by))
            .await
    }

    /// Suspends a role (council only); `reason` is a non-zero code.
    pub async fn suspend_role(
        &self,
        role: Role,
        account: Address,
        reason: u16,
    ) -> ChainResult<TxOutcome> {
        let c = self.consortium();
        self.send(c.suspend(role.as_u8(), account, reason)).await
    }

    /// Lifts a suspension (council only).
    pub async fn reinstate_role(&self, role: Role, account: Address) -> ChainResult<TxOutcome> {
        let c = self.consortium();
        self.send(c.reinstate(role.as_u8(), account)).await
    }

    /// Sends `wei` of the chain's native currency to `to` (gas money for a new member on a
    /// chain that charges for gas; a zero-gas-price Besu network needs none).
    pub async fn send_gas_money(&self, to: Address, wei: U256) -> ChainResult<TxOutcome> {
        let transfer = alloy::contract::RawCallBuilder::new_raw(&self.provider, Bytes::new())
            .to(to)
            .value(wei);
        self.send(transfer).await
    }

    /// The native-currency balance of `account`, in wei.
    pub async fn gas_balance(&self, account: Address) -> ChainResult<U256> {
        self.provider
            .get_balance(account)
            .await
            .map_err(|e| ChainError::Rpc {
                reason: format!("reading the balance of {account:#x}: {e}"),
            })
    }

    /// True when `account` holds `role` unsuspended.
    pub async fn has_role(&self, role: Role, account: Address) -> ChainResult<bool> {
        Ok(self
            .consortium()
            .hasRole(role.as_u8(), account)
            .call()
            .await?)
    }

    /// True when `account` is on the council.
    pub async fn is_council(&self, account: Address) -> ChainResult<bool> {
        Ok(self.consortium().isCouncil(account).call().await?)
    }

    // ---- credit ----

    /// Issues credit to a member through the council's governance, in one go where this account
    /// alone can carry it (see [`ChainClient::enact_now`]).
    pub async fn mint_credit(&self, to: Address, amount: U256) -> ChainResult<U256> {
        self.enact_now(&[CouncilAction::MintCredit { to, amount }], "")
            .await
    }

    /// Credit balance of an account, in units (2 decimals).
    pub async fn credit_balance(&self, account: Address) -> ChainResult<U256> {
        Ok(self.credit().balanceOf(account).call().await?)
    }

    /// Lets `spender` (the market or licences contract) spend up to `amount` of our credit.
    pub async fn approve_credit(&self, spender: Address, amount: U256) -> ChainResult<TxOutcome> {
        let c = self.credit();
        self.send(c.approve(spender, amount)).await
    }

    /// Sets `spender`'s allowance to exactly `amount`, the payment the user confirmed (never
    /// more: a contract can then take no more than that, whatever happens before it runs).
    async fn allow_exactly(&self, spender: Address, amount: U256) -> ChainResult<()> {
        let allowance = self
            .credit()
            .allowance(self.address(), spender)
            .call()
            .await?;
        if allowance != amount {
            self.approve_credit(spender, amount).await?;
        }
        Ok(())
    }

    // ---- works ----

    /// Registers a work and mints edition 1 to `to` (issuers only).
    pub async fn register_work(&self, input: &WorkInput, to: Address) -> ChainResult<Minted> {
        let w = self.works();
        let receipt = self.submit(w.registerWork(input.to_sol(), to)).await?;
        minted_from(&receipt)
    }

    /// Mints the next edition of a work (its issuer only).
    pub async fn mint_edition(&self, work_id: U256, to: Address) -> ChainResult<Minted> {
        let w = self.works();
        let receipt = self.submit(w.mintEdition(work_id, to)).await?;
        minted_from(&receipt)
    }

    /// The EIP-712 domain of the works contract.
    pub fn works_domain(&self) -> Eip712Domain {
        works_domain(self.deployment.chain_id, self.deployment.works)
    }

    /// Signs a mint voucher as this client's account (an issuer).
    pub fn sign_mint_voucher(&self, voucher: &MintVoucher) -> ChainResult<Bytes> {
        sign_typed(&self.signer, &voucher.to_sol(), &self.works_domain())
    }

    /// The creator submits a voucher signed by an issuer; edition 1 goes to the creator.
    pub async fn mint_with_voucher(
        &self,
        voucher: &MintVoucher,
        signature: Bytes,
    ) -> ChainResult<Minted> {
        let w = self.works();
        let receipt = self
            .submit(w.mintWithVoucher(voucher.to_sol(), signature))
            .await?;
        minted_from(&receipt)
    }

    /// Revokes an unused voucher nonce of this issuer.
    pub async fn cancel_voucher_nonce(&self, nonce: U256) -> ChainResult<TxOutcome> {
        let w = self.works();
        self.send(w.cancelVoucherNonce(nonce)).await
    }

    /// Freezes a work (reviewers only); `reason` is a non-zero review code.
    pub async fn freeze_work(&self, work_id: U256, reason: u16) -> ChainResult<TxOutcome> {
        let w = self.works();
        self.send(w.freeze(work_id, reason)).await
    }

    /// Unfreezes a work (council only).
    pub async fn unfreeze_work(&self, work_id: U256) -> ChainResult<TxOutcome> {
        let w = self.works();
        self.send(w.unfreeze(work_id)).await
    }

    /// The record of a work, with its CID and splits.
    pub async fn work(&self, work_id: U256) -> ChainResult<WorkRecord> {
        let w = self.works();
        let record = w.work(work_id).call().await?;
        let metadata_cid = w.metadataCid(work_id).call().await?;
        let splits = w.royaltySplits(work_id).call().await?;
        Ok(WorkRecord {
            work_id,
            content_hash: record.contentHash,
            metadata_hash: record.metadataHash,
            metadata_cid,
            creator: record.creator,
            issuer: record.issuer,
            registered_block: record.registeredBlock,
            registered_at: record.registeredAt,
            max_editions: record.maxEditions,
            minted: record.minted,
            royalty_bps: record.royaltyBps,
            frozen_reason: record.frozenReason,
            splits: splits
                .into_iter()
                .map(|s| RoyaltySplit {
                    payee: s.payee,
                    bps: s.bps,
                })
                .collect(),
        })
    }

    /// The work registered for a content hash, if any.
    pub async fn work_by_content_hash(&self, content_hash: B256) -> ChainResult<Option<U256>> {
        let id = self
            .works()
            .workIdByContentHash(content_hash)
            .call()
            .await?;
        Ok((!id.is_zero()).then_some(id))
    }

    /// The holder of a token.
    pub async fn owner_of(&self, token_id: U256) -> ChainResult<Address> {
        Ok(self.works().ownerOf(token_id).call().await?)
    }

    /// `ipfs://<metadata CID>` of a token.
    pub async fn token_uri(&self, token_id: U256) -> ChainResult<String> {
        Ok(self.works().tokenURI(token_id).call().await?)
    }

    /// When the current holder received the token (unix seconds).
    pub async fn acquired_at(&self, token_id: U256) -> ChainResult<u64> {
        Ok(self.works().acquiredAt(token_id).call().await?)
    }

    /// Signs an EIP-712 ownership statement as this client's account.
    pub fn sign_ownership_statement(
        &self,
        token_id: U256,
        block_number: u64,
        nonce: U256,
    ) -> ChainResult<Bytes> {
        let statement = OwnershipStatement {
            holder: self.address(),
            tokenId: token_id,
            blockNumber: U256::from(block_number),
            nonce,
        };
        sign_typed(&self.signer, &statement, &self.works_domain())
    }

    /// Checks an ownership statement on-chain, against the state at `block_number`.
    pub async fn verify_ownership_statement(
        &self,
        holder: Address,
        token_id: U256,
        block_number: u64,
        nonce: U256,
        signature: Bytes,
    ) -> ChainResult<bool> {
        Ok(self
            .works()
            .verifyOwnershipStatement(holder, token_id, U256::from(block_number), nonce, signature)
            .block(block_number.into())
            .call()
            .await?)
    }

    // ---- market ----

    /// Lists a token we hold at `price` credit units.
    pub async fn list(&self, token_id: U256, price: U256) -> ChainResult<TxOutcome> {
        let m = self.market();
        self.send(m.list(token_id, price)).await
    }

    /// Withdraws our listing.
    pub async fn cancel_listing(&self, token_id: U256) -> ChainResult<TxOutcome> {
        let m = self.market();
        self.send(m.cancel(token_id)).await
    }

    /// The active listing of a token, `None` when not listed (or void).
    pub async fn listing(&self, token_id: U256) -> ChainResult<Option<Listing>> {
        match self.market().listingOf(token_id).call().await {
            Ok(l) => Ok(Some(Listing {
                seller: l.seller,
                holder_since: l.holderSince,
                price: l.price,
            })),
            Err(e) => match ChainError::from_contract(e) {
                ChainError::NotListed { .. } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// Buys a listed token at `price`, the price the buyer confirmed: the market is approved
    /// for exactly that amount and refuses the purchase ([`ChainError::PriceMismatch`]) unless
    /// the listing still asks that price when the transaction runs.
    pub async fn buy(&self, token_id: U256, price: U256) -> ChainResult<TxOutcome> {
        match self.listing(token_id).await? {
            Some(l) if l.price != price => {
                return Err(ChainError::PriceMismatch {
                    listed: l.price,
                    stated: price,
                });
            }
            Some(_) => {}
            None => return Err(ChainError::NotListed { token_id }),
        }
        self.allow_exactly(self.deployment.market, price).await?;
        let m = self.market();
        self.send(m.buy(token_id, price)).await
    }

    /// Gives a token we hold to another member.
    pub async fn gift(&self, token_id: U256, to: Address) -> ChainResult<TxOutcome> {
        let m = self.market();
        self.send(m.gift(token_id, to)).await
    }

    /// When the current holder may sell or gift the token (unix seconds).
    pub async fn transferable_at(&self, token_id: U256) -> ChainResult<u64> {
        Ok(self.market().transferableAt(token_id).call().await?)
    }

    /// The holding period in seconds.
    pub async fn holding_period(&self) -> ChainResult<u64> {
        Ok(self.market().holdingPeriod().call().await?)
    }

    /// Sets the holding period through the council's governance (see [`ChainClient::enact_now`]).
    pub async fn set_holding_period(&self, seconds: u64) -> ChainResult<U256> {
        self.enact_now(&[CouncilAction::SetHoldingPeriod { seconds }], "")
            .await
    }

    /// Sets the platform fee and its treasury through the council's governance (see
    /// [`ChainClient::enact_now`]).
    pub async fn set_platform_fee(&self, bps: u16, treasury: Address) -> ChainResult<U256> {
        self.enact_now(&[CouncilAction::SetPlatformFee { bps, treasury }], "")
            .await
    }

    /// [`ChainClient::enact`], failing with [`ChainError::Proposal`] unless the actions are done:
    /// for a council this account alone is a majority of, with no time lock (the dev chain).
    /// Each call gets its own proposal (the note is made unique). Returns the proposal id.
    pub async fn enact_now(&self, actions: &[CouncilAction], note: &str) -> ChainResult<U256> {
        let unique = format!(
            "{note} (by {:#x}, nonce {})",
            self.address(),
            self.next_nonce().await?
        );
        let (id, state) = self.enact(actions, unique.trim()).await?;
        if state == ProposalState::Executed {
            Ok(id)
        } else {
            Err(ChainError::Proposal {
                reason: format!(
                    "council proposal {id} is {}: it runs once a majority of the council approved it and the time lock has passed (`hallmark council show {id}`)",
                    state.describe()
                ),
            })
        }
    }

    async fn next_nonce(&self) -> ChainResult<u64> {
        self.provider
            .get_transaction_count(self.address())
            .await
            .map_err(ChainError::from_rpc)
    }

    /// Payouts held for `account` by the market and the licences contract (claimable once it can
    /// hold credit again).
    pub async fn held_payouts(&self, account: Address) -> ChainResult<U256> {
        let market = self.market().heldPayout(account).call().await?;
        let licences = self.licences().heldPayout(account).call().await?;
        Ok(market + licences)
    }

    /// Claims our payouts held by the market.
    pub async fn claim_market_payout(&self) -> ChainResult<TxOutcome> {
        let m = self.market();
        self.send(m.claimHeldPayout()).await
    }

    // ---- licences ----

    /// Offers a licence of a token we hold; returns the offer id.
    pub async fn offer_licence(&self, terms: &LicenceTerms) -> ChainResult<(U256, TxOutcome)> {
        let l = self.licences();
        let receipt = self
            .submit(l.offer(
                terms.token_id,
                terms.licensee,
                terms.kind.as_u8(),
                terms.scope_hash,
                terms.duration,
                terms.fee,
            ))
            .await?;
        let offered = decoded_event::<HallmarkLicences::LicenceOffered>(&receipt)?;
        Ok((offered.offerId, outcome(&receipt)))
    }

    /// Accepts a licence offer made to us and pays `fee`, the fee the licensee confirmed: the
    /// licences contract is approved for exactly that amount and refuses the acceptance
    /// ([`ChainError::FeeMismatch`]) unless it is the offer's fee.
    pub async fn accept_licence(&self, offer_id: U256, fee: U256) -> ChainResult<TxOutcome> {
        let offer = self.licences().offerOf(offer_id).call().await?;
        if offer.fee != fee {
            return Err(ChainError::FeeMismatch {
                fee: offer.fee,
                stated: fee,
            });
        }
        self.allow_exactly(self.deployment.licences, fee).await?;
        let l = self.licences();
        self.send(l.accept(offer_id, fee)).await
    }

    /// Withdraws a licence offer not accepted yet.
    pub async fn revoke_licence_offer(&self, offer_id: U256) -> ChainResult<TxOutcome> {
        let l = self.licences();
        self.send(l.revoke(offer_id)).await
    }

    /// The active licence of a token (EIP-4907 `userOf`/`userExpires`), if any.
    pub async fn active_licence(&self, token_id: U256) -> ChainResult<Option<ActiveLicence>> {
        let a = self.licences().activeLicence(token_id).call().await?;
        Ok((a.user != Address::ZERO).then_some(ActiveLicence {
            user: a.user,
            expires: a.expires,
            offer_id: a.offerId,
        }))
    }

    /// Claims our payouts held by the licences contract.
    pub async fn claim_licence_payout(&self) -> ChainResult<TxOutcome> {
        let l = self.licences();
        self.send(l.claimHeldPayout()).await
    }

    // ---- review queue ----

    /// Puts a near-duplicate mint up for review (issuers only); returns the request id.
    pub async fn submit_review(
        &self,
        submission: &ReviewSubmission,
    ) -> ChainResult<(U256, TxOutcome)> {
        let r = self.reviews_deployed()?;
        let (works, distances): (Vec<U256>, Vec<u16>) = submission
            .matches
            .iter()
            .map(|m| (m.work_id, m.distance))
            .unzip();
        let receipt = self
            .submit(r.submit(
                submission.content_hash,
                submission.metadata_hash,
                submission.metadata_cid.clone(),
                submission.creator,
                works,
                distances,
            ))
            .await?;
        let requested = decoded_event::<HallmarkReviews::ReviewRequested>(&receipt)?;
        Ok((requested.requestId, outcome(&receipt)))
    }

    /// Approves or rejects a pending review request (reviewers other than its submitter);
    /// `reason` is 1 to 500 bytes.
    pub async fn decide_review(
        &self,
        request_id: U256,
        approve: bool,
        reason: &str,
    ) -> ChainResult<TxOutcome> {
        let r = self.reviews_deployed()?;
        self.send(r.decide(request_id, approve, reason.to_owned()))
            .await
    }

    /// Withdraws a pending review request we submitted.
    pub async fn withdraw_review(&self, request_id: U256) -> ChainResult<TxOutcome> {
        let r = self.reviews_deployed()?;
        self.send(r.withdraw(request_id)).await
    }

    /// The record of a review request.
    pub async fn review(&self, request_id: U256) -> ChainResult<ReviewRecord> {
        let record = self.reviews_deployed()?.request(request_id).call().await?;
        let status = ReviewStatus::try_from(record.status).map_err(|raw| ChainError::Rpc {
            reason: format!("review request {request_id} has an unknown status {raw}"),
        })?;
        Ok(ReviewRecord {
            request_id,
            issuer: record.issuer,
            creator: record.creator,
            content_hash: record.contentHash,
            metadata_hash: record.metadataHash,
            submitted_at: record.submittedAt,
            status,
        })
    }

    /// The latest review request for a content hash, if any.
    pub async fn latest_review_of(&self, content_hash: B256) -> ChainResult<Option<U256>> {
        let id = self
            .reviews_deployed()?
            .latestRequestOf(content_hash)
            .call()
            .await?;
        Ok((!id.is_zero()).then_some(id))
    }

    /// True when the latest review request for a content hash was approved.
    pub async fn is_review_approved(&self, content_hash: B256) -> ChainResult<bool> {
        Ok(self
            .reviews_deployed()?
            .isApproved(content_hash)
            .call()
            .await?)
    }

    /// Number of review requests submitted (ids are 1..=count).
    pub async fn review_count(&self) -> ChainResult<U256> {
        Ok(self.reviews_deployed()?.requestCount().call().await?)
    }

    // ---- endorsements ----

    /// Asks an issuer (`issuer`, or any issuer when [`Address::ZERO`]) to endorse `work`, whose
    /// creator must be this account; returns the request id.
    pub async fn request_endorsement(
        &self,
        work: &WorkInput,
        issuer: Address,
    ) -> ChainResult<(U256, TxOutcome)> {
        let e = self.endorsements();
        let receipt = self
            .submit(e.request(work.to_endorsement_sol(), issuer))
            .await?;
        let requested = decoded_event::<HallmarkEndorsements::EndorsementRequested>(&receipt)?;
        Ok((requested.requestId, outcome(&receipt)))
    }

    /// The nonce an approval of `request_id` must carry.
    pub async fn endorsement_voucher_nonce(&self, request_id: U256) -> ChainResult<U256> {
        Ok(self.endorsements().voucherNonce(request_id).call().await?)
    }

    /// Approves a pending request as this account (an issuer): signs the voucher for exactly
    /// `work` with the request's nonce and `deadline`, and posts it. Returns the voucher and its
    /// signature.
    pub async fn approve_endorsement(
        &self,
        request_id: U256,
        work: &WorkInput,
        deadline: u64,
    ) -> ChainResult<(MintVoucher, Bytes, TxOutcome)> {
        let voucher = MintVoucher {
            work: work.clone(),
            nonce: self.endorsement_voucher_nonce(request_id).await?,
            deadline,
        };
        let signature = self.sign_mint_voucher(&voucher)?;
        let outcome = self
            .send(self.endorsements().approve(
                request_id,
                voucher.to_endorsement_sol(),
                signature.clone(),
            ))
            .await?;
        Ok((voucher, signature, outcome))
    }

    /// Declines a pending request as this account (an issuer); `reason` is 1 to 500 bytes.
    pub async fn reject_endorsement(
        &self,
        request_id: U256,
        reason: &str,
    ) -> ChainResult<TxOutcome> {
        self.send(self.endorsements().reject(request_id, reason.to_owned()))
            .await
    }

    /// Withdraws a pending request this account (its creator) made.
    pub async fn withdraw_endorsement(&self, request_id: U256) -> ChainResult<TxOutcome> {
        self.send(self.endorsements().withdraw(request_id)).await
    }

    /// The record of an endorsement request, its status as of now.
    pub async fn endorsement(&self, request_id: U256) -> ChainResult<EndorsementRecord> {
        let r = self.endorsements().endorsement(request_id).call().await?;
        let status = EndorsementStatus::try_from(r.status).map_err(|raw| ChainError::Rpc {
            reason: format!("endorsement request {request_id} has an unknown status {raw}"),
        })?;
        Ok(EndorsementRecord {
            request_id,
            creator: r.creator,
            issuer: r.issuer,
            decided_by: r.decidedBy,
            content_hash: r.contentHash,
            requested_at: r.requestedAt,
            decided_at: r.decidedAt,
            deadline: r.deadline,
            status,
        })
    }

    /// The latest endorsement request for a content hash, if any.
    pub async fn latest_endorsement_of(&self, content_hash: B256) -> ChainResult<Option<U256>> {
        let id = self
            .endorsements()
            .latestRequestOf(content_hash)
            .call()
            .await?;
        Ok((!id.is_zero()).then_some(id))
    }
}

/// The EIP-712 domain of a works contract.
pub fn works_domain(chain_id: u64, works: Address) -> Eip712Domain {
    eip712_domain! {
        name: "HallmarkWorks",
        version: "1",
        chain_id: chain_id,
        verifying_contract: works,
    }
}

/// Signs an EIP-712 struct; the 65-byte `r ‖ s ‖ v` signature the contracts expect.
pub fn sign_typed<T: SolStruct>(
    signer: &PrivateKeySigner,
    value: &T,
    domain: &Eip712Domain,
) -> ChainResult<Bytes> {
    use alloy::signers::SignerSync;
    let hash = value.eip712_signing_hash(domain);
    let signature = signer
        .sign_hash_sync(&hash)
        .map_err(|e| ChainError::Signing {
            reason: e.to_string(),
        })?;
    Ok(Bytes::from(signature.as_bytes().to_vec()))
}

fn outcome(receipt: &TransactionReceipt) -> TxOutcome {
    TxOutcome {
        tx_hash: receipt.transaction_hash,
        block_number: receipt.block_number.unwrap_or_default(),
        gas_used: receipt.gas_used,
    }
}

fn decoded_event<E: SolEvent>(receipt: &TransactionReceipt) -> ChainResult<E> {
    receipt
        .decoded_log::<E>()
        .map(|log| log.data)
        .ok_or_else(|| ChainError::Rpc {
            reason: format!(
                "transaction {} has no {} event",
                receipt.transaction_hash,
                E::SIGNATURE
            ),
        })
}

/// The gas limit to send `call` with: the node's estimate (a contract refusal comes back typed
/// here, before anything is signed or sent) plus a margin, since an exact estimate can fall
/// short when the mined block differs from the one estimated against (seen on anvil right
/// after a state reload: an out-of-gas gift). Gas is free on the consortium chain; failing is
/// not.
pub(crate) async fn gas_limit<D: CallDecoder>(
    call: &CallBuilder<&DynProvider, D, Ethereum>,
) -> ChainResult<u64> {
    let estimate = call
        .estimate_gas()
        .await
        .map_err(ChainError::from_contract)?;
    Ok(estimate.saturating_mul(5) / 4 + 20_000)
}

pub(crate) fn minted_from(receipt: &TransactionReceipt) -> ChainResult<Minted> {
    let e = decoded_event::<HallmarkWorks::EditionMinted>(receipt)?;
    Ok(Minted {
        work_id: e.workId,
        token_id: e.tokenId,
        edition: e.edition,
        tx: outcome(receipt),
    })
}
