//! Finding 4 of the trust review (docs/security.md): one council key must not be able to take
//! everything. Each attack is performed against a real anvil with a three-seat council; the
//! honest path (two of three approve, the time lock passes) is checked too.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use common::{Env, err, u};
use hallmark_chain::{ChainClient, ChainError, CouncilAction, ProposalState, U256, dev_signer};

const VOTING_BLOCKS: u32 = 5;
const DELAY: u64 = 3_600;

/// The demo suite, then (through the one-seat dev council) two more seats, a five-block vote and
/// a one-hour time lock. Returns the three council members.
async fn three_seat_council(env: &Env) -> [ChainClient; 3] {
    let second = env.council.as_account(dev_signer(7).unwrap()).unwrap();
    let third = env.council.as_account(dev_signer(8).unwrap()).unwrap();
    env.council
        .enact_now(
            &[
                CouncilAction::AddCouncil {
                    account: second.address(),
                },
                CouncilAction::AddCouncil {
                    account: third.address(),
                },
                CouncilAction::SetVotingPeriod {
                    blocks: VOTING_BLOCKS,
                },
                CouncilAction::SetDelay { seconds: DELAY },
            ],
            "a three-seat council",
        )
        .await
        .unwrap();
    let settings = env.council.governance_settings().await.unwrap();
    assert_eq!(settings.seats, 3);
    assert_eq!(settings.voting_blocks, u64::from(VOTING_BLOCKS));
    assert_eq!(settings.delay_seconds, DELAY);
    [env.council.clone(), second, third]
}

/// Mines `n` empty blocks.
async fn mine(env: &Env, n: u32) {
    for _ in 0..n {
        env.advance(0).await;
    }
}

#[tokio::test]
async fn one_council_key_cannot_use_a_dangerous_power_directly() {
    let env = Env::new(1, 250, 0).await;
    let [rogue, _, _] = three_seat_council(&env).await;
    let me = rogue.address();
    let not_governance = ChainError::NotGovernance { account: me };
    let before = rogue.credit_balance(me).await.unwrap();

    // Unlimited credit, more seats, its own market, a fee to itself, a contract of its own
    // allowed to move credit: each refused.
    let credit = rogue.credit();
    assert_eq!(
        err(rogue.submit(credit.mint(me, u(1_000_000))).await),
        not_governance
    );
    assert_eq!(
        err(rogue.submit(credit.setSystemAccount(me, true)).await),
        not_governance
    );
    let consortium = rogue.consortium();
    let accomplice = dev_signer(6).unwrap().address();
    assert_eq!(
        err(rogue.submit(consortium.addCouncil(accomplice)).await),
        not_governance
    );
    assert_eq!(
        err(rogue.submit(consortium.removeCouncil(accomplice)).await),
        not_governance
    );
    let works = rogue.works();
    assert_eq!(err(rogue.submit(works.setMarket(me)).await), not_governance);
    let market = rogue.market();
    assert_eq!(
        err(rogue.submit(market.setPlatformFee(1_000, me)).await),
        not_governance
    );
    assert_eq!(
        err(rogue.submit(market.setHoldingPeriod(0)).await),
        not_governance
    );
    // The wiring window closed at deployment: governance cannot be pointed elsewhere.
    assert!(matches!(
        err(rogue.submit(consortium.setGovernance(me)).await),
        ChainError::Miswired { .. }
    ));
    // The time lock takes proposals only from the council's governor.
    let timelock = rogue.timelock();
    let (target, data) = CouncilAction::MintCredit {
        to: me,
        amount: u(1),
    }
    .call(rogue.deployment());
    assert!(matches!(
        err(rogue
            .submit(timelock.schedule(
                target,
                U256::ZERO,
                data,
                Default::default(),
                Default::default(),
                U256::from(DELAY),
            ))
            .await),
        ChainError::Rejected { .. }
    ));
    // A seat cannot be lent to another key.
    assert!(matches!(
        err(rogue.submit(consortium.delegate(accomplice)).await),
        ChainError::Proposal { .. }
    ));
    assert_eq!(rogue.credit_balance(me).await.unwrap(), before);
    assert!(!rogue.is_council(accomplice).await.unwrap());
    assert_eq!(
        rogue.works().market().call().await.unwrap(),
        env.deployment.market
    );
}

#[tokio::test]
async fn a_proposal_one_key_alone_approved_never_runs() {
    let env = Env::new(1, 250, 0).await;
    let [rogue, honest, _] = three_seat_council(&env).await;
    let me = rogue.address();
    let before = rogue.credit_balance(me).await.unwrap();
    let grab = [CouncilAction::MintCredit {
        to: me,
        amount: u(1_000_000),
    }];
    let (id, _) = rogue.propose(&grab, "for me").await.unwrap();
    rogue.approve_proposal(id).await.unwrap();
    // Voting twice with one seat is refused.
    assert!(matches!(
        err(rogue.approve_proposal(id).await),
        ChainError::Proposal { .. }
    ));
    honest.reject_proposal(id).await.unwrap();
    let shown = honest.proposal(id).await.unwrap();
    assert_eq!(shown.actions, grab);
    assert_eq!(shown.approvals, 1);
    assert_eq!(shown.rejections, 1);
    assert_eq!(shown.needed, 2);
    assert_eq!(
        shown.describe(),
        vec![format!("Issue 10000 credits to {me:#x}")]
    );

    mine(&env, VOTING_BLOCKS + 1).await;
    assert_eq!(
        rogue.proposal_state(id).await.unwrap(),
        ProposalState::Defeated
    );
    assert!(matches!(
        err(rogue.queue_proposal(id).await),
        ChainError::Proposal { .. }
    ));
    assert_eq!(
        rogue.advance_proposal(id).await.unwrap(),
        ProposalState::Defeated
    );
    // A seat taken at the snapshot does not count: a key given a seat after the proposal was
    // made cannot tip it either (checked by the governor through checkpointed seats).
    assert_eq!(rogue.credit_balance(me).await.unwrap(), before);
}

#[tokio::test]
async fn two_of_three_seats_run_a_change_only_after_the_time_lock() {
    let env = Env::new(1, 250, 0).await;
    let [first, second, third] = three_seat_council(&env).await;
    let member = env.members[0].address();
    let before = first.credit_balance(member).await.unwrap();
    let actions = [CouncilAction::MintCredit {
        to: member,
        amount: u(50_000),
    }];
    let (id, _) = first
        .propose(&actions, "a top-up paid off chain")
        .await
        .unwrap();
    first.approve_proposal(id).await.unwrap();
    second.approve_proposal(id).await.unwrap();
    // The vote stays open to its end: too early to queue.
    assert_eq!(
        third.advance_proposal(id).await.unwrap(),
        ProposalState::Active
    );
    mine(&env, VOTING_BLOCKS).await;
    // Any account takes the next steps; the time lock holds it for its delay.
    let anyone = env.outsider();
    assert_eq!(
        anyone.advance_proposal(id).await.unwrap(),
        ProposalState::Queued
    );
    assert!(matches!(
        err(anyone.execute_proposal(id).await),
        ChainError::Proposal { .. }
    ));
    assert_eq!(first.credit_balance(member).await.unwrap(), before);
    let queued = anyone.proposal(id).await.unwrap();
    assert!(queued.ready_at >= env.now().await + DELAY - 5);

    env.advance(DELAY).await;
    assert_eq!(
        anyone.advance_proposal(id).await.unwrap(),
        ProposalState::Executed
    );
    assert_eq!(
        first.credit_balance(member).await.unwrap(),
        before + u(50_000)
    );
    // Listed from the chain by any installation, with its words.
    let listed = anyone.proposals().await.unwrap();
    assert_eq!(U256::from(listed[0].id), id);
    assert_eq!(listed[0].state, ProposalState::Executed);
}

#[tokio::test]
async fn a_removed_seat_no_longer_counts() {
    let env = Env::new(1, 250, 0).await;
    let [first, second, third] = three_seat_council(&env).await;
    let removal = [CouncilAction::RemoveCouncil {
        account: third.address(),
    }];
    let (id, _) = first.propose(&removal, "").await.unwrap();
    first.approve_proposal(id).await.unwrap();
    second.approve_proposal(id).await.unwrap();
    mine(&env, VOTING_BLOCKS).await;
    first.advance_proposal(id).await.unwrap();
    env.advance(DELAY).await;
    assert_eq!(
        first.advance_proposal(id).await.unwrap(),
        ProposalState::Executed
    );
    assert!(!first.is_council(third.address()).await.unwrap());
    // From the next block on, the removed key can no longer propose.
    mine(&env, 1).await;
    assert!(matches!(
        err(third
            .propose(
                &[CouncilAction::MintCredit {
                    to: third.address(),
                    amount: u(1)
                }],
                ""
            )
            .await),
        ChainError::Proposal { .. }
    ));
    // Two seats remain; a majority of two is two.
    let (id, _) = first
        .propose(&[CouncilAction::SetHoldingPeriod { seconds: 60 }], "")
        .await
        .unwrap();
    assert_eq!(first.proposal(id).await.unwrap().needed, 2);
}
