//! Pretty JSON, byte for byte as `serde_json::to_writer_pretty` writes it (two-space indent,
//! `": "` after keys, the same string escapes), for the reports `mtlskit inspect --json`
//! streams: a trust bundle is a megabyte of JSON, and serde_json's pretty printer spent a
//! fifth of the whole process on it (BENCHMARKS.md "Inspection"), mostly escaping strings one
//! byte at a time and writing indentation two spaces at a time. Here a string is checked
//! eight bytes at a time and copied whole when nothing in it needs escaping, and a line's
//! indentation is one write.
//!
//! Integers are written as serde_json writes them (decimal); floats, which no report has, are
//! handed to serde_json. Map keys must be strings (or characters, or unit variants), as the
//! reports' are. The tests below compare the output with serde_json's on every kind of value.

use std::io::Write;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// `serde_json::Error`: the same error type as the serde_json code this replaces.
type Error = serde_json::Error;
type Result<T = ()> = std::result::Result<T, Error>;

/// Writes `value` as pretty JSON to `out` (without a final newline, as serde_json).
pub fn to_writer_pretty<W: Write, T: ?Sized + Serialize>(out: W, value: &T) -> Result {
    let mut serializer = Pretty {
        out,
        buffer: Vec::with_capacity(FLUSH_AT + 4096),
        depth: 0,
        has_value: false,
    };
    // What was written before an error still reaches the writer, as through a `BufWriter`.
    let serialized = value.serialize(&mut serializer);
    let flushed = serializer.flush();
    serialized.and(flushed)
}

/// The JSON is gathered in a vector and handed to the writer in pieces of about this size:
/// appending to a vector is cheaper than a `Write` call per token (a certificate's report
/// has a few hundred).
const FLUSH_AT: usize = 64 * 1024;

/// A newline followed by the deepest indentation written in one piece.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of bounds fails the build"
)]
const NEWLINE_AND_INDENT: [u8; 129] = {
    let mut bytes = [b' '; 129];
    bytes[0] = b'\n';
    bytes
};

/// The serializer: serde_json's `PrettyFormatter` state (depth and whether the current
/// object or array has a value yet), around the output and its buffer.
struct Pretty<W> {
    out: W,
    buffer: Vec<u8>,
    depth: usize,
    has_value: bool,
}

impl<W: Write> Pretty<W> {
    fn write(&mut self, bytes: &[u8]) -> Result {
        self.buffer.extend_from_slice(bytes);
        self.maybe_flush()
    }

    /// Hands the buffer to the writer once it holds [`FLUSH_AT`] bytes.
    fn maybe_flush(&mut self) -> Result {
        if self.buffer.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result {
        let written = self.out.write_all(&self.buffer).map_err(Error::io);
        self.buffer.clear();
        written
    }

    /// A newline and the indentation of the current depth.
    fn newline(&mut self) -> Result {
        let mut spaces = self.depth.saturating_mul(2);
        let first = spaces.min(NEWLINE_AND_INDENT.len() - 1);
        self.buffer
            .extend_from_slice(NEWLINE_AND_INDENT.get(..=first).unwrap_or(b"\n"));
        spaces -= first;
        while spaces > 0 {
            let more = spaces.min(NEWLINE_AND_INDENT.len() - 1);
            self.buffer
                .extend_from_slice(NEWLINE_AND_INDENT.get(1..=more).unwrap_or_default());
            spaces -= more;
        }
        self.maybe_flush()
    }

    fn begin(&mut self, bracket: &[u8]) -> Result {
        self.depth += 1;
        self.has_value = false;
        self.write(bracket)
    }

    fn end(&mut self, bracket: &[u8]) -> Result {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.newline()?;
        }
        self.write(bracket)
    }

    /// Before an array element or an object key.
    fn begin_element(&mut self, first: bool) -> Result {
        if !first {
            self.buffer.push(b',');
        }
        self.newline()
    }

    fn string(&mut self, text: &str) -> Result {
        self.buffer.reserve(text.len() + 2);
        self.buffer.push(b'"');
        escape_into(&mut self.buffer, text.as_bytes());
        self.buffer.push(b'"');
        self.maybe_flush()
    }

    fn integer(&mut self, value: impl itoa::Integer) -> Result {
        let mut buffer = itoa::Buffer::new();
        let text = buffer.format(value);
        self.write(text.as_bytes())
    }

    fn float<T: Serialize>(&mut self, value: T) -> Result {
        // A number on its own is the same compact or pretty.
        serde_json::to_writer(&mut self.buffer, &value)?;
        self.maybe_flush()
    }

    /// An object or array started; `Some(0)` elements closes it at once, as serde_json does.
    fn compound(&mut self, length: Option<usize>, brackets: [&[u8]; 2]) -> Result<Compound<'_, W>> {
        self.begin(brackets[0])?;
        let state = if length == Some(0) {
            self.end(brackets[1])?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound {
            serializer: self,
            state,
        })
    }

    /// `{"variant": ` before the value of an externally tagged enum variant.
    fn begin_variant(&mut self, variant: &str) -> Result {
        self.begin(b"{")?;
        self.begin_element(true)?;
        self.string(variant)?;
        self.write(b": ")
    }

    /// The `}` after a variant's value.
    fn end_variant(&mut self) -> Result {
        self.has_value = true;
        self.end(b"}")
    }
}

/// [`escape_into`], for the proxy's access log.
#[cfg(feature = "proxy")]
pub(crate) fn escape_into_vec(out: &mut Vec<u8>, bytes: &[u8]) {
    escape_into(out, bytes);
}

/// Appends the JSON string contents of `bytes` (valid UTF-8) to `out`: quotes, backslashes
/// and control characters escaped as serde_json escapes them, everything else as is.
#[inline]
fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    match first_to_escape(bytes) {
        // most strings: copied whole
        None => out.extend_from_slice(bytes),
        Some(first) => escape_from(out, bytes, first),
    }
}

/// [`escape_into`] once the first byte to escape is known to be at `first`.
fn escape_from(out: &mut Vec<u8>, bytes: &[u8], first: usize) {
    let mut start = 0;
    let mut next = Some(first);
    while let Some(offset) = next
        && let Some(rest) = bytes.get(start..)
        && let Some(&byte) = rest.get(offset)
    {
        // the bytes before it need no escape: copied whole
        out.extend_from_slice(rest.get(..offset).unwrap_or_default());
        write_escape(out, byte);
        start += offset + 1;
        next = bytes.get(start..).and_then(first_to_escape);
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// The position of the first byte of `bytes` that needs escaping, eight bytes at a time: the
/// last (partial) eight are checked as the eight bytes that end `bytes`, whose lowest flagged
/// byte is a true one (the bytes before it were checked already and need no escape); a
/// string shorter than eight one byte at a time.
#[inline]
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    let Some(last_start) = bytes.len().checked_sub(8) else {
        return bytes.iter().position(|&byte| needs_escape(byte));
    };
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for eight in &mut words {
        let flagged = escape_mask(word(eight));
        if flagged != 0 {
            return Some(offset + (flagged.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    if words.remainder().is_empty() {
        return None;
    }
    let flagged = escape_mask(bytes.get(last_start..).map(word).unwrap_or_default());
    (flagged != 0).then(|| last_start + (flagged.trailing_zeros() / 8) as usize)
}

/// Eight bytes (little-endian) as a word (`0` if `bytes` is not eight long: never the case).
fn word(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(<[u8; 8]>::try_from(bytes).unwrap_or_default())
}

/// Whether any of the eight bytes of `word` needs escaping.
#[cfg(test)]
fn any_needs_escape(word: u64) -> bool {
    escape_mask(word) != 0
}

/// Flags the bytes of `word` (little-endian) below 0x20, quotes and backslashes in their high
/// bits: the classic "has a zero byte" test, `(x - 0x01..01) & !x & 0x80..80`, which never
/// misses one and is right about the lowest one, so the lowest set bit is the first byte to
/// escape (bits above it may be false alarms).
fn escape_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |word: u64, limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH;
    let equal = |word: u64, byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
    below(word, 0x20) | equal(word, b'"') | equal(word, b'\\')
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn write_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let digit = |nibble: u8| HEX.get(usize::from(nibble & 0xf)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', digit(byte >> 4), digit(byte)]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

impl<'a, W: Write> ser::Serializer for &'a mut Pretty<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, value: bool) -> Result {
        self.write(if value { b"true" } else { b"false" })
    }

    fn serialize_i8(self, value: i8) -> Result {
        self.integer(value)
    }

    fn serialize_i16(self, value: i16) -> Result {
        self.integer(value)
    }

    fn serialize_i32(self, value: i32) -> Result {
        self.integer(value)
    }

    fn serialize_i64(self, value: i64) -> Result {
        self.integer(value)
    }

    fn serialize_i128(self, value: i128) -> Result {
        self.integer(value)
    }

    fn serialize_u8(self, value: u8) -> Result {
        self.integer(value)
    }

    fn serialize_u16(self, value: u16) -> Result {
        self.integer(value)
    }

    fn serialize_u32(self, value: u32) -> Result {
        self.integer(value)
    }

    fn serialize_u64(self, value: u64) -> Result {
        self.integer(value)
    }

    fn serialize_u128(self, value: u128) -> Result {
        self.integer(value)
    }

    fn serialize_f32(self, value: f32) -> Result {
        self.float(value)
    }

    fn serialize_f64(self, value: f64) -> Result {
        self.float(value)
    }

    fn serialize_char(self, value: char) -> Result {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result {
        self.string(value)
    }

    fn serialize_bytes(self, value: &[u8]) -> Result {
        // serde_json writes bytes as an array of numbers
        use ser::SerializeSeq;
        let mut array = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            array.serialize_element(byte)?;
        }
        array.end()
    }

    fn serialize_none(self) -> Result {
        self.write(b"null")
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.write(b"null")
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.write(b"null")
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.begin_variant(variant)?;
        value.serialize(&mut *self)?;
        self.end_variant()
    }

    fn serialize_seq(self, length: Option<usize>) -> Result<Compound<'a, W>> {
        self.compound(length, [b"[", b"]"])
    }

    fn serialize_tuple(self, length: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(length))
    }

    fn serialize_tuple_struct(self, _name: &'static str, length: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(length))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        length: usize,
    ) -> Result<Compound<'a, W>> {
        self.begin_variant(variant)?;
        self.serialize_seq(Some(length))
    }

    fn serialize_map(self, length: Option<usize>) -> Result<Compound<'a, W>> {
        self.compound(length, [b"{", b"}"])
    }

    fn serialize_struct(self, _name: &'static str, length: usize) -> Result<Compound<'a, W>> {
        self.serialize_map(Some(length))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        length: usize,
    ) -> Result<Compound<'a, W>> {
        self.begin_variant(variant)?;
        self.serialize_map(Some(length))
    }
}

#[derive(PartialEq, Eq)]
enum State {
    /// Opened and closed at once (no elements).
    Empty,
    First,
    Rest,
}

/// An object or array being written.
struct Compound<'a, W> {
    serializer: &'a mut Pretty<W>,
    state: State,
}

impl<W: Write> Compound<'_, W> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.serializer.begin_element(self.state == State::First)?;
        self.state = State::Rest;
        value.serialize(&mut *self.serializer)?;
        self.serializer.has_value = true;
        Ok(())
    }

    fn close(self, bracket: &[u8]) -> Result {
        if self.state == State::Empty {
            return Ok(());
        }
        self.serializer.end(bracket)
    }

    /// A struct field's key and the `": "` after it, in one piece.
    fn field_key(&mut self, key: &str) -> Result {
        self.serializer.begin_element(self.state == State::First)?;
        self.state = State::Rest;
        let buffer = &mut self.serializer.buffer;
        buffer.reserve(key.len() + 4);
        buffer.push(b'"');
        escape_into(buffer, key.as_bytes());
        buffer.extend_from_slice(b"\": ");
        Ok(())
    }

    fn field_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.serializer)?;
        self.serializer.has_value = true;
        Ok(())
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        self.serializer.begin_element(self.state == State::First)?;
        self.state = State::Rest;
        key.serialize(KeySerializer(&mut *self.serializer))
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.serializer.buffer.extend_from_slice(b": ");
        value.serialize(&mut *self.serializer)?;
        self.serializer.has_value = true;
        Ok(())
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        let serializer = &mut *self.serializer;
        if self.state != State::Empty {
            serializer.end(b"]")?;
        }
        serializer.end_variant()
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        self.key(key)
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.value(value)
    }

    fn end(self) -> Result {
        self.close(b"}")
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        self.field_key(key)?;
        self.field_value(value)
    }

    fn end(self) -> Result {
        self.close(b"}")
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        self.field_key(key)?;
        self.field_value(value)
    }

    fn end(self) -> Result {
        let serializer = &mut *self.serializer;
        if self.state != State::Empty {
            serializer.end(b"}")?;
        }
        serializer.end_variant()
    }
}

/// Object keys: strings (and what serde_json also accepts as strings: characters, unit
/// variants, and numbers and booleans, which it quotes); anything else fails as in serde_json.
struct KeySerializer<'a, W>(&'a mut Pretty<W>);

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl<W: Write> KeySerializer<'_, W> {
    fn quoted_integer(self, value: impl itoa::Integer) -> Result {
        self.0.write(b"\"")?;
        self.0.integer(value)?;
        self.0.write(b"\"")
    }

    fn quoted_float<T: Serialize>(self, value: T, finite: bool) -> Result {
        if !finite {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.0.write(b"\"")?;
        self.0.float(value)?;
        self.0.write(b"\"")
    }
}

impl<W: Write> ser::Serializer for KeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, value: &str) -> Result {
        self.0.string(value)
    }

    fn serialize_char(self, value: char) -> Result {
        self.0.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.0.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    fn serialize_i8(self, value: i8) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_i16(self, value: i16) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_i32(self, value: i32) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_i64(self, value: i64) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_i128(self, value: i128) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_u8(self, value: u8) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_u16(self, value: u16) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_u32(self, value: u32) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_u64(self, value: u64) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_u128(self, value: u128) -> Result {
        self.quoted_integer(value)
    }

    fn serialize_bool(self, value: bool) -> Result {
        self.0.string(if value { "true" } else { "false" })
    }

    fn serialize_f32(self, value: f32) -> Result {
        self.quoted_float(value, value.is_finite())
    }

    fn serialize_f64(self, value: f64) -> Result {
        self.quoted_float(value, value.is_finite())
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _length: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _length: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _length: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _length: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::json;

    use super::to_writer_pretty;

    fn same_as_serde_json<T: Serialize>(value: &T) {
        let expected = serde_json::to_vec_pretty(value).unwrap();
        let mut ours = Vec::new();
        to_writer_pretty(&mut ours, value).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&expected)
        );
    }

    #[derive(Serialize)]
    enum External {
        Unit,
        Newtype(u8),
        Tuple(u8, &'static str),
        EmptyTuple(),
        Struct { a: Option<u8>, b: Vec<u8> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Internal {
        Thing(Thing),
        Other { x: i64 },
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Untagged {
        Text(String),
        List(Vec<Thing>),
    }

    #[derive(Serialize)]
    struct Thing {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        nothing: Option<u8>,
        nested: Vec<Vec<u8>>,
        empty: Vec<String>,
        unit: (),
        tuple: (u8, char),
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
    }

    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(bytes)
        }
    }

    fn thing(name: &str) -> Thing {
        Thing {
            name: name.into(),
            skipped: None,
            nothing: None,
            nested: vec![vec![], vec![1, 2], vec![]],
            empty: vec![],
            unit: (),
            tuple: (7, 'é'),
            bytes: vec![0, 255],
        }
    }

    #[test]
    fn every_shape_is_written_as_serde_json_writes_it() {
        same_as_serde_json(&json!(null));
        same_as_serde_json(&json!({}));
        same_as_serde_json(&json!([]));
        same_as_serde_json(
            &json!({"a": {}, "b": [], "c": [{}], "d": [[]], "e": {"f": {"g": [1]}}}),
        );
        same_as_serde_json(&json!([
            true,
            false,
            null,
            0,
            -1,
            u64::MAX,
            i64::MIN,
            1.5,
            -0.0
        ]));
        same_as_serde_json(&vec![
            External::Unit,
            External::Newtype(3),
            External::Tuple(1, "x"),
            External::EmptyTuple(),
            External::Struct {
                a: Some(1),
                b: vec![],
            },
            External::EmptyStruct {},
        ]);
        same_as_serde_json(&(
            Internal::Thing(thing("one")),
            Internal::Other { x: -5 },
            Untagged::Text("t".into()),
            Untagged::List(vec![thing("two"), thing("")]),
        ));
        let mut map = BTreeMap::new();
        map.insert(3u32, vec!['a']);
        map.insert(10u32, vec![]);
        same_as_serde_json(&map);
        same_as_serde_json(&BTreeMap::from([(true, 1), (false, 2)]));
        same_as_serde_json(&BTreeMap::from([('k', 1)]));
        let mut deep = json!(1);
        for level in 0..80 {
            deep = json!({ format!("level {level}"): [deep] });
        }
        same_as_serde_json(&deep);
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é€😀\u{7f}\u{2028}");
        let mut strings = vec![String::new(), all.clone()];
        for length in 0..40 {
            for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'a', 'ü'] {
                let mut text: String = "x".repeat(length);
                text.push(special);
                text.push_str(&"y".repeat(length % 17));
                strings.push(text);
            }
        }
        strings.push("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".into());
        same_as_serde_json(&strings);
        let keyed: BTreeMap<String, String> =
            strings.iter().map(|s| (s.clone(), s.clone())).collect();
        same_as_serde_json(&keyed);
    }

    #[test]
    fn the_word_test_finds_every_byte_that_needs_escaping() {
        for byte in 0..=u8::MAX {
            for position in 0..8 {
                let mut word = [b'a'; 8];
                word[position] = byte;
                let wanted = byte < 0x20 || byte == b'"' || byte == b'\\';
                assert_eq!(super::any_needs_escape(u64::from_le_bytes(word)), wanted);
                // with bytes that need escaping or are high around it
                let mut noisy = [0xffu8; 8];
                noisy[position] = byte;
                assert_eq!(super::any_needs_escape(u64::from_le_bytes(noisy)), wanted);
                // and the first byte to escape is where the mask's lowest bit says, whatever
                // follows it
                for after in [b'a', b'"', b'\\', b'\n', 0, 0x1f, 0x20, 0x80, 0xff] {
                    let mut word = [b'a'; 8];
                    word[position] = byte;
                    word[position + 1..].fill(after);
                    let first = word.iter().position(|&byte| super::needs_escape(byte));
                    let mask = super::escape_mask(u64::from_le_bytes(word));
                    let found = (mask != 0).then(|| mask.trailing_zeros() as usize / 8);
                    assert_eq!(found, first, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn the_first_byte_to_escape_is_found_at_every_length_and_position() {
        for length in 0..40 {
            for position in 0..=length {
                for byte in [b'"', b'\\', b'\n', 0, 0x1f, b' ', b'a', 0x7f, 0xc3] {
                    for after in [b'a', b'"', b'\n', 0xff] {
                        let mut text = vec![b'x'; length];
                        if position < length {
                            text[position] = byte;
                            text[position + 1..].fill(after);
                        }
                        let first = text.iter().position(|&byte| super::needs_escape(byte));
                        assert_eq!(super::first_to_escape(&text), first, "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn keys_that_are_not_strings_fail_as_in_serde_json() {
        let mut map = BTreeMap::new();
        map.insert(vec![1u8], 1u8);
        assert!(serde_json::to_vec_pretty(&map).is_err());
        assert!(to_writer_pretty(Vec::new(), &map).is_err());
    }
}
