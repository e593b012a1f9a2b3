//! Writing JKS files (version 2) that Java's `KeyStore.getInstance("JKS")` and keytool load:
//! private keys under the JKS key protector with the store password (what Java's
//! `KeyManagerFactory.init(store, password)` expects), trusted certificates as is.

use rand_core::CryptoRng;

use super::read::{JKS_KEY_PROTECTOR, encode_modified_utf8, integrity_digest};
use super::{MAX_CHAIN, MAX_ENTRIES, protect};
use crate::asn1::write as der_write;
use crate::crypto::SigningKey;
use crate::{Error, UnixTime};

/// One entry of a keystore to write.
#[derive(Debug, Clone, Copy)]
pub enum NewEntry<'a> {
    /// keytool's `PrivateKeyEntry`: a key and its chain, leaf first.
    PrivateKey {
        /// The alias (JKS stores it lowercased).
        alias: &'a str,
        /// The private key.
        key: &'a SigningKey,
        /// The certificates (DER), leaf first.
        chain: &'a [Vec<u8>],
    },
    /// keytool's `trustedCertEntry`: a certificate Java trusts as an anchor.
    TrustedCertificate {
        /// The alias (JKS stores it lowercased).
        alias: &'a str,
        /// The certificate (DER).
        certificate: &'a [u8],
    },
}

/// Writes `entries` as a JKS file protected by `password` (the store and every key), dated
/// `now`, with key salts from `rng`.
pub fn write_jks<R: CryptoRng + ?Sized>(
    entries: &[NewEntry<'_>],
    password: &str,
    now: UnixTime,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    if password.is_empty() {
        return Err(failed("a JKS keystore needs a password".to_owned()));
    }
    if entries.len() > MAX_ENTRIES {
        return Err(failed(format!("more than {MAX_ENTRIES} entries")));
    }
    let created = now.seconds().saturating_mul(1000).to_be_bytes();
    let count = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    out.extend_from_slice(&[0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]);
    out.extend_from_slice(&count.to_be_bytes());
    let mut aliases: Vec<String> = Vec::new();
    for entry in entries {
        let (tag, alias) = match entry {
            NewEntry::PrivateKey { alias, .. } => (1u32, alias.to_lowercase()),
            NewEntry::TrustedCertificate { alias, .. } => (2, alias.to_lowercase()),
        };
        if alias.is_empty() || aliases.contains(&alias) {
            return Err(failed(format!(
                "the alias '{alias}' is empty or used twice"
            )));
        }
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&utf(&alias)?);
        out.extend_from_slice(&created);
        match entry {
            NewEntry::PrivateKey { key, chain, .. } => {
                write_key(&mut out, key, chain, password, rng)?;
            }
            NewEntry::TrustedCertificate { certificate, .. } => {
                write_certificate(&mut out, certificate)?;
            }
        }
        aliases.push(alias);
    }
    let digest = integrity_digest(password, &out);
    out.extend_from_slice(&digest);
    Ok(out)
}

fn write_key<R: CryptoRng + ?Sized>(
    out: &mut Vec<u8>,
    key: &SigningKey,
    chain: &[Vec<u8>],
    password: &str,
    rng: &mut R,
) -> Result<(), Error> {
    if chain.is_empty() || chain.len() > MAX_CHAIN {
        return Err(failed(format!(
            "a private key entry needs 1 to {MAX_CHAIN} certificates"
        )));
    }
    let plain = key.to_pkcs8_der()?;
    let sealed = protect::jks_seal(&plain, password, rng);
    let der = protected_key_info(&sealed);
    out.extend_from_slice(&length(der.len())?);
    out.extend_from_slice(&der);
    out.extend_from_slice(&length(chain.len())?);
    for certificate in chain {
        write_certificate(out, certificate)?;
    }
    Ok(())
}

/// `EncryptedPrivateKeyInfo { { JKS key protector, NULL }, OCTET STRING sealed }`, as Java
/// writes a protected key.
fn protected_key_info(sealed: &[u8]) -> Vec<u8> {
    let mut der = Vec::with_capacity(sealed.len() + 32);
    der_write::sequence(&mut der, |out| {
        der_write::sequence(out, |out| {
            der_write::oid(out, &JKS_KEY_PROTECTOR);
            der_write::null(out);
        });
        der_write::octet_string(out, sealed);
    });
    der
}

fn write_certificate(out: &mut Vec<u8>, certificate: &[u8]) -> Result<(), Error> {
    out.extend_from_slice(&utf("X.509")?);
    out.extend_from_slice(&length(certificate.len())?);
    out.extend_from_slice(certificate);
    Ok(())
}

fn utf(text: &str) -> Result<Vec<u8>, Error> {
    encode_modified_utf8(text).ok_or_else(|| failed(format!("'{text}' is too long")))
}

fn length(value: usize) -> Result<[u8; 4], Error> {
    u32::try_from(value)
        .map(u32::to_be_bytes)
        .map_err(|_| failed("an item longer than 4 GiB".to_owned()))
}

fn failed(detail: String) -> Error {
    Error::Issuance {
        detail: format!("JKS keystore: {detail}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]
    use super::*;
    use crate::crypto::KeyType;
    use crate::keystore::{EntryContents, read};

    #[test]
    fn written_stores_read_back_with_their_entries_and_keys() {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(3);
        let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
        let chain = vec![vec![0x30, 0x00]];
        let entries = [
            NewEntry::PrivateKey {
                alias: "Server",
                key: &key,
                chain: &chain,
            },
            NewEntry::TrustedCertificate {
                alias: "ca",
                certificate: &[0x30, 0x01, 0x00],
            },
        ];
        let store = write_jks(&entries, "s3cret", UnixTime(1_700_000_000), &mut rng).unwrap();
        let opened = read(&store, Some("s3cret")).unwrap();
        assert!(opened.verified);
        assert_eq!(opened.entries[0].alias, "server");
        assert_eq!(opened.entries[1].created_millis, 1_700_000_000_000);
        let EntryContents::PrivateKey {
            key: protected,
            chain: read_chain,
        } = &opened.entries[0].contents
        else {
            panic!("not a key entry");
        };
        assert_eq!(read_chain, &chain);
        assert_eq!(
            *protected.open("s3cret").unwrap(),
            key.to_pkcs8_der().unwrap().as_bytes()
        );
        assert_eq!(
            read(&store, Some("other")).unwrap_err().code(),
            "WrongPassword"
        );
        let twice = [entries[1], entries[1]];
        assert!(write_jks(&twice, "pw", UnixTime(0), &mut rng).is_err());
    }

    /// The key protection's DER against the `der` structure it was written with before.
    #[test]
    fn protected_key_info_matches_the_der_structure() {
        #[derive(der::Sequence)]
        struct EncryptedKeyInfo {
            algorithm: spki::AlgorithmIdentifierOwned,
            encrypted: der::asn1::OctetString,
        }
        for len in [0usize, 20, 107, 108, 1_300, 70_000] {
            let sealed: Vec<u8> = (0..len).map(|at| at as u8).collect();
            let theirs = EncryptedKeyInfo {
                algorithm: spki::AlgorithmIdentifierOwned {
                    oid: JKS_KEY_PROTECTOR,
                    parameters: Some(der::asn1::Any::null()),
                },
                encrypted: der::asn1::OctetString::new(sealed.clone()).unwrap(),
            };
            let theirs = der::Encode::to_der(&theirs).unwrap();
            assert_eq!(protected_key_info(&sealed), theirs, "{len}");
        }
    }
}
