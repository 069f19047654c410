//! `hallmark council`: a consortium founded with a real vote and time lock (three blocks, one
//! minute). Issuing credit is proposed, approved, waits for the vote to end, waits in the time
//! lock, then runs; every step prints what the proposal does in words; one key cannot shortcut
//! any of it.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Anvil, assert_ok as ok, cli, stderr};
use hallmark_chain::{ChainClient, ConfirmationPolicy, DemoAccounts, credits, read_deployment};

fn refused(o: &Output, code: &str) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains(&format!("[{code}]")), "not {code}: {err}");
    err
}

fn balance(url: &str, data: &Path, account: hallmark_chain::Address) -> hallmark_chain::U256 {
    common::runtime().block_on(async {
        let deployment = read_deployment(&data.join("chain"), 31337)
            .expect("record")
            .expect("deployment");
        let reader = ChainClient::connect(
            url,
            hallmark_chain::dev_signer(9).expect("key"),
            deployment,
            ConfirmationPolicy::default(),
        )
        .await
        .expect("connect");
        reader.credit_balance(account).await.expect("balance")
    })
}

#[test]
fn issuing_credit_waits_for_a_council_majority_and_the_time_lock() {
    let node = Anvil::start();
    let url = node.endpoint();
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("council");
    let hallmark = cli();
    ok(
        &hallmark.run(
            &a,
            &[
                "consortium",
                "deploy",
                "--rpc",
                &url,
                "--voting-blocks",
                "3",
                "--time-lock",
                "60",
            ],
        ),
        "consortium deploy",
    );
    let member = DemoAccounts::standard(1).expect("keys").members[0].address();
    ok(
        &hallmark.run(&a, &["consortium", "add-member", "member1"]),
        "member admitted",
    );
    let before = balance(&url, &a, member);

    // One council key cannot issue credit alone: the direct route is a proposal now.
    let out = ok(
        &hallmark.run(
            &a,
            &[
                "consortium",
                "add-credits",
                "member1",
                "--credits",
                "40",
                "--gas",
                "0",
            ],
        ),
        "add-credits",
    );
    assert!(
        out.contains("council proposal 1 to issue 40 credits")
            && out.contains("it runs once a majority of the council approved it"),
        "{out}"
    );
    assert_eq!(balance(&url, &a, member), before);

    // A proposal, in words.
    let out = ok(
        &hallmark.run(
            &a,
            &[
                "council",
                "propose",
                "mint-credit",
                "member1",
                "--credits",
                "250",
                "--note",
                "paid by bank transfer 2026-12-07",
            ],
        ),
        "propose",
    );
    assert!(out.contains("council proposal 2 made"), "{out}");
    assert!(
        out.contains(&format!("Issue 250 credits to {member:#x}")),
        "{out}"
    );
    // A member has no seat: cannot propose, cannot approve.
    refused(
        &hallmark.run(
            &a,
            &[
                "council",
                "propose",
                "mint-credit",
                "member1",
                "--credits",
                "1",
                "--as",
                "member1",
            ],
        ),
        "chain.proposal",
    );
    refused(
        &hallmark.run(&a, &["council", "approve", "2", "--as", "member1"]),
        "chain.not_council",
    );
    let out = ok(&hallmark.run(&a, &["council", "approve", "2"]), "approve");
    assert!(
        out.contains("you approved council proposal 2")
            && out.contains("Issue 250 credits")
            && out.contains("approvals 1 (a majority of the seats is 1)"),
        "{out}"
    );
    // The vote is still open, then the time lock holds it.
    let out = ok(&hallmark.run(&a, &["council", "execute", "2"]), "too early");
    assert!(out.contains("open for approval"), "{out}");
    assert_eq!(balance(&url, &a, member), before);
    node.advance(0, 3);
    let out = ok(&hallmark.run(&a, &["council", "execute", "2"]), "queue");
    assert!(out.contains("in the time lock; it can run from"), "{out}");
    let out = ok(
        &hallmark.run(&a, &["council", "execute", "2"]),
        "still locked",
    );
    assert!(out.contains("in the time lock"), "{out}");
    assert_eq!(balance(&url, &a, member), before);
    node.advance(61, 1);
    let out = ok(&hallmark.run(&a, &["council", "execute", "2"]), "run");
    assert!(out.contains("done"), "{out}");
    assert_eq!(balance(&url, &a, member), before + credits(250));

    // Every installation lists the proposals from the chain.
    let listed = ok(&hallmark.run(&a, &["council", "list", "--json"]), "list");
    let listed: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(listed[0]["id"], 2);
    assert_eq!(listed[0]["state"], "executed");
    // The top-up proposed by add-credits had its one approval and its vote has ended.
    assert_eq!(listed[1]["state"], "succeeded");
    let out = ok(&hallmark.run(&a, &["council", "list"]), "list");
    assert!(
        out.contains("#2  done") && out.contains("#1  approved, waiting to enter the time lock"),
        "{out}"
    );
    // Its vote is over: rejecting it now is refused.
    refused(
        &hallmark.run(&a, &["council", "reject", "1"]),
        "chain.proposal",
    );
}
