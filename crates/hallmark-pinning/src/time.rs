//! RFC 3339 `date-time` values (the spec's `format: date-time`), kept exactly as the service wrote
//! them and ordered by the instant they denote.

use std::cmp::Ordering;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month, UtcDateTime};

/// A timestamp in RFC 3339 `date-time` form (section 5.6), e.g. `2020-07-27T17:32:28.276Z`.
///
/// `PinStatus.created` and the `before`/`after` list filters use this form. The original text is
/// kept (paging passes a service's own `created` back to it verbatim); comparisons use the
/// instant it denotes, so `…T17:00:00+01:00` equals `…T16:00:00Z`.
#[derive(Clone)]
pub struct Timestamp {
    text: String,
    /// nanoseconds since 1970-01-01T00:00:00Z (negative before it)
    unix_nanos: i128,
}

impl Timestamp {
    /// Parses an RFC 3339 `date-time`; `None` if `text` is not one.
    ///
    /// Accepts `T`/`t` as separator, `Z`/`z` or `±HH:MM` as offset, any number of fraction digits
    /// (nanosecond precision is kept) and a leap second (`:60`, counted as the next second).
    pub fn parse(text: &str) -> Option<Self> {
        let unix_nanos = parse_rfc3339(text)?;
        Some(Self {
            text: text.to_owned(),
            unix_nanos,
        })
    }

    /// The timestamp of `time`, written as UTC with millisecond precision
    /// (`2020-07-27T17:32:28.276Z`).
    pub fn from_system_time(time: SystemTime) -> Self {
        let nanos: i128 = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        // Outside the years -9999..=9999 (no clock reads that) the nearest end is written.
        let at = UtcDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(if nanos < 0 {
            UtcDateTime::MIN
        } else {
            UtcDateTime::MAX
        });
        let text = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.millisecond()
        );
        Self {
            text,
            unix_nanos: at.unix_timestamp_nanos().div_euclid(1_000_000) * 1_000_000,
        }
    }

    /// The current time (see [`Timestamp::from_system_time`]).
    pub fn now() -> Self {
        Self::from_system_time(SystemTime::now())
    }

    /// The text exactly as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant as a [`SystemTime`].
    pub fn to_system_time(&self) -> SystemTime {
        let n = self.unix_nanos;
        let abs = Duration::new(
            (n.unsigned_abs() / 1_000_000_000) as u64,
            (n.unsigned_abs() % 1_000_000_000) as u32,
        );
        if n >= 0 {
            UNIX_EPOCH + abs
        } else {
            UNIX_EPOCH - abs
        }
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.unix_nanos == other.unix_nanos
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.unix_nanos.cmp(&other.unix_nanos)
    }
}
impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.unix_nanos.hash(state);
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "`{}` is not an RFC 3339 date-time",
                text.chars().take(64).collect::<String>()
            ))
        })
    }
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar; `None` if there is no
/// such day (month 13, February 30).
fn days_since_epoch(year: i64, month: i64, day: i64) -> Option<i64> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    Some(i64::from(
        date.to_julian_day() - UtcDateTime::UNIX_EPOCH.to_julian_day(),
    ))
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` → nanoseconds since the Unix epoch.
fn parse_rfc3339(text: &str) -> Option<i128> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't') {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    let days = days_since_epoch(year, month, day)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos: i128 = 0;
    if let Some((b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for (i, d) in frac[..n].iter().enumerate() {
            if i < 9 {
                nanos = nanos * 10 + i128::from(d - b'0');
            }
        }
        for _ in n..9 {
            nanos *= 10;
        }
        rest = &frac[n..];
    }
    let offset_secs: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2])?;
            let om = digits(&[*m1, *m2])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).expect(s)
    }

    #[test]
    fn parses_spec_examples_and_orders_by_instant() {
        let a = ts("2020-07-27T17:32:28.276Z");
        assert_eq!(a.as_str(), "2020-07-27T17:32:28.276Z");
        assert_eq!(a, ts("2020-07-27T19:32:28.276+02:00"));
        assert!(ts("2020-07-27T17:32:28Z") < a);
        assert!(ts("2020-07-27t17:32:28.2761z") > a);
        assert_eq!(
            a.to_system_time()
                .duration_since(UNIX_EPOCH)
                .expect("after epoch")
                .as_millis(),
            1_595_871_148_276
        );
    }

    #[test]
    fn rejects_what_is_not_a_date_time() {
        for bad in [
            "",
            "2020-07-27",
            "2020-07-27 17:32:28Z",
            "2020-07-27T17:32:28",
            "2020-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2020-07-27T24:00:00Z",
            "2020-07-27T17:32:28.Z",
            "2020-07-27T17:32:28+0200",
            "2020-07-27T17:32:28Z ",
            "１２３４-07-27T17:32:28Z",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Timestamp::parse("2020-02-29T23:59:60Z").is_some());
    }

    /// The hand-written calendar `Timestamp` used before the `time` crate (Howard Hinnant's
    /// algorithms), kept as the reference the new code must agree with.
    mod before {
        pub(super) fn days_in_month(y: i64, m: i64) -> i64 {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            }
        }

        pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
            let y = if m <= 2 { y - 1 } else { y };
            let era = y.div_euclid(400);
            let yoe = y - era * 400;
            let mp = (m + 9) % 12;
            let doy = (153 * mp + 2) / 5 + d - 1;
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            era * 146_097 + doe - 719_468
        }
    }

    /// Millis since the epoch of a `from_system_time` text, by the earlier calendar; `None` if a
    /// field is out of its range (so each instant has exactly one text, the one written before).
    fn millis_by_the_earlier_calendar(text: &str) -> Option<i64> {
        let field = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
        let (y, m, d) = (field(0..4)?, field(5..7)?, field(8..10)?);
        let (h, mi, sec, ms) = (
            field(11..13)?,
            field(14..16)?,
            field(17..19)?,
            field(20..23)?,
        );
        let shape = text.len() == 24 && &text[4..5] == "-" && &text[10..11] == "T";
        let in_range = (1..=12).contains(&m)
            && (1..=before::days_in_month(y, m)).contains(&d)
            && h < 24
            && mi < 60
            && sec < 60
            && text.ends_with('Z');
        (shape && in_range).then(|| {
            ((before::days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + sec) * 1000) + ms
        })
    }

    #[test]
    fn formatting_matches_the_earlier_calendar_on_every_29th_day_of_ten_millennia() {
        // 0000-01-01 to 9999-12-31, at a different millisecond of the day each time.
        let (first, last) = (-62_167_219_200_000i64, 253_402_300_799_999i64);
        let mut checked = 0;
        let mut day = first;
        while day <= last {
            let millis = day + (day / 86_400_000 * 7_919_777).rem_euclid(86_400_000);
            let t = Timestamp::from_system_time(if millis >= 0 {
                UNIX_EPOCH + Duration::from_millis(millis as u64)
            } else {
                UNIX_EPOCH - Duration::from_millis(millis.unsigned_abs())
            });
            assert_eq!(
                millis_by_the_earlier_calendar(t.as_str()),
                Some(millis),
                "{}",
                t.as_str()
            );
            assert_eq!(t.unix_nanos, i128::from(millis) * 1_000_000, "{millis}");
            checked += 1;
            day += 29 * 86_400_000;
        }
        assert!(checked > 125_000, "{checked}");
    }

    #[test]
    fn parsing_matches_the_earlier_calendar_on_every_day_around_each_month_end() {
        let mut checked = 0;
        for year in (0..=9999).step_by(3).chain([1900, 2000, 2100, 2400, 9999]) {
            for month in 1..=12 {
                for day in [1, 15, 28, 29, 30, 31] {
                    let text = format!("{year:04}-{month:02}-{day:02}T23:59:60.5-01:30");
                    let parsed = Timestamp::parse(&text).map(|t| t.unix_nanos);
                    let expected = (day <= before::days_in_month(year, month)).then(|| {
                        let secs = before::days_from_civil(year, month, day) * 86_400
                            + 23 * 3600
                            + 59 * 60
                            + 60
                            + 5400;
                        i128::from(secs) * 1_000_000_000 + 500_000_000
                    });
                    assert_eq!(parsed, expected, "{text}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 240_000, "{checked}");
    }

    #[test]
    fn formats_system_time_round_trip() {
        for ms in [0u64, 1_595_871_148_276, 951_782_400_000, 4_102_444_799_999] {
            let t = UNIX_EPOCH + Duration::from_millis(ms);
            let s = Timestamp::from_system_time(t);
            assert_eq!(ts(s.as_str()), s, "{}", s.as_str());
            assert_eq!(s.to_system_time(), t);
        }
        assert_eq!(
            Timestamp::from_system_time(UNIX_EPOCH + Duration::from_millis(951_782_400_000))
                .as_str(),
            "2000-02-29T00:00:00.000Z"
        );
        let before = UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(
            Timestamp::from_system_time(before).as_str(),
            "1969-12-31T23:59:59.999Z"
        );
    }
}
