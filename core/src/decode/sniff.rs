//! What one DER value is: by its PEM label when it has one, else by its ASN.1 shape.

use der::{Decode, asn1::ObjectIdentifier};

use crate::Error;

/// The kinds of item mtlskit recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// X.509 certificate (RFC 5280 section 4.1).
    Certificate,
    /// PKCS#10 certification request (RFC 2986).
    Csr,
    /// X.509 certificate revocation list (RFC 5280 section 5.1).
    Crl,
    /// PKCS#8 `OneAsymmetricKey` (RFC 5958), unencrypted.
    Pkcs8PrivateKey,
    /// PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 section 3).
    EncryptedPkcs8PrivateKey,
    /// PKCS#1 `RSAPrivateKey` (RFC 8017 appendix A.1.2).
    RsaPrivateKey,
    /// SEC1 `ECPrivateKey` (RFC 5915).
    EcPrivateKey,
    /// `SubjectPublicKeyInfo` (RFC 5280 section 4.1.2.7).
    PublicKey,
    /// PKCS#1 `RSAPublicKey` (RFC 8017 appendix A.1.1).
    RsaPublicKey,
    /// PKCS#7 / CMS `ContentInfo`, typically a certificate bundle (RFC 5652, RFC 2315).
    Pkcs7,
    /// PKCS#12 `PFX` (RFC 7292).
    Pkcs12,
    /// `ECParameters` as written by `openssl ecparam` before a SEC1 key.
    EcParameters,
    /// A Java keystore, JKS (`FEEDFEED`) or JCEKS (`CECECECE`); not DER.
    JavaKeystore,
}

impl Kind {
    /// A short name for messages (`certificate`, `CSR`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Certificate => "certificate",
            Self::Csr => "CSR",
            Self::Crl => "CRL",
            Self::Pkcs8PrivateKey => "PKCS#8 private key",
            Self::EncryptedPkcs8PrivateKey => "encrypted PKCS#8 private key",
            Self::RsaPrivateKey => "PKCS#1 RSA private key",
            Self::EcPrivateKey => "SEC1 EC private key",
            Self::PublicKey => "public key",
            Self::RsaPublicKey => "PKCS#1 RSA public key",
            Self::Pkcs7 => "PKCS#7 bundle",
            Self::Pkcs12 => "PKCS#12 file",
            Self::EcParameters => "EC parameters",
            Self::JavaKeystore => "Java keystore",
        }
    }
}

/// Tells what `der` is. `label` is the PEM label, if the item came from PEM.
pub fn sniff(label: Option<&str>, der: &[u8]) -> Result<Kind, Error> {
    match label {
        Some(label) => by_label(label),
        None => by_shape(der),
    }
}

fn by_label(label: &str) -> Result<Kind, Error> {
    Ok(match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Kind::Certificate,
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Kind::Csr,
        "X509 CRL" => Kind::Crl,
        "PRIVATE KEY" => Kind::Pkcs8PrivateKey,
        "ENCRYPTED PRIVATE KEY" => Kind::EncryptedPkcs8PrivateKey,
        "RSA PRIVATE KEY" => Kind::RsaPrivateKey,
        "EC PRIVATE KEY" => Kind::EcPrivateKey,
        "PUBLIC KEY" => Kind::PublicKey,
        "RSA PUBLIC KEY" => Kind::RsaPublicKey,
        "PKCS7" | "PKCS #7 SIGNED DATA" | "CMS" => Kind::Pkcs7,
        "PKCS12" => Kind::Pkcs12,
        "EC PARAMETERS" => Kind::EcParameters,
        other => {
            return Err(Error::UnsupportedPemLabel {
                label: other.to_owned(),
            });
        }
    })
}

/// Tries each structure in an order where no earlier one accepts a later one's encoding.
fn by_shape(der: &[u8]) -> Result<Kind, Error> {
    if crate::keystore::Format::sniff(der).is_some() {
        return Ok(Kind::JavaKeystore);
    }
    type Probe = fn(&[u8]) -> bool;
    let probes: [(Kind, Probe); 10] = [
        (Kind::Certificate, |der| {
            x509_cert::certificate::CertificateInner::<x509_cert::certificate::Raw>::from_der(der)
                .is_ok()
        }),
        (Kind::Csr, |der| crate::x509::parse_csr(der).is_ok()),
        (Kind::Crl, |der| crate::x509::parse_crl(der).is_ok()),
        (Kind::Pkcs12, is_pfx),
        (Kind::Pkcs8PrivateKey, |der| {
            pkcs8::PrivateKeyInfoRef::from_der(der).is_ok()
        }),
        (Kind::EncryptedPkcs8PrivateKey, |der| {
            crate::pkcs12::asn1::read_encrypted_private_key_info(der).is_ok()
        }),
        (Kind::RsaPrivateKey, |der| {
            pkcs1::RsaPrivateKeyRef::from_der(der).is_ok()
        }),
        (Kind::EcPrivateKey, |der| {
            sec1::EcPrivateKey::from_der(der).is_ok()
        }),
        (Kind::PublicKey, |der| {
            spki::SubjectPublicKeyInfoRef::from_der(der).is_ok()
        }),
        (Kind::Pkcs7, is_content_info),
    ];
    if let Some((kind, _)) = probes.iter().find(|(_, probe)| probe(der)) {
        return Ok(*kind);
    }
    if pkcs1::RsaPublicKeyRef::from_der(der).is_ok() {
        return Ok(Kind::RsaPublicKey);
    }
    Err(Error::UnrecognizedInput {
        detail: shape_hint(der),
    })
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
fn is_pfx(der: &[u8]) -> bool {
    // SEQUENCE { version INTEGER (3), authSafe ANY, macData ANY OPTIONAL }
    let head = crate::asn1::read::parse(der, |reader| {
        reader.read_sequence(|pfx| {
            let version = pfx.u64()?;
            pfx.tlv()?;
            if !pfx.is_empty() {
                pfx.tlv()?;
            }
            Ok(version)
        })
    });
    head == Ok(3)
}

/// `ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }` with a
/// PKCS#7 content type (1.2.840.113549.1.7.*).
fn is_content_info(der: &[u8]) -> bool {
    #[derive(der::Sequence)]
    struct ContentInfoHead {
        content_type: ObjectIdentifier,
        #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
        content: Option<der::Any>,
    }
    const PKCS7: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7");
    ContentInfoHead::from_der(der).is_ok_and(|info| info.content_type.parent() == Some(PKCS7))
}

/// Why a DER value was not recognised, for the error message.
fn shape_hint(der: &[u8]) -> String {
    match der::Any::from_der(der) {
        Ok(_) => "valid DER, but not a structure mtlskit knows".to_owned(),
        Err(error) => format!("DER does not decode: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_labels_are_named() {
        let error = sniff(Some("OPENSSH PRIVATE KEY"), &[]).unwrap_err();
        assert_eq!(error.code(), "UnsupportedPemLabel");
        assert!(error.to_string().contains("OPENSSH PRIVATE KEY"));
    }

    #[test]
    fn garbage_der_is_unrecognized() {
        let error = sniff(None, &[0x30, 0x03, 0x02, 0x01, 0x05]).unwrap_err();
        assert_eq!(error.code(), "UnrecognizedInput");
        let error = sniff(None, &[0x30, 0x83, 0x02]).unwrap_err();
        assert_eq!(error.code(), "UnrecognizedInput");
    }

    #[test]
    fn pfx_sniffing_accepts_what_the_der_structure_did() {
        #[derive(der::Sequence)]
        struct PfxHead {
            version: u8,
            auth_safe: der::Any,
            mac_data: Option<der::Any>,
        }
        let before = |der: &[u8]| PfxHead::from_der(der).is_ok_and(|pfx| pfx.version == 3);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut compared = 0;
        for entry in std::fs::read_dir(root.join("fuzz/corpus/pkcs12")).unwrap() {
            let der = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(is_pfx(&der));
            for at in 0..der.len() {
                for byte in [0x00, 0x80, 0xff, 0x02, 0x04] {
                    let mut changed = der.clone();
                    changed[at] = byte;
                    assert_eq!(is_pfx(&changed), before(&changed), "{byte:#x} at {at}");
                }
                assert_eq!(is_pfx(&der[..at]), before(&der[..at]), "cut at {at}");
                compared += 6;
            }
        }
        assert!(compared > 30_000, "{compared}");
    }
}
