//! Every contract rule against a real anvil, positive and negative; each refusal is asserted as
//! its typed error.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use common::{Env, err, u, work_input};
use hallmark_chain::{
    Address, ChainError, LicenceKind, LicenceTerms, MintVoucher, Role, RoyaltySplit, U256, credits,
    demo_attestation,
};

#[tokio::test]
async fn roles_are_granted_suspended_and_reinstated_by_the_council_only() {
    let env = Env::new(2, 0, 0).await;
    let [a, b] = [env.members[0].address(), env.members[1].address()];
    let outsider = env.outsider();
    let o = outsider.address();

    assert!(env.council.has_role(Role::Member, a).await.unwrap());
    assert!(!env.council.has_role(Role::Member, o).await.unwrap());
    // Only the council grants.
    assert_eq!(
        err(env.members[0]
            .grant_role(Role::Member, o, demo_attestation(o), a)
            .await),
        ChainError::NotCouncil { account: a }
    );
    assert_eq!(
        err(env
            .council
            .grant_role(Role::Member, o, Default::default(), a)
            .await),
        ChainError::MissingAttestation
    );
    assert_eq!(
        err(env
            .council
            .grant_role(Role::Member, a, demo_attestation(a), a)
            .await),
        ChainError::AlreadyGranted {
            role: Role::Member,
            account: a
        }
    );
    // Suspension turns the view off, reinstatement back on.
    assert_eq!(
        err(env.council.suspend_role(Role::Member, b, 0).await),
        ChainError::MissingReason
    );
    env.council.suspend_role(Role::Member, b, 7).await.unwrap();
    assert!(!env.council.has_role(Role::Member, b).await.unwrap());
    assert_eq!(
        err(env.council.suspend_role(Role::Member, b, 7).await),
        ChainError::AlreadySuspended {
            role: Role::Member,
            account: b
        }
    );
    env.council.reinstate_role(Role::Member, b).await.unwrap();
    assert!(env.council.has_role(Role::Member, b).await.unwrap());
    assert_eq!(
        err(env.council.reinstate_role(Role::Member, b).await),
        ChainError::NotSuspended {
            role: Role::Member,
            account: b
        }
    );
    assert_eq!(
        err(env.council.suspend_role(Role::Reviewer, o, 1).await),
        ChainError::NotGranted {
            role: Role::Reviewer,
            account: o
        }
    );
    // The grant stores only the attestation hash and the attesting org.
    let grant = env.council.consortium().grantOf(0, a).call().await.unwrap();
    assert_eq!(grant.attestationHash, demo_attestation(a));
    assert_eq!(grant.attestedBy, env.council.address());
    // Council seats change only through the council's governance, and the last one stays.
    let c = env.council.address();
    let last = env.council.consortium();
    assert_eq!(
        err(env.council.submit(last.removeCouncil(c)).await),
        ChainError::NotGovernance { account: c }
    );
    assert_eq!(
        err(env
            .council
            .enact_now(
                &[hallmark_chain::CouncilAction::RemoveCouncil { account: c }],
                ""
            )
            .await),
        ChainError::LastCouncilMember
    );
}

#[tokio::test]
async fn registration_rules() {
    let env = Env::new(2, 0, 0).await;
    let a = env.members[0].address();
    let b = env.members[1].address();
    let minted = env.register("w1", a, a, 2, 500, vec![]).await;
    assert_eq!(minted.work_id, u(1));
    assert_eq!(minted.token_id, u(1_000_001));
    assert_eq!(minted.edition, 1);

    let record = env.issuer.work(minted.work_id).await.unwrap();
    let input = work_input("w1", a, 2, 500, vec![]);
    assert_eq!(record.content_hash, input.content_hash);
    assert_eq!(record.metadata_hash, input.metadata_hash);
    assert_eq!(record.creator, a);
    assert_eq!(record.issuer, env.issuer.address());
    assert_eq!(record.registered_block, minted.tx.block_number);
    assert_eq!(
        record.splits,
        vec![RoyaltySplit {
            payee: a,
            bps: 10_000
        }]
    );
    assert_eq!(
        env.issuer.token_uri(minted.token_id).await.unwrap(),
        "ipfs://bafkreimetaw1"
    );
    assert_eq!(env.issuer.owner_of(minted.token_id).await.unwrap(), a);
    assert_eq!(
        env.issuer
            .work_by_content_hash(input.content_hash)
            .await
            .unwrap(),
        Some(u(1))
    );

    // A content hash registers once, whoever tries and whatever the metadata.
    let mut again = work_input("other", b, 1, 0, vec![]);
    again.content_hash = input.content_hash;
    assert_eq!(
        err(env.issuer.register_work(&again, b).await),
        ChainError::ContentAlreadyRegistered {
            work_id: u(1),
            first_token_id: u(1_000_001),
            registered_at: record.registered_at,
        }
    );

    // Editions: N is enforced.
    let second = env.issuer.mint_edition(u(1), b).await.unwrap();
    assert_eq!((second.token_id, second.edition), (u(1_000_002), 2));
    assert_eq!(
        err(env.issuer.mint_edition(u(1), b).await),
        ChainError::EditionsExhausted {
            work_id: u(1),
            max_editions: 2
        }
    );
    assert_eq!(
        err(env.members[1].mint_edition(u(1), b).await),
        ChainError::NotWorkIssuer {
            work_id: u(1),
            account: b
        }
    );

    // Only issuers mint, only members hold.
    assert_eq!(
        err(env.members[0]
            .register_work(&work_input("x", a, 1, 0, vec![]), a)
            .await),
        ChainError::NotIssuer { account: a }
    );
    let o = env.outsider().address();
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", a, 1, 0, vec![]), o)
            .await),
        ChainError::NotMember { account: o }
    );
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", o, 1, 0, vec![]), a)
            .await),
        ChainError::NotMember { account: o }
    );
    // Input checks.
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", a, 0, 0, vec![]), a)
            .await),
        ChainError::InvalidEditions { max_editions: 0 }
    );
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", a, 10_001, 0, vec![]), a)
            .await),
        ChainError::InvalidEditions {
            max_editions: 10_001
        }
    );
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", a, 1, 5_001, vec![]), a)
            .await),
        ChainError::InvalidRoyalty { bps: 5_001 }
    );
    let bad_sum = vec![
        RoyaltySplit {
            payee: a,
            bps: 5_000,
        },
        RoyaltySplit {
            payee: b,
            bps: 4_999,
        },
    ];
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", a, 1, 100, bad_sum), a)
            .await),
        ChainError::InvalidSplits
    );
    let nine: Vec<_> = (0..9)
        .map(|_| RoyaltySplit {
            payee: a,
            bps: 1_000,
        })
        .collect();
    assert_eq!(
        err(env
            .issuer
            .register_work(&work_input("x", a, 1, 100, nine), a)
            .await),
        ChainError::InvalidSplits
    );
    let mut empty = work_input("x", a, 1, 0, vec![]);
    empty.metadata_cid.clear();
    assert_eq!(
        err(env.issuer.register_work(&empty, a).await),
        ChainError::EmptyMetadata
    );
    empty = work_input("x", a, 1, 0, vec![]);
    empty.content_hash = Default::default();
    assert_eq!(
        err(env.issuer.register_work(&empty, a).await),
        ChainError::EmptyContentHash
    );
    assert_eq!(
        err(env.issuer.work(u(99)).await),
        ChainError::UnknownWork { work_id: u(99) }
    );
}

#[tokio::test]
async fn direct_transfers_and_approvals_revert() {
    let env = Env::new(2, 0, 0).await;
    let a = &env.members[0];
    let b = env.members[1].address();
    let t = env
        .register("t", a.address(), a.address(), 1, 0, vec![])
        .await
        .token_id;
    let w = a.works();
    assert_eq!(
        err(a.submit(w.transferFrom(a.address(), b, t)).await),
        ChainError::TransfersOnlyThroughMarket
    );
    assert_eq!(
        err(a.submit(w.safeTransferFrom_0(a.address(), b, t)).await),
        ChainError::TransfersOnlyThroughMarket
    );
    assert_eq!(
        err(a.submit(w.approve(b, t)).await),
        ChainError::TransfersOnlyThroughMarket
    );
    assert_eq!(
        err(a.submit(w.setApprovalForAll(b, true)).await),
        ChainError::TransfersOnlyThroughMarket
    );
    assert_eq!(
        err(a.submit(w.marketTransfer(a.address(), b, t)).await),
        ChainError::NotMarket {
            account: a.address()
        }
    );
    assert_eq!(a.owner_of(t).await.unwrap(), a.address());
    // Credit never moves member to member (nor to an outsider): only the suite's contracts move it.
    let o = env.outsider().address();
    let c = a.credit();
    assert_eq!(
        err(a.submit(c.transfer(o, u(1))).await),
        ChainError::TransfersOnlyThroughSystem {
            caller: a.address()
        }
    );
    assert_eq!(
        err(a.submit(c.transfer(b, u(1))).await),
        ChainError::TransfersOnlyThroughSystem {
            caller: a.address()
        }
    );
    // Issuing credit is the council's governance: a member can neither call it nor propose it.
    assert_eq!(
        err(a.submit(c.mint(a.address(), u(1))).await),
        ChainError::NotGovernance {
            account: a.address()
        }
    );
    assert!(matches!(
        err(a.mint_credit(a.address(), u(1)).await),
        ChainError::Proposal { .. }
    ));
}

#[tokio::test]
async fn a_sale_pays_every_royalty_split_and_the_platform_fee() {
    // 2.5 % fee; 10 % royalty split 50/30/20 between members 0, 1, 2; member 3 sells to member 4.
    let env = Env::new(5, 250, 0).await;
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    let splits = vec![
        RoyaltySplit {
            payee: m[0],
            bps: 5_000,
        },
        RoyaltySplit {
            payee: m[1],
            bps: 3_000,
        },
        RoyaltySplit {
            payee: m[2],
            bps: 2_000,
        },
    ];
    let t = env
        .register("sale", m[0], m[3], 1, 1_000, splits)
        .await
        .token_id;
    let treasury = env.council.address();
    let before: Vec<U256> = futures_balances(&env, &m).await;
    let treasury_before = env.council.credit_balance(treasury).await.unwrap();

    let seller = &env.members[3];
    let buyer = &env.members[4];
    assert_eq!(
        err(seller.list(t, U256::ZERO).await),
        ChainError::InvalidPrice
    );
    assert_eq!(
        err(buyer.list(t, u(1)).await),
        ChainError::NotHolder {
            account: m[4],
            token_id: t
        }
    );
    let price = u(10_001); // odd, to exercise rounding
    seller.list(t, price).await.unwrap();
    assert_eq!(err(seller.buy(t, price).await), ChainError::SelfTrade);
    buyer.buy(t, price).await.unwrap();
    assert_eq!(buyer.owner_of(t).await.unwrap(), m[4]);

    let after = futures_balances(&env, &m).await;
    // Royalty and fee round up to a whole unit (security.md: a tiny price still pays them).
    let royalty = (10_001u64 * 1_000).div_ceil(10_000); // 1001
    let fee = (10_001u64 * 250).div_ceil(10_000); // 251
    let shares = [royalty * 5_000 / 10_000, royalty * 3_000 / 10_000];
    let last = royalty - shares[0] - shares[1];
    assert_eq!(after[0] - before[0], u(shares[0]));
    assert_eq!(after[1] - before[1], u(shares[1]));
    assert_eq!(after[2] - before[2], u(last));
    assert_eq!(after[3] - before[3], u(10_001 - royalty - fee));
    assert_eq!(before[4] - after[4], price);
    assert_eq!(
        env.council.credit_balance(treasury).await.unwrap() - treasury_before,
        u(fee)
    );

    // The listing is gone, and a second purchase is refused.
    assert_eq!(buyer.listing(t).await.unwrap(), None);
    assert_eq!(
        err(env.members[2].buy(t, price).await),
        ChainError::NotListed { token_id: t }
    );
    // A suspended member cannot buy.
    buyer.list(t, u(500)).await.unwrap();
    env.council
        .suspend_role(hallmark_chain::Role::Member, m[2], 3)
        .await
        .unwrap();
    let market = env.members[2].market();
    assert_eq!(
        err(env.members[2].submit(market.buy(t, u(500))).await),
        ChainError::NotMember { account: m[2] }
    );
    // The ERC-2981 view reports the whole royalty.
    let info = env
        .council
        .works()
        .royaltyInfo(t, u(10_000))
        .call()
        .await
        .unwrap();
    assert_eq!((info._0, info._1), (m[0], u(1_000)));
}

async fn futures_balances(env: &Env, accounts: &[Address]) -> Vec<U256> {
    let mut out = Vec::new();
    for a in accounts {
        out.push(env.council.credit_balance(*a).await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_suspended_payee_is_paid_into_escrow_and_claims_after_reinstatement() {
    let env = Env::new(3, 0, 0).await;
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    let t = env
        .register("held", m[0], m[1], 1, 1_000, vec![])
        .await
        .token_id;
    env.members[1].list(t, u(1_000)).await.unwrap();
    env.council
        .suspend_role(Role::Member, m[0], 9)
        .await
        .unwrap();
    let before = env.council.credit_balance(m[0]).await.unwrap();
    env.members[2].buy(t, u(1_000)).await.unwrap();
    assert_eq!(env.council.credit_balance(m[0]).await.unwrap(), before);
    assert_eq!(env.council.held_payouts(m[0]).await.unwrap(), u(100));
    assert_eq!(
        err(env.members[0].claim_market_payout().await),
        ChainError::NotMember { account: m[0] }
    );
    env.council
        .reinstate_role(Role::Member, m[0])
        .await
        .unwrap();
    env.members[0].claim_market_payout().await.unwrap();
    assert_eq!(
        env.council.credit_balance(m[0]).await.unwrap(),
        before + u(100)
    );
    assert_eq!(
        err(env.members[0].claim_market_payout().await),
        ChainError::NothingToClaim
    );
}

#[tokio::test]
async fn the_holding_period_gates_listing_sale_and_gift() {
    let day = 86_400;
    let env = Env::new(3, 0, day).await;
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    let minted = env.register("hold", m[0], m[0], 1, 0, vec![]).await;
    let t = minted.token_id;
    let acquired = env.council.acquired_at(t).await.unwrap();
    assert_eq!(env.council.holding_period().await.unwrap(), day);
    assert_eq!(
        env.council.transferable_at(t).await.unwrap(),
        acquired + day
    );
    assert_eq!(
        err(env.members[0].list(t, u(10)).await),
        ChainError::HoldingPeriod {
            until: acquired + day
        }
    );
    assert_eq!(
        err(env.members[0].gift(t, m[1]).await),
        ChainError::HoldingPeriod {
            until: acquired + day
        }
    );

    env.advance(day).await;
    env.members[0].list(t, u(10)).await.unwrap();
    env.members[1].buy(t, u(10)).await.unwrap();
    let acquired = env.council.acquired_at(t).await.unwrap();
    assert_eq!(
        err(env.members[1].gift(t, m[2]).await),
        ChainError::HoldingPeriod {
            until: acquired + day
        }
    );
    env.advance(day).await;
    env.members[1].gift(t, m[2]).await.unwrap();
    assert_eq!(env.council.owner_of(t).await.unwrap(), m[2]);
    // Gifts only to members; the council sets the period within its cap.
    env.advance(day).await;
    let o = env.outsider().address();
    assert_eq!(
        err(env.members[2].gift(t, o).await),
        ChainError::NotMember { account: o }
    );
    assert_eq!(
        err(env.council.set_holding_period(366 * day).await),
        ChainError::HoldingPeriodTooLong {
            seconds: 366 * day,
            max_seconds: 365 * day
        }
    );
    assert!(matches!(
        err(env.members[0].set_holding_period(1).await),
        ChainError::Proposal { .. }
    ));
    assert_eq!(
        err(env.council.set_platform_fee(1_001, o).await),
        ChainError::FeeTooHigh {
            fee_bps: 1_001,
            max_bps: 1_000
        }
    );
}

#[tokio::test]
async fn a_frozen_work_cannot_change_hands_until_the_council_unfreezes_it() {
    let env = Env::new(2, 0, 0).await;
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    let minted = env.register("frozen", m[0], m[0], 3, 0, vec![]).await;
    let (w, t) = (minted.work_id, minted.token_id);
    env.members[0].list(t, u(100)).await.unwrap();
    assert_eq!(
        err(env.members[0].freeze_work(w, 4).await),
        ChainError::NotReviewer { account: m[0] }
    );
    assert_eq!(
        err(env.reviewer.freeze_work(w, 0).await),
        ChainError::MissingReason
    );
    env.reviewer.freeze_work(w, 4).await.unwrap();
    let frozen = ChainError::WorkFrozen {
        work_id: w,
        reason: 4,
    };
    let market = env.members[1].market();
    env.members[1]
        .approve_credit(env.deployment.market, u(1_000))
        .await
        .unwrap();
    // The freeze voided the listing.
    assert_eq!(
        err(env.members[1].submit(market.buy(t, u(100))).await),
        ChainError::NotListed { token_id: t }
    );
    assert_eq!(err(env.members[0].gift(t, m[1]).await), frozen);
    assert_eq!(err(env.members[0].list(t, u(5)).await), frozen);
    assert_eq!(err(env.issuer.mint_edition(w, m[1]).await), frozen);
    assert_eq!(
        err(env.reviewer.unfreeze_work(w).await),
        ChainError::NotCouncil {
            account: env.reviewer.address()
        }
    );
    env.council.unfreeze_work(w).await.unwrap();
    assert_eq!(
        err(env.council.unfreeze_work(w).await),
        ChainError::NotFrozen { work_id: w }
    );
    // The old listing stays void; a new one sells.
    assert_eq!(
        err(env.members[1].buy(t, u(100)).await),
        ChainError::NotListed { token_id: t }
    );
    env.members[0].list(t, u(100)).await.unwrap();
    env.members[1].buy(t, u(100)).await.unwrap();
    assert_eq!(env.council.owner_of(t).await.unwrap(), m[1]);
}

#[tokio::test]
async fn mint_vouchers_are_signed_by_issuers_and_work_once() {
    let env = Env::new(2, 0, 0).await;
    let artist = &env.members[0];
    let a = artist.address();
    let now = env.now().await;
    let voucher = MintVoucher {
        work: work_input("v1", a, 5, 300, vec![]),
        nonce: u(1),
        deadline: now + 3_600,
    };
    let sig = env.issuer.sign_mint_voucher(&voucher).unwrap();

    assert_eq!(
        err(env.members[1]
            .mint_with_voucher(&voucher, sig.clone())
            .await),
        ChainError::VoucherNotForSender { creator: a }
    );
    let minted = artist
        .mint_with_voucher(&voucher, sig.clone())
        .await
        .unwrap();
    assert_eq!(artist.owner_of(minted.token_id).await.unwrap(), a);
    assert_eq!(
        artist.work(minted.work_id).await.unwrap().issuer,
        env.issuer.address()
    );
    assert_eq!(
        err(artist.mint_with_voucher(&voucher, sig).await),
        ChainError::VoucherNonceUsed {
            issuer: env.issuer.address(),
            nonce: u(1)
        }
    );
    // Same nonce, other work: still used.
    let reuse = MintVoucher {
        work: work_input("v2", a, 1, 0, vec![]),
        ..voucher.clone()
    };
    let sig = env.issuer.sign_mint_voucher(&reuse).unwrap();
    assert_eq!(
        err(artist.mint_with_voucher(&reuse, sig).await),
        ChainError::VoucherNonceUsed {
            issuer: env.issuer.address(),
            nonce: u(1)
        }
    );
    // Expired.
    let late = MintVoucher {
        work: work_input("v3", a, 1, 0, vec![]),
        nonce: u(2),
        deadline: now - 1,
    };
    let sig = env.issuer.sign_mint_voucher(&late).unwrap();
    assert_eq!(
        err(artist.mint_with_voucher(&late, sig).await),
        ChainError::VoucherExpired { deadline: now - 1 }
    );
    // Signed by a non-issuer (the artist signs its own voucher).
    let own = MintVoucher {
        work: work_input("v4", a, 1, 0, vec![]),
        nonce: u(3),
        deadline: now + 3_600,
    };
    let sig = artist.sign_mint_voucher(&own).unwrap();
    assert_eq!(
        err(artist.mint_with_voucher(&own, sig).await),
        ChainError::NotIssuer { account: a }
    );
    // A tampered voucher recovers another signer.
    let sig = env.issuer.sign_mint_voucher(&own).unwrap();
    let mut tampered = own.clone();
    tampered.work.max_editions = 9;
    assert!(matches!(
        err(artist.mint_with_voucher(&tampered, sig.clone()).await),
        ChainError::NotIssuer { .. }
    ));
    // Cancelled nonce.
    env.issuer.cancel_voucher_nonce(u(3)).await.unwrap();
    assert_eq!(
        err(artist.mint_with_voucher(&own, sig).await),
        ChainError::VoucherNonceUsed {
            issuer: env.issuer.address(),
            nonce: u(3)
        }
    );
}

#[tokio::test]
async fn licences_are_paid_split_and_time_limited() {
    let env = Env::new(4, 500, 0).await;
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    // Creator m0 (20 % royalty), holder m1, licensees m2 and m3.
    let t = env
        .register("lic", m[0], m[1], 1, 2_000, vec![])
        .await
        .token_id;
    let terms = LicenceTerms {
        token_id: t,
        licensee: m[2],
        kind: LicenceKind::Exhibition,
        scope_hash: common::sha(b"exhibition at the city museum, 30 days"),
        duration: 30 * 86_400,
        fee: credits(100),
    };
    assert_eq!(
        err(env.members[2].offer_licence(&terms).await),
        ChainError::NotHolder {
            account: m[2],
            token_id: t
        }
    );
    assert_eq!(
        err(env.members[1]
            .offer_licence(&LicenceTerms {
                duration: 0,
                ..terms.clone()
            })
            .await),
        ChainError::InvalidDuration { seconds: 0 }
    );
    let (offer, _) = env.members[1].offer_licence(&terms).await.unwrap();
    assert_eq!(
        err(env.members[3].accept_licence(offer, credits(100)).await),
        ChainError::OfferNotForYou {
            offer_id: offer,
            licensee: m[2]
        }
    );
    let creator_before = env.council.credit_balance(m[0]).await.unwrap();
    let holder_before = env.council.credit_balance(m[1]).await.unwrap();
    env.members[2]
        .accept_licence(offer, credits(100))
        .await
        .unwrap();
    let fee = 10_000u64;
    assert_eq!(
        env.council.credit_balance(m[0]).await.unwrap() - creator_before,
        u(fee / 5)
    );
    assert_eq!(
        env.council.credit_balance(m[1]).await.unwrap() - holder_before,
        u(fee - fee / 5 - fee / 20)
    );
    let active = env
        .council
        .active_licence(t)
        .await
        .unwrap()
        .expect("active");
    assert_eq!(active.user, m[2]);
    assert_eq!(env.council.licences().userOf(t).call().await.unwrap(), m[2]);
    assert_eq!(
        err(env.members[2].accept_licence(offer, credits(100)).await),
        ChainError::OfferClosed { offer_id: offer }
    );

    // One licence at a time.
    let (second, _) = env.members[1]
        .offer_licence(&LicenceTerms {
            licensee: m[3],
            kind: LicenceKind::Commercial,
            ..terms.clone()
        })
        .await
        .unwrap();
    assert_eq!(
        err(env.members[3].accept_licence(second, credits(100)).await),
        ChainError::LicenceActive {
            token_id: t,
            expires: active.expires
        }
    );
    // After expiry the licence is gone and the next one can start.
    env.advance(30 * 86_400).await;
    assert_eq!(env.council.active_licence(t).await.unwrap(), None);
    assert_eq!(
        env.council.licences().userOf(t).call().await.unwrap(),
        Address::ZERO
    );
    // An offer is void once the token changed hands.
    env.members[1].gift(t, m[3]).await.unwrap();
    assert_eq!(
        err(env.members[3].accept_licence(second, credits(100)).await),
        ChainError::OfferVoid { offer_id: second }
    );
}

#[tokio::test]
async fn ownership_statements_verify_against_the_state_at_their_block() {
    let env = Env::new(2, 0, 0).await;
    let m: Vec<Address> = env.members.iter().map(|c| c.address()).collect();
    let minted = env.register("own", m[0], m[0], 1, 0, vec![]).await;
    let t = minted.token_id;
    let block = minted.tx.block_number;
    let sig = env.members[0]
        .sign_ownership_statement(t, block, u(42))
        .unwrap();
    let verify = |holder, blk, nonce, sig| {
        env.council
            .verify_ownership_statement(holder, t, blk, nonce, sig)
    };
    assert!(verify(m[0], block, u(42), sig.clone()).await.unwrap());
    assert!(
        !verify(m[0], block, u(43), sig.clone()).await.unwrap(),
        "other nonce"
    );
    assert!(
        !verify(m[1], block, u(42), sig.clone()).await.unwrap(),
        "other holder"
    );
    // A statement by someone who does not hold the token is false even if well signed.
    let sig1 = env.members[1]
        .sign_ownership_statement(t, block, u(1))
        .unwrap();
    assert!(!verify(m[1], block, u(1), sig1).await.unwrap());
    // After a gift, the old statement still verifies at its block, a new one at the new block.
    let gift = env.members[0].gift(t, m[1]).await.unwrap();
    assert!(verify(m[0], block, u(42), sig.clone()).await.unwrap());
    let late = env.members[0]
        .sign_ownership_statement(t, gift.tx_block(), u(42))
        .unwrap();
    assert!(!verify(m[0], gift.tx_block(), u(42), late).await.unwrap());
}

trait TxBlock {
    fn tx_block(&self) -> u64;
}
impl TxBlock for hallmark_chain::TxOutcome {
    fn tx_block(&self) -> u64 {
        self.block_number
    }
}

#[tokio::test]
async fn many_transactions_in_flight_from_one_account() {
    let env = Env::new(1, 0, 0).await;
    let a = env.members[0].address();
    let inputs: Vec<_> = (0..20)
        .map(|i| work_input(&format!("flight{i}"), a, 1, 0, vec![]))
        .collect();
    let futures = inputs.iter().map(|i| env.issuer.register_work(i, a));
    let results = futures_util::future::join_all(futures).await;
    let mut works: Vec<U256> = results
        .into_iter()
        .map(|r| r.expect("registered").work_id)
        .collect();
    works.sort();
    assert_eq!(works, (1..=20).map(u).collect::<Vec<_>>());
}
