//! Unix seconds as a UTC date for messages, with the `time` crate's calendar.

use time::UtcDateTime;

/// Formats unix seconds as `YYYY-MM-DD HH:MM:SS UTC`; a value past the end of the year 9999
/// (no block timestamp or deadline Hallmark sets) reads `unix time N (after the year 9999)`.
pub fn format_utc(secs: u64) -> String {
    let at = i64::try_from(secs)
        .ok()
        .and_then(|s| UtcDateTime::from_unix_timestamp(s).ok());
    match at {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => format!("unix time {secs} (after the year 9999)"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(format_utc(4_102_444_799), "2099-12-31 23:59:59 UTC");
        assert_eq!(format_utc(253_402_300_799), "9999-12-31 23:59:59 UTC");
        assert_eq!(
            format_utc(253_402_300_800),
            "unix time 253402300800 (after the year 9999)"
        );
        assert_eq!(
            format_utc(u64::MAX),
            "unix time 18446744073709551615 (after the year 9999)"
        );
    }

    /// The hand-written formatter `format_utc` had before it used `time` (Howard Hinnant's
    /// days-to-civil algorithm), kept as the reference its output must equal.
    fn format_utc_before(secs: u64) -> String {
        let days = secs / 86_400;
        let rem = secs % 86_400;
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + u64::from(m <= 2);
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }

    #[test]
    fn every_day_to_2200_and_every_97th_to_9999_read_as_before() {
        let last_day = 253_402_300_799 / 86_400;
        let days = (0..=84_000u64).chain((84_000..=last_day).step_by(97));
        let mut checked = 0;
        for day in days.chain([last_day]) {
            // A different second of the day each time, and the day's first and last.
            for second in [0, (day * 7_919 + 13) % 86_400, 86_399] {
                let secs = day * 86_400 + second;
                assert_eq!(format_utc(secs), format_utc_before(secs), "{secs}");
                checked += 1;
            }
        }
        assert!(checked > 270_000, "{checked}");
    }
}
