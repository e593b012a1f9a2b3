//! Typed X.509 values: certificates, names, extensions, keys and algorithm names.
//!
//! Parsing uses RustCrypto's `x509-cert` with its `Raw` profile, which accepts what real
//! certificates contain (over-long serial numbers, unusual time encodings) so that inspection
//! can show it; whether such a certificate is *valid* is `verify`'s question, not this module's.

pub mod algorithm;
pub mod extensions;
pub mod general_name;
pub mod name;
pub mod public_key;

use der::Decode;
use x509_cert::certificate::{CertificateInner, Raw, TbsCertificateInner};

use crate::Error;

/// An X.509 certificate, parsed without profile checks.
pub type Certificate = CertificateInner<Raw>;
/// The signed part of a [`Certificate`].
pub type TbsCertificate = TbsCertificateInner<Raw>;
/// An X.509 CRL, parsed without profile checks.
pub type Crl = x509_cert::crl::CertificateList<Raw>;
/// A PKCS#10 certification request.
pub type Csr = x509_cert::request::CertReq;

/// Parses one DER-encoded certificate.
pub fn parse_certificate(der: &[u8]) -> Result<Certificate, Error> {
    Certificate::from_der(der).map_err(|error| Error::der("certificate", error))
}

/// Parses one DER-encoded CSR.
pub fn parse_csr(der: &[u8]) -> Result<Csr, Error> {
    Csr::from_der(der).map_err(|error| Error::der("CSR", error))
}

/// Parses one DER-encoded CRL.
pub fn parse_crl(der: &[u8]) -> Result<Crl, Error> {
    Crl::from_der(der).map_err(|error| Error::der("CRL", error))
}

/// Lowercase hexadecimal, no separators.
pub fn hex(bytes: &[u8]) -> String {
    // Digit by digit rather than `write!("{byte:02x}")`: formatting machinery per byte was a
    // visible share of inspecting a trust bundle (fingerprints, key identifiers, serials).
    let digit = |nibble: u8| char::from_digit(u32::from(nibble), 16).unwrap_or('0');
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(digit(byte >> 4));
        out.push(digit(byte & 0x0f));
    }
    out
}

/// A serial number (or any INTEGER's content octets) as lowercase hex without the leading
/// zero octet that DER adds to keep positive numbers positive; negative numbers get a `-` and
/// their magnitude, as `openssl x509 -serial` prints them.
pub fn integer_hex(content: &[u8]) -> String {
    let negative = content.first().is_some_and(|byte| byte & 0x80 != 0);
    if !negative {
        let trimmed = strip_leading_zeros(content);
        return if trimmed.is_empty() {
            "00".to_owned()
        } else {
            hex(trimmed)
        };
    }
    // Two's complement magnitude: invert and add one.
    let mut magnitude: Vec<u8> = content.iter().map(|byte| !byte).collect();
    for byte in magnitude.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    format!("-{}", hex(strip_leading_zeros(&magnitude)))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|byte| **byte == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_print_like_openssl() {
        assert_eq!(integer_hex(&[0x00, 0x8f, 0x01]), "8f01");
        assert_eq!(integer_hex(&[0x00]), "00");
        assert_eq!(integer_hex(&[0x0a, 0x1b]), "0a1b");
        assert_eq!(integer_hex(&[0xff]), "-01");
        assert_eq!(integer_hex(&[0xfe, 0xff]), "-0101");
    }
}
