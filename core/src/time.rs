//! Time as the core sees it: seconds since the Unix epoch, always given by the caller.
//!
//! The core never reads a clock (`SystemTime::now()` panics on wasm32), so every function that
//! depends on "now" takes a [`UnixTime`]. This module also converts to and from RFC 3339 text
//! (`2026-01-31T12:00:00Z`), the only time format in mtlskit's reports.

use serde::Serialize;

use crate::Error;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (negative before it).
///
/// Serialized as `{"rfc3339": "2026-01-31T12:00:00Z", "unix": 1769860800}`: text for people,
/// seconds for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(as = "Timestamp"))]
pub struct UnixTime(pub i64);

/// The serialized form of a [`UnixTime`] (TypeScript type `UnixTime`).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "UnixTime"))]
pub struct Timestamp {
    /// RFC 3339 in UTC, e.g. `2026-01-31T12:00:00Z`.
    pub rfc3339: String,
    /// Seconds since the Unix epoch.
    pub unix: i64,
}

impl Serialize for UnixTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Timestamp {
            rfc3339: self.to_rfc3339(),
            unix: self.0,
        }
        .serialize(serializer)
    }
}

impl UnixTime {
    /// The number of seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// Parses RFC 3339 text: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `t`/space accepted
    /// for `T`. Fractions of a second are dropped.
    pub fn parse_rfc3339(text: &str) -> Result<Self, Error> {
        parse(text.trim()).ok_or_else(|| Error::InvalidTime {
            value: text.to_owned(),
        })
    }

    /// Formats as RFC 3339 in UTC, e.g. `2026-01-31T12:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let days = self.0.div_euclid(86_400);
        let second_of_day = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let (hour, minute, second) = (
            second_of_day / 3600,
            second_of_day % 3600 / 60,
            second_of_day % 60,
        );
        if !(0..=9999).contains(&year) {
            return format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
        }
        // The years of certificates, written without `core::fmt` (a trust bundle's report
        // has four of these per certificate): the same text as the `format!` above.
        let mut text = String::with_capacity(20);
        for (value, width, separator) in [
            (year, 4, '-'),
            (month, 2, '-'),
            (day, 2, 'T'),
            (hour, 2, ':'),
            (minute, 2, ':'),
            (second, 2, 'Z'),
        ] {
            for place in (0..width).rev() {
                let digit = value / 10_i64.pow(place) % 10;
                text.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
            }
            text.push(separator);
        }
        text
    }

    /// The earliest time mtlskit accepts from a caller: 0000-01-01T00:00:00Z.
    pub const MIN: Self = Self(-62_167_219_200);
    /// The latest: 9999-12-31T23:59:59Z, the end of GeneralizedTime (RFC 5280 section
    /// 4.1.2.5).
    pub const MAX: Self = Self(253_402_300_799);

    /// Converts seconds since the epoch as JavaScript has them (a float, fractions dropped).
    /// NaN, infinities and times outside the years 0000 to 9999 are [`Error::InvalidTime`],
    /// never a silent 1970 or a saturated extreme.
    pub fn from_seconds_f64(seconds: f64) -> Result<Self, Error> {
        let floor = seconds.floor();
        #[allow(
            clippy::cast_precision_loss,
            reason = "the bounds are far below 2^53, so they convert exactly"
        )]
        let in_range = floor >= Self::MIN.0 as f64 && floor <= Self::MAX.0 as f64;
        if !in_range {
            return Err(Error::InvalidTime {
                value: format!("{seconds}"),
            });
        }
        #[allow(
            clippy::cast_possible_truncation,
            reason = "checked above: a whole number within the i64 range"
        )]
        Ok(Self(floor as i64))
    }

    /// Converts an X.509 `Time` (UTCTime or GeneralizedTime) of `x509-cert`: the tests'
    /// oracles (the core reads times with `asn1::read`).
    #[cfg(test)]
    pub(crate) fn from_x509(time: &x509_cert::time::Time) -> Self {
        let seconds = time.to_unix_duration().as_secs();
        Self(i64::try_from(seconds).unwrap_or(i64::MAX))
    }
}

fn parse(text: &str) -> Option<UnixTime> {
    let bytes = text.as_bytes();
    let number = |range: core::ops::Range<usize>| -> Option<i64> {
        let digits = bytes.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        core::str::from_utf8(digits).ok()?.parse().ok()
    };
    let separator =
        |index: usize, allowed: &[u8]| bytes.get(index).is_some_and(|b| allowed.contains(b));
    if !(separator(4, b"-")
        && separator(7, b"-")
        && separator(10, b"Tt ")
        && separator(13, b":")
        && separator(16, b":"))
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if day < 1 || day > days_in_month(year, month)? {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = bytes.get(19..)?;
    if let Some((b'.', fraction)) = rest.split_first() {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let value = |a: u8, b: u8| i64::from(a - b'0') * 10 + i64::from(b - b'0');
            let minutes = value(*h1, *h2) * 60 + value(*m1, *m2);
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(UnixTime(
        days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset,
    ))
}

/// How many days `month` (1 to 12) of the proleptic Gregorian `year` has; `None` for a month
/// outside 1 to 12. The date checks of every time reader here and in `asn1::read` and
/// `x509::plain_der`.
pub(crate) fn days_in_month(year: i64, month: i64) -> Option<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date `(year, month, day)` of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, the inverse of [`days_from_civil`]); the proxy's access log
/// formats its timestamps with it too.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2026-11-22T05:56:57Z",
            "2000-02-29T23:59:59Z",
            "9999-12-31T23:59:59Z",
            "1950-06-01T00:00:00Z",
        ] {
            let time = UnixTime::parse_rfc3339(text).unwrap();
            assert_eq!(time.to_rfc3339(), text);
        }
        assert_eq!(
            UnixTime::parse_rfc3339("2024-01-01T00:00:00+00:00")
                .unwrap()
                .0,
            1_704_067_200
        );
        assert_eq!(
            UnixTime::parse_rfc3339("2024-01-01T02:00:00.5+02:00")
                .unwrap()
                .0,
            1_704_067_200
        );
    }

    #[test]
    fn rfc3339_text_is_what_format_writes() {
        let formatted = |time: UnixTime| {
            let (year, month, day) = civil_from_days(time.0.div_euclid(86_400));
            let second = time.0.rem_euclid(86_400);
            format!(
                "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
                second / 3600,
                second % 3600 / 60,
                second % 60
            )
        };
        let mut times = vec![UnixTime::MIN, UnixTime::MAX, UnixTime(0), UnixTime(-1)];
        times.extend(
            (UnixTime::MIN.0..UnixTime::MAX.0)
                .step_by(7_777_777)
                .map(UnixTime),
        );
        times.extend(
            [
                UnixTime::MIN.0 - 1,
                UnixTime::MAX.0 + 1,
                -1_000_000_000_000,
                1_000_000_000_000,
            ]
            .map(UnixTime),
        );
        for time in times {
            assert_eq!(time.to_rfc3339(), formatted(time), "{}", time.0);
        }
        assert_eq!(UnixTime(1_704_067_200).to_rfc3339(), "2024-01-01T00:00:00Z");
    }

    #[test]
    fn javascript_numbers_convert_or_give_invalid_time() {
        assert_eq!(
            UnixTime::from_seconds_f64(1.9e9 + 0.7).unwrap(),
            UnixTime(1_900_000_000)
        );
        assert_eq!(UnixTime::from_seconds_f64(-0.5).unwrap(), UnixTime(-1));
        assert_eq!(
            UnixTime::from_seconds_f64(253_402_300_799.0).unwrap(),
            UnixTime::MAX
        );
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            253_402_300_800.0,
        ] {
            let error = UnixTime::from_seconds_f64(bad).unwrap_err();
            assert_eq!(error.code(), "InvalidTime", "{bad}");
        }
        assert!(
            UnixTime(i64::MIN).to_rfc3339().len() > 10,
            "formats without overflow"
        );
    }

    #[test]
    fn rejects_bad_times() {
        for text in [
            "",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00+0100",
            "２０２４-01-01T00:00:00Z",
        ] {
            let error = UnixTime::parse_rfc3339(text).unwrap_err();
            assert_eq!(error.code(), "InvalidTime", "{text}");
        }
    }
}
