//! The subset of Java object serialisation (Java Object Serialization Specification, chapter
//! 6, "Object Serialization Stream Protocol") that JCEKS secret key entries use: a
//! `com.sun.crypto.provider.SealedObjectForKeyProtector` (a `javax.crypto.SealedObject` with
//! fields `encodedParams`, `encryptedContent`, `paramsAlg`, `sealAlg`) in the store, and
//! inside it, once decrypted, a `javax.crypto.spec.SecretKeySpec` (`key`, `algorithm`) or a
//! `java.security.KeyRep` (`encoded`, `algorithm`).
//!
//! Nothing is instantiated: the stream is walked into plain values. Recursion depth, handle
//! count and every length are bounded; proxy classes, exceptions and resets are refused.

use std::rc::Rc;

use zeroize::Zeroizing;

use super::{Format, SealedKey, SecretKeySummary, invalid};
use crate::Error;

const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const BASE_HANDLE: u32 = 0x7E_0000;
const MAX_DEPTH: usize = 16;
const MAX_HANDLES: usize = 1024;

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_ARRAY: u8 = 0x75;
const TC_CLASS: u8 = 0x76;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_BLOCKDATALONG: u8 = 0x7A;
const TC_LONGSTRING: u8 = 0x7C;
const TC_ENUM: u8 = 0x7E;

const SC_WRITE_METHOD: u8 = 0x01;
const SC_SERIALIZABLE: u8 = 0x02;
const SC_EXTERNALIZABLE: u8 = 0x04;
const SC_BLOCK_DATA: u8 = 0x08;

/// Reads the serialised sealed key at the start of `input`; returns it and its length.
pub(super) fn sealed_key(input: &[u8]) -> Result<(SealedKey, usize), Error> {
    let mut stream = Stream::new(input).ok_or_else(|| bad("no serialisation header"))?;
    let value = stream.content(0)?;
    let (Some(params), Some(encrypted), Some(algorithm)) = (
        value.field("encodedParams").and_then(Value::bytes),
        value.field("encryptedContent").and_then(Value::bytes),
        value.field("sealAlg").and_then(Value::string),
    ) else {
        return Err(bad("the secret key entry is not a SealedObject"));
    };
    if !algorithm.eq_ignore_ascii_case("PBEWithMD5AndTripleDES") {
        return Err(Error::UnsupportedAlgorithm {
            algorithm: format!("secret key sealed with {algorithm}"),
        });
    }
    let (salt, iterations) =
        read_pbe_parameter(params).map_err(|error| error.into_error("JCEKS keystore"))?;
    let salt = salt
        .try_into()
        .map_err(|_| bad("PBEWithMD5AndTripleDES needs an 8-byte salt"))?;
    if encrypted.is_empty() || encrypted.len() % 8 != 0 {
        return Err(bad("3DES data is not a whole number of blocks"));
    }
    let sealed = SealedKey {
        salt,
        iterations,
        encrypted: encrypted.to_vec(),
    };
    Ok((sealed, stream.position))
}

/// Java's `PBEParameterSpec` encoding, `SEQUENCE { salt OCTET STRING, iterations INTEGER }`
/// (PKCS#5 v1.5 `PBEParameter`), with the iteration count fitting a `u32` as `der` read it.
fn read_pbe_parameter(der: &[u8]) -> crate::asn1::read::Result<(&[u8], u32)> {
    crate::asn1::read::parse(der, |reader| {
        reader.read_sequence(|fields| Ok((fields.octet_string()?, fields.u32()?)))
    })
}

/// The algorithm and size of a decrypted, serialised `SecretKey`; `None` if `plain` is not
/// one (what a wrong password gives when the padding happens to look right).
pub(super) fn secret_key_summary(plain: &[u8]) -> Option<SecretKeySummary> {
    let value = Stream::new(plain)?.content(0).ok()?;
    let algorithm = value.field("algorithm").and_then(Value::string)?;
    let key = value
        .field("key")
        .or_else(|| value.field("encoded"))
        .and_then(Value::bytes)?;
    Some(SecretKeySummary {
        algorithm: algorithm.to_owned(),
        bits: key.len() * 8,
    })
}

fn bad(detail: &str) -> Error {
    invalid(Format::Jceks, format!("secret key entry: {detail}"))
}

/// A deserialised value; byte arrays (which may be key material) are wiped on drop.
#[derive(Clone)]
enum Value {
    Null,
    Primitive,
    Bytes(Rc<Zeroizing<Vec<u8>>>),
    String(Rc<str>),
    Array,
    Object(Rc<Vec<(String, Value)>>),
}

impl Value {
    fn field(&self, name: &str) -> Option<&Value> {
        let Self::Object(fields) = self else {
            return None;
        };
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value)
    }

    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Bytes(bytes) => Some(bytes.as_slice()),
            _ => None,
        }
    }

    fn string(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }
}

struct ClassDescription {
    name: String,
    flags: u8,
    /// (type code, name) in stream order.
    fields: Vec<(u8, String)>,
    parent: Option<Rc<ClassDescription>>,
}

enum Handle {
    Class(Rc<ClassDescription>),
    Value(Value),
}

struct Stream<'a> {
    input: &'a [u8],
    position: usize,
    handles: Vec<Handle>,
}

impl<'a> Stream<'a> {
    fn new(input: &'a [u8]) -> Option<Self> {
        (input.get(..4)? == MAGIC).then_some(Self {
            input,
            position: 4,
            handles: Vec::new(),
        })
    }

    fn content(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(bad("nested too deeply"));
        }
        match self.u8()? {
            TC_NULL => Ok(Value::Null),
            TC_REFERENCE => match self.reference()? {
                Handle::Value(value) => Ok(value.clone()),
                Handle::Class(_) => Err(bad("a class where a value belongs")),
            },
            TC_STRING => {
                let length = usize::from(self.u16()?);
                self.string(length)
            }
            TC_LONGSTRING => {
                let length = usize::try_from(self.u64()?).unwrap_or(usize::MAX);
                self.string(length)
            }
            TC_ARRAY => self.array(depth),
            TC_OBJECT => self.object(depth),
            TC_ENUM => {
                self.class_description(depth)?;
                let slot = self.new_handle(Value::Null)?;
                let name = self.content(depth + 1)?;
                self.set(slot, name.clone());
                Ok(name)
            }
            TC_CLASS => {
                self.class_description(depth)?;
                self.new_handle(Value::Null)?;
                Ok(Value::Null)
            }
            other => Err(bad(&format!("unsupported element {other:#04x}"))),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Error> {
        let class = self
            .class_description(depth)?
            .ok_or_else(|| bad("an object without a class"))?;
        let slot = self.new_handle(Value::Null)?;
        let mut lineage = vec![Rc::clone(&class)];
        while let Some(parent) = lineage.last().and_then(|class| class.parent.clone()) {
            if lineage.len() > MAX_DEPTH {
                return Err(bad("class hierarchy too deep"));
            }
            lineage.push(parent);
        }
        let mut fields = Vec::new();
        for class in lineage.iter().rev() {
            if class.flags & SC_EXTERNALIZABLE != 0 {
                if class.flags & SC_BLOCK_DATA == 0 {
                    return Err(bad("externalizable data in the old protocol"));
                }
                self.skip_annotation(depth)?;
                continue;
            }
            if class.flags & SC_SERIALIZABLE == 0 {
                continue;
            }
            for (code, name) in &class.fields {
                fields.push((name.clone(), self.field_value(*code, depth)?));
            }
            if class.flags & SC_WRITE_METHOD != 0 {
                self.skip_annotation(depth)?;
            }
        }
        let value = Value::Object(Rc::new(fields));
        self.set(slot, value.clone());
        Ok(value)
    }

    fn array(&mut self, depth: usize) -> Result<Value, Error> {
        let class = self
            .class_description(depth)?
            .ok_or_else(|| bad("an array without a class"))?;
        let element = class.name.as_bytes().get(1).copied().unwrap_or_default();
        let slot = self.new_handle(Value::Null)?;
        let length = usize::try_from(self.u32()?).map_err(|_| bad("array length"))?;
        let value = match element {
            b'B' => Value::Bytes(Rc::new(Zeroizing::new(
                self.bytes(length, "byte array")?.to_vec(),
            ))),
            b'L' | b'[' => {
                for _ in 0..length {
                    self.content(depth + 1)?;
                }
                Value::Array
            }
            code => {
                let width = primitive_width(code).ok_or_else(|| bad("unknown array type"))?;
                let total = length
                    .checked_mul(width)
                    .ok_or_else(|| bad("array length"))?;
                self.bytes(total, "array")?;
                Value::Array
            }
        };
        self.set(slot, value.clone());
        Ok(value)
    }

    fn field_value(&mut self, code: u8, depth: usize) -> Result<Value, Error> {
        if code == b'L' || code == b'[' {
            return self.content(depth + 1);
        }
        let width = primitive_width(code).ok_or_else(|| bad("unknown field type"))?;
        self.bytes(width, "field")?;
        Ok(Value::Primitive)
    }

    fn class_description(&mut self, depth: usize) -> Result<Option<Rc<ClassDescription>>, Error> {
        if depth > MAX_DEPTH {
            return Err(bad("nested too deeply"));
        }
        match self.u8()? {
            TC_NULL => Ok(None),
            TC_REFERENCE => match self.reference()? {
                Handle::Class(class) => Ok(Some(Rc::clone(class))),
                Handle::Value(_) => Err(bad("a value where a class belongs")),
            },
            TC_CLASSDESC => {
                let name = self.utf()?;
                self.bytes(8, "serialVersionUID")?;
                let slot = self.new_handle(Value::Null)?;
                let flags = self.u8()?;
                let count = self.u16()?;
                let mut fields = Vec::new();
                for _ in 0..count {
                    let code = self.u8()?;
                    let field = self.utf()?;
                    if code == b'L' || code == b'[' {
                        self.content(depth + 1)?;
                    }
                    fields.push((code, field));
                }
                self.skip_annotation(depth)?;
                let parent = self.class_description(depth + 1)?;
                let class = Rc::new(ClassDescription {
                    name,
                    flags,
                    fields,
                    parent,
                });
                if let Some(handle) = self.handles.get_mut(slot) {
                    *handle = Handle::Class(Rc::clone(&class));
                }
                Ok(Some(class))
            }
            other => Err(bad(&format!("unsupported class element {other:#04x}"))),
        }
    }

    /// Skips `contents* TC_ENDBLOCKDATA` (class and object annotations).
    fn skip_annotation(&mut self, depth: usize) -> Result<(), Error> {
        loop {
            match self.peek()? {
                TC_ENDBLOCKDATA => {
                    self.position += 1;
                    return Ok(());
                }
                TC_BLOCKDATA => {
                    self.position += 1;
                    let length = usize::from(self.u8()?);
                    self.bytes(length, "block data")?;
                }
                TC_BLOCKDATALONG => {
                    self.position += 1;
                    let length = usize::try_from(self.u32()?).unwrap_or(usize::MAX);
                    self.bytes(length, "block data")?;
                }
                _ => {
                    self.content(depth + 1)?;
                }
            }
        }
    }

    fn string(&mut self, length: usize) -> Result<Value, Error> {
        let bytes = self.bytes(length, "string")?;
        let text = super::read::modified_utf8(bytes).ok_or_else(|| bad("string encoding"))?;
        let value = Value::String(text.into());
        self.new_handle(value.clone())?;
        Ok(value)
    }

    fn utf(&mut self) -> Result<String, Error> {
        let length = usize::from(self.u16()?);
        let bytes = self.bytes(length, "name")?;
        super::read::modified_utf8(bytes).ok_or_else(|| bad("name encoding"))
    }

    fn reference(&mut self) -> Result<&Handle, Error> {
        let handle = self.u32()?.wrapping_sub(BASE_HANDLE);
        usize::try_from(handle)
            .ok()
            .and_then(|index| self.handles.get(index))
            .ok_or_else(|| bad("a reference to an unknown handle"))
    }

    fn new_handle(&mut self, value: Value) -> Result<usize, Error> {
        if self.handles.len() >= MAX_HANDLES {
            return Err(bad("too many objects"));
        }
        self.handles.push(Handle::Value(value));
        Ok(self.handles.len() - 1)
    }

    fn set(&mut self, slot: usize, value: Value) {
        if let Some(handle) = self.handles.get_mut(slot) {
            *handle = Handle::Value(value);
        }
    }

    fn bytes(&mut self, length: usize, what: &str) -> Result<&'a [u8], Error> {
        let end = self.position.checked_add(length);
        let bytes = end
            .and_then(|end| self.input.get(self.position..end))
            .ok_or_else(|| bad(&format!("truncated {what}")))?;
        self.position += length;
        Ok(bytes)
    }

    fn peek(&self) -> Result<u8, Error> {
        self.input
            .get(self.position)
            .copied()
            .ok_or_else(|| bad("truncated"))
    }

    fn u8(&mut self) -> Result<u8, Error> {
        let byte = self.peek()?;
        self.position += 1;
        Ok(byte)
    }

    fn u16(&mut self) -> Result<u16, Error> {
        let bytes = self.bytes(2, "number")?;
        Ok(u16::from_be_bytes(bytes.try_into().unwrap_or_default()))
    }

    fn u32(&mut self) -> Result<u32, Error> {
        let bytes = self.bytes(4, "number")?;
        Ok(u32::from_be_bytes(bytes.try_into().unwrap_or_default()))
    }

    fn u64(&mut self) -> Result<u64, Error> {
        let bytes = self.bytes(8, "number")?;
        Ok(u64::from_be_bytes(bytes.try_into().unwrap_or_default()))
    }
}

/// Bytes per element of a primitive type code.
fn primitive_width(code: u8) -> Option<usize> {
    match code {
        b'B' | b'Z' => Some(1),
        b'C' | b'S' => Some(2),
        b'I' | b'F' => Some(4),
        b'J' | b'D' => Some(8),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `der` structure the parameters were read with before.
    fn before(der: &[u8]) -> Option<(Vec<u8>, u32)> {
        use der::Decode;
        #[derive(der::Sequence)]
        struct PbeParameter {
            salt: der::asn1::OctetString,
            iterations: u32,
        }
        let parameters = PbeParameter::from_der(der).ok()?;
        Some((parameters.salt.as_bytes().to_vec(), parameters.iterations))
    }

    /// PBEParameter encodings (openssl- and Java-like salts and counts, the edges of `u32`),
    /// and every one-byte change and truncation of them: read as `der` read them.
    #[test]
    fn pbe_parameters_read_as_der_read_them() {
        let counts: [&[u8]; 8] = [
            &[0x00],
            &[0x7f],
            &[0x00, 0x80],
            &[0x03, 0x0d, 0x40],
            &[0x00, 0xff, 0xff, 0xff, 0xff],
            &[0x01, 0x00, 0x00, 0x00, 0x00],
            &[0xff],
            &[0x00, 0x00, 0x01],
        ];
        let mut encodings = Vec::new();
        for (index, count) in counts.iter().enumerate() {
            let salt = vec![index as u8 ^ 0x5a; [8, 0, 20][index % 3]];
            let mut der = vec![0x30, (4 + salt.len() + count.len()) as u8, 0x04];
            der.push(salt.len() as u8);
            der.extend_from_slice(&salt);
            der.extend_from_slice(&[0x02, count.len() as u8]);
            der.extend_from_slice(count);
            encodings.push(der);
        }
        let mut compared = 0;
        let mut accepted = 0;
        for der in &encodings {
            let mut variants = vec![der.clone()];
            for at in 0..der.len() {
                variants.push(der[..at].to_vec());
                for byte in [0x00, 0x01, 0x02, 0x04, 0x30, 0x7f, 0x80, 0x81, 0xff] {
                    let mut changed = der.clone();
                    changed[at] = byte;
                    variants.push(changed);
                }
            }
            for variant in &variants {
                let ours = read_pbe_parameter(variant)
                    .ok()
                    .map(|(salt, count)| (salt.to_vec(), count));
                assert_eq!(ours, before(variant), "{variant:02x?}");
                accepted += usize::from(ours.is_some());
                compared += 1;
            }
        }
        assert!(compared > 500 && accepted > 50, "{accepted} of {compared}");
    }
}
