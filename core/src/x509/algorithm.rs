//! Names of signature algorithms, as OpenSSL prints them (`sha256WithRSAEncryption`,
//! `ecdsa-with-SHA256`, `ED25519`), and of well-known object identifiers.

use const_oid::ObjectIdentifier;

/// The name of a signature algorithm OID, or the dotted OID when it is not a known one.
pub fn signature_name(oid: &ObjectIdentifier) -> String {
    let dotted = super::dotted_text(oid);
    let name = match dotted.as_ref() {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa_with_SHA256",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        _ => return dotted.into_owned(),
    };
    name.to_owned()
}

/// Whether a signature algorithm relies on a hash function broken for collisions (MD2, MD5,
/// SHA-1), so that issuers should no longer use it.
pub fn is_weak_signature(oid: &ObjectIdentifier) -> bool {
    matches!(
        super::dotted_text(oid).as_ref(),
        "1.2.840.113549.1.1.2"
            | "1.2.840.113549.1.1.4"
            | "1.2.840.113549.1.1.5"
            | "1.2.840.10045.4.1"
            | "1.2.840.10040.4.3"
    )
}

/// The name of an extended key usage purpose (RFC 5280 section 4.2.1.12), or the dotted OID.
pub fn key_purpose_name(oid: &ObjectIdentifier) -> String {
    let dotted = super::dotted_text(oid);
    let name = match dotted.as_ref() {
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        "1.3.6.1.5.5.7.3.1" => "serverAuth",
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.5" => "ipsecEndSystem",
        "1.3.6.1.5.5.7.3.6" => "ipsecTunnel",
        "1.3.6.1.5.5.7.3.7" => "ipsecUser",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        "1.3.6.1.5.5.7.3.17" => "ipsecIKE",
        "1.3.6.1.4.1.311.10.3.3" => "msSGC",
        "1.3.6.1.4.1.311.20.2.2" => "msSmartcardLogin",
        "2.16.840.1.113730.4.1" => "nsSGC",
        _ => return dotted.into_owned(),
    };
    name.to_owned()
}

/// The name of an access method (RFC 5280 sections 4.2.2.1 and 4.2.2.2), or the dotted OID.
pub fn access_method_name(oid: &ObjectIdentifier) -> String {
    match super::dotted_text(oid).as_ref() {
        "1.3.6.1.5.5.7.48.1" => "OCSP".to_owned(),
        "1.3.6.1.5.5.7.48.2" => "caIssuers".to_owned(),
        "1.3.6.1.5.5.7.48.3" => "timeStamping".to_owned(),
        "1.3.6.1.5.5.7.48.5" => "caRepository".to_owned(),
        other => other.to_owned(),
    }
}

/// The name of a certificate policy (RFC 5280 section 4.2.1.4 and CA/B Forum ones), or `None`.
pub fn policy_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    Some(match super::dotted_text(oid).as_ref() {
        "2.5.29.32.0" => "anyPolicy",
        "2.23.140.1.1" => "CA/B Forum EV",
        "2.23.140.1.2.1" => "CA/B Forum domain validated",
        "2.23.140.1.2.2" => "CA/B Forum organization validated",
        "2.23.140.1.2.3" => "CA/B Forum individual validated",
        _ => return None,
    })
}
