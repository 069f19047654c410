//! Randomised sequences of market, licence and review steps among several members, checked step
//! by step against a model: every refusal is the typed error the model predicts, and after every
//! step royalties and fees are paid in full (all balances match the model), no token is held by a
//! non-member, frozen works never change hands, editions never exceed N, the holding period is
//! never cut short, and a token licensed, or its work frozen, after it was listed is never sold on
//! that listing.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use common::{Env, u, work_input};
use hallmark_chain::{Address, ChainError, LicenceKind, LicenceTerms, RoyaltySplit, U256, work_of};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const MEMBERS: usize = 4;
const FEE_BPS: u64 = 250;
/// Holding period; `Advance` moves the clock by more, and a case runs in far less wall time.
const HOLDING: u64 = 1_000;
const ADVANCE: u64 = 1_500;
const LICENCE_SECONDS: u64 = 500;
const STEPS: usize = 30;
const CASES: u32 = 64;

#[derive(Debug, Clone)]
enum Step {
    List {
        actor: usize,
        token: usize,
        price: u64,
    },
    Cancel {
        actor: usize,
        token: usize,
    },
    Buy {
        actor: usize,
        token: usize,
    },
    Gift {
        actor: usize,
        token: usize,
        to: usize,
    },
    Licence {
        actor: usize,
        token: usize,
        licensee: usize,
        fee: u64,
    },
    Freeze {
        token: usize,
    },
    Unfreeze {
        token: usize,
    },
    MintEdition {
        work: usize,
        to: usize,
    },
    Advance,
}

fn step() -> impl Strategy<Value = Step> {
    let m = 0..MEMBERS;
    let t = 0..16usize;
    prop_oneof![
        4 => (m.clone(), t.clone(), 1..5_000u64).prop_map(|(actor, token, price)| Step::List { actor, token, price }),
        1 => (m.clone(), t.clone()).prop_map(|(actor, token)| Step::Cancel { actor, token }),
        4 => (m.clone(), t.clone()).prop_map(|(actor, token)| Step::Buy { actor, token }),
        2 => (m.clone(), t.clone(), m.clone()).prop_map(|(actor, token, to)| Step::Gift { actor, token, to }),
        2 => (m.clone(), t.clone(), m.clone(), 0..3_000u64)
            .prop_map(|(actor, token, licensee, fee)| Step::Licence { actor, token, licensee, fee }),
        1 => t.clone().prop_map(|token| Step::Freeze { token }),
        1 => t.prop_map(|token| Step::Unfreeze { token }),
        2 => (0..2usize, m).prop_map(|(work, to)| Step::MintEdition { work, to }),
        4 => Just(Step::Advance),
    ]
}

/// Two works per case: (N, royalty bps, split shares among members, first holder).
fn works() -> impl Strategy<Value = Vec<(u32, u16, Vec<u16>, usize)>> {
    let work = (
        1..4u32,
        0..2_000u16,
        proptest::collection::vec(1..100u16, 1..=MEMBERS),
        0..MEMBERS,
    );
    proptest::collection::vec(work, 2)
}

/// A work in the model: id, N, minted, royalty bps, splits (member index, bps).
type WorkModel = (U256, u32, u32, u16, Vec<(usize, u16)>);

#[derive(Debug, Clone)]
struct TokenModel {
    id: U256,
    owner: usize,
    acquired_epoch: u64,
}

#[derive(Debug, Default)]
struct Model {
    tokens: Vec<TokenModel>,
    works: Vec<WorkModel>,
    frozen: HashMap<U256, u16>,
    listings: HashMap<U256, (usize, u64)>, // seller, price
    /// Listings a freeze voided: still stored (their seller may cancel them), never sold.
    void_listings: HashMap<U256, usize>, // seller
    licence_epoch: HashMap<U256, u64>,     // epoch of the active licence's acceptance
    balances: Vec<U256>,                   // members, then treasury
    epoch: u64,
}

impl Model {
    fn work(&self, token: U256) -> &WorkModel {
        self.works
            .iter()
            .find(|w| w.0 == work_of(token))
            .expect("known work")
    }

    fn can_part(&self, holder: usize, t: &TokenModel) -> Result<(), &'static str> {
        if t.owner != holder {
            return Err("not_holder");
        }
        if self.frozen.contains_key(&work_of(t.id)) {
            return Err("frozen");
        }
        if self.epoch == t.acquired_epoch {
            return Err("holding");
        }
        Ok(())
    }

    /// The royalty and fee owed on `price`, each rounded up to a whole unit as the contract does.
    fn owed(&self, token: U256, price: u64) -> (U256, U256) {
        let royalty_bps = self.work(token).3;
        let ceil = |bps: u64| U256::from((price * bps).div_ceil(10_000));
        (ceil(u64::from(royalty_bps)), ceil(FEE_BPS))
    }

    /// `price_too_low` when the rounded-up royalty and fee would take more than the price.
    fn affordable(&self, token: U256, price: u64) -> Result<(), &'static str> {
        let (royalty, fee) = self.owed(token, price);
        if royalty + fee > U256::from(price) {
            Err("price_too_low")
        } else {
            Ok(())
        }
    }

    /// Applies a settlement of `price` paid by `payer` to `seller` exactly as the contract does.
    fn settle(&mut self, token: U256, payer: usize, seller: usize, price: u64) {
        let (_, _, _, _, splits) = self.work(token).clone();
        let (royalty, fee) = self.owed(token, price);
        let price = U256::from(price);
        let mut paid = U256::ZERO;
        if !royalty.is_zero() {
            for (i, (payee, bps)) in splits.iter().enumerate() {
                let share = if i + 1 == splits.len() {
                    royalty - paid
                } else {
                    royalty * U256::from(*bps) / U256::from(10_000u64)
                };
                paid += share;
                self.balances[*payee] += share;
            }
        }
        self.balances[MEMBERS] += fee;
        self.balances[seller] += price - royalty - fee;
        self.balances[payer] -= price;
    }
}

static CONTENT: AtomicU64 = AtomicU64::new(0);
/// Successful sales, gifts, licences and refusals over the run (the run must exercise each).
static SALES: AtomicU64 = AtomicU64::new(0);
static GIFTS: AtomicU64 = AtomicU64::new(0);
static LICENCES: AtomicU64 = AtomicU64::new(0);
static REFUSALS: AtomicU64 = AtomicU64::new(0);

fn code(result: &Result<impl std::fmt::Debug, ChainError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(ChainError::NotHolder { .. }) => "not_holder",
        Err(ChainError::WorkFrozen { .. }) => "frozen",
        Err(ChainError::HoldingPeriod { .. }) => "holding",
        Err(ChainError::NotListed { .. }) => "not_listed",
        Err(ChainError::SelfTrade) => "self_trade",
        Err(ChainError::SelfLicence) => "self_licence",
        Err(ChainError::LicenceActive { .. }) => "licence_active",
        Err(ChainError::NotFrozen { .. }) => "not_frozen",
        Err(ChainError::EditionsExhausted { .. }) => "exhausted",
        Err(ChainError::PriceTooLow { .. }) => "price_too_low",
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

fn expect(step: &Step, predicted: Result<(), &'static str>, actual: &'static str) {
    let predicted = predicted.err().unwrap_or("ok");
    if actual != "ok" {
        REFUSALS.fetch_add(1, Ordering::Relaxed);
    }
    assert_eq!(
        actual, predicted,
        "step {step:?}: chain said {actual}, the model {predicted}"
    );
}

async fn run_case(env: &Env, works_spec: Vec<(u32, u16, Vec<u16>, usize)>, steps: Vec<Step>) {
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    let treasury = env.council.address();
    let mut model = Model::default();
    for who in m.iter().chain(std::iter::once(&treasury)) {
        model
            .balances
            .push(env.council.credit_balance(*who).await.unwrap());
    }
    for (n, royalty, shares, holder) in works_spec {
        // Turn raw shares into bps summing to 10000 (the last takes the rest).
        let total: u32 = shares.iter().map(|s| u32::from(*s)).sum();
        let mut splits = Vec::new();
        let mut left = 10_000u32;
        for (i, s) in shares.iter().enumerate() {
            let bps = if i + 1 == shares.len() {
                left
            } else {
                u32::from(*s) * 10_000 / total
            };
            if bps == 0 {
                continue;
            }
            left -= bps;
            splits.push((i, u16::try_from(bps).unwrap()));
        }
        if let Some(last) = splits.last_mut() {
            last.1 += u16::try_from(left).unwrap();
        }
        let seed = format!("inv{}", CONTENT.fetch_add(1, Ordering::Relaxed));
        let input = work_input(
            &seed,
            m[0],
            n,
            royalty,
            splits
                .iter()
                .map(|(i, bps)| RoyaltySplit {
                    payee: m[*i],
                    bps: *bps,
                })
                .collect(),
        );
        let minted = env.issuer.register_work(&input, m[holder]).await.unwrap();
        model.works.push((minted.work_id, n, 1, royalty, splits));
        model.tokens.push(TokenModel {
            id: minted.token_id,
            owner: holder,
            acquired_epoch: model.epoch,
        });
    }

    for step in &steps {
        let pick = |i: usize| model.tokens[i % model.tokens.len()].clone();
        match step.clone() {
            Step::List {
                actor,
                token,
                price,
            } => {
                let t = pick(token);
                let predicted = model
                    .can_part(actor, &t)
                    .and_then(|()| model.affordable(t.id, price));
                let result = env.members[actor].list(t.id, u(price)).await;
                check_holding_until(env, &result, t.id).await;
                expect(step, predicted, code(&result));
                if result.is_ok() {
                    model.listings.insert(t.id, (actor, price));
                    model.void_listings.remove(&t.id);
                }
            }
            Step::Cancel { actor, token } => {
                let t = pick(token);
                let seller = model
                    .listings
                    .get(&t.id)
                    .map(|(seller, _)| *seller)
                    .or_else(|| model.void_listings.get(&t.id).copied());
                let predicted = match seller {
                    None => Err("not_listed"),
                    Some(seller) if seller != actor => Err("not_holder"),
                    Some(_) => Ok(()),
                };
                let result = env.members[actor].cancel_listing(t.id).await;
                expect(step, predicted, code(&result));
                if result.is_ok() {
                    model.listings.remove(&t.id);
                    model.void_listings.remove(&t.id);
                }
            }
            Step::Buy { actor, token } => {
                let t = pick(token);
                let predicted = match model.listings.get(&t.id) {
                    None => Err("not_listed"),
                    Some((seller, _)) if *seller == actor => Err("self_trade"),
                    Some((seller, _)) => model.can_part(*seller, &t),
                };
                // The buyer states the price the model says is asked (any price when unlisted).
                let stated = model
                    .listings
                    .get(&t.id)
                    .map_or(u(1), |(_, price)| u(*price));
                let result = env.members[actor].buy(t.id, stated).await;
                check_holding_until(env, &result, t.id).await;
                expect(step, predicted, code(&result));
                if result.is_ok() {
                    let (seller, price) = model.listings.remove(&t.id).expect("listed");
                    model.void_listings.remove(&t.id);
                    model.settle(t.id, actor, seller, price);
                    transfer(&mut model, t.id, actor);
                    SALES.fetch_add(1, Ordering::Relaxed);
                }
            }
            Step::Gift { actor, token, to } => {
                let t = pick(token);
                let predicted = if to == actor {
                    Err("self_trade")
                } else {
                    model.can_part(actor, &t)
                };
                let result = env.members[actor].gift(t.id, m[to]).await;
                check_holding_until(env, &result, t.id).await;
                expect(step, predicted, code(&result));
                if result.is_ok() {
                    model.listings.remove(&t.id);
                    model.void_listings.remove(&t.id);
                    transfer(&mut model, t.id, to);
                    GIFTS.fetch_add(1, Ordering::Relaxed);
                }
            }
            Step::Licence {
                actor,
                token,
                licensee,
                fee,
            } => {
                let t = pick(token);
                let terms = LicenceTerms {
                    token_id: t.id,
                    licensee: m[licensee],
                    kind: LicenceKind::ALL[(fee % 5) as usize],
                    scope_hash: common::sha(format!("terms {fee}").as_bytes()),
                    duration: LICENCE_SECONDS,
                    fee: u(fee),
                };
                let predicted = if t.owner != actor {
                    Err("not_holder")
                } else if licensee == actor {
                    Err("self_licence")
                } else if model.frozen.contains_key(&work_of(t.id)) {
                    Err("frozen")
                } else if fee > 0 {
                    model.affordable(t.id, fee)
                } else {
                    Ok(())
                };
                let offered = env.members[actor].offer_licence(&terms).await;
                expect(step, predicted, code(&offered));
                if let Ok((offer_id, _)) = offered {
                    let active = model.licence_epoch.get(&t.id) == Some(&model.epoch);
                    let predicted = if active {
                        Err("licence_active")
                    } else {
                        Ok(())
                    };
                    let result = env.members[licensee].accept_licence(offer_id, u(fee)).await;
                    expect(step, predicted, code(&result));
                    if result.is_ok() {
                        model.licence_epoch.insert(t.id, model.epoch);
                        // Accepting a licence ends the token's listing (finding 7).
                        model.listings.remove(&t.id);
                        model.void_listings.remove(&t.id);
                        LICENCES.fetch_add(1, Ordering::Relaxed);
                        if fee > 0 {
                            model.settle(t.id, licensee, actor, fee);
                        }
                    }
                }
            }
            Step::Freeze { token } => {
                let w = work_of(pick(token).id);
                let predicted = if model.frozen.contains_key(&w) {
                    Err("frozen")
                } else {
                    Ok(())
                };
                let result = env.reviewer.freeze_work(w, 7).await;
                expect(step, predicted, code(&result));
                if result.is_ok() {
                    model.frozen.insert(w, 7);
                    // A freeze voids the work's listings for good.
                    let voided: Vec<(U256, usize)> = model
                        .listings
                        .iter()
                        .filter(|(token, _)| work_of(**token) == w)
                        .map(|(token, (seller, _))| (*token, *seller))
                        .collect();
                    for (token, seller) in voided {
                        model.listings.remove(&token);
                        model.void_listings.insert(token, seller);
                    }
                }
            }
            Step::Unfreeze { token } => {
                let w = work_of(pick(token).id);
                let predicted = if model.frozen.contains_key(&w) {
                    Ok(())
                } else {
                    Err("not_frozen")
                };
                let result = env.council.unfreeze_work(w).await;
                expect(step, predicted, code(&result));
                if result.is_ok() {
                    model.frozen.remove(&w);
                }
            }
            Step::MintEdition { work, to } => {
                let (id, n, minted, ..) = model.works[work].clone();
                let predicted = if minted >= n {
                    Err("exhausted")
                } else if model.frozen.contains_key(&id) {
                    Err("frozen")
                } else {
                    Ok(())
                };
                let result = env.issuer.mint_edition(id, m[to]).await;
                expect(step, predicted, code(&result));
                if let Ok(new) = result {
                    model.works[work].2 += 1;
                    model.tokens.push(TokenModel {
                        id: new.token_id,
                        owner: to,
                        acquired_epoch: model.epoch,
                    });
                }
            }
            Step::Advance => {
                env.advance(ADVANCE).await;
                model.epoch += 1;
            }
        }
        check_invariants(env, &model, &m, treasury).await;
    }
}

fn transfer(model: &mut Model, token: U256, to: usize) {
    let epoch = model.epoch;
    let t = model
        .tokens
        .iter_mut()
        .find(|t| t.id == token)
        .expect("token");
    t.owner = to;
    t.acquired_epoch = epoch;
}

/// A `HoldingPeriod` refusal names exactly acquisition time + period.
async fn check_holding_until<T>(env: &Env, result: &Result<T, ChainError>, token: U256) {
    if let Err(ChainError::HoldingPeriod { until }) = result {
        let acquired = env.council.acquired_at(token).await.unwrap();
        assert_eq!(*until, acquired + HOLDING);
        assert!(
            env.now().await < *until,
            "refused after the holding period ended"
        );
    }
}

async fn check_invariants(env: &Env, model: &Model, m: &[Address], treasury: Address) {
    for (i, who) in m.iter().chain(std::iter::once(&treasury)).enumerate() {
        assert_eq!(
            env.council.credit_balance(*who).await.unwrap(),
            model.balances[i],
            "balance of account {i} (royalties, fees and proceeds must add up)"
        );
    }
    for t in &model.tokens {
        let owner = env.council.owner_of(t.id).await.unwrap();
        assert_eq!(
            owner, m[t.owner],
            "token {} owner (frozen works never move)",
            t.id
        );
        assert!(
            env.council
                .consortium()
                .isMember(owner)
                .call()
                .await
                .unwrap()
        );
    }
    for (id, n, minted, ..) in &model.works {
        let record = env.council.work(*id).await.unwrap();
        assert_eq!(record.minted, *minted);
        assert!(record.minted <= *n, "editions exceed N");
    }
}

#[test]
fn random_sequences_keep_the_invariants() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let env = rt.block_on(Env::new(MEMBERS, FEE_BPS as u16, HOLDING));
    let cases = std::env::var("HALLMARK_CHAIN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (works(), proptest::collection::vec(step(), STEPS));
    let result = runner.run(&strategy, |(works_spec, steps)| {
        rt.block_on(run_case(&env, works_spec, steps));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let counts = [&SALES, &GIFTS, &LICENCES, &REFUSALS].map(|c| c.load(Ordering::Relaxed));
    eprintln!("sales, gifts, licences, refusals: {counts:?}");
    assert!(
        counts.iter().all(|c| *c > 0),
        "the run did not exercise every path: {counts:?}"
    );
}
