//! `hallmark ingest FILE [--json]`.

use hallmark_engine::{Ingested, Progress, Stage};

use super::{open_engine, print_line};
use crate::cli::{Cli, IngestArgs};
use crate::failure::Failure;
use crate::progress::bytes_bar;
use crate::terminal::shown_path;

/// Ingests through the engine (checks, hashes, stores, pins) and prints the report.
pub(crate) async fn run(cli: &Cli, args: &IngestArgs) -> Result<(), Failure> {
    let engine = open_engine(cli).await?;
    let bar = bytes_bar("ingesting");
    let shown = bar.clone();
    let result = engine
        .ingest(&args.file, move |p: Progress| {
            shown.set_length(p.total);
            shown.set_position(p.done);
            shown.set_message(match p.stage {
                Stage::Hashing => "hashing",
                Stage::Storing => "storing",
                Stage::Done => "done",
            });
        })
        .await;
    bar.finish_and_clear();
    engine.shutdown().await;
    let ingested = result?;
    if args.json {
        let json = serde_json::to_string_pretty(&ingested).map_err(|e| {
            Failure::other(
                hallmark_domain::ErrorCode::InternalEncode,
                format!("cannot encode the report: {e}"),
            )
        })?;
        print_line(&json)
    } else {
        print_line(&human_report(&ingested))
    }
}

/// The report as aligned `label: value` lines.
pub(crate) fn human_report(i: &Ingested) -> String {
    let mut lines = vec![
        ("file", shown_path(&i.path)),
        ("type", format!("{} ({}, {})", i.media_type, i.mime, i.kind)),
        ("size", format!("{} bytes", i.size)),
        ("sha-256", i.sha256.clone()),
        ("cid v1", i.cid_v1.to_string()),
        ("cid v0", i.cid_v0.to_string()),
    ];
    if let (Some(w), Some(h)) = (i.width, i.height) {
        lines.push(("dimensions", format!("{w}×{h}")));
    }
    if let Some(frames) = i.frames {
        lines.push(("frames", frames.to_string()));
    }
    if let Some(ms) = i.duration_ms {
        let estimated = if i.duration_estimated {
            " (estimated)"
        } else {
            ""
        };
        lines.push(("duration", format!("{}{estimated}", duration(ms))));
    }
    for (label, derivative) in [("thumbnail", &i.thumbnail), ("preview", &i.preview)] {
        if let Some(d) = derivative {
            lines.push((
                label,
                format!(
                    "{} ({}×{}, {})",
                    shown_path(&d.path),
                    d.width,
                    d.height,
                    d.cid
                ),
            ));
        }
    }
    lines
        .into_iter()
        .map(|(label, value)| format!("{:<11}{value}", format!("{label}:")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `1.250 s`, `2:05.000`, `1:02:05.000`.
fn duration(ms: u64) -> String {
    let (s, ms) = (ms / 1000, ms % 1000);
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec}.{ms:03} s"),
        (0, min, sec) => format!("{min}:{sec:02}.{ms:03}"),
        (h, min, sec) => format!("{h}:{min:02}:{sec:02}.{ms:03}"),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(1250), "1.250 s");
        assert_eq!(duration(125_000), "2:05.000");
        assert_eq!(duration(3_725_000), "1:02:05.000");
    }
}
