//! The JSON-shaped API: every capability the bindings expose takes one serde value and returns
//! one, so that the wasm module and the Node addon are pass-throughs of a few lines.
//!
//! Requests derive `Deserialize` (unknown fields are refused, so a typo is an
//! [`Error::InvalidRequest`] naming the field); responses and errors derive `Serialize`, with
//! the field names of `mtlskit inspect --json`. Time ([`UnixTime`]) and randomness are
//! arguments, never fields: the caller decides what "now" is and where randomness comes from.
//!
//! | function | request | response |
//! |---|---|---|
//! | [`inspect()`] | [`InspectRequest`] | [`crate::inspect::Report`] |
//! | [`generate_key()`] | [`GenerateKeyRequest`] | [`GenerateKeyResponse`] |
//! | [`verify()`] | [`VerifyRequest`] | [`VerifyResponse`] |
//! | [`verify_set()`] | [`VerifySetRequest`] | [`VerifySetResponse`] |
//! | [`issue()`] | [`IssueRequest`] | [`IssueResponse`] |
//! | [`csr_new()`] | [`CsrNewRequest`] | [`CsrNewResponse`] |
//! | [`csr_sign()`] | [`CsrSignRequest`] | [`CsrSignResponse`] |
//! | [`pki_init()`] | [`PkiInitRequest`] | [`PkiInitResponse`] |
//! | [`bundle()`] | [`PkiInitRequest`] | [`BundleResponse`] |
//! | [`to_pkcs12()`] | [`ToPkcs12Request`] | [`ToPkcs12Response`] |
//! | [`from_pkcs12()`] | [`FromPkcs12Request`] | [`FromPkcs12Response`] |
//! | [`convert()`] | [`ConvertRequest`] | [`ConvertResponse`] |
//!
//! Every function fails with an [`ApiError`]: the core's [`Error`] (stable `code` and typed
//! fields), a message, and the request field it concerns.

mod bundle;
mod convert;
mod csr_new;
mod csr_sign;
mod from_pkcs12;
mod generate_key;
mod input;
mod inspect;
mod issue;
mod pki_init;
mod to_pkcs12;
mod verify;
mod verify_set;

pub use crate::secret::Password;
pub use bundle::{BundleResponse, CertifiedKey, ClientBundle, bundle};
pub use convert::{ConvertRequest, ConvertResponse, Format, convert};
pub use csr_new::{CsrNewRequest, CsrNewResponse, csr_new};
pub use csr_sign::{CsrSignRequest, CsrSignResponse, csr_sign};
pub use from_pkcs12::{FromPkcs12Request, FromPkcs12Response, Pkcs12Entry, from_pkcs12};
pub use generate_key::{GenerateKeyRequest, GenerateKeyResponse, generate_key};
pub use input::{Bytes, Data, Input};
pub use inspect::{InspectRequest, inspect};
pub use issue::{CaInput, IssueRequest, IssueResponse, ValidityInput, issue};
pub use pki_init::{FileContents, PkiFileOutput, PkiInitRequest, PkiInitResponse, pki_init};
pub use to_pkcs12::{ToPkcs12Request, ToPkcs12Response, to_pkcs12};
pub use verify::{
    VerifyOptions, VerifyPurpose, VerifyRequest, VerifyResponse, verify, verify_with,
};
pub use verify_set::{
    CertificateEntry, ItemError, Role, SetItem, Verdict, VerifySetRequest, VerifySetResponse,
    verify_set,
};

use serde::Serialize;

use crate::Error;
#[cfg(doc)]
use crate::UnixTime;

/// Why an API call failed: the core's error (its `code` and typed fields, flattened), a
/// sentence for people, and the request field or named input it concerns.
///
/// ```json
/// {"code": "WrongPassword", "item": "PKCS#12 file", "message": "wrong password for the PKCS#12 file", "input": "data"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ApiError {
    /// The error: `code` and the fields of that code.
    #[cfg_attr(feature = "typescript", ts(flatten))]
    pub error: Error,
    /// What went wrong, one sentence for people.
    pub message: String,
    /// The request field (e.g. `ca.key`) or the name of the input it concerns, if any.
    pub input: Option<String>,
}

impl ApiError {
    /// An error about the request field or named input `input`.
    pub fn new(error: Error, input: impl Into<String>) -> Self {
        Self {
            message: error.to_string(),
            error,
            input: Some(input.into()),
        }
    }

    /// A request that could not be deserialized (missing or unknown field, wrong type); the
    /// bindings and the CLI call this with their deserializer's message.
    pub fn invalid_request(detail: impl core::fmt::Display) -> Self {
        Self::from(Error::InvalidRequest {
            detail: detail.to_string(),
        })
    }

    /// The stable code, e.g. `WrongPassword`.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }
}

/// Serialised as `#[serde(flatten)]` would (the error's code and fields, then `message` and
/// `input`: the same keys in the same order), without serde's flattening, which goes through a
/// second, map-shaped path of each serializer (BENCHMARKS.md "Lean wasm", session 13).
impl Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("ApiError", self.error.serialized_len() + 2)?;
        self.error.serialize_fields(&mut state)?;
        state.serialize_field("message", &self.message)?;
        state.serialize_field("input", &self.input)?;
        state.end()
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self {
            message: error.to_string(),
            error,
            input: None,
        }
    }
}

impl core::fmt::Display for ApiError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.input {
            Some(input) => write!(f, "{} ({input})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// Attaches the request field `input` to an error.
pub(crate) fn at(input: &str) -> impl Fn(Error) -> ApiError + '_ {
    move |error| ApiError::new(error, input)
}

/// The field names of the request struct `T`, for bindings whose deserializer does not report
/// unknown fields (serde-wasm-bindgen reads only the fields it knows): they check the
/// request's keys against this list so that a typo is an [`Error::InvalidRequest`] there too.
pub fn request_fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(fields::Probe) {
        Err(fields::Found(names)) => names,
        Ok(_) => &[],
    }
}

mod fields {
    use serde::de::{self, Visitor};

    /// A deserializer that only records the field list it is asked for.
    pub(super) struct Probe;

    /// The "error" that carries the field list out.
    #[derive(Debug)]
    pub(super) struct Found(pub(super) &'static [&'static str]);

    impl core::fmt::Display for Found {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "fields {:?}", self.0)
        }
    }

    impl std::error::Error for Found {}

    impl de::Error for Found {
        fn custom<T: core::fmt::Display>(_: T) -> Self {
            Self(&[])
        }
    }

    impl<'de> de::Deserializer<'de> for Probe {
        type Error = Found;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            Err(Found(&[]))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Found> {
            Err(Found(fields))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys `#[serde(flatten)]` gave: the error's code and fields, then `message` and
    /// `input` (null when there is none).
    #[test]
    fn api_error_serialises_the_error_flattened() {
        let at_input = ApiError::new(
            Error::WrongPassword {
                item: "PKCS#12 file",
            },
            "data",
        );
        assert_eq!(
            serde_json::to_string(&at_input).expect("serialisable"),
            r#"{"code":"WrongPassword","item":"PKCS#12 file","message":"wrong password for the PKCS#12 file","input":"data"}"#
        );
        let bare = ApiError::from(Error::BadSignature);
        assert_eq!(
            serde_json::to_string(&bare).expect("serialisable"),
            format!(
                r#"{{"code":"BadSignature","message":{},"input":null}}"#,
                serde_json::to_string(&Error::BadSignature.to_string()).expect("text")
            )
        );
    }
}
