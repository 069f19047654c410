//! `hallmark prove|verify|verify-file`: evidence bundles and "who registered this file".

use std::path::{Path, PathBuf};

use hallmark_chain::format_utc;
use hallmark_engine::evidence::{Conclusion, Report, Status, VerifyOptions};
use hallmark_engine::{CertificateFormat, ProveRequest, U256, certificate_from_bundle};

use super::market::{parse_id, signer, with_chain};
use super::{check_input_file, open_engine, print_line};
use crate::cli::{CertificateArgs, Cli, ProveArgs, VerifyArgs, VerifyFileArgs};
use crate::failure::Failure;
use crate::json::pretty as to_json;
use crate::terminal::shown;

fn parse_challenge(text: Option<&str>) -> Result<Option<U256>, Failure> {
    text.map(|t| {
        t.parse::<U256>().map_err(|_| {
            Failure::bad_input(format!("`{t}` is not a challenge (a number up to 2^256-1)"))
        })
    })
    .transpose()
}

/// `hallmark prove`.
pub(crate) async fn prove(cli: &Cli, args: &ProveArgs) -> Result<(), Failure> {
    let token_id = u64::try_from(parse_id(&args.token)?)
        .map_err(|_| Failure::bad_input(format!("token {} does not exist", args.token)))?;
    let request = ProveRequest {
        token_id,
        challenge: parse_challenge(args.challenge.as_deref())?,
        include_media: !args.no_media,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("hallmark-token-{token_id}.zip")));
    let certificate_format = args
        .certificate
        .as_deref()
        .map(certificate_format)
        .transpose()?;
    let signer = signer(cli, args.account)?;
    let proof = with_chain(cli, async |engine| {
        Ok(engine.prove(&request, signer).await?)
    })
    .await?;
    // Written beside the target and renamed: a crash never leaves half a bundle under its name.
    super::write_output(&out, &proof.bytes)?;
    if let (Some(path), Some(format)) = (&args.certificate, certificate_format) {
        let page = certificate_from_bundle(&proof.bytes, format, now())?;
        super::write_output(path, &page)?;
    }
    if args.json {
        return print_line(&to_json(&serde_json::json!({
            "bundle": out,
            "sha256": proof.sha256,
            "bytes": proof.bytes.len(),
            "holder": proof.holder,
            "statement_block": proof.statement_block,
        }))?);
    }
    print_line(&format!(
        "wrote {} ({} bytes)\n  sha-256          {}\n  holder           {}\n  statement block  {}\nverify with: hallmark verify {}",
        out.display(),
        proof.bytes.len(),
        proof.sha256,
        proof.holder,
        proof.statement_block,
        out.display()
    ))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn certificate_format(path: &Path) -> Result<CertificateFormat, Failure> {
    CertificateFormat::from_path(path).ok_or_else(|| {
        Failure::bad_input(format!(
            "{}: a certificate is a .pdf or a .png file",
            path.display()
        ))
    })
}

/// `hallmark certificate`.
pub(crate) fn certificate(args: &CertificateArgs) -> Result<(), Failure> {
    check_input_file(&args.bundle)?;
    let format = certificate_format(&args.out)?;
    let bundle = hallmark_files::read(&args.bundle, hallmark_engine::evidence::MAX_BUNDLE_BYTES)
        .map_err(|e| super::input_refused(&args.bundle, e))?;
    let page = certificate_from_bundle(&bundle, format, now())?;
    super::write_output(&args.out, &page)?;
    print_line(&format!(
        "wrote {} ({} bytes)",
        args.out.display(),
        page.len()
    ))
}

/// `hallmark verify`.
pub(crate) async fn verify(cli: &Cli, args: &VerifyArgs) -> Result<(), Failure> {
    check_input_file(&args.bundle)?;
    let options = VerifyOptions {
        challenge: parse_challenge(args.challenge.as_deref())?,
        ..VerifyOptions::default()
    };
    // Anchored to this data folder's consortium (its recorded deployment, and the genesis block
    // of its own node when that runs); checked against `--rpc`, else against that node.
    let engine = open_engine(cli).await?;
    let started = if args.offline {
        Err(())
    } else {
        engine.start_dev_chain().await.map_err(|_| ())
    };
    let offline = args.offline || (started.is_err() && args.rpc.is_none());
    let report = engine
        .verify_bundle(&args.bundle, &options, args.rpc.as_deref(), offline)
        .await;
    engine.shutdown().await;
    let report = report?;
    let conclusion = report.conclusion();
    if args.json {
        print_line(&to_json(&crate::json::verify_report(&report)?)?)?;
    } else {
        print_line(&render(&report, &conclusion))?;
    }
    let failed = report.failures().count();
    if let Conclusion::NotThisConsortium = conclusion {
        Err(Failure::other(
            hallmark_domain::ErrorCode::EvidenceNotVerified,
            format!(
                "the bundle is not from {}: do not trust it as evidence here",
                report.consortium.as_deref().unwrap_or("this consortium")
            ),
        ))
    } else if report.passed() {
        Ok(())
    } else if failed == 0 {
        Err(Failure::other(
            hallmark_domain::ErrorCode::EvidenceNotVerified,
            "nothing could be checked",
        ))
    } else {
        Err(Failure::other(
            hallmark_domain::ErrorCode::EvidenceNotVerified,
            format!(
                "{failed} check{} failed: do not trust this bundle",
                if failed == 1 { "" } else { "s" }
            ),
        ))
    }
}

/// The report as text: a header, then one line per check, then the conclusion.
fn render(report: &Report, conclusion: &Conclusion) -> String {
    let mut out = String::new();
    if let Some(s) = &report.summary {
        out.push_str(&format!(
            "{}\n  token {} on chain {}, held by {:#x}\n  created by {:#x}, registered {} in block {}\n  content sha-256 {}\n",
            shown(s.title.as_deref().unwrap_or("(untitled)")),
            s.token_id,
            s.chain_id,
            s.holder,
            s.creator,
            format_utc(s.registered_at),
            s.registration_block,
            s.content_sha256,
        ));
    }
    if let Some(sha) = &report.bundle_sha256 {
        out.push_str(&format!("  bundle sha-256 {sha}\n"));
    }
    out.push('\n');
    for check in &report.checks {
        let mark = match check.status {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::Skip => "skip",
            Status::Unanswered => "n/a ",
        };
        out.push_str(&format!(
            "{mark}  {:<20} {}",
            shown(check.id),
            shown(check.title)
        ));
        if !check.detail.is_empty() {
            out.push_str(&format!(": {}", shown(&check.detail)));
        }
        out.push('\n');
    }
    let verdict = match conclusion {
        Conclusion::Verified { consortium } => {
            format!("VERIFIED: every check passed against {}", shown(consortium))
        }
        Conclusion::PartlyVerified {
            consortium,
            unanswered,
        } => format!(
            "PARTLY VERIFIED against {}: no check failed, but the node could not answer {} (it keeps no state for the old block it is about; a missing archive is not a forgery): check against an archive node (--rpc URL) to verify fully",
            shown(consortium),
            unanswered.join(", ")
        ),
        Conclusion::Consistent => "CONSISTENT, NOT VERIFIED against the consortium's chain: no check failed, but the bundle was not checked against the chain of a consortium this data folder trusts".to_owned(),
        Conclusion::NotThisConsortium => format!(
            "NOT VERIFIED: not from {}",
            shown(report.consortium.as_deref().unwrap_or("this consortium"))
        ),
        Conclusion::Failed => "NOT VERIFIED".to_owned(),
    };
    out.push_str(&format!("\n{verdict}"));
    out
}

/// `hallmark verify-file`.
pub(crate) async fn verify_file(cli: &Cli, args: &VerifyFileArgs) -> Result<(), Failure> {
    check_input_file(&args.file)?;
    let engine = open_engine(cli).await?;
    let started = engine.start_dev_chain().await;
    let identity = engine.identify_file(&args.file).await;
    engine.shutdown().await;
    let mut identity = identity?;
    if let (Err(e), Some(reason)) = (started, identity.catalog.chain_error.as_mut()) {
        // Why the chain could not be used, in the words of the failed start.
        *reason = e.to_string();
    }
    if args.json {
        return print_line(&to_json(&identity)?);
    }
    let mut out = match &identity.exact {
        None => format!(
            "not registered: no work has these exact bytes (sha-256 {})\n",
            identity.sha256
        ),
        Some(work) => {
            let mut out = format!(
                "registered: work {} “{}”\n  creator      {}\n  issuer       {}\n  registered   {} (block {}, tx {})\n  content      sha-256 {}\n",
                work.work_id,
                shown(work.title.as_deref().unwrap_or("(metadata not fetched)")),
                shown(&work.creator),
                shown(&work.issuer),
                format_utc(work.registered_at),
                work.registered_block,
                work.registered_tx,
                identity.sha256,
            );
            for edition in &work.editions {
                out.push_str(&format!(
                    "  token {:<10} edition {} of {}, held by {}\n",
                    edition.token_id, edition.edition, edition.max_editions, edition.owner
                ));
            }
            if work.frozen_reason != 0 {
                out.push_str(&format!(
                    "  frozen by review (reason {})\n",
                    work.frozen_reason
                ));
            }
            out
        }
    };
    if !identity.near.is_empty() {
        out.push_str("looks like (PDQ distance of 256 bits, lower is closer):\n");
        for m in &identity.near {
            out.push_str(&format!(
                "  work {:<6} distance {:>3} ({})  “{}” by {}, registered {}\n",
                m.work_id,
                m.distance,
                m.transform,
                shown(m.title.as_deref().unwrap_or("?")),
                shown(&m.creator),
                format_utc(m.registered_at)
            ));
        }
    } else if identity.exact.is_none() {
        match (identity.quality, &identity.note) {
            (Some(q), _) => out.push_str(&format!(
                "no near copies either (image quality {q} of 100)\n"
            )),
            (None, Some(note)) => {
                out.push_str(&format!("only the exact bytes were checked: {}\n", shown(note)))
            }
            (None, None) => out.push_str(
                "only the exact bytes were checked (audio has no perceptual hash; video needs ffmpeg)\n",
            ),
        }
    }
    if let Some(stale) = stale_catalog_line(&identity.catalog) {
        out.push_str(&stale);
    }
    print_line(out.trim_end())
}

/// The line saying an answer came from a catalog that could not be synced, if it could not.
pub(crate) fn stale_catalog_line(catalog: &hallmark_engine::CatalogFreshness) -> Option<String> {
    if catalog.up_to_date {
        return None;
    }
    let as_of = catalog.synced_block.map_or_else(
        || "never synced".to_owned(),
        |block| format!("as of block {block}"),
    );
    Some(format!(
        "note: answered from the local catalog ({as_of}): the chain could not be reached ({}), so later registrations and transfers are not included",
        catalog.chain_error.as_deref().unwrap_or("no reason given")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_engine::evidence::Check;

    fn check(id: &'static str, status: Status, detail: &str) -> Check {
        Check {
            id,
            title: "a check",
            status,
            detail: detail.to_owned(),
        }
    }

    /// Security finding 12: a check the node could not answer is named, and the conclusion says
    /// the bundle is only partly verified (neither "VERIFIED" nor "NOT VERIFIED").
    #[test]
    fn a_check_the_node_could_not_answer_is_named_in_the_report() {
        let report = Report {
            checks: vec![
                check("consortium", Status::Pass, "ok"),
                check("online.owner", Status::Pass, "0x01"),
                check(
                    "online.statement",
                    Status::Unanswered,
                    "not answerable: the node keeps no state for block 18",
                ),
            ],
            consortium: Some("the consortium of chain 31337".to_owned()),
            ..Report::default()
        };
        let conclusion = Conclusion::PartlyVerified {
            consortium: "the consortium of chain 31337".to_owned(),
            unanswered: vec!["online.statement".to_owned()],
        };
        let text = render(&report, &conclusion);
        assert!(text.contains("n/a   online.statement"), "{text}");
        assert!(text.contains("keeps no state for block 18"), "{text}");
        let last = text.lines().last().unwrap_or_default();
        assert!(
            last.starts_with(
                "PARTLY VERIFIED against the consortium of chain 31337: no check failed, but the node could not answer online.statement"
            ),
            "{last}"
        );
        assert!(report.passed());
    }
}
