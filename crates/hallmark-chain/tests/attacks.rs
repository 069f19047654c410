//! The payment attacks of the trust review (docs/security.md, findings 1 and 2), performed against
//! a real anvil: each test is the attack, and asserts that it fails and costs the victim nothing.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use common::{Env, err, u};
use hallmark_chain::{ChainError, LicenceKind, LicenceTerms, Role, U256};

/// Finding 1: the seller re-lists at a higher price after the buyer saw the listing. Neither the
/// client nor the contract lets the buyer pay more than the price they confirmed, and the market
/// is never approved for more than that price.
#[tokio::test]
async fn a_seller_who_relists_higher_before_the_buy_charges_the_buyer_nothing() {
    let env = Env::new(2, 250, 0).await;
    let (seller, buyer) = (&env.members[0], &env.members[1]);
    let t = env
        .register(
            "relisted",
            seller.address(),
            seller.address(),
            1,
            1_000,
            vec![],
        )
        .await
        .token_id;
    let seen = u(100);
    seller.list(t, seen).await.unwrap();
    // The seller sees the buy coming and re-lists at nine times the price.
    seller.list(t, u(900)).await.unwrap();
    let before = buyer.credit_balance(buyer.address()).await.unwrap();

    // The client refuses before it approves anything.
    assert_eq!(
        err(buyer.buy(t, seen).await),
        ChainError::PriceMismatch {
            listed: u(900),
            stated: seen
        }
    );
    // A transaction already on its way (the re-listing landed first) is refused by the
    // contract, even from a buyer who once approved the market for everything they have.
    let market = buyer.market();
    buyer
        .approve_credit(env.deployment.market, U256::MAX)
        .await
        .unwrap();
    assert_eq!(
        err(buyer.submit(market.buy(t, seen)).await),
        ChainError::PriceMismatch {
            listed: u(900),
            stated: seen
        }
    );
    assert_eq!(buyer.credit_balance(buyer.address()).await.unwrap(), before);
    assert_eq!(buyer.owner_of(t).await.unwrap(), seller.address());

    // At the price the buyer does confirm, the sale goes through and the market's allowance is
    // exactly what was paid: nothing is left for a later listing to take.
    buyer.buy(t, u(900)).await.unwrap();
    assert_eq!(
        before - buyer.credit_balance(buyer.address()).await.unwrap(),
        u(900)
    );
    let allowance = buyer
        .credit()
        .allowance(buyer.address(), env.deployment.market)
        .call()
        .await
        .unwrap();
    assert_eq!(allowance, U256::ZERO);
}

/// Finding 1, for licences: the licensee states the fee they agreed to.
#[tokio::test]
async fn a_licence_is_paid_only_at_the_fee_the_licensee_confirmed() {
    let env = Env::new(2, 250, 0).await;
    let (holder, licensee) = (&env.members[0], &env.members[1]);
    let t = env
        .register("licensed", holder.address(), holder.address(), 1, 0, vec![])
        .await
        .token_id;
    let terms = LicenceTerms {
        token_id: t,
        licensee: licensee.address(),
        kind: LicenceKind::Exhibition,
        scope_hash: common::sha(b"a week in the foyer"),
        duration: 7 * 86_400,
        fee: u(5_000),
    };
    let (offer, _) = holder.offer_licence(&terms).await.unwrap();
    let before = licensee.credit_balance(licensee.address()).await.unwrap();
    assert_eq!(
        err(licensee.accept_licence(offer, u(50)).await),
        ChainError::FeeMismatch {
            fee: u(5_000),
            stated: u(50)
        }
    );
    licensee
        .approve_credit(env.deployment.licences, U256::MAX)
        .await
        .unwrap();
    let licences = licensee.licences();
    assert_eq!(
        err(licensee.submit(licences.accept(offer, u(50))).await),
        ChainError::FeeMismatch {
            fee: u(5_000),
            stated: u(50)
        }
    );
    assert_eq!(
        licensee.credit_balance(licensee.address()).await.unwrap(),
        before
    );
    licensee.accept_licence(offer, u(5_000)).await.unwrap();
    assert_eq!(
        before - licensee.credit_balance(licensee.address()).await.unwrap(),
        u(5_000)
    );
}

/// Finding 2: buyer and seller settle beside the market (credit sent directly, then the token
/// gifted), so the creator's royalty and the platform fee are never paid. Credit moves between
/// accounts only through the suite's contracts, so the payment itself is refused, directly or
/// through an allowance.
#[tokio::test]
async fn paying_the_seller_beside_the_market_is_refused() {
    let env = Env::new(3, 250, 0).await;
    let (seller, buyer) = (&env.members[0], &env.members[1]);
    let seller_before = seller.credit_balance(seller.address()).await.unwrap();
    let buyer_before = buyer.credit_balance(buyer.address()).await.unwrap();

    let credit = buyer.credit();
    assert_eq!(
        err(buyer
            .submit(credit.transfer(seller.address(), u(900)))
            .await),
        ChainError::TransfersOnlyThroughSystem {
            caller: buyer.address()
        }
    );
    // Nor by letting the seller pull it.
    buyer
        .approve_credit(seller.address(), u(900))
        .await
        .unwrap();
    let pull = seller.credit();
    assert_eq!(
        err(seller
            .submit(pull.transferFrom(buyer.address(), seller.address(), u(900)))
            .await),
        ChainError::TransfersOnlyThroughSystem {
            caller: seller.address()
        }
    );
    assert_eq!(
        seller.credit_balance(seller.address()).await.unwrap(),
        seller_before
    );
    assert_eq!(
        buyer.credit_balance(buyer.address()).await.unwrap(),
        buyer_before
    );
    // The council's issuance still works, and so does a holder's redemption (burn).
    env.council
        .mint_credit(buyer.address(), u(1))
        .await
        .unwrap();
    buyer.submit(credit.burn(u(1))).await.unwrap();
    assert_eq!(
        buyer.credit_balance(buyer.address()).await.unwrap(),
        buyer_before
    );
}

/// Finding 7: the seller grants a friend a ten-year free licence right before the buyer's
/// transaction. The licence's acceptance ends the listing, so the buyer's purchase at the price
/// they saw fails and costs them nothing; nobody but the licence contract can end a listing that
/// way, and the council cannot point the market at another licence contract later.
#[tokio::test]
async fn a_licence_granted_just_before_a_sale_ends_the_listing() {
    let env = Env::new(3, 250, 0).await;
    let (seller, buyer, friend) = (&env.members[0], &env.members[1], &env.members[2]);
    let t = env
        .register(
            "licensed before sale",
            seller.address(),
            seller.address(),
            1,
            0,
            vec![],
        )
        .await
        .token_id;
    let seen = u(100);
    seller.list(t, seen).await.unwrap();
    let terms = LicenceTerms {
        token_id: t,
        licensee: friend.address(),
        kind: LicenceKind::Commercial,
        scope_hash: common::sha(b"everything, for ten years"),
        duration: 10 * 365 * 86_400,
        fee: U256::ZERO,
    };
    let (offer, _) = seller.offer_licence(&terms).await.unwrap();
    friend.accept_licence(offer, U256::ZERO).await.unwrap();

    let before = buyer.credit_balance(buyer.address()).await.unwrap();
    assert_eq!(
        err(buyer.buy(t, seen).await),
        ChainError::NotListed { token_id: t }
    );
    buyer
        .approve_credit(env.deployment.market, seen)
        .await
        .unwrap();
    assert_eq!(
        err(buyer.submit(buyer.market().buy(t, seen)).await),
        ChainError::NotListed { token_id: t }
    );
    assert_eq!(buyer.credit_balance(buyer.address()).await.unwrap(), before);
    assert_eq!(
        buyer.works().ownerOf(t).call().await.unwrap(),
        seller.address()
    );

    // Only the licence contract ends a listing that way.
    seller.list(t, seen).await.unwrap();
    assert!(matches!(
        err(seller.submit(seller.market().voidListing(t)).await),
        ChainError::Rejected { .. }
    ));
    assert_eq!(
        buyer.market().listingOf(t).call().await.unwrap().price,
        seen
    );
    // And the market's licence contract is set once, at deployment: one council key may not
    // touch it, and not even the council's governance may change it.
    assert_eq!(
        err(env
            .council
            .submit(env.council.market().setLicences(env.council.address()))
            .await),
        ChainError::NotGovernance {
            account: env.council.address()
        }
    );
    let set_licences = hallmark_chain::CouncilAction::Unknown {
        target: env.deployment.market,
        data: alloy::sol_types::SolCall::abi_encode(
            &hallmark_chain::bindings::HallmarkMarket::setLicencesCall {
                licences_: env.council.address(),
            },
        )
        .into(),
    };
    assert!(matches!(
        err(env.council.enact_now(&[set_licences], "").await),
        ChainError::Miswired { .. }
    ));
}

/// Smaller finding: a listing survived a freeze or a suspension and came back at its old price
/// when the work was unfrozen or the seller reinstated — long after the seller may have
/// forgotten it, at a price from before the review. Both now void the listing for good.
#[tokio::test]
async fn a_listing_does_not_come_back_after_a_freeze_or_a_suspension() {
    let env = Env::new(2, 250, 0).await;
    let (seller, buyer) = (&env.members[0], &env.members[1]);
    let minted = env
        .register("reviewed", seller.address(), seller.address(), 1, 0, vec![])
        .await;
    let (t, w) = (minted.token_id, minted.work_id);
    let old = u(100);

    seller.list(t, old).await.unwrap();
    env.reviewer.freeze_work(w, 7).await.unwrap();
    env.council.unfreeze_work(w).await.unwrap();
    assert_eq!(
        err(buyer.buy(t, old).await),
        ChainError::NotListed { token_id: t },
        "the listing came back after the unfreeze"
    );

    seller.list(t, old).await.unwrap();
    env.council
        .suspend_role(Role::Member, seller.address(), 3)
        .await
        .unwrap();
    env.council
        .reinstate_role(Role::Member, seller.address())
        .await
        .unwrap();
    assert_eq!(
        err(buyer.buy(t, old).await),
        ChainError::NotListed { token_id: t },
        "the listing came back after the reinstatement"
    );

    // A listing made afterwards sells as usual.
    seller.list(t, u(120)).await.unwrap();
    buyer.buy(t, u(120)).await.unwrap();
    assert_eq!(
        buyer.works().ownerOf(t).call().await.unwrap(),
        buyer.address()
    );
}

/// Smaller finding: the royalty and the fee rounded down, so a price of a few hundredths paid
/// neither (sell at 0.03 credits, repeat). Both now round up to a whole unit, and a price that
/// cannot pay them is refused when it is listed or offered.
#[tokio::test]
async fn a_tiny_price_still_pays_the_royalty_and_the_fee() {
    let env = Env::new(3, 250, 0).await;
    let (creator, seller, buyer) = (&env.members[0], &env.members[1], &env.members[2]);
    // 10 % royalty to the creator; the seller holds edition 1.
    let t = env
        .register(
            "tiny",
            creator.address(),
            seller.address(),
            1,
            1_000,
            vec![],
        )
        .await
        .token_id;
    // One hundredth cannot pay a royalty and a fee of at least one hundredth each.
    assert_eq!(
        err(seller.list(t, u(1)).await),
        ChainError::PriceTooLow {
            price: u(1),
            owed: u(2)
        }
    );
    let offer = LicenceTerms {
        token_id: t,
        licensee: buyer.address(),
        kind: LicenceKind::Exhibition,
        scope_hash: common::sha(b"a tiny licence"),
        duration: 86_400,
        fee: u(1),
    };
    assert_eq!(
        err(seller.offer_licence(&offer).await),
        ChainError::PriceTooLow {
            price: u(1),
            owed: u(2)
        }
    );
    // At three hundredths each party gets one: before, the royalty and fee were both zero.
    let before = [creator, seller, buyer].map(|c| c.address());
    let council = &env.council;
    let credit = |a| async move { council.credit_balance(a).await.unwrap() };
    let (c0, s0, b0, t0) = (
        credit(before[0]).await,
        credit(before[1]).await,
        credit(before[2]).await,
        credit(env.council.address()).await,
    );
    seller.list(t, u(3)).await.unwrap();
    buyer.buy(t, u(3)).await.unwrap();
    assert_eq!(credit(before[0]).await, c0 + u(1), "royalty");
    assert_eq!(credit(env.council.address()).await, t0 + u(1), "fee");
    assert_eq!(credit(before[1]).await, s0 + u(1), "proceeds");
    assert_eq!(credit(before[2]).await, b0 - u(3));
}
