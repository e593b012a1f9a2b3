//! What one DER value is: by its PEM label when it has one, else by its ASN.1 shape.

use crate::Error;
use crate::asn1::read;
use crate::crypto::keys::encoding;

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
            crate::x509::parse_certificate(der).is_ok()
        }),
        (Kind::Csr, |der| crate::x509::parse_csr(der).is_ok()),
        (Kind::Crl, |der| crate::x509::parse_crl(der).is_ok()),
        (Kind::Pkcs12, is_pfx),
        (Kind::Pkcs8PrivateKey, |der| {
            encoding::read_private_key_info(der).is_ok()
        }),
        (Kind::EncryptedPkcs8PrivateKey, |der| {
            crate::pkcs12::asn1::read_encrypted_private_key_info(der).is_ok()
        }),
        (Kind::RsaPrivateKey, |der| {
            encoding::read_rsa_private_key_public_part(der).is_ok()
        }),
        (Kind::EcPrivateKey, |der| {
            encoding::read_ec_private_key(der).is_ok()
        }),
        (Kind::PublicKey, |der| {
            crate::crypto::parse_spki(der).is_ok()
        }),
        (Kind::Pkcs7, is_content_info),
    ];
    if let Some((kind, _)) = probes.iter().find(|(_, probe)| probe(der)) {
        return Ok(*kind);
    }
    if encoding::read_rsa_public_key(der).is_ok() {
        return Ok(Kind::RsaPublicKey);
    }
    Err(Error::UnrecognizedInput {
        detail: shape_hint(der),
    })
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
fn is_pfx(der: &[u8]) -> bool {
    // SEQUENCE { version INTEGER (3), authSafe ANY, macData ANY OPTIONAL }
    let head = read::parse(der, |reader| {
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

/// `ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY
/// OPTIONAL }` with a PKCS#7 content type (1.2.840.113549.1.7.*).
fn is_content_info(der: &[u8]) -> bool {
    /// 1.2.840.113549.1.7, the arcs every PKCS#7 content type starts with.
    const PKCS7: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];
    let content_type = read::parse(der, |reader| {
        reader.read_sequence(|fields| {
            let content_type = fields.oid()?;
            if let Some(mut content) = fields.optional_explicit(0)? {
                content.tlv()?;
                content.finish()?;
            }
            Ok(content_type)
        })
    });
    // The parent is PKCS7 when the OID is PKCS7 and one more arc (a single terminated
    // base-128 group, the reader having checked the arcs).
    content_type.is_ok_and(|oid| {
        oid.strip_prefix(PKCS7).is_some_and(|last| {
            !last.is_empty() && last.iter().filter(|byte| **byte & 0x80 == 0).count() == 1
        })
    })
}

/// Why a DER value was not recognised, for the error message.
fn shape_hint(der: &[u8]) -> String {
    match read::parse(der, |reader| reader.tlv()) {
        Ok(_) => "valid DER, but not a structure mtlskit knows".to_owned(),
        Err(error) => format!("DER does not decode: {error}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use der::Decode;

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

    /// `by_shape` as it was, on the `der`, `pkcs8`, `pkcs1`, `sec1` and `spki` decoders.
    pub(crate) fn by_shape_before(der: &[u8]) -> Result<Kind, Error> {
        use der::asn1::ObjectIdentifier;
        fn is_content_info(der: &[u8]) -> bool {
            #[derive(der::Sequence)]
            struct ContentInfoHead {
                content_type: ObjectIdentifier,
                #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
                content: Option<der::Any>,
            }
            const PKCS7: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7");
            ContentInfoHead::from_der(der)
                .is_ok_and(|info| info.content_type.parent() == Some(PKCS7))
        }
        if crate::keystore::Format::sniff(der).is_some() {
            return Ok(Kind::JavaKeystore);
        }
        type Probe = fn(&[u8]) -> bool;
        let probes: [(Kind, Probe); 10] = [
            (Kind::Certificate, |der| {
                x509_cert::certificate::CertificateInner::<x509_cert::certificate::Raw>::from_der(
                    der,
                )
                .is_ok()
            }),
            (Kind::Csr, |der| {
                x509_cert::request::CertReq::from_der(der).is_ok()
            }),
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
            detail: String::new(),
        })
    }

    /// Every DER item of the fuzz corpora, the parity inputs and the openssl-made keys (the
    /// large certificates only a few).
    pub(crate) fn corpus() -> Vec<Vec<u8>> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders: Vec<_> = [
            "certificate",
            "crl",
            "csr",
            "decode",
            "inspect",
            "keys",
            "pkcs12",
            "keystore",
        ]
        .iter()
        .map(|name| root.join("fuzz/corpus").join(name))
        .collect();
        folders.push(root.join("../tests/parity/inputs"));
        folders.push(root.join("tests/data/keys"));
        let mut ders = Vec::new();
        for folder in folders {
            for entry in std::fs::read_dir(folder).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                match crate::decode::blocks(&bytes) {
                    Ok(blocks) => ders.extend(blocks.into_iter().flatten().map(|b| b.der)),
                    Err(_) => ders.push(bytes),
                }
            }
        }
        ders.sort();
        ders.dedup();
        let mut certificates = 0;
        ders.retain(|der| match by_shape_before(der) {
            Ok(Kind::Certificate) => {
                certificates += 1;
                certificates <= 6 && der.len() < 1_500
            }
            _ => der.len() < 4_000,
        });
        ders
    }

    /// `by_shape` on the core's readers says what it said on the crates' decoders, for every
    /// item of the corpora and every one-byte change and truncation of them.
    #[test]
    fn sniffs_as_with_the_crates_on_the_corpora_and_every_one_byte_change() {
        let ders = corpus();
        let mut kinds = std::collections::BTreeMap::new();
        let changed = crate::x509::test_corpus::one_byte_changes(
            ders.clone(),
            1,
            &[0x00, 0x01, 0x02, 0x05, 0x30, 0x80, 0xa0, 0xff],
            &[0x01, 0x80],
        );
        for der in ders.iter().chain(&changed) {
            let ours = by_shape(der).map_err(|error| error.code());
            let theirs = by_shape_before(der).map_err(|error| error.code());
            assert_eq!(ours, theirs, "{der:02x?}");
            *kinds.entry(format!("{ours:?}")).or_insert(0usize) += 1;
        }
        eprintln!("{} items, {} changed: {kinds:?}", ders.len(), changed.len());
        assert!(kinds.len() >= 11, "{kinds:?}");
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
