//! Strict DER reading, borrowing the input: one cursor ([`Reader`]) over `&[u8]` and plain
//! functions on it, no trait machinery instantiated per type.
//!
//! What it accepts is what `der` (without its `ber` feature) accepts for the same bytes, which
//! the tests check on the corpora and on every one-byte change and truncation of them:
//!
//! - tags: the universal tags `der` knows (constructed only for SEQUENCE and SET), and the
//!   application, context-specific and private classes with the high-tag-number form when it is
//!   minimal (numbers from 31, no leading 0x80, at most five bytes, fitting a `u32`);
//! - lengths: definite, minimal, at most four length bytes (no indefinite lengths: BER);
//! - values: INTEGER in minimal two's complement, BOOLEAN 0x00 or 0xFF, NULL empty, OBJECT
//!   IDENTIFIER with valid base-128 arcs (as `const-oid` checks them), BIT STRING with 0..7
//!   unused bits that are zero, OCTET STRING primitive only, the times in their DER forms.
//!
//! One deliberate difference from `der`: a BIT STRING's unused bits must be zero (X.690
//! section 11.2.1), which `der` does not check.
//!
//! Nesting is bounded ([`MAXIMUM_DEPTH`]): a reader made by [`Reader::sequence`] and the like is
//! one level deeper than its parent. Nothing here panics or recurses.

#![allow(
    dead_code,
    reason = "the reader's API for the certificates, CRLs, CSRs and keys that move onto it next; its tests use all of it"
)]

use core::fmt;

use crate::{Error, UnixTime};

/// How deep constructed values may nest through one reader.
pub(crate) const MAXIMUM_DEPTH: u8 = 32;

/// The class of a tag (X.690 section 8.1.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Universal,
    Application,
    ContextSpecific,
    Private,
}

/// A decoded tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag {
    pub(crate) class: Class,
    pub(crate) constructed: bool,
    pub(crate) number: u32,
}

impl Tag {
    /// A universal primitive tag.
    pub(crate) const fn universal(number: u32) -> Self {
        Self {
            class: Class::Universal,
            constructed: false,
            number,
        }
    }
    /// A context-specific tag `[number]`.
    pub(crate) const fn context(number: u32, constructed: bool) -> Self {
        Self {
            class: Class::ContextSpecific,
            constructed,
            number,
        }
    }
    pub(crate) const BOOLEAN: Self = Self::universal(1);
    pub(crate) const INTEGER: Self = Self::universal(2);
    pub(crate) const BIT_STRING: Self = Self::universal(3);
    pub(crate) const OCTET_STRING: Self = Self::universal(4);
    pub(crate) const NULL: Self = Self::universal(5);
    pub(crate) const OID: Self = Self::universal(6);
    pub(crate) const UTF8_STRING: Self = Self::universal(12);
    pub(crate) const PRINTABLE_STRING: Self = Self::universal(19);
    pub(crate) const IA5_STRING: Self = Self::universal(22);
    pub(crate) const UTC_TIME: Self = Self::universal(23);
    pub(crate) const GENERALIZED_TIME: Self = Self::universal(24);
    pub(crate) const BMP_STRING: Self = Self::universal(30);
    pub(crate) const SEQUENCE: Self = Self {
        class: Class::Universal,
        constructed: true,
        number: 16,
    };
    pub(crate) const SET: Self = Self {
        class: Class::Universal,
        constructed: true,
        number: 17,
    };
}

/// Why reading failed: what was expected, at which byte of the outermost input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DerError {
    pub(crate) offset: usize,
    pub(crate) expected: &'static str,
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.offset)
    }
}

impl DerError {
    /// The core's error for `structure`: [`Error::InvalidDer`], the code `der` errors map to.
    pub(crate) fn into_error(self, structure: &'static str) -> Error {
        Error::InvalidDer {
            structure,
            detail: self.to_string(),
        }
    }
}

/// Results of reading.
pub(crate) type Result<T> = core::result::Result<T, DerError>;

/// One TLV: its tag, its contents and the whole encoding, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: Tag,
    pub(crate) contents: &'a [u8],
    /// Tag, length and contents.
    pub(crate) whole: &'a [u8],
    /// Where the contents start in the outermost input.
    pub(crate) offset: usize,
    depth: u8,
}

impl<'a> Tlv<'a> {
    /// A reader over the contents (for a constructed value or an EXPLICIT tag).
    pub(crate) fn reader(&self) -> Result<Reader<'a>> {
        Reader::nested(self.contents, self.offset, self.depth)
    }

    /// How deeply the TLV is nested in the input it was read from (kept by [`Tlv::rebuilt`]).
    pub(crate) fn depth(&self) -> u8 {
        self.depth
    }

    /// A TLV read before, from its parts: for callers that keep positions in a DER they own
    /// instead of borrowed values (the verifier's certificates), so as not to read it again.
    pub(crate) fn rebuilt(
        tag: Tag,
        contents: &'a [u8],
        whole: &'a [u8],
        offset: usize,
        depth: u8,
    ) -> Self {
        Self {
            tag,
            contents,
            whole,
            offset,
            depth,
        }
    }
}

/// An AlgorithmIdentifier, borrowed: the OID's content bytes and the parameters' TLV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AlgorithmIdentifier<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) parameters: Option<Tlv<'a>>,
    /// The whole SEQUENCE.
    pub(crate) whole: &'a [u8],
}

impl AlgorithmIdentifier<'_> {
    /// Whether the OID is `oid`.
    pub(crate) fn is(&self, oid: &const_oid::ObjectIdentifier) -> bool {
        self.oid == oid.as_bytes()
    }

    /// The OID in dotted form, for messages.
    pub(crate) fn oid_text(&self) -> String {
        oid_text(self.oid)
    }
}

/// Reads all of `input` with `read` (trailing bytes are an error).
pub(crate) fn parse<'a, T>(
    input: &'a [u8],
    read: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> Result<T> {
    let mut reader = Reader::new(input);
    let value = read(&mut reader)?;
    reader.finish()?;
    Ok(value)
}

/// A cursor over DER.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    position: usize,
    /// Where `input` starts in the outermost input, for error offsets.
    base: usize,
    depth: u8,
}

impl<'a> Reader<'a> {
    /// A reader over `input`, at depth 0.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            position: 0,
            base: 0,
            depth: 0,
        }
    }

    fn nested(input: &'a [u8], base: usize, depth: u8) -> Result<Self> {
        if depth >= MAXIMUM_DEPTH {
            return Err(DerError {
                offset: base,
                expected: "less deeply nested values",
            });
        }
        Ok(Self {
            input,
            position: 0,
            base,
            depth: depth + 1,
        })
    }

    /// The error `expected` at the current position.
    pub(crate) fn error(&self, expected: &'static str) -> DerError {
        DerError {
            offset: self.base + self.position,
            expected,
        }
    }

    /// Whether every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.position >= self.input.len()
    }

    /// Fails when bytes are left.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error("the end of the value (trailing bytes)"))
        }
    }

    fn byte(&mut self, expected: &'static str) -> Result<u8> {
        let byte = *self
            .input
            .get(self.position)
            .ok_or_else(|| self.error(expected))?;
        self.position += 1;
        Ok(byte)
    }

    /// The tag at the cursor and the number of bytes it takes, without moving.
    fn tag_at(&self) -> Result<(Tag, usize)> {
        if cfg!(not(target_arch = "wasm32"))
            && let Some(tag) = self
                .input
                .get(self.position)
                .copied()
                .and_then(one_byte_tag)
        {
            return Ok((tag, 1));
        }
        self.tag_at_general()
    }

    /// [`Reader::tag_at`] for every form (errors included).
    fn tag_at_general(&self) -> Result<(Tag, usize)> {
        let mut peek = Self {
            input: self.input,
            position: self.position,
            base: self.base,
            depth: self.depth,
        };
        let first = peek.byte("a tag")?;
        let class = match first >> 6 {
            0 => Class::Universal,
            1 => Class::Application,
            2 => Class::ContextSpecific,
            _ => Class::Private,
        };
        let constructed = first & 0x20 != 0;
        let low = u32::from(first & 0x1f);
        if class == Class::Universal {
            let known = matches!(
                first,
                0x30 | 0x31 | 0x01..=0x06 | 0x09 | 0x0a | 0x0c | 0x0d | 0x12..=0x18 | 0x1a | 0x1b | 0x1e
            );
            if !known {
                return Err(self.error("a known universal tag"));
            }
            return Ok((
                Tag {
                    class,
                    constructed,
                    number: low,
                },
                1,
            ));
        }
        if low != 0x1f {
            let tag = Tag {
                class,
                constructed,
                number: low,
            };
            return Ok((tag, 1));
        }
        // High-tag-number form: base-128, minimal, at most five bytes, at least 31.
        let mut number = 0u32;
        for index in 0..5 {
            let byte = peek.byte("the rest of a tag")?;
            number |= u32::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                if number < 0x1f {
                    return Err(self.error("a minimally encoded tag number"));
                }
                let tag = Tag {
                    class,
                    constructed,
                    number,
                };
                return Ok((tag, peek.position - self.position));
            }
            if index == 0 && number == 0 {
                return Err(self.error("a minimally encoded tag number"));
            }
            if number.leading_zeros() < 7 {
                return Err(self.error("a tag number that fits 32 bits"));
            }
            number <<= 7;
        }
        Err(self.error("a tag number of at most five bytes"))
    }

    /// The next tag, or `None` at the end; an invalid tag is an error.
    pub(crate) fn peek_tag(&self) -> Result<Option<Tag>> {
        if self.is_empty() {
            return Ok(None);
        }
        self.tag_at().map(|(tag, _)| Some(tag))
    }

    /// Reads the next TLV, whatever its tag.
    pub(crate) fn tlv(&mut self) -> Result<Tlv<'a>> {
        // The usual case first: a one-byte tag, a length of at most two bytes, the contents
        // there. Anything else (errors included) takes the general path below.
        let start = self.position;
        // (native code only, like the other fast paths of this file: the WebAssembly module
        // keeps the smaller general code, its verifications being dominated by the pure-Rust
        // signature arithmetic)
        if cfg!(not(target_arch = "wasm32"))
            && let Some(&[first, length]) = self.input.get(start..start.wrapping_add(2))
        {
            if let Some(tag) = one_byte_tag(first) {
                let (length, header) = match length {
                    short @ 0..=0x7f => (Some(usize::from(short)), 2),
                    0x81 => match self.input.get(start.wrapping_add(2)) {
                        Some(&byte) if byte >= 0x80 => (Some(usize::from(byte)), 3),
                        _ => (None, 0),
                    },
                    0x82 => match self.input.get(start.wrapping_add(2)..start.wrapping_add(4)) {
                        Some(&[high, low]) if high != 0 => {
                            (Some(usize::from(high) << 8 | usize::from(low)), 4)
                        }
                        _ => (None, 0),
                    },
                    _ => (None, 0),
                };
                if let Some(length) = length {
                    let contents_start = start + header;
                    let end = contents_start.wrapping_add(length);
                    if let (Some(contents), Some(whole)) = (
                        self.input.get(contents_start..end),
                        self.input.get(start..end),
                    ) {
                        self.position = end;
                        return Ok(Tlv {
                            tag,
                            contents,
                            whole,
                            offset: self.base + contents_start,
                            depth: self.depth,
                        });
                    }
                }
            }
        }
        self.tlv_general()
    }

    /// [`Reader::tlv`] for every form (errors included).
    fn tlv_general(&mut self) -> Result<Tlv<'a>> {
        let start = self.position;
        let (tag, tag_length) = self.tag_at()?;
        self.position += tag_length;
        let length = match self.byte("a length")? {
            short @ 0..=0x7f => usize::from(short),
            0x80 => return Err(self.error("a definite length (indefinite lengths are BER)")),
            long @ 0x81..=0x84 => {
                let count = usize::from(long - 0x80);
                let mut value = 0usize;
                for _ in 0..count {
                    value = (value << 8) | usize::from(self.byte("the rest of a length")?);
                }
                let minimal = match count {
                    1 => value >= 0x80,
                    _ => value >> (8 * (count - 1)) != 0,
                };
                if !minimal {
                    return Err(self.error("a minimally encoded length"));
                }
                value
            }
            _ => return Err(self.error("a length of at most four bytes")),
        };
        let contents_start = self.position;
        let end = contents_start
            .checked_add(length)
            .filter(|&end| end <= self.input.len())
            .ok_or_else(|| self.error("as many content bytes as the length says"))?;
        self.position = end;
        let (Some(contents), Some(whole)) = (
            self.input.get(contents_start..end),
            self.input.get(start..end),
        ) else {
            return Err(self.error("as many content bytes as the length says"));
        };
        Ok(Tlv {
            tag,
            contents,
            whole,
            offset: self.base + contents_start,
            depth: self.depth,
        })
    }

    /// Reads a TLV that must have tag `tag`; `expected` names it in the error.
    pub(crate) fn expect(&mut self, tag: Tag, expected: &'static str) -> Result<Tlv<'a>> {
        let before = self.position;
        let tlv = self.tlv()?;
        if tlv.tag != tag {
            self.position = before;
            return Err(self.error(expected));
        }
        Ok(tlv)
    }

    /// The contents of a TLV with tag `tag`.
    pub(crate) fn contents(&mut self, tag: Tag, expected: &'static str) -> Result<&'a [u8]> {
        self.expect(tag, expected).map(|tlv| tlv.contents)
    }

    /// The TLV with tag `tag` if it comes next (the next tag must be valid), else `None`.
    pub(crate) fn optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>> {
        match self.peek_tag()? {
            Some(next) if next == tag => self.tlv().map(Some),
            _ => Ok(None),
        }
    }

    /// A SEQUENCE's contents as a nested reader.
    pub(crate) fn sequence(&mut self) -> Result<Reader<'a>> {
        self.expect(Tag::SEQUENCE, "a SEQUENCE")?.reader()
    }

    /// A SET's (or SET OF's) contents as a nested reader.
    pub(crate) fn set(&mut self) -> Result<Reader<'a>> {
        self.expect(Tag::SET, "a SET")?.reader()
    }

    /// The contents of `[number] EXPLICIT` (constructed) as a nested reader.
    pub(crate) fn explicit(&mut self, number: u32) -> Result<Reader<'a>> {
        self.expect(
            Tag::context(number, true),
            "an EXPLICIT context-specific tag",
        )?
        .reader()
    }

    /// The context-specific TLV `[number]` when one comes next (whatever its constructed bit),
    /// else `None`; it must then be `constructed` (DER: an IMPLICIT tag keeps the base
    /// encoding's form, an EXPLICIT one is constructed).
    pub(crate) fn optional_context(
        &mut self,
        number: u32,
        constructed: bool,
    ) -> Result<Option<Tlv<'a>>> {
        match self.peek_tag()? {
            Some(tag) if tag.class == Class::ContextSpecific && tag.number == number => {
                let tlv = self.tlv()?;
                if tlv.tag.constructed != constructed {
                    return Err(DerError {
                        offset: tlv.offset,
                        expected: "a context-specific tag of the right form",
                    });
                }
                Ok(Some(tlv))
            }
            _ => Ok(None),
        }
    }

    /// [`Reader::explicit`] when the tag comes next, else `None`.
    pub(crate) fn optional_explicit(&mut self, number: u32) -> Result<Option<Reader<'a>>> {
        self.optional_context(number, true)?
            .map(|tlv| tlv.reader())
            .transpose()
    }

    /// An `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY
    /// OPTIONAL }` (RFC 5280 section 4.1.1.2).
    pub(crate) fn algorithm(&mut self) -> Result<AlgorithmIdentifier<'a>> {
        let whole = self.expect(Tag::SEQUENCE, "an AlgorithmIdentifier (SEQUENCE)")?;
        let mut inner = whole.reader()?;
        let oid = inner.oid()?;
        let parameters = match inner.is_empty() {
            true => None,
            false => Some(inner.tlv()?),
        };
        inner.finish()?;
        Ok(AlgorithmIdentifier {
            oid,
            parameters,
            whole: whole.whole,
        })
    }

    /// A whole sequence read by `read`, which must consume it.
    pub(crate) fn read_sequence<T>(
        &mut self,
        read: impl FnOnce(&mut Reader<'a>) -> Result<T>,
    ) -> Result<T> {
        let mut inner = self.sequence()?;
        let value = read(&mut inner)?;
        inner.finish()?;
        Ok(value)
    }

    /// An INTEGER's contents (minimal two's complement, at least one byte).
    pub(crate) fn integer(&mut self) -> Result<&'a [u8]> {
        let tlv = self.expect(Tag::INTEGER, "an INTEGER")?;
        integer_contents(tlv.contents).ok_or(DerError {
            offset: tlv.offset,
            expected: "a minimally encoded INTEGER",
        })
    }

    /// A non-negative INTEGER as unsigned big-endian bytes without the sign byte.
    pub(crate) fn unsigned(&mut self) -> Result<&'a [u8]> {
        let offset = self.base + self.position;
        let bytes = self.integer()?;
        match bytes {
            [first, ..] if first & 0x80 != 0 => Err(DerError {
                offset,
                expected: "a non-negative INTEGER",
            }),
            [0, rest @ ..] if !rest.is_empty() => Ok(rest),
            _ => Ok(bytes),
        }
    }

    /// A non-negative INTEGER that fits a `u64`.
    pub(crate) fn u64(&mut self) -> Result<u64> {
        let offset = self.base + self.position;
        let bytes = self.unsigned()?;
        let array: [u8; 8] = left_pad(bytes).ok_or(DerError {
            offset,
            expected: "an INTEGER that fits 64 bits",
        })?;
        Ok(u64::from_be_bytes(array))
    }

    /// A non-negative INTEGER that fits a `u32`.
    pub(crate) fn u32(&mut self) -> Result<u32> {
        let offset = self.base + self.position;
        let value = self.u64()?;
        u32::try_from(value).map_err(|_| DerError {
            offset,
            expected: "an INTEGER that fits 32 bits",
        })
    }

    /// A non-negative INTEGER that fits a `u16`.
    pub(crate) fn u16(&mut self) -> Result<u16> {
        let offset = self.base + self.position;
        let value = self.u64()?;
        u16::try_from(value).map_err(|_| DerError {
            offset,
            expected: "an INTEGER that fits 16 bits",
        })
    }

    /// An INTEGER that fits an `i32`.
    pub(crate) fn i32(&mut self) -> Result<i32> {
        let offset = self.base + self.position;
        let bytes = self.integer()?;
        let error = DerError {
            offset,
            expected: "an INTEGER that fits 32 bits",
        };
        if bytes.len() > 4 {
            return Err(error);
        }
        let fill = match bytes.first() {
            Some(first) if first & 0x80 != 0 => 0xff,
            _ => 0,
        };
        let mut array = [fill; 4];
        let start = 4 - bytes.len();
        array.get_mut(start..).ok_or(error)?.copy_from_slice(bytes);
        Ok(i32::from_be_bytes(array))
    }

    /// A BOOLEAN (DER: 0x00 or 0xFF).
    pub(crate) fn boolean(&mut self) -> Result<bool> {
        let tlv = self.expect(Tag::BOOLEAN, "a BOOLEAN")?;
        match tlv.contents {
            [0x00] => Ok(false),
            [0xff] => Ok(true),
            _ => Err(DerError {
                offset: tlv.offset,
                expected: "a BOOLEAN of 0x00 or 0xFF",
            }),
        }
    }

    /// A NULL.
    pub(crate) fn null(&mut self) -> Result<()> {
        let tlv = self.expect(Tag::NULL, "a NULL")?;
        if tlv.contents.is_empty() {
            Ok(())
        } else {
            Err(DerError {
                offset: tlv.offset,
                expected: "an empty NULL",
            })
        }
    }

    /// An OBJECT IDENTIFIER's content bytes, checked to be valid base-128 arcs.
    pub(crate) fn oid(&mut self) -> Result<&'a [u8]> {
        let tlv = self.expect(Tag::OID, "an OBJECT IDENTIFIER")?;
        if valid_oid(tlv.contents) {
            Ok(tlv.contents)
        } else {
            Err(DerError {
                offset: tlv.offset,
                expected: "a valid OBJECT IDENTIFIER",
            })
        }
    }

    /// An OBJECT IDENTIFIER as `const-oid`'s type (the checks of [`Reader::oid`]).
    pub(crate) fn object_identifier(&mut self) -> Result<const_oid::ObjectIdentifier> {
        let tlv = self.expect(Tag::OID, "an OBJECT IDENTIFIER")?;
        object_identifier(tlv.contents).ok_or(DerError {
            offset: tlv.offset,
            expected: "a valid OBJECT IDENTIFIER",
        })
    }

    /// A BIT STRING: the number of unused bits (0..=7, zero in DER) and the bytes.
    pub(crate) fn bit_string(&mut self) -> Result<(u8, &'a [u8])> {
        let tlv = self.expect(Tag::BIT_STRING, "a BIT STRING")?;
        let error = DerError {
            offset: tlv.offset,
            expected: "a DER BIT STRING (0..7 unused bits, set to zero)",
        };
        let (&unused, bytes) = tlv.contents.split_first().ok_or(error)?;
        let padding_ok = match bytes.last() {
            None => unused == 0,
            Some(last) => unused <= 7 && last & ((1u8 << unused) - 1) == 0,
        };
        if !padding_ok {
            return Err(error);
        }
        Ok((unused, bytes))
    }

    /// A BIT STRING as `der` reads one: 0..=7 unused bits (none when empty), whatever the
    /// padding bits are. For the structures read today as `der` did (a SubjectPublicKeyInfo's
    /// key: the verifier refuses keys with unused bits itself).
    pub(crate) fn bit_string_any_padding(&mut self) -> Result<(u8, &'a [u8])> {
        let tlv = self.expect(Tag::BIT_STRING, "a BIT STRING")?;
        let error = DerError {
            offset: tlv.offset,
            expected: "a BIT STRING (0..7 unused bits)",
        };
        let (&unused, bytes) = tlv.contents.split_first().ok_or(error)?;
        if unused > 7 || (unused != 0 && bytes.is_empty()) {
            return Err(error);
        }
        Ok((unused, bytes))
    }

    /// An OCTET STRING (primitive: DER).
    pub(crate) fn octet_string(&mut self) -> Result<&'a [u8]> {
        self.contents(Tag::OCTET_STRING, "an OCTET STRING")
    }

    /// A UTF8String.
    pub(crate) fn utf8_string(&mut self) -> Result<&'a str> {
        let tlv = self.expect(Tag::UTF8_STRING, "a UTF8String")?;
        core::str::from_utf8(tlv.contents).map_err(|_| DerError {
            offset: tlv.offset,
            expected: "valid UTF-8",
        })
    }

    /// A PrintableString.
    pub(crate) fn printable_string(&mut self) -> Result<&'a str> {
        let printable = |byte: &u8| byte.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(byte);
        self.ascii(Tag::PRINTABLE_STRING, "a PrintableString", printable)
    }

    /// An IA5String.
    pub(crate) fn ia5_string(&mut self) -> Result<&'a str> {
        self.ascii(Tag::IA5_STRING, "an IA5String", u8::is_ascii)
    }

    fn ascii(
        &mut self,
        tag: Tag,
        expected: &'static str,
        allowed: impl Fn(&u8) -> bool,
    ) -> Result<&'a str> {
        let tlv = self.expect(tag, expected)?;
        let error = DerError {
            offset: tlv.offset,
            expected,
        };
        if !tlv.contents.iter().all(allowed) {
            return Err(error);
        }
        core::str::from_utf8(tlv.contents).map_err(|_| error)
    }

    /// A BMPString (UCS-2 big-endian, no surrogates) as a `String`.
    pub(crate) fn bmp_string(&mut self) -> Result<String> {
        let tlv = self.expect(Tag::BMP_STRING, "a BMPString")?;
        bmp_to_string(tlv.contents).ok_or(DerError {
            offset: tlv.offset,
            expected: "a BMPString of UCS-2 characters",
        })
    }

    /// A UTCTime or GeneralizedTime in its DER form (`YYMMDDHHMMSSZ`, years 1950 to 2049;
    /// `YYYYMMDDHHMMSSZ`).
    pub(crate) fn time(&mut self) -> Result<UnixTime> {
        let tlv = self.tlv()?;
        let parsed = match tlv.tag {
            Tag::UTC_TIME => parse_time(tlv.contents, false),
            Tag::GENERALIZED_TIME => parse_time(tlv.contents, true),
            _ => None,
        };
        parsed.ok_or(DerError {
            offset: tlv.offset,
            expected: "a UTCTime or GeneralizedTime in DER form",
        })
    }
}

/// An INTEGER's contents if they are minimal two's complement.
fn integer_contents(contents: &[u8]) -> Option<&[u8]> {
    match contents {
        [] => None,
        [0x00, next, ..] if next & 0x80 == 0 => None,
        [0xff, next, ..] if next & 0x80 != 0 => None,
        _ => Some(contents),
    }
}

/// Unsigned big-endian `bytes` right-aligned in `N` bytes, or `None` when longer.
fn left_pad<const N: usize>(bytes: &[u8]) -> Option<[u8; N]> {
    let mut array = [0u8; N];
    let start = N.checked_sub(bytes.len())?;
    array.get_mut(start..)?.copy_from_slice(bytes);
    Some(array)
}

/// Whether `contents` are a valid OBJECT IDENTIFIER as `der` reads one (`const-oid`'s rules:
/// terminated base-128 arcs that fit 32 bits, at most 39 bytes; like `der`, an arc starting
/// with 0x80 is not refused).
pub(crate) fn valid_oid(contents: &[u8]) -> bool {
    contents.len() <= 39
        && ((cfg!(not(target_arch = "wasm32")) && plainly_valid_oid(contents))
            || const_oid::ObjectIdentifierRef::from_bytes(contents).is_ok())
}

/// Whether `contents` are an OID `const-oid` accepts, shown without it for the usual shape:
/// a first octet below 120 (the two root arcs: at most 2 and 39), then arcs of at most five
/// octets, the last one terminated. `false` means "ask `const-oid`", not "invalid" (it also
/// refuses some longer arcs, by its own rules: those go to it).
fn plainly_valid_oid(contents: &[u8]) -> bool {
    let Some((&root, rest)) = contents.split_first() else {
        return false;
    };
    if root >= 120 {
        return false;
    }
    let mut continued = 0u8;
    for &byte in rest {
        if byte & 0x80 == 0 {
            continued = 0;
        } else {
            continued += 1;
            if continued >= 5 {
                return false;
            }
        }
    }
    continued == 0
}

/// The owned OIDs certificates carry on nearly every path (extension types, name attribute
/// types, key purposes), matched on their contents before `const-oid` parses anything: the
/// same value `const_oid::ObjectIdentifier::from_bytes` gives.
fn known_object_identifier(contents: &[u8]) -> Option<const_oid::ObjectIdentifier> {
    use const_oid::ObjectIdentifier as Oid;
    const CE: [Oid; 24] = [
        Oid::new_unwrap("2.5.29.14"),
        Oid::new_unwrap("2.5.29.15"),
        Oid::new_unwrap("2.5.29.16"),
        Oid::new_unwrap("2.5.29.17"),
        Oid::new_unwrap("2.5.29.18"),
        Oid::new_unwrap("2.5.29.19"),
        Oid::new_unwrap("2.5.29.20"),
        Oid::new_unwrap("2.5.29.21"),
        Oid::new_unwrap("2.5.29.22"),
        Oid::new_unwrap("2.5.29.23"),
        Oid::new_unwrap("2.5.29.24"),
        Oid::new_unwrap("2.5.29.25"),
        Oid::new_unwrap("2.5.29.26"),
        Oid::new_unwrap("2.5.29.27"),
        Oid::new_unwrap("2.5.29.28"),
        Oid::new_unwrap("2.5.29.29"),
        Oid::new_unwrap("2.5.29.30"),
        Oid::new_unwrap("2.5.29.31"),
        Oid::new_unwrap("2.5.29.32"),
        Oid::new_unwrap("2.5.29.33"),
        Oid::new_unwrap("2.5.29.34"),
        Oid::new_unwrap("2.5.29.35"),
        Oid::new_unwrap("2.5.29.36"),
        Oid::new_unwrap("2.5.29.37"),
    ];
    const AT: [Oid; 12] = [
        Oid::new_unwrap("2.5.4.3"),
        Oid::new_unwrap("2.5.4.4"),
        Oid::new_unwrap("2.5.4.5"),
        Oid::new_unwrap("2.5.4.6"),
        Oid::new_unwrap("2.5.4.7"),
        Oid::new_unwrap("2.5.4.8"),
        Oid::new_unwrap("2.5.4.9"),
        Oid::new_unwrap("2.5.4.10"),
        Oid::new_unwrap("2.5.4.11"),
        Oid::new_unwrap("2.5.4.12"),
        Oid::new_unwrap("2.5.4.13"),
        Oid::new_unwrap("2.5.4.14"),
    ];
    const KP: [Oid; 9] = [
        Oid::new_unwrap("1.3.6.1.5.5.7.3.1"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.2"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.3"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.4"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.5"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.6"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.7"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.8"),
        Oid::new_unwrap("1.3.6.1.5.5.7.3.9"),
    ];
    const AUTHORITY_INFO_ACCESS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.1");
    const INHIBIT_ANY_POLICY: Oid = Oid::new_unwrap("2.5.29.54");
    match *contents {
        [0x55, 0x1d, 54] => Some(INHIBIT_ANY_POLICY),
        [0x55, 0x1d, number] => CE.get(usize::from(number).checked_sub(14)?).copied(),
        [0x55, 0x04, number] => AT.get(usize::from(number).checked_sub(3)?).copied(),
        [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, number] => {
            KP.get(usize::from(number).checked_sub(1)?).copied()
        }
        [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01] => Some(AUTHORITY_INFO_ACCESS),
        _ => None,
    }
}

/// A one-byte tag in the low-tag-number form that needs no further check (a universal tag
/// must be one the reader knows), or `None` (then [`Reader::tag_at_general`] decides).
#[inline]
fn one_byte_tag(first: u8) -> Option<Tag> {
    let number = first & 0x1f;
    if number == 0x1f {
        return None;
    }
    let class = match first >> 6 {
        0 => {
            let known = matches!(
                first,
                0x30 | 0x31 | 0x01..=0x06 | 0x09 | 0x0a | 0x0c | 0x0d | 0x12..=0x18 | 0x1a | 0x1b | 0x1e
            );
            if !known {
                return None;
            }
            Class::Universal
        }
        1 => Class::Application,
        2 => Class::ContextSpecific,
        _ => Class::Private,
    };
    Some(Tag {
        class,
        constructed: first & 0x20 != 0,
        number: u32::from(number),
    })
}

/// `contents` as `const-oid`'s type when they are a valid OBJECT IDENTIFIER ([`valid_oid`]).
pub(crate) fn object_identifier(contents: &[u8]) -> Option<const_oid::ObjectIdentifier> {
    // `valid_oid`'s rules, `const-oid` parsing once (the owned type holds up to 39 octets)
    if contents.len() > 39 {
        return None;
    }
    // (native code only: the table would add to the WebAssembly module, whose verifications
    // are dominated by the pure-Rust signature arithmetic anyway)
    if cfg!(not(target_arch = "wasm32"))
        && let Some(known) = known_object_identifier(contents)
    {
        return Some(known);
    }
    const_oid::ObjectIdentifier::from_bytes(contents).ok()
}

/// An OID's dotted form for messages.
pub(crate) fn oid_text(contents: &[u8]) -> String {
    match const_oid::ObjectIdentifierRef::from_bytes(contents) {
        Ok(oid) => oid.to_string(),
        Err(_) => "an invalid OID".to_owned(),
    }
}

/// UCS-2 big-endian to a `String`; `None` for an odd length or a surrogate.
pub(crate) fn bmp_to_string(bytes: &[u8]) -> Option<String> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| {
            let unit = u16::from_be_bytes([*pair.first()?, *pair.get(1)?]);
            // UCS-2: no surrogates, and U+FFFF is not a character (as `der` reads it).
            char::from_u32(u32::from(unit)).filter(|&c| c != '\u{ffff}')
        })
        .collect()
}

fn parse_time(contents: &[u8], generalized: bool) -> Option<UnixTime> {
    let (zone, digits) = contents.split_last()?;
    if *zone != b'Z' || digits.len() != if generalized { 14 } else { 12 } {
        return None;
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |range: core::ops::Range<usize>| -> Option<i64> {
        digits.get(range)?.iter().try_fold(0i64, |total, digit| {
            Some(total * 10 + i64::from(digit - b'0'))
        })
    };
    let (year, rest) = if generalized {
        (number(0..4)?, 4)
    } else {
        let short = number(0..2)?;
        (
            if short >= 50 {
                1900 + short
            } else {
                2000 + short
            },
            2,
        )
    };
    let month = number(rest..rest + 2)?;
    let day = number(rest + 2..rest + 4)?;
    let hour = number(rest + 4..rest + 6)?;
    let minute = number(rest + 6..rest + 8)?;
    let second = number(rest + 8..rest + 10)?;
    let days_in_month = crate::time::days_in_month(year, month)?;
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = crate::time::days_from_civil(year, month, day);
    Some(UnixTime(
        days * 86_400 + hour * 3_600 + minute * 60 + second,
    ))
}

#[cfg(test)]
mod tests;
