//! DER writing into a `Vec<u8>` (X.690 section 10): plain functions over `&mut Vec<u8>`, no
//! trait per structure, so the browser module carries one copy of the writer whatever it
//! writes.
//!
//! A constructed value is written in place: [`open`] writes its tag and a one-byte length,
//! the contents follow, and [`close`] patches the length, moving the contents only when they
//! need a longer length (128 bytes or more). [`constructed`] wraps the two around a closure.
//!
//! ```text
//! let mut out = Vec::new();
//! sequence(&mut out, |out| {
//!     oid(out, &rfc5912::ID_CE_BASIC_CONSTRAINTS);
//!     boolean(out, true);
//! });
//! ```
//!
//! Every function is total: nothing here can fail except the character-set checks of the
//! restricted string types ([`printable_string`], [`ia5_string`], [`bmp_string`]) and the times outside the
//! years 0 to 9999 ([`time`]).

use const_oid::ObjectIdentifier;

/// Universal tags (X.680 section 8.4), as identifier octets.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OBJECT_IDENTIFIER: u8 = 0x06;
    pub(crate) const UTF8_STRING: u8 = 0x0c;
    pub(crate) const BMP_STRING: u8 = 0x1e;
    pub(crate) const PRINTABLE_STRING: u8 = 0x13;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
}

/// The identifier octet of a context-specific primitive `[number]` (an IMPLICIT tag on a
/// primitive type); `number` is below 31.
pub(crate) const fn context(number: u8) -> u8 {
    0x80 | (number & 0x1f)
}

/// The identifier octet of a context-specific constructed `[number]` (an EXPLICIT tag, or an
/// IMPLICIT tag on a constructed type); `number` is below 31.
pub(crate) const fn context_constructed(number: u8) -> u8 {
    0xa0 | (number & 0x1f)
}

/// A string whose characters the restricted string type cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Charset;

/// A time outside the years 0 to 9999, which neither UTCTime nor GeneralizedTime can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeOutOfRange;

/// Where an open constructed value's contents begin (see [`open`]).
#[derive(Debug)]
#[must_use = "a value opened must be closed"]
pub(crate) struct Mark(usize);

/// The definite length octets of `len` (X.690 8.1.3): short form below 128, else the
/// minimal long form. Returns the buffer and how many of its octets are used.
fn length_octets(len: usize) -> ([u8; 9], usize) {
    let mut octets = [0u8; 9];
    if len < 0x80 {
        octets[0] = len as u8;
        return (octets, 1);
    }
    let bytes = (len as u64).to_be_bytes();
    let skip = bytes.iter().take_while(|byte| **byte == 0).count();
    let significant = bytes.get(skip..).unwrap_or_default();
    octets[0] = 0x80 | significant.len() as u8;
    for (slot, byte) in octets.iter_mut().skip(1).zip(significant) {
        *slot = *byte;
    }
    (octets, 1 + significant.len())
}

/// Writes a tag and the length `len`; the caller writes the `len` content octets after.
pub(crate) fn header(out: &mut Vec<u8>, tag: u8, len: usize) {
    let (octets, used) = length_octets(len);
    out.push(tag);
    out.extend_from_slice(octets.get(..used).unwrap_or_default());
}

/// Writes a whole TLV.
pub(crate) fn tlv(out: &mut Vec<u8>, tag: u8, contents: &[u8]) {
    header(out, tag, contents.len());
    out.extend_from_slice(contents);
}

/// Starts a constructed value (or a primitive one whose contents are DER written in place,
/// such as an extension's OCTET STRING): the contents follow, then [`close`].
pub(crate) fn open(out: &mut Vec<u8>, tag: u8) -> Mark {
    out.push(tag);
    out.push(0);
    Mark(out.len())
}

/// Ends the value opened at `mark`: patches its length, moving the contents when the length
/// needs more than one octet.
pub(crate) fn close(out: &mut Vec<u8>, mark: Mark) {
    let start = mark.0;
    let len = out.len().saturating_sub(start);
    let (octets, used) = length_octets(len);
    if let Some(slot) = start.checked_sub(1).and_then(|at| out.get_mut(at)) {
        *slot = octets[0];
    }
    if used > 1 {
        let extra = octets.get(1..used).unwrap_or_default();
        out.splice(start..start, extra.iter().copied());
    }
}

/// Writes the constructed value `tag` whose contents `contents` writes; returns what it
/// returns (e.g. a `Result` to pass on with `?`).
#[inline]
pub(crate) fn constructed<T>(
    out: &mut Vec<u8>,
    tag: u8,
    contents: impl FnOnce(&mut Vec<u8>) -> T,
) -> T {
    let mark = open(out, tag);
    let result = contents(out);
    close(out, mark);
    result
}

/// `SEQUENCE { ... }`.
#[inline]
pub(crate) fn sequence<T>(out: &mut Vec<u8>, contents: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    constructed(out, tag::SEQUENCE, contents)
}

/// `SET OF`: the elements `contents` writes, sorted by their encodings as DER requires
/// (X.690 11.6).
#[inline]
pub(crate) fn set_of<T>(out: &mut Vec<u8>, contents: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    set_of_tagged(out, tag::SET, contents)
}

/// A `SET OF` under the tag `tag` (e.g. a CSR's `[0] IMPLICIT SET OF Attribute`), sorted.
#[inline]
pub(crate) fn set_of_tagged<T>(
    out: &mut Vec<u8>,
    tag: u8,
    contents: impl FnOnce(&mut Vec<u8>) -> T,
) -> T {
    let mark = open(out, tag);
    let start = mark.0;
    let result = contents(out);
    sort_elements(out, start);
    close(out, mark);
    result
}

/// Sorts the TLVs in `out[start..]` by their encodings. Elements are whole TLVs written by
/// this module; should they not parse, they are left as written.
fn sort_elements(out: &mut Vec<u8>, start: usize) {
    let Some(contents) = out.get(start..) else {
        return;
    };
    let mut elements = Vec::new();
    let mut rest = contents;
    while !rest.is_empty() {
        let Some(len) = element_len(rest) else {
            return;
        };
        let (element, tail) = rest.split_at(len);
        elements.push(element);
        rest = tail;
    }
    if elements.is_sorted() {
        return;
    }
    elements.sort_unstable();
    let sorted: Vec<u8> = elements.concat();
    out.truncate(start);
    out.extend_from_slice(&sorted);
}

/// The length of the whole TLV at the start of `input` (single-octet tags, as written here).
fn element_len(input: &[u8]) -> Option<usize> {
    let first = *input.get(1)?;
    let (header, len) = if first < 0x80 {
        (2, usize::from(first))
    } else {
        let count = usize::from(first & 0x7f);
        let octets = input.get(2..2usize.checked_add(count)?)?;
        let len = octets.iter().try_fold(0usize, |len, byte| {
            len.checked_mul(256)?.checked_add(usize::from(*byte))
        })?;
        (2 + count, len)
    };
    let total = header.checked_add(len)?;
    (total <= input.len()).then_some(total)
}

/// `BOOLEAN` (DER: TRUE is 0xff).
pub(crate) fn boolean(out: &mut Vec<u8>, value: bool) {
    tlv(out, tag::BOOLEAN, &[if value { 0xff } else { 0x00 }]);
}

/// `NULL`.
pub(crate) fn null(out: &mut Vec<u8>) {
    tlv(out, tag::NULL, &[]);
}

/// A non-negative `INTEGER` from its unsigned big-endian magnitude: leading zero octets
/// dropped, one 0x00 put back when the top bit is set; an empty magnitude is 0.
pub(crate) fn integer_unsigned(out: &mut Vec<u8>, magnitude: &[u8]) {
    let skip = magnitude.iter().take_while(|byte| **byte == 0).count();
    let significant = magnitude.get(skip..).unwrap_or_default();
    match significant.first() {
        None => tlv(out, tag::INTEGER, &[0]),
        Some(first) if *first >= 0x80 => {
            header(out, tag::INTEGER, significant.len() + 1);
            out.push(0);
            out.extend_from_slice(significant);
        }
        Some(_) => tlv(out, tag::INTEGER, significant),
    }
}

/// `INTEGER` from a `u64`.
pub(crate) fn integer_u64(out: &mut Vec<u8>, value: u64) {
    integer_unsigned(out, &value.to_be_bytes());
}

/// `OBJECT IDENTIFIER`.
pub(crate) fn oid(out: &mut Vec<u8>, oid: &ObjectIdentifier) {
    tlv(out, tag::OBJECT_IDENTIFIER, oid.as_bytes());
}

/// `BIT STRING` of whole octets, `unused_bits` (0 to 7) of the last one unused.
pub(crate) fn bit_string(out: &mut Vec<u8>, unused_bits: u8, octets: &[u8]) {
    let unused = if octets.is_empty() {
        0
    } else {
        unused_bits & 7
    };
    header(out, tag::BIT_STRING, octets.len() + 1);
    out.push(unused);
    out.extend_from_slice(octets);
}

/// A named-bit-list `BIT STRING` (such as keyUsage) from bits 0 to 15, bit 0 being the most
/// significant bit of `bits`; trailing zero bits are dropped as DER requires (X.690 11.2.2).
pub(crate) fn named_bits(out: &mut Vec<u8>, bits: u16) {
    let used = 16 - bits.trailing_zeros() as usize;
    let bytes = bits.to_be_bytes();
    let octets = bytes.get(..used.div_ceil(8)).unwrap_or_default();
    let unused = (octets.len() * 8 - used) as u8;
    bit_string(out, unused, octets);
}

/// `OCTET STRING`.
pub(crate) fn octet_string(out: &mut Vec<u8>, octets: &[u8]) {
    tlv(out, tag::OCTET_STRING, octets);
}

/// `UTF8String`.
pub(crate) fn utf8_string(out: &mut Vec<u8>, text: &str) {
    tlv(out, tag::UTF8_STRING, text.as_bytes());
}

/// `PrintableString` (X.680 41.4: letters, digits, space and `'()+,-./:=?`).
pub(crate) fn printable_string(out: &mut Vec<u8>, text: &str) -> Result<(), Charset> {
    let printable = |byte: u8| byte.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&byte);
    if !text.bytes().all(printable) {
        return Err(Charset);
    }
    tlv(out, tag::PRINTABLE_STRING, text.as_bytes());
    Ok(())
}

/// `IA5String` (ASCII).
pub(crate) fn ia5_string(out: &mut Vec<u8>, text: &str) -> Result<(), Charset> {
    ia5_tagged(out, tag::IA5_STRING, text)
}

/// An `IA5String` under the tag `tag`, e.g. a GeneralName's `[2] IMPLICIT IA5String`.
pub(crate) fn ia5_tagged(out: &mut Vec<u8>, tag: u8, text: &str) -> Result<(), Charset> {
    if !text.is_ascii() {
        return Err(Charset);
    }
    tlv(out, tag, text.as_bytes());
    Ok(())
}

/// `BMPString` (X.680 41.16: UCS-2, big-endian), e.g. a PKCS#12 friendlyName. As `der`'s
/// `BmpString::from_utf8`, only characters below U+FFFF: the ones outside the Basic
/// Multilingual Plane (and the noncharacter U+FFFF) are refused.
pub(crate) fn bmp_string(out: &mut Vec<u8>, text: &str) -> Result<(), Charset> {
    if text.chars().any(|c| u32::from(c) >= 0xffff) {
        return Err(Charset);
    }
    header(out, tag::BMP_STRING, text.encode_utf16().count() * 2);
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    Ok(())
}

/// A certificate time per RFC 5280 section 4.1.2.5: `UTCTime` for the years 1950 to 2049,
/// `GeneralizedTime` otherwise (to the second, `Z`). `seconds` counts from the Unix epoch.
pub(crate) fn time(out: &mut Vec<u8>, seconds: i64) -> Result<(), TimeOutOfRange> {
    let (year, month, day, hour, minute, second) = civil(seconds);
    if !(0..=9999).contains(&year) {
        return Err(TimeOutOfRange);
    }
    let mut text = [0u8; 15];
    let (tag, digits) = if (1950..2050).contains(&year) {
        (tag::UTC_TIME, 12)
    } else {
        (tag::GENERALIZED_TIME, 14)
    };
    let year_digits = if digits == 12 { year % 100 } else { year };
    let fields = [
        (year_digits, digits - 10),
        (month, 2),
        (day, 2),
        (hour, 2),
        (minute, 2),
        (second, 2),
    ];
    let mut at = 0;
    for (value, width) in fields {
        let mut value = value;
        for index in (0..width).rev() {
            if let Some(slot) = text.get_mut(at + index) {
                *slot = b'0' + (value % 10) as u8;
            }
            value /= 10;
        }
        at += width;
    }
    if let Some(slot) = text.get_mut(at) {
        *slot = b'Z';
    }
    tlv(out, tag, text.get(..=at).unwrap_or_default());
    Ok(())
}

/// `(year, month, day, hour, minute, second)` of a Unix time, proleptic Gregorian, UTC.
fn civil(seconds: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = crate::time::civil_from_days(days);
    (
        year,
        month,
        day,
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
    )
}

#[cfg(test)]
mod tests {
    //! Each primitive against `der`'s encoder.
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use core::time::Duration;
    use der::Encode;
    use der::asn1::{
        BitString, BmpString, GeneralizedTime, Ia5StringRef, OctetStringRef, PrintableStringRef,
        SetOfVec, UintRef, UtcTime, Utf8StringRef,
    };

    fn written(write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out);
        out
    }

    #[test]
    fn integers_match_der() {
        // An empty magnitude is 0: `02 01 00`. (der's `UintRef::new(&[])` writes `02 00`, an
        // INTEGER without content octets, which X.690 8.3.1 forbids; compared with `[0]`.)
        assert_eq!(
            written(|out| integer_unsigned(out, &[])),
            [0x02, 0x01, 0x00]
        );
        let cases: [&[u8]; 8] = [
            &[0],
            &[0, 0, 0],
            &[1],
            &[0x7f],
            &[0x80],
            &[0, 0, 0xff, 1],
            &[0x7f; 20],
            &[0xff; 40],
        ];
        for magnitude in cases {
            let expected = UintRef::new(magnitude).unwrap().to_der().unwrap();
            assert_eq!(
                written(|out| integer_unsigned(out, magnitude)),
                expected,
                "{magnitude:02x?}"
            );
        }
        for value in [0u64, 1, 127, 128, 255, 256, 65_535, u64::MAX] {
            assert_eq!(
                written(|out| integer_u64(out, value)),
                value.to_der().unwrap()
            );
        }
    }

    #[test]
    fn lengths_match_der_across_the_long_form() {
        for len in [0usize, 1, 127, 128, 255, 256, 65_535, 65_536, 70_000] {
            let contents = vec![0x5a; len];
            let expected = OctetStringRef::new(&contents).unwrap().to_der().unwrap();
            assert_eq!(written(|out| octet_string(out, &contents)), expected);
            // The same through open/close, which moves the contents for long forms.
            let patched = written(|out| {
                constructed(out, tag::OCTET_STRING, |out| {
                    out.extend_from_slice(&contents)
                })
            });
            assert_eq!(patched, expected, "{len}");
        }
    }

    #[test]
    fn nested_sequences_match_der() {
        let mut body = OctetStringRef::new(&[7; 200]).unwrap().to_der().unwrap();
        body.extend(true.to_der().unwrap());
        let length = der::Length::try_from(body.len()).unwrap();
        let mut expected = Vec::new();
        der::Header::new(der::Tag::Sequence, length)
            .encode_to_vec(&mut expected)
            .unwrap();
        expected.extend(&body);
        let ours = written(|out| {
            sequence(out, |out| {
                octet_string(out, &[7; 200]);
                boolean(out, true);
            })
        });
        assert_eq!(ours, expected);
    }

    #[test]
    fn primitives_match_der() {
        assert_eq!(written(|out| boolean(out, true)), true.to_der().unwrap());
        assert_eq!(written(|out| boolean(out, false)), false.to_der().unwrap());
        assert_eq!(written(null), der::asn1::Null.to_der().unwrap());
        for id in [
            const_oid::db::rfc4519::CN,
            const_oid::db::rfc5912::ID_CE_SUBJECT_KEY_IDENTIFIER,
            const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
            const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        ] {
            assert_eq!(written(|out| oid(out, &id)), id.to_der().unwrap());
        }
        for (unused, octets) in [(0u8, &[][..]), (0, &[1, 2, 3]), (5, &[0xa0]), (1, &[0x86])] {
            let expected = BitString::new(unused, octets).unwrap().to_der().unwrap();
            assert_eq!(written(|out| bit_string(out, unused, octets)), expected);
        }
        let text = "Zürich – 東京";
        assert_eq!(
            written(|out| utf8_string(out, text)),
            Utf8StringRef::new(text).unwrap().to_der().unwrap()
        );
        let printable = "Test Org (DE) 1+1=2, a-b./:?'";
        assert_eq!(
            written(|out| printable_string(out, printable).unwrap()),
            PrintableStringRef::new(printable)
                .unwrap()
                .to_der()
                .unwrap()
        );
        for bad in ["a@b", "a*b", "ü", "a_b"] {
            assert!(PrintableStringRef::new(bad).is_err(), "{bad}");
            assert_eq!(
                written(|out| assert_eq!(printable_string(out, bad), Err(Charset))),
                b""
            );
        }
        let ascii = "alice@example.com ~!*_";
        assert_eq!(
            written(|out| ia5_string(out, ascii).unwrap()),
            Ia5StringRef::new(ascii).unwrap().to_der().unwrap()
        );
        assert_eq!(ia5_string(&mut Vec::new(), "bücher"), Err(Charset));
    }

    #[test]
    fn bmp_strings_match_der() {
        let long = "é".repeat(70);
        for text in [
            "",
            "a",
            "server",
            "Zürich – 東京",
            "\u{fffe}",
            long.as_str(),
        ] {
            let expected = BmpString::from_utf8(text).unwrap().to_der().unwrap();
            assert_eq!(
                written(|out| bmp_string(out, text).unwrap()),
                expected,
                "{text}"
            );
        }
        // Outside the BMP, and U+FFFF, which der refuses as well.
        for bad in ["😀", "a\u{10000}", "\u{ffff}", "x\u{10ffff}y"] {
            assert!(BmpString::from_utf8(bad).is_err(), "{bad}");
            assert_eq!(
                written(|out| assert_eq!(bmp_string(out, bad), Err(Charset))),
                b""
            );
        }
    }

    #[test]
    fn named_bits_match_der() {
        // keyUsage: digitalSignature (0), keyEncipherment (2), keyCertSign (5), cRLSign (6),
        // decipherOnly (8).
        let cases: [(u16, &[u8], u8); 5] = [
            (0x8000, &[0x80], 7),
            (0xa000, &[0xa0], 5),
            (0x8600, &[0x86], 1),
            (0x0080, &[0x00, 0x80], 7),
            (0xffff, &[0xff, 0xff], 0),
        ];
        for (bits, octets, unused) in cases {
            let expected = BitString::new(unused, octets).unwrap().to_der().unwrap();
            assert_eq!(written(|out| named_bits(out, bits)), expected, "{bits:04x}");
        }
        assert_eq!(written(|out| named_bits(out, 0)), [0x03, 0x01, 0x00]);
    }

    #[test]
    fn set_of_sorts_like_der() {
        let values: [&[u8]; 4] = [&[3, 1], &[1], &[2, 0, 0], &[1, 0]];
        let mut set = SetOfVec::new();
        for value in values {
            set.insert(OctetStringRef::new(value).unwrap()).unwrap();
        }
        let expected = set.to_der().unwrap();
        let ours = written(|out| {
            set_of(out, |out| {
                for value in values {
                    octet_string(out, value);
                }
            })
        });
        assert_eq!(ours, expected);
        assert_eq!(written(|out| set_of(out, |_| ())), [0x31, 0x00]);
    }

    #[test]
    fn context_tags() {
        assert_eq!(written(|out| tlv(out, context(2), b"a.b")), b"\x82\x03a.b");
        let explicit =
            written(|out| constructed(out, context_constructed(0), |out| integer_u64(out, 2)));
        assert_eq!(explicit, [0xa0, 0x03, 0x02, 0x01, 0x02]);
    }

    #[test]
    fn times_match_der_and_rfc_5280() {
        // 1970, 2026, 2049-12-31T23:59:59Z, 2050-01-01T00:00:00Z, 9999-12-31T23:59:59Z.
        for seconds in [
            0u64,
            1_790_000_000,
            2_524_607_999,
            2_524_608_000,
            253_402_300_799,
        ] {
            let duration = Duration::from_secs(seconds);
            let generalized = GeneralizedTime::from_unix_duration(duration).unwrap();
            let expected = if seconds < 2_524_608_000 {
                UtcTime::from_unix_duration(duration).unwrap().to_der()
            } else {
                generalized.to_der()
            }
            .unwrap();
            let ours = written(|out| time(out, seconds as i64).unwrap());
            assert_eq!(ours, expected, "{seconds}");
        }
        // Before 1950: GeneralizedTime (der has no times before 1970).
        assert_eq!(
            written(|out| time(out, -631_152_001).unwrap()),
            b"\x18\x0f19491231235959Z"
        );
        assert_eq!(time(&mut Vec::new(), 253_402_300_800), Err(TimeOutOfRange));
        assert_eq!(time(&mut Vec::new(), -62_167_219_201), Err(TimeOutOfRange));
        assert_eq!(
            written(|out| time(out, -62_167_219_200).unwrap()),
            b"\x18\x0f00000101000000Z"
        );
    }
}
