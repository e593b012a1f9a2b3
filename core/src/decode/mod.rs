//! Input sniffing: whatever a user has in a file or on the clipboard, as labelled DER items.
//!
//! Accepted: PEM with any number of blocks (any label, text before, between and after them,
//! CRLF line ends, a UTF-8 byte-order mark, RFC 1421 headers), raw DER, bare base64 of DER, and
//! Java keystores (JKS, JCEKS), passed on whole.
//! [`blocks`] splits the input; [`sniff`] tells what one DER value is, using the PEM label when
//! there is one and the ASN.1 shape otherwise.

mod pem;
pub(crate) mod public_base64;
mod sniff;

#[cfg(test)]
pub(crate) use sniff::tests as sniff_tests;
pub use sniff::{Kind, sniff};

use crate::Error;

/// One encoded item found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The PEM label (`CERTIFICATE`, `PRIVATE KEY`, ...), or `None` for DER and base64 input.
    pub label: Option<String>,
    /// Whether RFC 1421 headers say the body is encrypted (`Proc-Type: 4,ENCRYPTED`).
    pub legacy_encrypted: bool,
    /// The DER bytes (the decoded PEM or base64 body, or the input itself).
    pub der: Vec<u8>,
    /// The block's text when it is a `CERTIFICATE` block exactly as
    /// `public_base64::pem("CERTIFICATE", der)` writes it (64-character lines, LF, canonical
    /// base64), so that the certificate's report copies it instead of encoding `der` again.
    pub(crate) certificate_pem: Option<String>,
}

/// Splits `input` into encoded items.
///
/// Each entry is a block or the error that made one PEM block unreadable, so that one bad block
/// does not hide the good ones around it. Fails only when nothing at all can be read.
pub fn blocks(input: &[u8]) -> Result<Vec<Result<Block, Error>>, Error> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyInput);
    }
    if crate::keystore::Format::sniff(input).is_some() {
        return Ok(vec![Ok(Block::der(input.to_vec()))]);
    }
    if let Some(found) = pem::blocks(input) {
        return Ok(found);
    }
    if input.first() == Some(&0x30) {
        return Ok(vec![Ok(Block::der(input.to_vec()))]);
    }
    if let Some(der) = bare_base64(input) {
        return Ok(vec![Ok(Block::der(der))]);
    }
    Err(Error::UnrecognizedInput {
        detail: describe(input),
    })
}

impl Block {
    fn der(der: Vec<u8>) -> Self {
        Self {
            label: None,
            legacy_encrypted: false,
            der,
            certificate_pem: None,
        }
    }
}

/// Decodes base64 (standard or URL-safe alphabet, padding optional, white space ignored) that
/// holds a DER SEQUENCE.
fn bare_base64(input: &[u8]) -> Option<Vec<u8>> {
    let text: Vec<u8> = input
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    let der = pem::decode_base64(&text)?;
    (der.first() == Some(&0x30)).then_some(der)
}

/// A short description of unrecognised input, for the error message.
fn describe(input: &[u8]) -> String {
    let printable = input
        .iter()
        .take(64)
        .all(|byte| byte.is_ascii_graphic() || byte.is_ascii_whitespace());
    if printable {
        let start: String = String::from_utf8_lossy(input.get(..40).unwrap_or(input))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!("text starting with '{start}'")
    } else {
        let head: String = input
            .iter()
            .take(8)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("{} bytes of binary data starting with {head}", input.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_junk_inputs_have_codes() {
        assert_eq!(blocks(b"").unwrap_err().code(), "EmptyInput");
        assert_eq!(blocks(b" \r\n\t").unwrap_err().code(), "EmptyInput");
        assert_eq!(
            blocks(b"hello world").unwrap_err().code(),
            "UnrecognizedInput"
        );
        assert_eq!(
            blocks(&[0xff, 0x00, 0x12]).unwrap_err().code(),
            "UnrecognizedInput"
        );
    }

    #[test]
    fn der_and_base64_pass_through() {
        let der = vec![0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(blocks(&der).unwrap()[0].as_ref().unwrap().der, der);
        let found = blocks(b"MAMCAQU=\n").unwrap();
        assert_eq!(found[0].as_ref().unwrap().der, der);
        let found = blocks(b"\xEF\xBB\xBFMAMCAQU").unwrap();
        assert_eq!(found[0].as_ref().unwrap().der, der);
    }
}
