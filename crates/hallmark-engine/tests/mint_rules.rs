//! The mint's rules hold in the engine itself, for every caller: a request that breaks one is
//! refused with `request.invalid` before the file is read, anything is uploaded or the chain is
//! asked to sign.

use hallmark_engine::{CancelToken, Config, Engine, MintRequest, dev_signer};

fn picture(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("work.png");
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 9]))
        .save(&path)
        .expect("png");
    path
}

#[tokio::test]
async fn a_request_that_breaks_a_rule_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("engine");
    let good = MintRequest {
        path: picture(dir.path()),
        name: "Dawn".to_owned(),
        licence: "CC BY 4.0".to_owned(),
        editions: 2,
        royalty_bps: 1_000,
        ..MintRequest::default()
    };
    // No chain runs: a valid request gets as far as asking for it.
    let err = engine
        .mint(&good, dev_signer(1).expect("issuer"))
        .await
        .expect_err("no chain");
    assert_eq!(err.code(), "chain.not_ready", "{err}");

    for (bad, says) in [
        (
            MintRequest {
                name: "x".repeat(201),
                ..good.clone()
            },
            "give the work a title (up to 200 characters)",
        ),
        (
            MintRequest {
                editions: 10_001,
                ..good.clone()
            },
            "editions must be between 1 and 10000",
        ),
        (
            MintRequest {
                royalty_bps: 2_501,
                ..good.clone()
            },
            "the royalty can be at most 25 %",
        ),
        (
            MintRequest {
                attributes: vec![(String::new(), "orphan value".to_owned())],
                ..good.clone()
            },
            "every attribute needs a name (up to 100 characters) and a value (up to 500)",
        ),
    ] {
        let err = engine
            .mint_job(
                &bad,
                dev_signer(1).expect("issuer"),
                &CancelToken::new(),
                |stage| panic!("a refused request reached {stage:?}"),
            )
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "request.invalid", "{err}");
        assert_eq!(err.to_string(), says);
    }
    // Nothing was read into the library or journalled.
    assert!(engine.library_page(10, None).expect("library").is_empty());
    assert!(engine.unfinished_mints().expect("journal").is_empty());
}
