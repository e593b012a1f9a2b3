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
use rand_core::CryptoRng;

use super::ExportParams;
use super::write::{attribute, bmp_error, certificate_bag, encrypted_safe, failed, pfx};
use crate::Error;
use crate::asn1::write;

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
    let size = certificates.iter().map(|c| c.certificate.len() + 128).sum();
    let mut bags = Vec::with_capacity(size);
    for trusted in certificates {
        let alias = trusted.alias.to_lowercase();
        if alias.is_empty() || aliases.contains(&alias) {
            let detail = format!("the alias '{alias}' is empty or used twice");
            return Err(failed("truststore", detail));
        }
        let attributes = trusted_attributes(trusted.alias)?;
        certificate_bag(&mut bags, trusted.certificate, Some(&attributes));
        aliases.push(alias);
    }
    let safe = encrypted_safe(&bags, params, "PKCS#12 certificates", rng)?;
    pfx(&[safe], params, rng)
}

/// friendlyName and trustedKeyUsage = { anyExtendedKeyUsage }: the DER `SET OF Attribute`.
fn trusted_attributes(alias: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(64 + 2 * alias.len());
    write::set_of(&mut out, |out| {
        attribute(out, &rfc2985::PKCS_9_AT_FRIENDLY_NAME, |out| {
            write::bmp_string(out, alias)
        })?;
        attribute(out, &TRUSTED_KEY_USAGE, |out| {
            write::oid(out, &ANY_EXTENDED_KEY_USAGE);
            Ok(())
        })
    })
    .map_err(bmp_error)?;
    Ok(out)
}
