use super::*;

fn all(input: &[u8]) -> Result<Tlv<'_>> {
    parse(input, Reader::tlv)
}

#[test]
fn tags_and_lengths_are_strict_der() {
    // Short and long lengths, minimal only.
    assert_eq!(all(&[0x04, 0x01, 0xaa]).unwrap().contents, [0xaa]);
    let long: Vec<u8> = [&[0x04, 0x81, 0x80][..], &[7; 0x80]].concat();
    assert_eq!(all(&long).unwrap().contents.len(), 0x80);
    assert!(
        all(&[0x04, 0x81, 0x01, 0xaa]).is_err(),
        "non-minimal length"
    );
    assert!(
        all(&[0x04, 0x82, 0x00, 0x81]).is_err(),
        "leading zero length byte"
    );
    assert!(all(&[0x30, 0x80, 0x00, 0x00]).is_err(), "indefinite length");
    assert!(
        all(&[0x04, 0x85, 0, 0, 0, 0, 1, 0]).is_err(),
        "five length bytes"
    );
    assert!(all(&[0x04, 0x02, 0xaa]).is_err(), "truncated contents");
    assert!(all(&[0x04, 0x01, 0xaa, 0x00]).is_err(), "trailing byte");
    assert!(all(&[]).is_err());
    // Universal tags der knows; constructed only SEQUENCE and SET.
    assert!(
        all(&[0x24, 0x00]).is_err(),
        "constructed OCTET STRING is BER"
    );
    assert!(all(&[0x00, 0x00]).is_err());
    assert!(all(&[0x1f, 0x20, 0x00]).is_err(), "universal high tag");
    // High tag numbers: minimal, from 31, fitting 32 bits.
    let tag = all(&[0x9f, 0x1f, 0x00]).unwrap().tag;
    assert_eq!(
        (tag.class, tag.constructed, tag.number),
        (Class::ContextSpecific, false, 31)
    );
    assert_eq!(all(&[0xbf, 0x81, 0x00, 0x00]).unwrap().tag.number, 128);
    assert!(
        all(&[0x9f, 0x1e, 0x00]).is_err(),
        "below 31 in the long form"
    );
    assert!(all(&[0x9f, 0x80, 0x01, 0x00]).is_err(), "leading 0x80");
    assert!(
        all(&[0x9f, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x00])
            .unwrap()
            .tag
            .number
            == u32::MAX
    );
    assert!(
        all(&[0x9f, 0x90, 0x80, 0x80, 0x80, 0x00, 0x00]).is_err(),
        "over 32 bits"
    );
    assert!(all(&[0x9f, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]).is_err());
    assert!(all(&[0x9f, 0x81]).is_err(), "truncated tag");
    let error = parse(&[0x30, 0x03, 0x04, 0x05, 0x00], |r| {
        r.read_sequence(Reader::octet_string)
    });
    let error = error.err().unwrap_or(DerError {
        offset: 0,
        expected: "",
    });
    assert_eq!(error.offset, 4, "{error}");
    assert_eq!(
        error.into_error("test").to_string(),
        "invalid DER in test: expected as many content bytes as the length says at byte 4"
    );
}

#[test]
fn integers_are_minimal_and_range_checked() {
    let read = |bytes: &[u8]| parse(bytes, |r| r.integer().map(<[u8]>::to_vec));
    assert_eq!(read(&[0x02, 0x01, 0x00]).unwrap(), [0]);
    assert!(read(&[0x02, 0x00]).is_err(), "empty");
    assert!(read(&[0x02, 0x02, 0x00, 0x7f]).is_err(), "leading zero");
    assert!(read(&[0x02, 0x02, 0xff, 0x80]).is_err(), "leading 0xff");
    assert_eq!(read(&[0x02, 0x02, 0x00, 0x80]).unwrap(), [0x00, 0x80]);
    let unsigned = |bytes: &[u8]| parse(bytes, |r| r.unsigned().map(<[u8]>::to_vec));
    assert_eq!(unsigned(&[0x02, 0x02, 0x00, 0x80]).unwrap(), [0x80]);
    assert!(unsigned(&[0x02, 0x01, 0x80]).is_err(), "negative");
    let u64 = |bytes: &[u8]| parse(bytes, Reader::u64);
    assert_eq!(u64(&[0x02, 0x01, 0x05]), Ok(5));
    let max = [
        0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];
    assert_eq!(u64(&max), Ok(u64::MAX));
    assert!(u64(&[0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    assert!(parse(&[0x02, 0x03, 0x01, 0x00, 0x00], Reader::u16).is_err());
    assert_eq!(parse(&[0x02, 0x02, 0x7f, 0xff], Reader::u16), Ok(0x7fff));
    assert_eq!(
        parse(&[0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff], Reader::u32),
        Ok(u32::MAX)
    );
    assert!(parse(&[0x02, 0x05, 0x01, 0, 0, 0, 0], Reader::u32).is_err());
    assert_eq!(parse(&[0x02, 0x01, 0xff], Reader::i32), Ok(-1));
    assert_eq!(
        parse(&[0x02, 0x04, 0x80, 0, 0, 0], Reader::i32),
        Ok(i32::MIN)
    );
    assert!(parse(&[0x02, 0x05, 0x00, 0x80, 0, 0, 0], Reader::i32).is_err());
}

#[test]
fn primitives_follow_der() {
    assert_eq!(parse(&[0x01, 0x01, 0xff], Reader::boolean), Ok(true));
    assert_eq!(parse(&[0x01, 0x01, 0x00], Reader::boolean), Ok(false));
    assert!(parse(&[0x01, 0x01, 0x01], Reader::boolean).is_err());
    assert!(parse(&[0x01, 0x02, 0x00, 0x00], Reader::boolean).is_err());
    assert_eq!(parse(&[0x05, 0x00], Reader::null), Ok(()));
    assert!(parse(&[0x05, 0x01, 0x00], Reader::null).is_err());
    let sha256 = [
        0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    ];
    let oid = parse(&sha256, Reader::oid).unwrap();
    assert_eq!(oid_text(oid), "2.16.840.1.101.3.4.2.1");
    assert!(parse(&[0x06, 0x00], Reader::oid).is_err(), "empty OID");
    assert!(
        parse(&[0x06, 0x02, 0x2a, 0x80], Reader::oid).is_err(),
        "unterminated arc"
    );
    // An arc with a leading 0x80 byte: `der` (through `const-oid`) reads it, so does this.
    assert!(parse(&[0x06, 0x03, 0x2a, 0x80, 0x01], Reader::oid).is_ok());
    assert_eq!(
        parse(&[0x03, 0x02, 0x01, 0x80], Reader::bit_string),
        Ok((1, &[0x80][..]))
    );
    assert_eq!(
        parse(&[0x03, 0x01, 0x00], Reader::bit_string),
        Ok((0, &[][..]))
    );
    assert!(
        parse(&[0x03, 0x02, 0x01, 0x81], Reader::bit_string).is_err(),
        "padding set"
    );
    assert!(
        parse(&[0x03, 0x02, 0x08, 0x00], Reader::bit_string).is_err(),
        "8 unused"
    );
    assert!(
        parse(&[0x03, 0x01, 0x01], Reader::bit_string).is_err(),
        "unused of nothing"
    );
    assert!(parse(&[0x03, 0x00], Reader::bit_string).is_err());
    // As `der` reads them: the padding may be set; otherwise the same rules.
    let any = Reader::bit_string_any_padding;
    assert_eq!(parse(&[0x03, 0x02, 0x01, 0x81], any), Ok((1, &[0x81][..])));
    assert_eq!(parse(&[0x03, 0x01, 0x00], any), Ok((0, &[][..])));
    for refused in [
        &[0x03, 0x02, 0x08, 0x00][..],
        &[0x03, 0x01, 0x01],
        &[0x03, 0x00],
    ] {
        assert!(parse(refused, any).is_err(), "{refused:02x?}");
        let theirs = <der::asn1::BitStringRef<'_> as der::Decode>::from_der(refused);
        assert!(theirs.is_err(), "{refused:02x?}");
    }
    assert_eq!(
        parse(&[0x0c, 0x02, 0xc3, 0xa9], Reader::utf8_string),
        Ok("é")
    );
    assert!(parse(&[0x0c, 0x01, 0xc3], Reader::utf8_string).is_err());
    assert_eq!(
        parse(&[0x13, 0x02, b'A', b'?'], Reader::printable_string),
        Ok("A?")
    );
    assert!(parse(&[0x13, 0x01, b'*'], Reader::printable_string).is_err());
    assert_eq!(parse(&[0x16, 0x01, b'*'], Reader::ia5_string), Ok("*"));
    assert!(parse(&[0x16, 0x01, 0x80], Reader::ia5_string).is_err());
    assert_eq!(
        parse(&[0x1e, 0x02, 0x00, 0xe9], Reader::bmp_string),
        Ok("é".to_owned())
    );
    assert!(
        parse(&[0x1e, 0x01, 0x00], Reader::bmp_string).is_err(),
        "odd length"
    );
    assert!(
        parse(&[0x1e, 0x02, 0xd8, 0x00], Reader::bmp_string).is_err(),
        "surrogate"
    );
    assert!(
        parse(&[0x1e, 0x02, 0xff, 0xff], Reader::bmp_string).is_err(),
        "U+FFFF"
    );
    assert!(
        parse(&[0x04, 0x00], Reader::bmp_string).is_err(),
        "wrong tag"
    );
}

#[test]
fn times_are_der_forms() {
    let utc = |text: &[u8]| {
        parse(
            &[&[0x17, text.len() as u8][..], text].concat(),
            Reader::time,
        )
    };
    let generalized = |text: &[u8]| {
        parse(
            &[&[0x18, text.len() as u8][..], text].concat(),
            Reader::time,
        )
    };
    assert_eq!(utc(b"700101000000Z"), Ok(UnixTime(0)));
    assert_eq!(utc(b"491231235959Z"), Ok(UnixTime(2_524_607_999)));
    assert_eq!(utc(b"500101000000Z"), Ok(UnixTime(-631_152_000)));
    assert_eq!(generalized(b"20000229120000Z"), Ok(UnixTime(951_825_600)));
    assert!(generalized(b"19000229120000Z").is_err(), "not a leap year");
    assert!(utc(b"7001010000Z").is_err(), "no seconds");
    assert!(utc(b"700101000000+0000").is_err(), "offset");
    assert!(generalized(b"20000101000000.5Z").is_err(), "fraction");
    assert!(utc(b"701301000000Z").is_err(), "month 13");
    assert!(utc(b"700101240000Z").is_err(), "hour 24");
    assert!(utc(b"70010100000aZ").is_err());
}

#[test]
fn structures_nest_with_a_bound() {
    // SEQUENCE { INTEGER 3, [0] EXPLICIT OCTET STRING, [1] IMPLICIT primitive }
    let der = [
        0x30, 0x0b, 0x02, 0x01, 0x03, 0xa0, 0x03, 0x04, 0x01, 0xaa, 0x81, 0x01, 0xbb,
    ];
    let (version, octets, implicit) = parse(&der, |r| {
        r.read_sequence(|s| {
            let version = s.u64()?;
            let mut explicit = s.explicit(0)?;
            let octets = explicit.octet_string()?;
            explicit.finish()?;
            let implicit = s.optional_context(1, false)?.map(|tlv| tlv.contents);
            let absent = s.optional_explicit(2)?.is_none();
            assert!(absent);
            Ok((version, octets, implicit))
        })
    })
    .unwrap();
    assert_eq!(
        (version, octets, implicit),
        (3, &[0xaa][..], Some(&[0xbb][..]))
    );
    // The wrong form for the tag is an error, not an absent field.
    assert!(parse(&[0x81, 0x00], |r| r.optional_context(1, true)).is_err());
    // Trailing bytes inside a SEQUENCE.
    assert!(
        parse(&[0x30, 0x03, 0x05, 0x00, 0x00], |r| r
            .read_sequence(Reader::null))
        .is_err()
    );
    // 40 nested SEQUENCEs: refused past MAXIMUM_DEPTH, without recursion.
    let mut deep = vec![0x05, 0x00];
    for _ in 0..40 {
        let length = u8::try_from(deep.len()).unwrap_or(0);
        deep = [&[0x30, length][..], &deep].concat();
    }
    let mut reader = Reader::new(&deep);
    let mut depth = 0;
    let result = loop {
        match reader.sequence() {
            Ok(inner) => {
                depth += 1;
                reader = inner;
            }
            Err(error) => break error,
        }
    };
    assert_eq!(depth, usize::from(MAXIMUM_DEPTH), "{result}");
    let algorithm = [0x30, 0x05, 0x06, 0x01, 0x2a, 0x05, 0x00];
    let read = parse(&algorithm, Reader::algorithm).unwrap();
    assert_eq!(read.parameters.map(|p| p.tag), Some(Tag::NULL));
    assert_eq!(read.whole, algorithm);
    assert!(
        parse(
            &[0x30, 0x07, 0x06, 0x01, 0x2a, 0x05, 0x00, 0x05, 0x00],
            Reader::algorithm
        )
        .is_err()
    );
}

/// Walks every TLV of `input`, reading each primitive of a type the reader knows with its
/// reader, into a trace: what the reader accepts and sees.
fn walk_ours(input: &[u8]) -> Option<Vec<String>> {
    let mut trace = Vec::new();
    let mut stack = vec![Reader::new(input)];
    while let Some(reader) = stack.last_mut() {
        if reader.is_empty() {
            stack.pop();
            continue;
        }
        let before = reader.clone();
        let tlv = reader.tlv().ok()?;
        trace.push(format!("{:?}", tlv.tag));
        if tlv.tag.constructed {
            if stack.len() >= 20 {
                return None;
            }
            let inner = tlv.reader().ok()?;
            stack.push(inner);
            continue;
        }
        let mut one = before;
        let value = match tlv.tag {
            Tag::INTEGER => one.integer().map(|v| format!("{v:?}")),
            Tag::BOOLEAN => one.boolean().map(|v| format!("{v}")),
            Tag::NULL => one.null().map(|()| String::new()),
            Tag::OID => one.oid().map(oid_text),
            Tag::BIT_STRING => one.bit_string().map(|v| format!("{v:?}")),
            Tag::OCTET_STRING => one.octet_string().map(|v| format!("{v:?}")),
            Tag::UTF8_STRING => one.utf8_string().map(str::to_owned),
            Tag::PRINTABLE_STRING => one.printable_string().map(str::to_owned),
            Tag::IA5_STRING => one.ia5_string().map(str::to_owned),
            Tag::BMP_STRING => one.bmp_string(),
            Tag::UTC_TIME | Tag::GENERALIZED_TIME => one.time().map(|t| t.0.to_string()),
            _ => Ok(String::new()),
        };
        trace.push(value.ok()?);
    }
    Some(trace)
}

/// [`walk_ours`] with `der`'s decoders.
fn walk_der(input: &[u8]) -> Option<Vec<String>> {
    use der::asn1::{
        BitStringRef, BmpString, GeneralizedTime, Ia5StringRef, IntRef, Null, ObjectIdentifier,
        OctetStringRef, PrintableStringRef, UtcTime, Utf8StringRef,
    };
    use der::{Decode, Reader as _, Tagged as _};
    let mut trace = Vec::new();
    let mut stack = vec![der::SliceReader::new(input).ok()?];
    while let Some(reader) = stack.last_mut() {
        if reader.is_finished() {
            stack.pop();
            continue;
        }
        let any = der::AnyRef::decode(reader).ok()?;
        let tag = any.tag();
        let ours = parse(&der::Encode::to_der(&any).ok()?, Reader::tlv)
            .ok()?
            .tag;
        trace.push(format!("{ours:?}"));
        if tag.is_constructed() {
            if stack.len() >= 20 {
                return None;
            }
            stack.push(der::SliceReader::new(any.value()).ok()?);
            continue;
        }
        let value = match ours {
            Tag::INTEGER => any
                .decode_as::<IntRef<'_>>()
                .map(|v| format!("{:?}", v.as_bytes())),
            Tag::BOOLEAN => any.decode_as::<bool>().map(|v| format!("{v}")),
            Tag::NULL => any.decode_as::<Null>().map(|_| String::new()),
            Tag::OID => any.decode_as::<ObjectIdentifier>().map(|v| v.to_string()),
            Tag::BIT_STRING => any.decode_as::<BitStringRef<'_>>().and_then(|v| {
                // The one deliberate difference: unused bits must be zero (X.690 11.2.1).
                let unused = v.unused_bits();
                let last = v.raw_bytes().last().copied().unwrap_or(0);
                if last & ((1u8 << unused) - 1) != 0 {
                    return Err(der::Tag::BitString.value_error().into());
                }
                Ok(format!("{:?}", (unused, v.raw_bytes())))
            }),
            Tag::OCTET_STRING => any
                .decode_as::<&OctetStringRef>()
                .map(|v| format!("{:?}", v.as_bytes())),
            Tag::UTF8_STRING => any.decode_as::<Utf8StringRef<'_>>().map(|v| v.to_string()),
            Tag::PRINTABLE_STRING => any
                .decode_as::<PrintableStringRef<'_>>()
                .map(|v| v.to_string()),
            Tag::IA5_STRING => any.decode_as::<Ia5StringRef<'_>>().map(|v| v.to_string()),
            Tag::BMP_STRING => any.decode_as::<BmpString>().map(|v| v.to_string()),
            Tag::UTC_TIME => any
                .decode_as::<UtcTime>()
                .map(|v| v.to_unix_duration().as_secs().to_string()),
            Tag::GENERALIZED_TIME => any
                .decode_as::<GeneralizedTime>()
                .map(|v| v.to_unix_duration().as_secs().to_string()),
            _ => Ok(String::new()),
        };
        trace.push(value.ok()?);
    }
    Some(trace)
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["pkcs12", "keys", "certificate", "crl", "csr"] {
        let Ok(entries) = std::fs::read_dir(root.join("fuzz/corpus").join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            // DER files only (PEM ones start with '-'), and not the huge ones.
            if bytes.first() == Some(&0x30) && bytes.len() < 4096 {
                files.push((path.display().to_string(), bytes));
            }
        }
    }
    files
}

#[test]
fn accepts_and_reads_what_der_does_on_the_corpus_and_every_one_byte_change() {
    let files = corpus();
    assert!(files.len() >= 15, "{} files", files.len());
    let mut compared = 0usize;
    let mut accepted = 0usize;
    for (name, der) in &files {
        assert!(walk_ours(der).is_some(), "{name} reads");
        let mut check = |input: &[u8], what: &dyn Fn() -> String| {
            let (ours, theirs) = (walk_ours(input), walk_der(input));
            assert_eq!(ours, theirs, "{}", what());
            compared += 1;
            accepted += usize::from(ours.is_some());
        };
        for at in 0..der.len() {
            for byte in [0x00, 0x80, 0xff, 0x1f, 0x01] {
                let mut changed = der.clone();
                if let Some(slot) = changed.get_mut(at) {
                    *slot = byte;
                }
                check(&changed, &|| format!("{name} with {byte:#x} at {at}"));
            }
            check(der.get(..at).unwrap_or_default(), &|| {
                format!("{name} cut at {at}")
            });
        }
    }
    assert!(compared > 50_000, "{compared} comparisons");
    assert!(accepted > 5_000, "{accepted} accepted");
}

/// The OID fast paths (`plainly_valid_oid`, `known_object_identifier`) agree with `const-oid`
/// on every content of one to three octets, on arcs of four to seven octets and on each OID of
/// the table.
#[test]
fn oid_fast_paths_agree_with_const_oid() {
    let by_const_oid = |contents: &[u8]| {
        contents.len() <= 39 && const_oid::ObjectIdentifierRef::from_bytes(contents).is_ok()
    };
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for a in 0..=255u8 {
        inputs.push(vec![a]);
        for b in 0..=255u8 {
            inputs.push(vec![a, b]);
            for c in [0x00, 0x01, 0x0e, 0x11, 0x25, 0x36, 0x7f, 0x80, 0x81, 0xff] {
                inputs.push(vec![a, b, c]);
            }
        }
    }
    for run in 3..8 {
        for lead in [0x80, 0x81, 0x8f, 0x90, 0xff] {
            let mut contents = vec![0x2a];
            contents.extend(core::iter::repeat_n(lead, run));
            contents.push(0x01);
            inputs.push(contents);
        }
    }
    for c in 0..=255u8 {
        inputs.push(vec![0x55, 0x1d, c]);
        inputs.push(vec![0x55, 0x04, c]);
        inputs.push(vec![0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, c]);
        inputs.push(vec![0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, c]);
    }
    inputs.push(vec![0x2b; 40]);
    inputs.push(vec![0x2b; 39]);
    let mut known = 0;
    for contents in &inputs {
        assert_eq!(
            valid_oid(contents),
            by_const_oid(contents),
            "{contents:02x?}"
        );
        assert_eq!(
            object_identifier(contents),
            (contents.len() <= 39)
                .then(|| const_oid::ObjectIdentifier::from_bytes(contents).ok())
                .flatten(),
            "{contents:02x?}"
        );
        known += usize::from(known_object_identifier(contents).is_some());
    }
    for oid in [
        "2.5.29.14",
        "2.5.29.37",
        "2.5.29.54",
        "2.5.4.3",
        "2.5.4.14",
        "1.3.6.1.5.5.7.3.1",
        "1.3.6.1.5.5.7.3.9",
        "1.3.6.1.5.5.7.1.1",
    ] {
        let expected = const_oid::ObjectIdentifier::new_unwrap(oid);
        assert_eq!(
            known_object_identifier(expected.as_bytes()),
            Some(expected),
            "{oid}"
        );
    }
    assert!(known >= 46, "{known} known");
    for contents in [&[0x55, 0x1d, 13][..], &[0x55, 0x1d, 38], &[0x55, 0x04, 2]] {
        assert_eq!(known_object_identifier(contents), None, "{contents:02x?}");
    }
}

/// The TLV fast path gives what the general path gives, errors included, on every input of
/// up to four octets and on lengths of one and two octets around their limits.
#[test]
fn tlv_fast_path_agrees_with_the_general_path() {
    let both = |input: &[u8]| {
        let mut fast = Reader::new(input);
        let mut general = Reader::new(input);
        let fast_result = fast.tlv();
        let general_result = general.tlv_general();
        assert_eq!(fast_result, general_result, "{input:02x?}");
        assert_eq!(fast.position, general.position, "{input:02x?}");
    };
    let bytes = [
        0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0e, 0x1f, 0x30, 0x31, 0x3f, 0x40, 0x7f, 0x80, 0x81,
        0x82, 0x83, 0x9f, 0xa0, 0xa3, 0xbf, 0xc0, 0xff,
    ];
    for &a in &bytes {
        both(&[a]);
        for &b in &bytes {
            both(&[a, b]);
            for &c in &bytes {
                both(&[a, b, c]);
                for &d in &bytes {
                    both(&[a, b, c, d]);
                }
            }
        }
    }
    for length in [0x7f_usize, 0x80, 0xff, 0x100, 0x101, 0xffff] {
        for tag in [0x04_u8, 0x30, 0xa0] {
            let mut input = vec![tag];
            match length {
                0..=0x7f => input.push(length as u8),
                0x80..=0xff => input.extend([0x81, length as u8]),
                _ => input.extend([0x82, (length >> 8) as u8, length as u8]),
            }
            for have in [length.saturating_sub(1), length, length + 1] {
                let mut whole = input.clone();
                whole.extend(core::iter::repeat_n(0x55, have));
                both(&whole);
            }
        }
    }
}
