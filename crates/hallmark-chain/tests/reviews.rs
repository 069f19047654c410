//! The near-duplicate review queue (HallmarkReviews) against a real anvil: roles, one open or
//! approved request per content hash, resubmission after rejection or withdrawal, no self-review,
//! reason limits, withdrawal, the events and `isApproved`. Each refusal is asserted as its typed
//! error.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use alloy::providers::Provider;
use alloy::sol_types::SolEvent;
use common::{Env, err, sha, u};
use hallmark_chain::bindings::HallmarkReviews;
use hallmark_chain::{
    Address, B256, ChainClient, ChainError, ReviewMatch, ReviewStatus, ReviewSubmission, Role,
    TxOutcome, U256, demo_attestation,
};

fn submission(seed: &str, creator: Address, matches: &[(u64, u16)]) -> ReviewSubmission {
    ReviewSubmission {
        content_hash: sha(format!("content:{seed}").as_bytes()),
        metadata_hash: sha(format!("metadata:{seed}").as_bytes()),
        metadata_cid: format!("bafkreimeta{seed}"),
        creator,
        matches: matches
            .iter()
            .map(|&(work_id, distance)| ReviewMatch {
                work_id: u(work_id),
                distance,
            })
            .collect(),
    }
}

/// The one event of type `E` in the transaction, checked to come from the review contract.
async fn event<E: SolEvent>(client: &ChainClient, tx: &TxOutcome) -> E {
    common::event_from(client, tx, client.deployment().reviews).await
}

/// Gives `client`'s account an extra role.
async fn grant(env: &Env, role: Role, account: Address) {
    env.council
        .grant_role(
            role,
            account,
            demo_attestation(account),
            env.council.address(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn issuers_submit_and_the_request_is_recorded_and_emitted() {
    let env = Env::new(2, 0, 0).await;
    let a = env.members[0].address();
    let first = env.register("original", a, a, 1, 0, vec![]).await;
    let s = submission("remix", a, &[(1, 12), (7, 31)]);

    assert_eq!(env.issuer.review_count().await.unwrap(), U256::ZERO);
    assert_eq!(
        env.issuer.latest_review_of(s.content_hash).await.unwrap(),
        None
    );
    let (id, tx) = env.issuer.submit_review(&s).await.unwrap();
    assert_eq!(id, u(1));
    assert_eq!(env.issuer.review_count().await.unwrap(), u(1));
    assert_eq!(
        env.issuer.latest_review_of(s.content_hash).await.unwrap(),
        Some(id)
    );
    assert!(!env.issuer.is_review_approved(s.content_hash).await.unwrap());

    let record = env.members[1].review(id).await.unwrap();
    assert_eq!(record.request_id, id);
    assert_eq!(record.issuer, env.issuer.address());
    assert_eq!(record.creator, a);
    assert_eq!(record.content_hash, s.content_hash);
    assert_eq!(record.metadata_hash, s.metadata_hash);
    assert_eq!(record.status, ReviewStatus::Pending);
    let block = env
        .council
        .provider()
        .get_block_by_number(tx.block_number.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.submitted_at, block.header.timestamp);

    let e = event::<HallmarkReviews::ReviewRequested>(&env.issuer, &tx).await;
    assert_eq!(e.requestId, id);
    assert_eq!(e.contentHash, s.content_hash);
    assert_eq!(e.issuer, env.issuer.address());
    assert_eq!(e.creator, a);
    assert_eq!(e.metadataHash, s.metadata_hash);
    assert_eq!(e.metadataCid, "bafkreimetaremix");
    assert_eq!(e.matchedWorks, vec![first.work_id, u(7)]);
    assert_eq!(e.distances, vec![12, 31]);
    // requestId, contentHash and issuer are indexed (topics 1..3), so a node can filter on them.
    let r = common::receipt(&env.issuer, &tx).await;
    let topics = r.inner.logs()[0].topics().to_vec();
    assert_eq!(
        topics,
        vec![
            HallmarkReviews::ReviewRequested::SIGNATURE_HASH,
            B256::from(id.to_be_bytes::<32>()),
            s.content_hash,
            env.issuer.address().into_word(),
        ]
    );

    // Issuers only: members, reviewers and outsiders are refused.
    for client in [&env.members[0], &env.reviewer, &env.council] {
        assert_eq!(
            err(client.submit_review(&submission("x", a, &[(1, 3)])).await),
            ChainError::NotIssuer {
                account: client.address()
            }
        );
    }
    // A suspended issuer is refused too.
    let b = env.members[1].address();
    grant(&env, Role::Issuer, b).await;
    env.members[1]
        .submit_review(&submission("b1", a, &[(1, 3)]))
        .await
        .unwrap();
    env.council.suspend_role(Role::Issuer, b, 2).await.unwrap();
    assert_eq!(
        err(env.members[1]
            .submit_review(&submission("b2", a, &[(1, 3)]))
            .await),
        ChainError::NotIssuer { account: b }
    );
}

#[tokio::test]
async fn submissions_are_checked() {
    let env = Env::new(1, 0, 0).await;
    let a = env.members[0].address();
    let ok = submission("checked", a, &[(1, 5)]);

    let mut s = ok.clone();
    s.content_hash = B256::ZERO;
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::EmptyContentHash
    );
    let mut s = ok.clone();
    s.metadata_hash = B256::ZERO;
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::EmptyMetadata
    );
    let mut s = ok.clone();
    s.metadata_cid.clear();
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::EmptyMetadata
    );
    let mut s = ok.clone();
    s.creator = Address::ZERO;
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::Rejected {
            rule: "ZeroAddress".into()
        }
    );
    // 1 to 16 matches, each with its distance.
    let mut s = ok.clone();
    s.matches.clear();
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::InvalidReviewMatches {
            works: 0,
            distances: 0
        }
    );
    let seventeen: Vec<(u64, u16)> = (1..=17).map(|i| (i, 20)).collect();
    let s = submission("checked", a, &seventeen);
    let err17 = err(env.issuer.submit_review(&s).await);
    assert_eq!(
        err17,
        ChainError::InvalidReviewMatches {
            works: 17,
            distances: 17
        }
    );
    assert_eq!(err17.code(), "chain.review_invalid_matches");
    let sixteen = submission("sixteen", a, &seventeen[..16]);
    env.issuer.submit_review(&sixteen).await.unwrap();
    // Lengths that differ can only come from a raw call (the typed submission pairs them).
    let r = env.issuer.reviews();
    let call = r.submit(
        ok.content_hash,
        ok.metadata_hash,
        ok.metadata_cid.clone(),
        a,
        vec![u(1), u(2)],
        vec![9],
    );
    assert_eq!(
        err(env.issuer.submit(call).await),
        ChainError::InvalidReviewMatches {
            works: 2,
            distances: 1
        }
    );
    // Nothing refused was recorded.
    assert_eq!(env.issuer.review_count().await.unwrap(), u(1));
    assert_eq!(
        env.issuer.latest_review_of(ok.content_hash).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn decisions_need_another_reviewer_and_a_reason() {
    let env = Env::new(2, 0, 0).await;
    let a = env.members[0].address();
    let s = submission("near", a, &[(1, 20)]);
    let (id, _) = env.issuer.submit_review(&s).await.unwrap();
    let reviewer = env.reviewer.address();

    // Reviewers only.
    for client in [&env.members[0], &env.issuer, &env.council] {
        assert_eq!(
            err(client.decide_review(id, true, "fine").await),
            ChainError::NotReviewer {
                account: client.address()
            }
        );
    }
    assert_eq!(
        err(env.reviewer.decide_review(u(99), true, "fine").await),
        ChainError::UnknownReviewRequest { request_id: u(99) }
    );
    // The submitting issuer may not decide its own request, even as a reviewer.
    grant(&env, Role::Reviewer, env.issuer.address()).await;
    let own = err(env.issuer.decide_review(id, true, "mine, trust me").await);
    assert_eq!(own, ChainError::SelfReview { request_id: id });
    assert_eq!(own.code(), "chain.review_self_review");
    // Nor the creator the work would be registered for, once a reviewer (security.md, smaller
    // items: a reviewer approving their own work).
    grant(&env, Role::Reviewer, a).await;
    assert_eq!(
        err(env.members[0].decide_review(id, true, "my own, fine").await),
        ChainError::SelfReview { request_id: id }
    );
    // A written reason of 1 to 500 bytes (UTF-8 bytes, not characters).
    assert_eq!(
        err(env.reviewer.decide_review(id, false, "").await),
        ChainError::MissingReason
    );
    let too_long = format!("{}x", "é".repeat(250));
    let long = err(env.reviewer.decide_review(id, false, &too_long).await);
    assert_eq!(
        long,
        ChainError::ReviewReasonTooLong {
            length: 501,
            max: 500
        }
    );
    assert!(long.to_string().contains("501 bytes"), "{long}");
    assert_eq!(
        env.reviewer.review(id).await.unwrap().status,
        ReviewStatus::Pending
    );

    // Rejected: the event names the reviewer and the reason; the content may come back.
    let reason = "same photo as work 1, cropped; no licence shown";
    let tx = env.reviewer.decide_review(id, false, reason).await.unwrap();
    let e = event::<HallmarkReviews::ReviewDecided>(&env.reviewer, &tx).await;
    assert_eq!(
        (
            e.requestId,
            e.contentHash,
            e.approved,
            e.by,
            e.reason.as_str()
        ),
        (id, s.content_hash, false, reviewer, reason)
    );
    assert_eq!(
        env.reviewer.review(id).await.unwrap().status,
        ReviewStatus::Rejected
    );
    assert!(!env.issuer.is_review_approved(s.content_hash).await.unwrap());
    let closed = ChainError::ReviewClosed {
        request_id: id,
        status: ReviewStatus::Rejected,
    };
    assert_eq!(
        err(env.reviewer.decide_review(id, true, "oops").await),
        closed
    );
    assert_eq!(err(env.issuer.withdraw_review(id).await), closed);
    assert!(closed.to_string().contains("already rejected"), "{closed}");

    // Resubmission after a rejection opens a new request (with a licence this time).
    let (again, _) = env.issuer.submit_review(&s).await.unwrap();
    assert_eq!(again, u(2));
    assert_eq!(
        env.issuer.latest_review_of(s.content_hash).await.unwrap(),
        Some(again)
    );
    assert_eq!(
        err(env
            .issuer
            .decide_review(again, true, "licence attached")
            .await),
        ChainError::SelfReview { request_id: again }
    );
    let max_reason = "é".repeat(250);
    let tx = env
        .reviewer
        .decide_review(again, true, &max_reason)
        .await
        .unwrap();
    let e = event::<HallmarkReviews::ReviewDecided>(&env.reviewer, &tx).await;
    assert!(e.approved);
    assert_eq!(e.reason, max_reason);
    assert!(env.issuer.is_review_approved(s.content_hash).await.unwrap());
    assert_eq!(
        env.issuer.review(id).await.unwrap().status,
        ReviewStatus::Rejected,
        "the old request keeps its decision"
    );

    // A suspended reviewer decides nothing.
    let (third, _) = env
        .issuer
        .submit_review(&submission("other", a, &[(1, 2)]))
        .await
        .unwrap();
    env.council
        .suspend_role(Role::Reviewer, reviewer, 5)
        .await
        .unwrap();
    assert_eq!(
        err(env.reviewer.decide_review(third, true, "fine").await),
        ChainError::NotReviewer { account: reviewer }
    );
}

#[tokio::test]
async fn one_open_or_approved_request_per_content_hash() {
    let env = Env::new(2, 0, 0).await;
    let a = env.members[0].address();
    let b = env.members[1].address();
    grant(&env, Role::Issuer, b).await;
    let other_issuer = &env.members[1];
    let s = submission("dup", a, &[(1, 4)]);

    let (id, _) = env.issuer.submit_review(&s).await.unwrap();
    // Pending: refused, whoever submits and whatever the metadata or matches.
    let mut s2 = submission("dup-other-meta", b, &[(2, 30), (3, 1)]);
    s2.content_hash = s.content_hash;
    let open = err(other_issuer.submit_review(&s2).await);
    assert_eq!(open, ChainError::ReviewAlreadyOpen { request_id: id });
    assert_eq!(open.code(), "chain.review_already_open");
    assert!(open.to_string().contains("(request 1)"), "{open}");
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::ReviewAlreadyOpen { request_id: id }
    );
    // Approved: still refused (the issuer registers the work next).
    env.reviewer
        .decide_review(id, true, "CC0 source, credited")
        .await
        .unwrap();
    assert_eq!(
        err(other_issuer.submit_review(&s2).await),
        ChainError::ReviewAlreadyOpen { request_id: id }
    );
    assert!(env.issuer.is_review_approved(s.content_hash).await.unwrap());
    // Other content is independent.
    let (next, _) = other_issuer
        .submit_review(&submission("unrelated", b, &[(1, 9)]))
        .await
        .unwrap();
    assert_eq!(next, u(2));
    assert!(
        !env.issuer
            .is_review_approved(sha(b"content:unrelated"))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_submitting_issuer_withdraws_a_pending_request() {
    let env = Env::new(2, 0, 0).await;
    let a = env.members[0].address();
    let b = env.members[1].address();
    grant(&env, Role::Issuer, b).await;
    let s = submission("withdrawn", a, &[(1, 8)]);
    let (id, _) = env.issuer.submit_review(&s).await.unwrap();

    assert_eq!(
        err(env.members[1].withdraw_review(id).await),
        ChainError::NotReviewSubmitter {
            request_id: id,
            account: b
        }
    );
    assert_eq!(
        err(env.reviewer.withdraw_review(id).await),
        ChainError::NotReviewSubmitter {
            request_id: id,
            account: env.reviewer.address()
        }
    );
    assert_eq!(
        err(env.issuer.withdraw_review(u(42)).await),
        ChainError::UnknownReviewRequest { request_id: u(42) }
    );
    let tx = env.issuer.withdraw_review(id).await.unwrap();
    let e = event::<HallmarkReviews::ReviewWithdrawn>(&env.issuer, &tx).await;
    assert_eq!((e.requestId, e.contentHash), (id, s.content_hash));
    assert_eq!(
        env.issuer.review(id).await.unwrap().status,
        ReviewStatus::Withdrawn
    );
    assert!(!env.issuer.is_review_approved(s.content_hash).await.unwrap());
    let closed = ChainError::ReviewClosed {
        request_id: id,
        status: ReviewStatus::Withdrawn,
    };
    assert_eq!(err(env.issuer.withdraw_review(id).await), closed);
    assert_eq!(
        err(env.reviewer.decide_review(id, true, "late").await),
        closed
    );

    // Withdrawn content may be submitted again; a suspended issuer can still withdraw its own
    // pending request (withdrawing only closes), but not submit.
    let (again, _) = env.issuer.submit_review(&s).await.unwrap();
    assert_eq!(again, u(2));
    let issuer = env.issuer.address();
    env.council
        .suspend_role(Role::Issuer, issuer, 3)
        .await
        .unwrap();
    env.issuer.withdraw_review(again).await.unwrap();
    assert_eq!(
        err(env.issuer.submit_review(&s).await),
        ChainError::NotIssuer { account: issuer }
    );

    // Unknown requests and hashes.
    assert_eq!(
        err(env.issuer.review(u(3)).await),
        ChainError::UnknownReviewRequest { request_id: u(3) }
    );
    assert_eq!(
        env.issuer.latest_review_of(sha(b"never")).await.unwrap(),
        None
    );
    assert!(!env.issuer.is_review_approved(sha(b"never")).await.unwrap());
}

/// Finding 6: a review request publishes the content (its metadata CID names the media) before
/// it is registered. Another issuer who reads the queue registers the same bytes first — or
/// opens a request for someone else's content to block it forever. The works contract now
/// registers content under review only for the issuer that submitted it, and a request nobody
/// decides expires after 30 days (a reviewer rejects a squatting one sooner).
#[tokio::test]
async fn content_under_review_is_reserved_for_its_submitter_until_the_request_ends() {
    let env = Env::new(2, 0, 0).await;
    let (artist, copyist) = (env.members[0].address(), env.members[1].address());
    grant(&env, Role::Issuer, copyist).await;
    let front_runner = &env.members[1];
    let input = common::work_input("reserved", artist, 1, 0, vec![]);
    let mut s = submission("reserved", artist, &[(1, 12)]);
    s.content_hash = input.content_hash;
    let (id, _) = env.issuer.submit_review(&s).await.unwrap();

    // The front-runner registers the published content first: refused, while pending …
    let mut theirs = input.clone();
    theirs.creator = copyist;
    let under_review = ChainError::ContentUnderReview {
        request_id: id,
        issuer: env.issuer.address(),
    };
    assert_eq!(
        err(front_runner.register_work(&theirs, copyist).await),
        under_review
    );
    assert_eq!(under_review.code(), "chain.content_under_review");
    // … and once approved; the submitting issuer registers it.
    env.reviewer
        .decide_review(id, true, "the artist's own variation")
        .await
        .unwrap();
    assert_eq!(
        err(front_runner.register_work(&theirs, copyist).await),
        under_review
    );
    let minted = env.issuer.register_work(&input, artist).await.unwrap();
    assert_eq!(env.issuer.owner_of(minted.token_id).await.unwrap(), artist);

    // A squatting request holds content for 30 days at the most.
    let squatted = common::work_input("squatted", artist, 1, 0, vec![]);
    let mut claim = submission("squatted", copyist, &[(1, 20)]);
    claim.content_hash = squatted.content_hash;
    let (squat, _) = front_runner.submit_review(&claim).await.unwrap();
    assert_eq!(
        err(env.issuer.register_work(&squatted, artist).await),
        ChainError::ContentUnderReview {
            request_id: squat,
            issuer: copyist
        }
    );
    env.advance(30 * 86_400 + 1).await;
    assert_eq!(
        env.issuer.review(squat).await.unwrap().status,
        ReviewStatus::Expired
    );
    assert_eq!(
        err(env.reviewer.decide_review(squat, true, "too late").await),
        ChainError::ReviewClosed {
            request_id: squat,
            status: ReviewStatus::Expired
        }
    );
    env.issuer.register_work(&squatted, artist).await.unwrap();
    // An approval not used within 30 days expires too: it reserves nothing any more.
    assert!(!env.issuer.is_review_approved(s.content_hash).await.unwrap());
}
