//! The values requests carry: file contents ([`Data`], optionally named: [`Input`]),
//! passwords ([`Password`], the core's [`crate::secret::Password`]) and binary results
//! ([`Bytes`]).
//!
//! File contents arrive as a string (PEM or base64 text), as bytes (a JavaScript `Uint8Array`
//! or `Buffer`) or as an array of byte values (plain JSON); the decoder sniffs PEM, DER and
//! base64 in all three.

use core::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use zeroize::Zeroize;

use crate::Error;
use crate::decode::{self, Kind};

/// The contents of a file: text (PEM, base64), bytes, or an array of byte values; wiped
/// from memory when dropped (it may hold a private key).
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(type = "string | Uint8Array | Array<number>")
)]
pub struct Data(pub Vec<u8>);

/// File contents with an optional name (a file name), used in explanations and errors:
/// `"-----BEGIN CERTIFICATE-----..."` or `{"name": "ca.crt", "data": "-----BEGIN..."}`.
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(type = "Data | { name?: string | null, data: Data }")
)]
pub struct Input {
    /// The name given with the contents, if any.
    pub name: Option<String>,
    /// The contents.
    pub data: Data,
}

/// Binary output (DER, PKCS#12): a `Uint8Array` (wasm) or `Buffer` (Node), an array of byte
/// values in JSON.
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(type = "Uint8Array"))]
pub struct Bytes(pub Vec<u8>);

impl Data {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Contents may be a private key: wiped when dropped.
impl Drop for Data {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Input {
    /// Unnamed contents.
    pub fn new(data: impl Into<Vec<u8>>) -> Self {
        Self {
            name: None,
            data: Data(data.into()),
        }
    }

    /// Contents called `name`.
    pub fn named(name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self {
            name: Some(name.into()),
            data: Data(data.into()),
        }
    }

    /// The name, or `field` (the request field it came in) when it has none.
    pub fn label(&self, field: &str) -> String {
        self.name.clone().unwrap_or_else(|| field.to_owned())
    }
}

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Data({} bytes)", self.0.len())
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Input({:?}, {:?})", self.name, self.data)
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

/// The DER of every block of `kind` in `bytes` (PEM with any number of blocks, DER, base64);
/// blocks of other kinds are skipped, a malformed block is an error.
pub(crate) fn blocks_of_kind(bytes: &[u8], kind: Kind) -> Result<Vec<Vec<u8>>, Error> {
    let mut found = Vec::new();
    for block in decode::blocks(bytes)? {
        let block = block?;
        if decode::sniff(block.label.as_deref(), &block.der).ok() == Some(kind) {
            found.push(block.der);
        }
    }
    Ok(found)
}

/// Like [`blocks_of_kind`], but at least one block must be found.
pub(crate) fn required_blocks(bytes: &[u8], kind: Kind, what: &str) -> Result<Vec<Vec<u8>>, Error> {
    let found = blocks_of_kind(bytes, kind)?;
    if found.is_empty() {
        return Err(Error::UnrecognizedInput {
            detail: format!("no {what} in the input"),
        });
    }
    Ok(found)
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = Data;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("file contents: a string, bytes or an array of byte values")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Data, E> {
        Ok(Data(text.as_bytes().to_vec()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Data, E> {
        Ok(Data(text.into_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Data, E> {
        Ok(Data(bytes.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Data, E> {
        Ok(Data(bytes))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<Data, A::Error> {
        let mut bytes = Vec::with_capacity(sequence.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(byte) = sequence.next_element::<u8>()? {
            bytes.push(byte);
        }
        Ok(Data(bytes))
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DataVisitor)
    }
}

struct InputVisitor;

impl<'de> Visitor<'de> for InputVisitor {
    type Value = Input;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("file contents (a string, bytes, an array of byte values) or {name, data}")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Input, E> {
        DataVisitor.visit_str(text).map(unnamed)
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Input, E> {
        DataVisitor.visit_string(text).map(unnamed)
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Input, E> {
        DataVisitor.visit_bytes(bytes).map(unnamed)
    }

    fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Input, E> {
        DataVisitor.visit_byte_buf(bytes).map(unnamed)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, sequence: A) -> Result<Input, A::Error> {
        DataVisitor.visit_seq(sequence).map(unnamed)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Input, A::Error> {
        let mut name = None;
        let mut data = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => name = map.next_value::<Option<String>>()?,
                "data" => data = Some(map.next_value::<Data>()?),
                other => return Err(de::Error::unknown_field(other, &["name", "data"])),
            }
        }
        let data = data.ok_or_else(|| de::Error::missing_field("data"))?;
        Ok(Input { name, data })
    }
}

fn unnamed(data: Data) -> Input {
    Input { name: None, data }
}

impl<'de> Deserialize<'de> for Input {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(InputVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_from_text_bytes_and_arrays() {
        let text: Data = serde_json::from_str("\"PEM\"").unwrap();
        assert_eq!(text.bytes(), b"PEM");
        let array: Data = serde_json::from_str("[1, 2, 255]").unwrap();
        assert_eq!(array.bytes(), [1, 2, 255]);
        assert!(serde_json::from_str::<Data>("[256]").is_err());
        assert!(serde_json::from_str::<Data>("12").is_err());
    }

    #[test]
    fn inputs_plain_or_named() {
        let plain: Input = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(plain, Input::new("x"));
        let named: Input = serde_json::from_str(r#"{"name": "a.crt", "data": [120]}"#).unwrap();
        assert_eq!(named, Input::named("a.crt", "x"));
        let typo = serde_json::from_str::<Input>(r#"{"nmae": "a", "data": "x"}"#);
        assert!(typo.unwrap_err().to_string().contains("nmae"));
        assert!(serde_json::from_str::<Input>(r#"{"name": "a"}"#).is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        let password: crate::secret::Password = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(password.as_str(), "hunter2");
        assert!(!format!("{password:?}").contains("hunter2"));
    }
}
