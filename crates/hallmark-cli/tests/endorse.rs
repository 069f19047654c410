//! Artists who are not issuers (issue 18, endorsed minting), from the CLI against real anvil
//! nodes: an artist on one installation asks for an endorsement, the issuer on another sees the
//! request with its media and copy check, endorses it, and the artist mints the work as its
//! creator; every refusal on the way (a mint before the endorsement, an issuer registering the
//! published content first, a decision by a non-issuer, a withdrawal by someone else, a
//! declined request) says what happened with its own code, and nothing is registered. The artist
//! then mints the work's further editions.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Anvil, assert_ok, cli, stderr};
use hallmark_chain::{ChainClient, ConfirmationPolicy, DemoAccounts, credits, seed_demo};
use hallmark_engine::ConsortiumProfile;
use serde_json::Value;

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8")
}

/// Asserts a failure with `code`, whose message holds every word of `expect` (exit status 2
/// for bad input, 1 for anything else).
fn assert_code(o: &Output, code: &str, expect: &[&str]) {
    let err = stderr(o);
    let status = if ["request.invalid", "not_found"].contains(&code) {
        2
    } else {
        1
    };
    assert_eq!(o.status.code(), Some(status), "stderr: {err}");
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{err}");
    assert!(first.ends_with(&format!(" [{code}]")), "not {code}: {err}");
    for word in expect {
        assert!(err.contains(word), "`{word}` not in: {err}");
    }
    assert!(!err.contains("panicked") && !err.contains("::"), "{err}");
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A textured picture; different seeds give pictures that are not near copies.
fn picture(dir: &Path, name: &str, seed: u32) -> std::path::PathBuf {
    let path = dir.join(name);
    hallmark_testkit::pictures::save(&hallmark_testkit::pictures::textured(320, 240, seed), &path);
    path
}

#[test]
fn an_artist_on_one_installation_mints_with_an_issuer_endorsement_from_another() {
    let node = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let issuer_home = dir.path().join("issuer-installation");
    let artist_home = dir.path().join("artist-installation");
    std::fs::create_dir_all(&artist_home).expect("artist folder");
    let kubo = std::env::var("HALLMARK_TEST_KUBO_API")
        .expect("HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`");

    // The issuer's installation founds the consortium and publishes its profile; both join it.
    assert_ok(
        &cli().run(
            &issuer_home,
            &[
                "consortium",
                "deploy",
                "--rpc",
                &node.endpoint(),
                "--voting-blocks",
                "2",
                "--time-lock",
                "0",
            ],
        ),
        "consortium deploy",
    );
    let profile_file = dir.path().join("guild.profile.json");
    assert_ok(
        &cli().run(
            &issuer_home,
            &[
                "consortium",
                "profile",
                "export",
                s(&profile_file),
                "--name",
                "Endorsing Guild",
                "--rpc",
                &node.endpoint(),
                "--kubo",
                &kubo,
            ],
        ),
        "profile export",
    );
    let profile = ConsortiumProfile::read(&profile_file).expect("profile");
    let accounts = DemoAccounts::standard(2).expect("keys");
    let artist = format!("{:#x}", accounts.members[0].address());
    common::runtime().block_on(async {
        let council = ChainClient::connect(
            &node.endpoint(),
            accounts.council.clone(),
            profile.body.deployment.clone(),
            ConfirmationPolicy::default(),
        )
        .await
        .expect("council");
        seed_demo(&council, &accounts, credits(100))
            .await
            .expect("seed");
    });
    for home in [&issuer_home, &artist_home] {
        assert_ok(
            &cli().run(home, &["consortium", "profile", "use", s(&profile_file)]),
            "profile use",
        );
    }

    // The artist (member1, not an issuer) cannot register directly: the mint says to ask.
    let art = picture(dir.path(), "tide.png", 41);
    assert_code(
        &cli().run(
            &artist_home,
            &["mint", s(&art), "--title", "Tide", "--as", "member1"],
        ),
        "endorse.required",
        &["not an issuer", "endorse request"],
    );
    // The artist asks any issuer to endorse it, with the registration they want.
    let sent = json(&assert_ok(
        &cli().run(
            &artist_home,
            &[
                "endorse",
                "request",
                s(&art),
                "--title",
                "Tide",
                "--editions",
                "5",
                "--royalty-bps",
                "800",
                "--as",
                "member1",
                "--json",
            ],
        ),
        "endorse request",
    ));
    assert_eq!(sent["request_id"], 1, "{sent}");
    assert!(sent["check"]["near"].as_array().expect("near").is_empty());
    // Until it is endorsed, the artist's mint says it waits.
    assert_code(
        &cli().run(&artist_home, &["mint", s(&art), "--as", "member1"]),
        "endorse.pending",
        &["request 1", "waiting"],
    );

    // The issuer, on the other installation, sees the request with its title (its metadata
    // read from the consortium's IPFS node) and examines its media and copies.
    let pending = json(&assert_ok(
        &cli().run(
            &issuer_home,
            &[
                "endorse", "list", "--status", "pending", "--issuer", "issuer", "--json",
            ],
        ),
        "endorse list",
    ));
    let pending = pending.as_array().expect("list");
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["title"], "Tide");
    assert_eq!(pending[0]["creator"], artist.as_str());
    assert_eq!(pending[0]["max_editions"], 5);
    let shown = assert_ok(
        &cli().run(&issuer_home, &["endorse", "show", "1"]),
        "endorse show",
    );
    assert!(
        shown.contains("member (active)")
            && shown.contains("verified")
            && shown.contains("no near copy"),
        "{shown}"
    );
    // The front-running attack: the issuer who saw the request registers the content itself.
    assert_code(
        &cli().run(
            &issuer_home,
            &["mint", s(&art), "--title", "Mine now", "--as", "issuer"],
        ),
        "chain.content_awaiting_endorsement",
        &["asked for these exact bytes to be endorsed", "request 1"],
    );
    // A member cannot endorse; a validity over 30 days is refused before anything is sent.
    assert_code(
        &cli().run(
            &issuer_home,
            &["endorse", "approve", "1", "--as", "member2"],
        ),
        "chain.not_issuer",
        &[],
    );
    assert_code(
        &cli().run(
            &issuer_home,
            &["endorse", "approve", "1", "--valid-days", "31"],
        ),
        "chain.invalid_input",
        &["1 to 30 days"],
    );
    let approved = assert_ok(
        &cli().run(&issuer_home, &["endorse", "approve", "1", "--as", "issuer"]),
        "endorse approve",
    );
    assert!(approved.contains("request 1 endorsed"), "{approved}");

    // The artist mints it on their installation: creator and first holder, N = 5.
    let minted = json(&assert_ok(
        &cli().run(
            &artist_home,
            &["mint", s(&art), "--as", "member1", "--json"],
        ),
        "the artist mints",
    ));
    assert_eq!(minted["creator"], artist.as_str(), "{minted}");
    let token = minted["token_id"].to_string();
    let work = assert_ok(
        &cli().run(&issuer_home, &["work", &token, "--as", "issuer"]),
        "work",
    );
    assert!(
        work.contains(&format!("owner           {artist}"))
            && work.contains(&format!("creator         {artist}"))
            && work.contains("of 5"),
        "{work}"
    );
    let listed = json(&assert_ok(
        &cli().run(&issuer_home, &["endorse", "list", "--json"]),
        "endorse list",
    ));
    assert_eq!(listed[0]["status"], "registered", "{listed}");
    assert_eq!(listed[0]["work_id"], minted["work_id"], "{listed}");
    // The artist mints the further editions, to themselves or to another member; a member who
    // neither created nor issued the work cannot, and nobody mints to a non-member.
    let work_id = minted["work_id"].to_string();
    let second = assert_ok(
        &cli().run(&artist_home, &["edition", &work_id, "--as", "member1"]),
        "edition 2",
    );
    assert!(
        second.starts_with(&format!("minted edition 2 of 5 of work {work_id}"))
            && second.contains(&artist),
        "{second}"
    );
    let member2 = format!("{:#x}", accounts.members[1].address());
    let third = json(&assert_ok(
        &cli().run(
            &artist_home,
            &[
                "edition", &work_id, "--to", "member2", "--as", "member1", "--json",
            ],
        ),
        "edition 3",
    ));
    assert_eq!(
        (third["edition"].as_u64(), third["owner"].as_str()),
        (Some(3), Some(member2.as_str()))
    );
    assert_code(
        &cli().run(&artist_home, &["edition", &work_id, "--as", "member2"]),
        "chain.not_work_issuer",
        &["neither created nor issued"],
    );
    assert_code(
        &cli().run(
            &artist_home,
            &[
                "edition",
                &work_id,
                "--to",
                "0x000000000000000000000000000000000000dEaD",
                "--as",
                "member1",
            ],
        ),
        "chain.not_member",
        &[],
    );
    // The issuer of record may mint them too.
    let fourth = assert_ok(
        &cli().run(&issuer_home, &["edition", &work_id, "--to", "member1"]),
        "edition 4 by the issuer",
    );
    assert!(fourth.starts_with("minted edition 4 of 5"), "{fourth}");

    // Registered once: another request for the same bytes is refused.
    assert_code(
        &cli().run(
            &artist_home,
            &[
                "endorse",
                "request",
                s(&art),
                "--title",
                "Again",
                "--as",
                "member1",
            ],
        ),
        "chain.content_already_registered",
        &["already registered"],
    );
}

#[test]
fn declined_withdrawn_and_foreign_requests_on_the_dev_chain() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = dir.path().join("data");
    let run = |args: &[&str]| cli().run(&home, args);

    // Declined with a reason: the artist's mint says so, with the reason.
    let first = picture(dir.path(), "first.png", 7);
    assert_ok(
        &run(&[
            "endorse",
            "request",
            s(&first),
            "--title",
            "First",
            "--issuer",
            "issuer",
            "--as",
            "member1",
        ]),
        "request",
    );
    assert_code(
        &run(&["endorse", "reject", "1", "--reason", "", "--as", "issuer"]),
        "chain.missing_reason",
        &[],
    );
    assert_code(
        &run(&[
            "endorse", "reject", "1", "--reason", "no", "--as", "member2",
        ]),
        "chain.not_issuer",
        &[],
    );
    assert_ok(
        &run(&[
            "endorse",
            "reject",
            "1",
            "--reason",
            "please add the source sketch",
            "--as",
            "issuer",
        ]),
        "reject",
    );
    assert_code(
        &run(&["mint", s(&first), "--as", "member1"]),
        "endorse.rejected",
        &[
            "declined endorsement request 1",
            "please add the source sketch",
        ],
    );
    assert_code(
        &run(&["endorse", "approve", "1", "--as", "issuer"]),
        "chain.endorsement_closed",
        &["already rejected"],
    );

    // Withdrawn: only by its artist, then nobody can decide it.
    let second = picture(dir.path(), "second.png", 8);
    assert_ok(
        &run(&[
            "endorse",
            "request",
            s(&second),
            "--title",
            "Second",
            "--as",
            "member1",
        ]),
        "request",
    );
    assert_code(
        &run(&["endorse", "withdraw", "2", "--as", "member2"]),
        "chain.endorsement_not_creator",
        &["only the creator"],
    );
    assert_ok(
        &run(&["endorse", "withdraw", "2", "--as", "member1"]),
        "withdraw",
    );
    assert_code(
        &run(&[
            "endorse", "reject", "2", "--reason", "late", "--as", "issuer",
        ]),
        "chain.endorsement_closed",
        &["already withdrawn"],
    );
    // Withdrawn content is free again: the issuer may register it (the reservation ended).
    assert_ok(
        &run(&["mint", s(&second), "--title", "Second", "--as", "issuer"]),
        "the issuer registers withdrawn content",
    );

    // Bad input is refused before anything is sent: no title, an unknown issuer name.
    let third = picture(dir.path(), "third.png", 9);
    assert_code(
        &run(&["endorse", "request", s(&third), "--as", "member1"]),
        "request.invalid",
        &["title"],
    );
    let o = run(&[
        "endorse",
        "request",
        s(&third),
        "--title",
        "Third",
        "--issuer",
        "nobody",
        "--as",
        "member1",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // An issuer cannot ask itself; an unknown request is named.
    assert_code(
        &run(&[
            "endorse",
            "request",
            s(&third),
            "--title",
            "Third",
            "--issuer",
            "issuer",
            "--as",
            "issuer",
        ]),
        "chain.endorsement_self",
        &[],
    );
    assert_code(
        &run(&["endorse", "show", "9"]),
        "not_found",
        &["endorsement request 9"],
    );

    let all = json(&assert_ok(&run(&["endorse", "list", "--json"]), "list"));
    let statuses: Vec<&str> = all
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, vec!["withdrawn", "rejected"]);
    let text = assert_ok(&run(&["endorse", "list"]), "list");
    assert!(
        text.contains("declined by") && text.contains("please add the source sketch"),
        "{text}"
    );
}
