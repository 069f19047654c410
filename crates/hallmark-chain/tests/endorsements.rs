//! The endorsement queue (HallmarkEndorsements) against a real anvil: an artist who is a member
//! but not an issuer asks for an endorsement, an issuer approves it by posting a voucher (or
//! rejects it with a reason), and the artist mints with that voucher. Every refusal is asserted as
//! its typed error, and so is the reservation that keeps a published request from being
//! registered by anyone but its artist.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use alloy::primitives::keccak256;
use alloy::providers::Provider;
use alloy::sol_types::{SolEvent, SolValue};
use common::{Env, err, sha, u, work_input};
use hallmark_chain::bindings::{HallmarkEndorsements, endorsements as sol};
use hallmark_chain::{
    Address, B256, Bytes, ChainClient, ChainError, EndorsementStatus, MintVoucher, ReviewMatch,
    ReviewSubmission, Role, RoyaltySplit, TxOutcome, U256, WorkInput, demo_attestation,
};

const DAY: u64 = 86_400;

/// The one event of type `E` in the transaction, checked to come from the endorsement contract.
async fn event<E: SolEvent>(client: &ChainClient, tx: &TxOutcome) -> E {
    common::event_from(client, tx, client.deployment().endorsements).await
}

async fn block_time(client: &ChainClient, tx: &TxOutcome) -> u64 {
    client
        .provider()
        .get_block_by_number(tx.block_number.into())
        .await
        .unwrap()
        .unwrap()
        .header
        .timestamp
}

/// Gives `account` an extra role.
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

fn sol_work(w: &WorkInput) -> sol::WorkInput {
    sol::WorkInput {
        contentHash: w.content_hash,
        metadataHash: w.metadata_hash,
        metadataCid: w.metadata_cid.clone(),
        creator: w.creator,
        maxEditions: w.max_editions,
        royaltyBps: w.royalty_bps,
        splits: w
            .splits
            .iter()
            .map(|s| sol::Split {
                payee: s.payee,
                bps: s.bps,
            })
            .collect(),
    }
}

/// `approve` with a voucher and signature of the test's choosing (`approve_endorsement` signs
/// the right voucher itself).
async fn approve_with(
    client: &ChainClient,
    request_id: U256,
    voucher: &MintVoucher,
    signature: Bytes,
) -> Result<(), ChainError> {
    let endorsements = client.endorsements();
    let call = endorsements.approve(
        request_id,
        sol::MintVoucher {
            work: sol_work(&voucher.work),
            nonce: voucher.nonce,
            deadline: U256::from(voucher.deadline),
        },
        signature,
    );
    client.submit(call).await.map(|_| ())
}

/// What HallmarkWorks would register: the request's `reservedFor` view.
async fn reserved_for(client: &ChainClient, content_hash: B256) -> (U256, Address) {
    let r = client
        .endorsements()
        .reservedFor(content_hash)
        .call()
        .await
        .unwrap();
    (r.requestId, r.creator)
}

async fn status(client: &ChainClient, request_id: U256) -> EndorsementStatus {
    client.endorsement(request_id).await.unwrap().status
}

fn closed(request_id: U256, status: EndorsementStatus) -> ChainError {
    ChainError::EndorsementClosed { request_id, status }
}

/// The voucher the artist mints with, rebuilt from the request's and the approval's events
/// alone (what every installation's catalog sees).
async fn posted_voucher(
    client: &ChainClient,
    requested: &TxOutcome,
    approved: &TxOutcome,
) -> (MintVoucher, Bytes) {
    let r = event::<HallmarkEndorsements::EndorsementRequested>(client, requested).await;
    let a = event::<HallmarkEndorsements::EndorsementApproved>(client, approved).await;
    assert_eq!(a.requestId, r.requestId);
    let voucher = MintVoucher {
        work: WorkInput::from(r.work),
        nonce: a.nonce,
        deadline: a.deadline.to::<u64>(),
    };
    (voucher, a.signature)
}

#[tokio::test]
async fn an_artist_asks_an_issuer_and_mints_with_the_voucher_it_posted() {
    let env = Env::new(3, 0, 0).await;
    let artist = &env.members[0];
    let (a, b) = (artist.address(), env.members[1].address());
    let issuer = env.issuer.address();
    assert!(!env.council.has_role(Role::Issuer, a).await.unwrap());
    let splits = vec![
        RoyaltySplit {
            payee: a,
            bps: 7_000,
        },
        RoyaltySplit {
            payee: b,
            bps: 3_000,
        },
    ];
    let input = work_input("endorsed", a, 5, 800, splits.clone());
    assert_eq!(
        env.issuer
            .latest_endorsement_of(input.content_hash)
            .await
            .unwrap(),
        None
    );

    // The artist asks this issuer; the request and its exact input are public.
    let (id, requested) = artist.request_endorsement(&input, issuer).await.unwrap();
    assert_eq!(id, u(1));
    assert_eq!(
        env.members[2]
            .latest_endorsement_of(input.content_hash)
            .await
            .unwrap(),
        Some(id)
    );
    let record = env.members[2].endorsement(id).await.unwrap();
    assert_eq!(record.request_id, id);
    assert_eq!(record.creator, a);
    assert_eq!(record.issuer, issuer);
    assert_eq!(record.content_hash, input.content_hash);
    assert_eq!(record.requested_at, block_time(artist, &requested).await);
    assert_eq!(
        (record.decided_by, record.decided_at, record.deadline),
        (Address::ZERO, 0, 0)
    );
    assert_eq!(record.status, EndorsementStatus::Pending);
    let e = event::<HallmarkEndorsements::EndorsementRequested>(artist, &requested).await;
    assert_eq!(
        (e.requestId, e.contentHash, e.creator, e.issuer),
        (id, input.content_hash, a, issuer)
    );
    assert_eq!(WorkInput::from(e.work), input);
    // requestId, contentHash and creator are indexed, so a node can filter on them.
    let topics = common::receipt(artist, &requested).await.inner.logs()[0]
        .topics()
        .to_vec();
    assert_eq!(
        topics,
        vec![
            HallmarkEndorsements::EndorsementRequested::SIGNATURE_HASH,
            B256::from(id.to_be_bytes::<32>()),
            input.content_hash,
            a.into_word(),
        ]
    );
    assert_eq!(reserved_for(artist, input.content_hash).await, (id, a));
    // The nonce is the request's own: keccak256(abi.encode(endorsements, id)).
    let nonce = env.issuer.endorsement_voucher_nonce(id).await.unwrap();
    assert_eq!(
        nonce,
        U256::from_be_bytes(keccak256((env.deployment.endorsements, id).abi_encode()).0)
    );

    // The issuer approves by posting the voucher it signed for exactly that input.
    let deadline = env.now().await + 7 * DAY;
    let (voucher, signature, approved) = env
        .issuer
        .approve_endorsement(id, &input, deadline)
        .await
        .unwrap();
    assert_eq!(
        voucher,
        MintVoucher {
            work: input.clone(),
            nonce,
            deadline
        }
    );
    let e = event::<HallmarkEndorsements::EndorsementApproved>(&env.issuer, &approved).await;
    assert_eq!(
        (e.requestId, e.contentHash, e.issuer, e.nonce, e.deadline),
        (id, input.content_hash, issuer, nonce, u(deadline))
    );
    assert_eq!(e.signature, signature);
    let record = artist.endorsement(id).await.unwrap();
    assert_eq!(record.status, EndorsementStatus::Approved);
    assert_eq!(record.decided_by, issuer);
    assert_eq!(record.decided_at, block_time(&env.issuer, &approved).await);
    assert_eq!(record.deadline, deadline);
    assert_eq!(reserved_for(artist, input.content_hash).await, (id, a));

    // The artist mints with the signature the issuer posted, rebuilt from the events.
    let (posted, posted_sig) = posted_voucher(artist, &requested, &approved).await;
    assert_eq!(posted, voucher);
    let minted = artist.mint_with_voucher(&posted, posted_sig).await.unwrap();
    assert_eq!((minted.work_id, minted.edition), (u(1), 1));
    assert_eq!(artist.owner_of(minted.token_id).await.unwrap(), a);
    let work = artist.work(minted.work_id).await.unwrap();
    assert_eq!(work.creator, a);
    assert_eq!(work.issuer, issuer);
    assert_eq!(work.content_hash, input.content_hash);
    assert_eq!(work.metadata_cid, input.metadata_cid);
    assert_eq!((work.max_editions, work.royalty_bps), (5, 800));
    assert_eq!(work.splits, splits);
    // The issuer of record mints further editions, and so does the artist, to themselves or to
    // another member; nobody else does, and nobody mints to a non-member.
    env.issuer.mint_edition(minted.work_id, b).await.unwrap();
    let third = artist.mint_edition(minted.work_id, a).await.unwrap();
    assert_eq!(
        (
            third.edition,
            artist.owner_of(third.token_id).await.unwrap()
        ),
        (3, a)
    );
    let fourth = artist.mint_edition(minted.work_id, b).await.unwrap();
    assert_eq!(artist.owner_of(fourth.token_id).await.unwrap(), b);
    let stranger = env.members[1].address();
    assert_ne!(stranger, a);
    assert_eq!(
        err(env.members[1].mint_edition(minted.work_id, stranger).await),
        ChainError::NotWorkIssuer {
            work_id: minted.work_id,
            account: stranger
        }
    );
    let outsider = env.outsider().address();
    assert_eq!(
        err(artist.mint_edition(minted.work_id, outsider).await),
        ChainError::NotMember { account: outsider }
    );
    assert_eq!(status(artist, id).await, EndorsementStatus::Registered);
    assert_eq!(
        reserved_for(artist, input.content_hash).await,
        (id, Address::ZERO)
    );
    let registered = closed(id, EndorsementStatus::Registered);
    assert_eq!(
        err(env.issuer.approve_endorsement(id, &input, deadline).await),
        registered
    );
    assert_eq!(err(artist.withdraw_endorsement(id).await), registered);
    // Registered content cannot be asked for again.
    assert_eq!(
        err(artist.request_endorsement(&input, issuer).await),
        ChainError::ContentRegistered {
            work_id: minted.work_id
        }
    );

    // Addressed to any issuer: another issuer decides it and is recorded as the work's issuer.
    let other = &env.members[2];
    grant(&env, Role::Issuer, other.address()).await;
    let open = work_input("anyone", b, 1, 0, vec![]);
    let (id2, requested) = env.members[1]
        .request_endorsement(&open, Address::ZERO)
        .await
        .unwrap();
    assert_eq!(id2, u(2));
    let e = event::<HallmarkEndorsements::EndorsementRequested>(artist, &requested).await;
    assert_eq!(e.issuer, Address::ZERO);
    assert_eq!(
        env.members[1].endorsement(id2).await.unwrap().issuer,
        Address::ZERO
    );
    let deadline = env.now().await + DAY;
    let (_, _, approved) = other
        .approve_endorsement(id2, &open, deadline)
        .await
        .unwrap();
    assert_eq!(
        env.members[1].endorsement(id2).await.unwrap().decided_by,
        other.address()
    );
    let (voucher, sig) = posted_voucher(other, &requested, &approved).await;
    let minted = env.members[1]
        .mint_with_voucher(&voucher, sig)
        .await
        .unwrap();
    assert_eq!(env.members[1].owner_of(minted.token_id).await.unwrap(), b);
    let work = env.members[1].work(minted.work_id).await.unwrap();
    assert_eq!((work.creator, work.issuer), (b, other.address()));
    assert_eq!(status(other, id2).await, EndorsementStatus::Registered);
    assert_eq!(
        env.council
            .endorsements()
            .requestCount()
            .call()
            .await
            .unwrap(),
        u(2)
    );
}

#[tokio::test]
async fn requests_are_checked() {
    let env = Env::new(3, 0, 0).await;
    let artist = &env.members[0];
    let (a, b) = (artist.address(), env.members[1].address());
    let issuer = env.issuer.address();
    let ok = work_input("asked", a, 1, 0, vec![]);

    // Members only (an outsider, a suspended member).
    let outsider = env.outsider();
    let o = outsider.address();
    assert_eq!(
        err(outsider
            .request_endorsement(&work_input("asked", o, 1, 0, vec![]), issuer)
            .await),
        ChainError::NotMember { account: o }
    );
    env.council.suspend_role(Role::Member, b, 3).await.unwrap();
    assert_eq!(
        err(env.members[1]
            .request_endorsement(&work_input("asked", b, 1, 0, vec![]), issuer)
            .await),
        ChainError::NotMember { account: b }
    );
    env.council.reinstate_role(Role::Member, b).await.unwrap();
    // Only for one's own work.
    let mut theirs = ok.clone();
    theirs.creator = b;
    let not_creator = err(artist.request_endorsement(&theirs, issuer).await);
    assert_eq!(
        not_creator,
        ChainError::NotCreator {
            creator: b,
            account: a
        }
    );
    assert_eq!(not_creator.code(), "chain.endorsement_not_creator");
    // Addressed to an issuer, not to oneself.
    for addressed in [b, env.reviewer.address(), o] {
        assert_eq!(
            err(artist.request_endorsement(&ok, addressed).await),
            ChainError::NotIssuer { account: addressed }
        );
    }
    let own = work_input("own", issuer, 1, 0, vec![]);
    let self_endorsed = err(env.issuer.request_endorsement(&own, issuer).await);
    assert_eq!(
        self_endorsed,
        ChainError::SelfEndorsement { account: issuer }
    );
    assert_eq!(self_endorsed.code(), "chain.endorsement_self");
    // The input is checked as HallmarkWorks would.
    let mut s = ok.clone();
    s.content_hash = B256::ZERO;
    assert_eq!(
        err(artist.request_endorsement(&s, issuer).await),
        ChainError::EmptyContentHash
    );
    let mut s = ok.clone();
    s.metadata_hash = B256::ZERO;
    assert_eq!(
        err(artist.request_endorsement(&s, issuer).await),
        ChainError::EmptyMetadata
    );
    let mut s = ok.clone();
    s.metadata_cid.clear();
    assert_eq!(
        err(artist.request_endorsement(&s, Address::ZERO).await),
        ChainError::EmptyMetadata
    );
    // Content already registered, or under an issuer's review.
    let taken = env.register("taken", b, b, 1, 0, vec![]).await;
    assert_eq!(
        err(artist
            .request_endorsement(&work_input("taken", a, 1, 0, vec![]), issuer)
            .await),
        ChainError::ContentRegistered {
            work_id: taken.work_id
        }
    );
    let reviewed = work_input("reviewed", a, 1, 0, vec![]);
    let (review, _) = env
        .issuer
        .submit_review(&ReviewSubmission {
            content_hash: reviewed.content_hash,
            metadata_hash: sha(b"review meta"),
            metadata_cid: "bafkreireview".into(),
            creator: b,
            matches: vec![ReviewMatch {
                work_id: taken.work_id,
                distance: 9,
            }],
        })
        .await
        .unwrap();
    assert_eq!(
        err(artist.request_endorsement(&reviewed, Address::ZERO).await),
        ChainError::ContentUnderReview {
            request_id: review,
            issuer
        }
    );
    let count = || async {
        env.council
            .endorsements()
            .requestCount()
            .call()
            .await
            .unwrap()
    };
    assert_eq!(count().await, U256::ZERO, "nothing refused was recorded");

    // One pending or approved request per content, whoever asks and whatever the input.
    let (id, _) = artist.request_endorsement(&ok, issuer).await.unwrap();
    let mut same = work_input("other-meta", b, 3, 100, vec![]);
    same.content_hash = ok.content_hash;
    let open = ChainError::EndorsementAlreadyOpen { request_id: id };
    assert_eq!(
        err(env.members[1].request_endorsement(&same, issuer).await),
        open
    );
    assert_eq!(
        err(artist.request_endorsement(&ok, Address::ZERO).await),
        open
    );
    let deadline = env.now().await + DAY;
    env.issuer
        .approve_endorsement(id, &ok, deadline)
        .await
        .unwrap();
    assert_eq!(
        err(env.members[1].request_endorsement(&same, issuer).await),
        open
    );
    // An issuer may ask another issuer (or any) for its own work.
    let (mine, _) = env
        .issuer
        .request_endorsement(&own, Address::ZERO)
        .await
        .unwrap();
    assert_eq!(mine, u(2));
    assert_eq!(count().await, u(2));
}

#[tokio::test]
async fn approvals_are_checked() {
    let env = Env::new(3, 0, 0).await;
    let artist = &env.members[0];
    let a = artist.address();
    let issuer = env.issuer.address();
    let other = &env.members[2];
    let c = other.address();
    grant(&env, Role::Issuer, c).await;
    let input = work_input("approve", a, 2, 500, vec![]);
    let (id, _) = artist.request_endorsement(&input, issuer).await.unwrap();
    let anyone = work_input("anyone", env.members[1].address(), 1, 0, vec![]);
    let (id_any, _) = env.members[1]
        .request_endorsement(&anyone, Address::ZERO)
        .await
        .unwrap();
    // Member and issuer at once, asking any issuer.
    let own = work_input("own", c, 1, 0, vec![]);
    let (id_own, _) = other
        .request_endorsement(&own, Address::ZERO)
        .await
        .unwrap();
    let now = env.now().await;
    let deadline = now + DAY;

    // Issuers only; unknown requests.
    for client in [artist, &env.reviewer, &env.council] {
        assert_eq!(
            err(client.approve_endorsement(id, &input, deadline).await),
            ChainError::NotIssuer {
                account: client.address()
            }
        );
    }
    assert_eq!(
        err(env
            .issuer
            .approve_endorsement(u(99), &input, deadline)
            .await),
        ChainError::UnknownEndorsement { request_id: u(99) }
    );
    assert_eq!(
        err(env.issuer.endorsement(u(99)).await),
        ChainError::UnknownEndorsement { request_id: u(99) }
    );
    // The addressed issuer alone; never the creator.
    let not_addressed = err(other.approve_endorsement(id, &input, deadline).await);
    assert_eq!(
        not_addressed,
        ChainError::NotAddressedIssuer {
            request_id: id,
            issuer
        }
    );
    assert_eq!(not_addressed.code(), "chain.endorsement_not_addressed");
    assert_eq!(
        err(other.approve_endorsement(id_own, &own, deadline).await),
        ChainError::SelfEndorsement { account: c }
    );

    // The voucher must be for exactly the requested input, with the request's nonce.
    let nonce = env.issuer.endorsement_voucher_nonce(id).await.unwrap();
    let right = MintVoucher {
        work: input.clone(),
        nonce,
        deadline,
    };
    let mismatch = ChainError::VoucherMismatch { request_id: id };
    let mut changed = right.clone();
    changed.work.royalty_bps = 600;
    let sig = env.issuer.sign_mint_voucher(&changed).unwrap();
    assert_eq!(
        err(approve_with(&env.issuer, id, &changed, sig).await),
        mismatch
    );
    assert_eq!(
        err(env.issuer.approve_endorsement(id, &anyone, deadline).await),
        mismatch
    );
    for wrong in [
        u(1),
        env.issuer.endorsement_voucher_nonce(id_any).await.unwrap(),
    ] {
        let v = MintVoucher {
            nonce: wrong,
            ..right.clone()
        };
        let sig = env.issuer.sign_mint_voucher(&v).unwrap();
        assert_eq!(err(approve_with(&env.issuer, id, &v, sig).await), mismatch);
    }
    // A deadline in the future, at most 30 days away.
    for bad in [0, now - 1, now, now + 31 * DAY] {
        assert_eq!(
            err(env.issuer.approve_endorsement(id, &input, bad).await),
            ChainError::InvalidDeadline { deadline: bad }
        );
    }
    // Signed by the approving issuer: not by another issuer, the artist, or nobody.
    for signer in [other, artist] {
        let sig = signer.sign_mint_voucher(&right).unwrap();
        assert_eq!(
            err(approve_with(&env.issuer, id, &right, sig).await),
            ChainError::InvalidSignature
        );
    }
    assert_eq!(
        err(approve_with(&env.issuer, id, &right, Bytes::from(vec![7u8; 64])).await),
        ChainError::InvalidSignature
    );
    // A nonce the issuer cancelled cannot be posted by that issuer (another issuer's is its own).
    let nonce_any = env.issuer.endorsement_voucher_nonce(id_any).await.unwrap();
    env.issuer.cancel_voucher_nonce(nonce_any).await.unwrap();
    assert_eq!(
        err(env
            .issuer
            .approve_endorsement(id_any, &anyone, deadline)
            .await),
        ChainError::VoucherNonceUsed {
            issuer,
            nonce: nonce_any
        }
    );
    other
        .approve_endorsement(id_any, &anyone, deadline)
        .await
        .unwrap();
    assert_eq!(
        status(artist, id).await,
        EndorsementStatus::Pending,
        "nothing refused changed the request"
    );

    // 30 days exactly is the longest voucher; then the request is closed to every decision.
    let longest = env.now().await + 30 * DAY;
    let (voucher, _, _) = env
        .issuer
        .approve_endorsement(id, &input, longest)
        .await
        .unwrap();
    assert_eq!(voucher.deadline, longest);
    let approved = closed(id, EndorsementStatus::Approved);
    assert_eq!(
        err(env.issuer.approve_endorsement(id, &input, deadline).await),
        approved
    );
    assert_eq!(
        err(env.issuer.reject_endorsement(id, "changed my mind").await),
        approved
    );
    assert_eq!(err(artist.withdraw_endorsement(id).await), approved);
    assert!(
        approved.to_string().contains("already approved"),
        "{approved}"
    );
    assert_eq!(approved.code(), "chain.endorsement_closed");
}

#[tokio::test]
async fn rejections_need_a_reason_and_only_the_creator_withdraws() {
    let env = Env::new(3, 0, 0).await;
    let artist = &env.members[0];
    let (a, b) = (artist.address(), env.members[1].address());
    let issuer = env.issuer.address();
    let other = &env.members[2];
    grant(&env, Role::Issuer, other.address()).await;
    let input = work_input("rejected", a, 1, 0, vec![]);
    let (id, _) = artist.request_endorsement(&input, issuer).await.unwrap();

    // Issuers only, the addressed one.
    for client in [artist, &env.members[1], &env.reviewer] {
        assert_eq!(
            err(client.reject_endorsement(id, "no").await),
            ChainError::NotIssuer {
                account: client.address()
            }
        );
    }
    assert_eq!(
        err(other.reject_endorsement(id, "not mine to say").await),
        ChainError::NotAddressedIssuer {
            request_id: id,
            issuer
        }
    );
    assert_eq!(
        err(env.issuer.reject_endorsement(u(9), "no").await),
        ChainError::UnknownEndorsement { request_id: u(9) }
    );
    // A written reason of 1 to 500 bytes (UTF-8 bytes, not characters).
    assert_eq!(
        err(env.issuer.reject_endorsement(id, "").await),
        ChainError::MissingReason
    );
    let too_long = format!("{}x", "é".repeat(250));
    assert_eq!(
        err(env.issuer.reject_endorsement(id, &too_long).await),
        ChainError::ReviewReasonTooLong {
            length: 501,
            max: 500
        }
    );
    let reason = "é".repeat(250);
    let tx = env.issuer.reject_endorsement(id, &reason).await.unwrap();
    let e = event::<HallmarkEndorsements::EndorsementRejected>(&env.issuer, &tx).await;
    assert_eq!(
        (e.requestId, e.contentHash, e.issuer, e.reason.as_str()),
        (id, input.content_hash, issuer, reason.as_str())
    );
    let record = artist.endorsement(id).await.unwrap();
    assert_eq!(record.status, EndorsementStatus::Rejected);
    assert_eq!(record.decided_by, issuer);
    assert_eq!(record.decided_at, block_time(artist, &tx).await);
    assert_eq!(record.deadline, 0);
    assert_eq!(
        reserved_for(artist, input.content_hash).await,
        (id, Address::ZERO)
    );
    let rejected = closed(id, EndorsementStatus::Rejected);
    assert_eq!(
        err(env
            .issuer
            .approve_endorsement(id, &input, env.now().await + DAY)
            .await),
        rejected
    );
    assert_eq!(
        err(env.issuer.reject_endorsement(id, "again").await),
        rejected
    );
    assert_eq!(err(artist.withdraw_endorsement(id).await), rejected);

    // Rejected content may be asked for again (a new request; the old keeps its decision).
    let (again, _) = artist
        .request_endorsement(&input, Address::ZERO)
        .await
        .unwrap();
    assert_eq!(again, u(2));
    assert_eq!(
        artist
            .latest_endorsement_of(input.content_hash)
            .await
            .unwrap(),
        Some(again)
    );
    assert_eq!(status(artist, id).await, EndorsementStatus::Rejected);

    // Only the creator withdraws, only a pending request.
    for client in [&env.members[1], &env.issuer, other] {
        assert_eq!(
            err(client.withdraw_endorsement(again).await),
            ChainError::NotCreator {
                creator: a,
                account: client.address()
            }
        );
    }
    assert_eq!(
        err(artist.withdraw_endorsement(u(9)).await),
        ChainError::UnknownEndorsement { request_id: u(9) }
    );
    let tx = artist.withdraw_endorsement(again).await.unwrap();
    let e = event::<HallmarkEndorsements::EndorsementWithdrawn>(artist, &tx).await;
    assert_eq!((e.requestId, e.contentHash), (again, input.content_hash));
    assert_eq!(status(artist, again).await, EndorsementStatus::Withdrawn);
    let withdrawn = closed(again, EndorsementStatus::Withdrawn);
    assert_eq!(err(artist.withdraw_endorsement(again).await), withdrawn);
    assert_eq!(
        err(other
            .approve_endorsement(again, &input, env.now().await + DAY)
            .await),
        withdrawn
    );
    assert_eq!(
        err(other.reject_endorsement(again, "late").await),
        withdrawn
    );
    assert!(withdrawn.to_string().contains("withdrawn"), "{withdrawn}");

    // A suspended issuer decides nothing.
    let (third, _) = env.members[1]
        .request_endorsement(&work_input("third", b, 1, 0, vec![]), Address::ZERO)
        .await
        .unwrap();
    env.council
        .suspend_role(Role::Issuer, issuer, 4)
        .await
        .unwrap();
    assert_eq!(
        err(env.issuer.reject_endorsement(third, "suspended").await),
        ChainError::NotIssuer { account: issuer }
    );
    other
        .reject_endorsement(third, "not original")
        .await
        .unwrap();
}

/// The front-running attack: a request publishes the content (its metadata CID names the media)
/// before it is registered, and an issuer who reads it must not register the bytes as its own —
/// nor for anyone else, the artist included: while the request is pending or approved, only the
/// artist registers it, with a voucher.
#[tokio::test]
async fn content_awaiting_endorsement_is_reserved_for_its_artist() {
    let env = Env::new(3, 0, 0).await;
    let artist = &env.members[0];
    let a = artist.address();
    let issuer = env.issuer.address();
    let copyist = &env.members[2];
    let c = copyist.address();
    grant(&env, Role::Issuer, c).await;
    let input = work_input("reserved", a, 1, 0, vec![]);
    let (id, _) = artist.request_endorsement(&input, issuer).await.unwrap();
    let awaiting = ChainError::ContentAwaitingEndorsement {
        request_id: id,
        creator: a,
    };
    assert_eq!(awaiting.code(), "chain.content_awaiting_endorsement");
    let mut theirs = input.clone();
    theirs.creator = c;

    // Pending: no issuer registers it, for itself or for the artist, and no voucher for another
    // creator works.
    let refusals = || async {
        assert_eq!(
            err(copyist.register_work(&theirs, c).await),
            awaiting,
            "the copyist for itself"
        );
        assert_eq!(
            err(copyist.register_work(&input, a).await),
            awaiting,
            "the copyist for the artist"
        );
        assert_eq!(
            err(env.issuer.register_work(&input, a).await),
            awaiting,
            "the addressed issuer without a voucher"
        );
        let own = MintVoucher {
            work: theirs.clone(),
            nonce: u(5),
            deadline: env.now().await + DAY,
        };
        let sig = copyist.sign_mint_voucher(&own).unwrap();
        assert_eq!(
            err(copyist.mint_with_voucher(&own, sig).await),
            awaiting,
            "the copyist's voucher to itself"
        );
    };
    refusals().await;
    // Approved: the same.
    let (voucher, signature, _) = env
        .issuer
        .approve_endorsement(id, &input, env.now().await + 10 * DAY)
        .await
        .unwrap();
    refusals().await;
    assert_eq!(status(artist, id).await, EndorsementStatus::Approved);
    artist.mint_with_voucher(&voucher, signature).await.unwrap();

    // The artist may mint with a voucher another issuer gave it off chain: the reservation is
    // the artist's, not the addressed issuer's.
    let elsewhere = work_input("elsewhere", a, 3, 250, vec![]);
    let (id2, _) = artist
        .request_endorsement(&elsewhere, issuer)
        .await
        .unwrap();
    let off_chain = MintVoucher {
        work: elsewhere.clone(),
        nonce: u(1),
        deadline: env.now().await + DAY,
    };
    let sig = copyist.sign_mint_voucher(&off_chain).unwrap();
    let minted = artist.mint_with_voucher(&off_chain, sig).await.unwrap();
    let work = artist.work(minted.work_id).await.unwrap();
    assert_eq!((work.creator, work.issuer), (a, c));
    assert_eq!(status(artist, id2).await, EndorsementStatus::Registered);
    assert_eq!(
        err(env
            .issuer
            .approve_endorsement(id2, &elsewhere, env.now().await + DAY)
            .await),
        closed(id2, EndorsementStatus::Registered)
    );

    // Rejected, withdrawn or expired: the content is free again.
    let rejected = work_input("no", a, 1, 0, vec![]);
    let (r, _) = artist.request_endorsement(&rejected, issuer).await.unwrap();
    env.issuer
        .reject_endorsement(r, "not your work: see the photographer's site")
        .await
        .unwrap();
    assert_eq!(
        reserved_for(artist, rejected.content_hash).await,
        (r, Address::ZERO)
    );
    env.issuer.register_work(&rejected, a).await.unwrap();
    let withdrawn = work_input("back", a, 1, 0, vec![]);
    let (w, _) = artist
        .request_endorsement(&withdrawn, Address::ZERO)
        .await
        .unwrap();
    assert_eq!(
        err(copyist.register_work(&withdrawn, a).await),
        ChainError::ContentAwaitingEndorsement {
            request_id: w,
            creator: a
        }
    );
    artist.withdraw_endorsement(w).await.unwrap();
    copyist.register_work(&withdrawn, a).await.unwrap();

    let forgotten = work_input("forgotten", a, 1, 0, vec![]);
    let (f, _) = artist
        .request_endorsement(&forgotten, issuer)
        .await
        .unwrap();
    env.advance(30 * DAY - 60).await;
    assert_eq!(status(artist, f).await, EndorsementStatus::Pending);
    let mut squat = forgotten.clone();
    squat.creator = c;
    assert_eq!(
        err(copyist.register_work(&squat, c).await),
        ChainError::ContentAwaitingEndorsement {
            request_id: f,
            creator: a
        }
    );
    env.advance(61).await;
    assert_eq!(status(artist, f).await, EndorsementStatus::Expired);
    let expired = closed(f, EndorsementStatus::Expired);
    assert_eq!(
        err(env
            .issuer
            .approve_endorsement(f, &forgotten, env.now().await + DAY)
            .await),
        expired
    );
    assert_eq!(err(artist.withdraw_endorsement(f).await), expired);
    assert_eq!(
        reserved_for(artist, forgotten.content_hash).await,
        (f, Address::ZERO)
    );
    // Once free, anyone's issuer may register it: the request only held it for 30 days.
    copyist.register_work(&squat, c).await.unwrap();
    assert_eq!(
        status(artist, f).await,
        EndorsementStatus::Expired,
        "someone else's registration after the expiry is not the artist's mint"
    );
}

#[tokio::test]
async fn an_approval_ends_at_its_voucher_deadline() {
    let env = Env::new(2, 0, 0).await;
    let artist = &env.members[0];
    let a = artist.address();
    let input = work_input("late", a, 1, 0, vec![]);
    let (id, _) = artist
        .request_endorsement(&input, Address::ZERO)
        .await
        .unwrap();
    // Approved on the last day of the request: the voucher may run 30 more days.
    env.advance(29 * DAY).await;
    let deadline = env.now().await + 30 * DAY;
    let (voucher, signature, _) = env
        .issuer
        .approve_endorsement(id, &input, deadline)
        .await
        .unwrap();
    env.advance(2 * DAY).await;
    assert_eq!(status(artist, id).await, EndorsementStatus::Approved);
    assert_eq!(
        err(env.issuer.register_work(&input, a).await),
        ChainError::ContentAwaitingEndorsement {
            request_id: id,
            creator: a
        }
    );
    assert_eq!(
        err(artist.request_endorsement(&input, Address::ZERO).await),
        ChainError::EndorsementAlreadyOpen { request_id: id }
    );
    env.advance(29 * DAY).await;
    assert!(env.now().await > deadline);
    assert_eq!(status(artist, id).await, EndorsementStatus::Expired);
    assert_eq!(
        err(artist.mint_with_voucher(&voucher, signature).await),
        ChainError::VoucherExpired { deadline }
    );
    assert_eq!(
        reserved_for(artist, input.content_hash).await,
        (id, Address::ZERO)
    );
    // The artist may ask again; or, as here, an issuer registers it for them.
    env.issuer.register_work(&input, a).await.unwrap();
    assert_eq!(status(artist, id).await, EndorsementStatus::Expired);
}

#[tokio::test]
async fn the_posted_voucher_mints_once_and_only_its_work() {
    let env = Env::new(2, 0, 0).await;
    let artist = &env.members[0];
    let a = artist.address();
    let issuer = env.issuer.address();
    let input = work_input("once", a, 1, 0, vec![]);
    let (id, _) = artist.request_endorsement(&input, issuer).await.unwrap();
    let (voucher, signature, _) = env
        .issuer
        .approve_endorsement(id, &input, env.now().await + DAY)
        .await
        .unwrap();
    let nonce = voucher.nonce;

    // Only the artist submits it.
    assert_eq!(
        err(env.members[1]
            .mint_with_voucher(&voucher, signature.clone())
            .await),
        ChainError::VoucherNotForSender { creator: a }
    );
    // Not for another work: the signature covers the input, so it recovers someone else.
    let mut other_work = voucher.clone();
    other_work.work = work_input("other", a, 1, 0, vec![]);
    assert!(matches!(
        err(artist
            .mint_with_voucher(&other_work, signature.clone())
            .await),
        ChainError::NotIssuer { .. }
    ));
    // Nor to approve another request.
    let next = work_input("next", a, 1, 0, vec![]);
    let (id2, _) = artist.request_endorsement(&next, issuer).await.unwrap();
    assert_eq!(
        err(approve_with(&env.issuer, id2, &voucher, signature.clone()).await),
        ChainError::VoucherMismatch { request_id: id2 }
    );
    artist
        .mint_with_voucher(&voucher, signature.clone())
        .await
        .unwrap();
    let used = ChainError::VoucherNonceUsed { issuer, nonce };
    assert_eq!(
        err(artist.mint_with_voucher(&voucher, signature).await),
        used
    );
    // The nonce is spent for the issuer: a voucher of its for another work with it is void.
    let reuse = MintVoucher {
        work: next.clone(),
        ..voucher.clone()
    };
    let sig = env.issuer.sign_mint_voucher(&reuse).unwrap();
    assert_eq!(err(artist.mint_with_voucher(&reuse, sig).await), used);

    // An issuer that cancels the nonce of its approval voids the posted voucher.
    let (voucher2, signature2, _) = env
        .issuer
        .approve_endorsement(id2, &next, env.now().await + DAY)
        .await
        .unwrap();
    env.issuer
        .cancel_voucher_nonce(voucher2.nonce)
        .await
        .unwrap();
    assert_eq!(
        err(artist.mint_with_voucher(&voucher2, signature2).await),
        ChainError::VoucherNonceUsed {
            issuer,
            nonce: voucher2.nonce
        }
    );
    // The content stays the artist's until the deadline: another issuer's voucher mints it.
    assert_eq!(status(artist, id2).await, EndorsementStatus::Approved);
    assert_eq!(
        err(env.issuer.register_work(&next, a).await),
        ChainError::ContentAwaitingEndorsement {
            request_id: id2,
            creator: a
        }
    );
}

/// A review request opened on content that awaits an endorsement (HallmarkReviews does not
/// consult the endorsement queue) must not stand between the artist and the work: the endorsement
/// refused the content while it was under review, so such a review came later, from an issuer
/// that read the request.
#[tokio::test]
async fn a_review_opened_after_the_request_does_not_block_the_artist() {
    let env = Env::new(3, 0, 0).await;
    let artist = &env.members[0];
    let a = artist.address();
    let copyist = &env.members[2];
    let c = copyist.address();
    grant(&env, Role::Issuer, c).await;
    let first = env.register("first", a, a, 1, 0, vec![]).await;
    let input = work_input("blocked", a, 1, 0, vec![]);
    let (id, _) = artist
        .request_endorsement(&input, env.issuer.address())
        .await
        .unwrap();
    let (review, _) = copyist
        .submit_review(&ReviewSubmission {
            content_hash: input.content_hash,
            metadata_hash: sha(b"copy meta"),
            metadata_cid: "bafkreicopy".into(),
            creator: c,
            matches: vec![ReviewMatch {
                work_id: first.work_id,
                distance: 3,
            }],
        })
        .await
        .unwrap();
    env.reviewer
        .decide_review(review, true, "looks like a fair remix")
        .await
        .unwrap();
    let mut theirs = input.clone();
    theirs.creator = c;
    assert_eq!(
        err(copyist.register_work(&theirs, c).await),
        ChainError::ContentAwaitingEndorsement {
            request_id: id,
            creator: a
        }
    );
    let (voucher, signature, _) = env
        .issuer
        .approve_endorsement(id, &input, env.now().await + DAY)
        .await
        .unwrap();
    let minted = artist.mint_with_voucher(&voucher, signature).await.unwrap();
    assert_eq!(artist.owner_of(minted.token_id).await.unwrap(), a);
    assert_eq!(status(artist, id).await, EndorsementStatus::Registered);
}
