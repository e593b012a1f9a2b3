//! The plain DER shape most certificates have, read without the general reader: one TLV
//! with a one-byte tag and a minimal length below 64 KiB. Callers fall back to the general
//! reader (`asn1::read`) on `None`, so what this accepts must be exactly what it accepts (and
//! `der` accepted) for the same bytes.

use crate::UnixTime;

/// An AlgorithmIdentifier in the plain shape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainAlgorithm<'a> {
    pub(crate) oid: const_oid::ObjectIdentifier,
    /// The parameters' whole TLV (NULL, an OID or a SEQUENCE), if any.
    pub(crate) parameters: Option<&'a [u8]>,
}

/// One TLV at the start of `input` with the one-byte tag `tag` and a minimal DER length (short
/// form, or one or two length bytes): its contents and what follows it.
pub(crate) fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (_, contents, rest) = tlv_whole(input, tag)?;
    Some((contents, rest))
}

/// [`tlv`], with the whole TLV (tag, length and contents) first.
pub(crate) fn tlv_whole(input: &[u8], tag: u8) -> Option<(&[u8], &[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    let (&length, rest) = rest.split_first()?;
    if first != tag {
        return None;
    }
    let (length, rest) = match length {
        0..=0x7f => (usize::from(length), rest),
        0x81 => {
            let (&length, rest) = rest.split_first()?;
            (length >= 0x80).then_some((usize::from(length), rest))?
        }
        0x82 => {
            let (bytes, rest) = rest.split_first_chunk::<2>()?;
            let length = usize::from(u16::from_be_bytes(*bytes));
            (length >= 0x100).then_some((length, rest))?
        }
        _ => return None,
    };
    let (contents, after) = rest.split_at_checked(length)?;
    let whole = input.get(..input.len() - after.len())?;
    Some((whole, contents, after))
}

/// An AlgorithmIdentifier at the start of `input` in the plain shape: an OID, then no
/// parameters, NULL, an OID or a SEQUENCE. The identifier, and what follows it.
pub(crate) fn algorithm(input: &[u8]) -> Option<(PlainAlgorithm<'_>, &[u8])> {
    let (contents, rest) = tlv(input, 0x30)?;
    let (oid_bytes, parameters) = tlv(contents, 0x06)?;
    let oid = oid(oid_bytes)?;
    let parameters = match parameters.first() {
        None => None,
        Some(&first @ (0x05 | 0x06 | 0x30)) => {
            let (whole, value, after) = tlv_whole(parameters, first)?;
            if !after.is_empty() || (first == 0x05 && !value.is_empty()) {
                return None;
            }
            Some(whole)
        }
        Some(_) => return None,
    };
    Some((PlainAlgorithm { oid, parameters }, rest))
}

/// An OBJECT IDENTIFIER's contents, with der's rules.
pub(crate) fn oid(bytes: &[u8]) -> Option<const_oid::ObjectIdentifier> {
    const_oid::ObjectIdentifierRef::from_bytes(bytes)
        .ok()?
        .try_into()
        .ok()
}

/// A BIT STRING at the start of `input` without unused bits: its bytes, and what follows.
pub(crate) fn bits(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (contents, rest) = tlv(input, 0x03)?;
    match contents.split_first()? {
        (0, bytes) => Some((bytes, rest)),
        _ => None,
    }
}

/// A UTCTime `YYMMDDHHMMSSZ` at the start of `input`, with der's rules (years 1970 to 2049,
/// dates that exist): the time, and what follows it. `None` for anything else.
pub(crate) fn utc_time(input: &[u8]) -> Option<(UnixTime, &[u8])> {
    let (contents, rest) = tlv(input, 0x17)?;
    let [y1, y2, mo1, mo2, d1, d2, h1, h2, mi1, mi2, s1, s2, b'Z'] =
        *<&[u8; 13]>::try_from(contents).ok()?
    else {
        return None;
    };
    let year = match pair(y1, y2)? {
        short @ 0..=49 => 2000 + short,
        short @ 70..=99 => 1900 + short,
        _ => return None,
    };
    let time = date_time(
        year,
        pair(mo1, mo2)?,
        pair(d1, d2)?,
        [pair(h1, h2)?, pair(mi1, mi2)?, pair(s1, s2)?],
    )?;
    Some((time, rest))
}

/// A GeneralizedTime `YYYYMMDDHHMMSSZ` at the start of `input`, with der's rules (years 1970
/// to 9999, dates that exist, no fractions): the time, and what follows it. `None` for
/// anything else.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn generalized_time(input: &[u8]) -> Option<(UnixTime, &[u8])> {
    let (contents, rest) = tlv(input, 0x18)?;
    let [
        c1,
        c2,
        y1,
        y2,
        mo1,
        mo2,
        d1,
        d2,
        h1,
        h2,
        mi1,
        mi2,
        s1,
        s2,
        b'Z',
    ] = *<&[u8; 15]>::try_from(contents).ok()?
    else {
        return None;
    };
    let year = pair(c1, c2)? * 100 + pair(y1, y2)?;
    let time = date_time(
        year,
        pair(mo1, mo2)?,
        pair(d1, d2)?,
        [pair(h1, h2)?, pair(mi1, mi2)?, pair(s1, s2)?],
    )?;
    Some((time, rest))
}

/// A UTCTime or a GeneralizedTime at the start of `input` ([`utc_time`], [`generalized_time`]).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn time(input: &[u8]) -> Option<(UnixTime, &[u8])> {
    match input.first()? {
        0x17 => utc_time(input),
        _ => generalized_time(input),
    }
}

/// Two ASCII digits as a number.
fn pair(high: u8, low: u8) -> Option<u16> {
    (high.is_ascii_digit() && low.is_ascii_digit())
        .then(|| u16::from(high - b'0') * 10 + u16::from(low - b'0'))
}

/// der's `DateTime` checks: years 1970 to 9999, dates that exist.
fn date_time(
    year: u16,
    month: u16,
    day: u16,
    [hour, minute, second]: [u16; 3],
) -> Option<UnixTime> {
    if !(1970..=9999).contains(&year) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let (year, month, day) = (i64::from(year), i64::from(month), i64::from(day));
    if day == 0 || day > crate::time::days_in_month(year, month)? {
        return None;
    }
    let days = crate::time::days_from_civil(year, month, day);
    let seconds = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    Some(UnixTime(days * 86_400 + seconds))
}

#[cfg(test)]
mod tests {
    use der::Decode;

    use super::*;

    #[test]
    fn generalized_times_are_what_der_decodes() {
        let mut checked = 0;
        for year in [0u16, 1600, 1969, 1970, 2000, 2049, 2050, 2100, 2400, 9999] {
            for (month, day) in [(1, 1), (2, 28), (2, 29), (2, 30), (4, 31), (12, 31), (0, 1)] {
                for (hour, minute, second) in [(0, 0, 0), (23, 59, 59), (24, 0, 0), (9, 60, 0)] {
                    let text =
                        format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z");
                    let mut tlv = vec![0x18, 15];
                    tlv.extend(text.as_bytes());
                    let plain = time(&tlv).map(|(time, _)| time);
                    let general = x509_cert::time::Time::from_der(&tlv)
                        .ok()
                        .map(|time| UnixTime::from_x509(&time));
                    assert_eq!(plain, general, "{text}");
                    checked += usize::from(plain.is_some());
                }
            }
        }
        assert!(checked > 40, "{checked}");
        for bad in [
            &b"\x18\x0f2020010100000a"[..],
            b"\x18\x0e20200101000000",
            b"\x18\x1120200101000000.5Z",
        ] {
            assert!(time(bad).is_none());
        }
    }
}
