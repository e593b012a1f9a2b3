//! The Java side of `mtlskit convert`: `--to jks` (a key and its chain, or a truststore),
//! `--to p12 --truststore` (CA certificates as trusted entries Java recognises) and Java
//! keystores (JKS, JCEKS) back to PEM.

use mtlskit::Error;
use mtlskit::crypto::SigningKey;
use mtlskit::keystore::{self, EntryContents, NewEntry};
use mtlskit::pkcs12::{self, ExportParams, TrustedCertificate};
use mtlskit::secret::{Password, SecretBytes};
use zeroize::Zeroizing;

use super::args;
use super::report::{CliError, no_file};

/// A JKS file: `key` with `chain` (leaf first) as one `PrivateKeyEntry`, or without a key
/// every certificate of `chain` as a `trustedCertEntry`.
pub fn to_jks(
    key: Option<&SigningKey>,
    chain: &[Vec<u8>],
    name: Option<&str>,
    password: &str,
) -> Result<Vec<u8>, CliError> {
    let now = args::time(None)?;
    let mut rng = args::rng();
    let written = match key {
        Some(key) => {
            let entry = NewEntry::PrivateKey {
                alias: name.unwrap_or("mykey"),
                key,
                chain,
            };
            keystore::write_jks(&[entry], password, now, &mut rng)
        }
        None => {
            let aliases = aliases(chain, name);
            let entries: Vec<NewEntry<'_>> = chain
                .iter()
                .zip(&aliases)
                .map(|(certificate, alias)| NewEntry::TrustedCertificate { alias, certificate })
                .collect();
            keystore::write_jks(&entries, password, now, &mut rng)
        }
    };
    written.map_err(no_file)
}

/// A PKCS#12 truststore of `certificates` that Java loads as `trustedCertEntry`s.
pub fn to_p12_truststore(
    certificates: &[Vec<u8>],
    name: Option<&str>,
    params: &ExportParams,
) -> Result<Vec<u8>, CliError> {
    let aliases = aliases(certificates, name);
    let trusted: Vec<TrustedCertificate<'_>> = certificates
        .iter()
        .zip(&aliases)
        .map(|(certificate, alias)| TrustedCertificate { alias, certificate })
        .collect();
    pkcs12::write_truststore(&trusted, params, &mut args::rng()).map_err(no_file)
}

/// The keys (opened with the key password, or the store password) and certificates of a
/// Java keystore, as PEM. Secret keys have no PEM form and are left out.
pub fn keystore_to_pem(
    input: &[u8],
    password: Option<Password>,
    key_password: Option<Password>,
    path: &str,
) -> Result<SecretBytes, CliError> {
    let in_file = |error| CliError::in_file(error, path);
    let password = password.ok_or_else(|| {
        in_file(Error::PasswordRequired {
            item: "Java keystore",
        })
    })?;
    let store = keystore::read(input, Some(password.as_str())).map_err(in_file)?;
    let key_password = key_password.unwrap_or_else(|| password.clone());
    let mut text = Zeroizing::new(String::new());
    for entry in &store.entries {
        let certificates = match &entry.contents {
            EntryContents::PrivateKey { key, chain } => {
                let plain = key.open(key_password.as_str()).map_err(in_file)?;
                text.push_str(&Zeroizing::new(pem("PRIVATE KEY", &plain)?));
                chain.as_slice()
            }
            EntryContents::TrustedCertificate { certificate } => core::slice::from_ref(certificate),
            EntryContents::SecretKey(_) => &[],
        };
        for certificate in certificates {
            text.push_str(&pem("CERTIFICATE", certificate)?);
        }
    }
    Ok(text.into())
}

/// `name` for a single certificate, else one alias per subject common name.
fn aliases(certificates: &[Vec<u8>], name: Option<&str>) -> Vec<String> {
    match (name, certificates) {
        (Some(name), [_]) => vec![name.to_owned()],
        _ => keystore::aliases_for(certificates),
    }
}

fn pem(label: &str, der: &[u8]) -> Result<String, CliError> {
    mtlskit::crypto::keys::pem(label, der).map_err(no_file)
}
