//! PKCS#12 truststores that Java accepts: CA certificates without keys, each in a certificate
//! bag carrying a friendlyName (the alias keytool shows) and Oracle's trusted-key-usage
//! attribute. Java's `PKCS12KeyStore` ignores a certificate bag that has neither a key nor this
//! attribute, which is why the output of `openssl pkcs12 -export -nokeys` shows zero entries in
//! Java.
//!
//! ```text
//! trustedKeyUsage ATTRIBUTE ::= { WITH SYNTAX SET OF OBJECT IDENTIFIER
//!                                 ID 2.16.840.1.113894.746875.1.1 }
//! ```
//! Java writes (and we write) one value: anyExtendedKeyUsage (2.5.29.37.0).

use const_oid::ObjectIdentifier;
use const_oid::db::rfc2985;
use der::asn1::BmpString;
use rand_core::CryptoRng;
use x509_cert::attr::Attributes;

use super::ExportParams;
use super::write::{attribute, certificate_bag, encode, encrypted_safe, failed, pfx};
use crate::Error;

/// Oracle's trusted-key-usage bag attribute.
pub const TRUSTED_KEY_USAGE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.113894.746875.1.1");
/// anyExtendedKeyUsage (RFC 5280 section 4.2.1.12).
const ANY_EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// One certificate of a truststore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedCertificate<'a> {
    /// The alias (friendlyName); unique, case-insensitively.
    pub alias: &'a str,
    /// The certificate (DER).
    pub certificate: &'a [u8],
}

/// Writes `certificates` as a PKCS#12 truststore (encrypted and MACed per `params`; its
/// friendly name is not used: each certificate has its own alias).
pub fn write_truststore<R: CryptoRng + ?Sized>(
    certificates: &[TrustedCertificate<'_>],
    params: &ExportParams,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    if certificates.is_empty() {
        return Err(failed("truststore", "no certificate to trust"));
    }
    let mut aliases: Vec<String> = Vec::new();
    let mut bags = Vec::new();
    for trusted in certificates {
        let alias = trusted.alias.to_lowercase();
        if alias.is_empty() || aliases.contains(&alias) {
            let detail = format!("the alias '{alias}' is empty or used twice");
            return Err(failed("truststore", detail));
        }
        let attributes = trusted_attributes(trusted.alias)?;
        bags.push(certificate_bag(trusted.certificate, Some(attributes))?);
        aliases.push(alias);
    }
    let safe = encrypted_safe(&bags, params, "PKCS#12 certificates", rng)?;
    pfx(vec![safe], params, rng)
}

/// friendlyName and trustedKeyUsage = { anyExtendedKeyUsage }.
fn trusted_attributes(alias: &str) -> Result<Attributes, Error> {
    let name = BmpString::from_utf8(alias).map_err(|e| failed("friendly name", e))?;
    let mut attributes = Attributes::new();
    attributes
        .insert(attribute(rfc2985::PKCS_9_AT_FRIENDLY_NAME, encode(&name)?)?)
        .map_err(|e| failed("attributes", e))?;
    attributes
        .insert(attribute(
            TRUSTED_KEY_USAGE,
            encode(&ANY_EXTENDED_KEY_USAGE)?,
        )?)
        .map_err(|e| failed("attributes", e))?;
    Ok(attributes)
}
