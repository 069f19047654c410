//! RFC 3339 `date-time` values (the spec's `format: date-time`), kept exactly as the service wrote
//! them and ordered by the instant they denote.

use std::cmp::Ordering;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
        let millis = nanos.div_euclid(1_000_000);
        let secs = millis.div_euclid(1000) as i64;
        let ms = millis.rem_euclid(1000) as u32;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let text = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
            sod / 3600,
            (sod / 60) % 60,
            sod % 60
        );
        Self {
            text,
            unix_nanos: millis * 1_000_000,
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

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
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
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
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
    let days = days_from_civil(year, month, day);
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
