//! Gas per operation, from receipts. Prints a Markdown table (copied into docs/benchmarks.md):
//! `cargo test -p hallmark-chain --test gas -- --nocapture`

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use common::{Env, u, work_input};
use hallmark_chain::{
    Address, LicenceKind, LicenceTerms, MintVoucher, ReviewMatch, ReviewSubmission, RoyaltySplit,
    TxOutcome,
};

#[tokio::test]
async fn gas_per_operation() {
    let env = Env::new(4, 250, 0).await;
    let m: Vec<_> = env.members.iter().map(|c| c.address()).collect();
    let mut rows: Vec<(&str, TxOutcome)> = Vec::new();

    let one = env
        .issuer
        .register_work(&work_input("g1", m[0], 10, 1_000, vec![]), m[0])
        .await
        .unwrap();
    rows.push(("registerWork (1 split, edition 1)", one.tx));
    let splits: Vec<_> = (0..4)
        .map(|i| RoyaltySplit {
            payee: m[i],
            bps: 2_500,
        })
        .collect();
    let four = env
        .issuer
        .register_work(&work_input("g2", m[0], 10, 1_000, splits), m[1])
        .await
        .unwrap();
    rows.push(("registerWork (4 splits, edition 1)", four.tx));
    let ed = env.issuer.mint_edition(one.work_id, m[2]).await.unwrap();
    rows.push(("mintEdition", ed.tx));
    let now = env.now().await;
    let voucher = MintVoucher {
        work: work_input("g3", m[0], 1, 500, vec![]),
        nonce: u(1),
        deadline: now + 600,
    };
    let sig = env.issuer.sign_mint_voucher(&voucher).unwrap();
    rows.push((
        "mintWithVoucher",
        env.members[0]
            .mint_with_voucher(&voucher, sig)
            .await
            .unwrap()
            .tx,
    ));
    rows.push((
        "list",
        env.members[1].list(four.token_id, u(10_000)).await.unwrap(),
    ));
    rows.push((
        "cancel",
        env.members[1].cancel_listing(four.token_id).await.unwrap(),
    ));
    env.members[1].list(four.token_id, u(10_000)).await.unwrap();
    rows.push((
        "credit approve (the exact amount, before each payment)",
        env.members[3]
            .approve_credit(env.deployment.market, u(1_000_000))
            .await
            .unwrap(),
    ));
    rows.push((
        "buy (4 royalty splits + fee)",
        env.members[3].buy(four.token_id, u(10_000)).await.unwrap(),
    ));
    env.members[0].list(one.token_id, u(10_000)).await.unwrap();
    rows.push((
        "buy (1 royalty split + fee)",
        env.members[3].buy(one.token_id, u(10_000)).await.unwrap(),
    ));
    rows.push((
        "gift",
        env.members[3].gift(one.token_id, m[2]).await.unwrap(),
    ));
    let terms = LicenceTerms {
        token_id: four.token_id,
        licensee: m[2],
        kind: LicenceKind::Commercial,
        scope_hash: common::sha(b"terms"),
        duration: 86_400,
        fee: u(5_000),
    };
    let (offer, tx) = env.members[3].offer_licence(&terms).await.unwrap();
    rows.push(("licence offer", tx));
    env.members[2]
        .approve_credit(env.deployment.licences, u(1_000_000))
        .await
        .unwrap();
    rows.push((
        "licence accept (4 splits + fee)",
        env.members[2]
            .accept_licence(offer, u(5_000))
            .await
            .unwrap(),
    ));
    rows.push((
        "freeze",
        env.reviewer.freeze_work(one.work_id, 3).await.unwrap(),
    ));
    rows.push((
        "unfreeze",
        env.council.unfreeze_work(one.work_id).await.unwrap(),
    ));
    let o = env.outsider().address();
    rows.push((
        "grant member",
        env.council
            .grant_role(
                hallmark_chain::Role::Member,
                o,
                hallmark_chain::demo_attestation(o),
                m[0],
            )
            .await
            .unwrap(),
    ));
    // Credit issuance is a council proposal: propose, approve, queue, run.
    let issue = [hallmark_chain::CouncilAction::MintCredit {
        to: o,
        amount: u(100),
    }];
    let (proposal, tx) = env.council.propose(&issue, "gas table").await.unwrap();
    rows.push(("council propose (issue credit)", tx));
    rows.push((
        "council approve",
        env.council.approve_proposal(proposal).await.unwrap(),
    ));
    env.advance(0).await;
    rows.push((
        "council queue (time lock)",
        env.council.queue_proposal(proposal).await.unwrap(),
    ));
    rows.push((
        "council execute (issue credit)",
        env.council.execute_proposal(proposal).await.unwrap(),
    ));
    let review = |seed: &str, n: u64| ReviewSubmission {
        content_hash: common::sha(format!("review:{seed}").as_bytes()),
        metadata_hash: common::sha(format!("review-meta:{seed}").as_bytes()),
        // A typical CIDv1 (59 characters).
        metadata_cid: format!("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquv{seed:0>4}"),
        creator: m[0],
        matches: (1..=n)
            .map(|i| ReviewMatch {
                work_id: u(i),
                distance: 17,
            })
            .collect(),
    };
    // The first request on a chain also pays for requestCount's first write (~17k).
    let (r1, tx) = env.issuer.submit_review(&review("r1", 2)).await.unwrap();
    rows.push(("review submit (first request, 2 matches)", tx));
    let (r2, tx) = env.issuer.submit_review(&review("r2", 1)).await.unwrap();
    rows.push(("review submit (1 match)", tx));
    let (r3, tx) = env.issuer.submit_review(&review("r3", 16)).await.unwrap();
    rows.push(("review submit (16 matches)", tx));
    rows.push((
        "review decide (approve, 40-byte reason)",
        env.reviewer
            .decide_review(r1, true, "CC0 source credited in the metadata ok")
            .await
            .unwrap(),
    ));
    rows.push((
        "review decide (reject, 500-byte reason)",
        env.reviewer
            .decide_review(r2, false, &"x".repeat(500))
            .await
            .unwrap(),
    ));
    rows.push((
        "review withdraw",
        env.issuer.withdraw_review(r3).await.unwrap(),
    ));
    rows.push((
        "review resubmit after withdrawal (16 matches)",
        env.issuer.submit_review(&review("r3", 16)).await.unwrap().1,
    ));
    // Endorsements: an artist who is not an issuer (member 1) asks, the issuer decides, the
    // artist mints with the posted voucher. The first request also pays requestCount's first
    // write, like the review queue's.
    let artist = &env.members[1];
    let asked = work_input("e1", m[1], 10, 1_000, vec![]);
    let (e1, tx) = artist
        .request_endorsement(&asked, env.issuer.address())
        .await
        .unwrap();
    rows.push(("endorsement request (first on the chain)", tx));
    let (e2, tx) = artist
        .request_endorsement(&work_input("e2", m[1], 10, 1_000, vec![]), Address::ZERO)
        .await
        .unwrap();
    rows.push(("endorsement request", tx));
    let (voucher, sig, tx) = env
        .issuer
        .approve_endorsement(e1, &asked, env.now().await + 86_400)
        .await
        .unwrap();
    rows.push(("endorsement approve", tx));
    rows.push((
        "mintWithVoucher (after endorsement)",
        artist.mint_with_voucher(&voucher, sig).await.unwrap().tx,
    ));
    rows.push((
        "endorsement reject (40-byte reason)",
        env.issuer
            .reject_endorsement(e2, "not original: the same photo as work 1 ok")
            .await
            .unwrap(),
    ));
    let (e3, _) = artist
        .request_endorsement(&work_input("e3", m[1], 1, 0, vec![]), Address::ZERO)
        .await
        .unwrap();
    rows.push((
        "endorsement withdraw",
        artist.withdraw_endorsement(e3).await.unwrap(),
    ));

    println!("| operation | gas used |\n|---|---:|");
    for (name, tx) in &rows {
        assert!(tx.gas_used > 21_000, "{name} used {} gas", tx.gas_used);
        println!("| {name} | {} |", tx.gas_used);
    }
}
