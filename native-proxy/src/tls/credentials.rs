//! A certificate chain and its private key, read from files into rustls types.
//!
//! Two shapes of input, as the field notes use them: a PEM (or DER) certificate file, leaf
//! first with any intermediates after it, plus a key file (`--cert` / `--key`); or a PKCS#12
//! file (`--p12`) with its password. The private key is checked against the leaf before any
//! socket opens, so a mismatched pair is a clear input error rather than a handshake failure.

use std::sync::Arc;

use mtlskit::Error;
use mtlskit::crypto::SigningKey;
use mtlskit::pkcs12;
use mtlskit::secret::Password;
use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::cli::files;
use crate::cli::report::CliError;

/// A certificate chain (leaf first) and its private key, ready for rustls.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The certified key rustls sends and signs with.
    pub certified_key: Arc<CertifiedKey>,
    /// The chain as DER, leaf first (also in `certified_key`; kept for reports).
    pub chain: Vec<Vec<u8>>,
    /// The file the certificate came from, for messages.
    pub source: String,
}

/// Reads `certificate_path` (leaf first, then intermediates) and `key_path` (PEM or DER,
/// PKCS#8, PKCS#1 or SEC1; `password` opens an encrypted PKCS#8 key).
pub fn from_pem_files(
    certificate_path: &str,
    key_path: &str,
    password: Option<&str>,
    provider: &CryptoProvider,
) -> Result<Credentials, CliError> {
    let chain = files::read_certificates(certificate_path)?;
    let key = files::read_key(key_path, password)?;
    assemble(chain, &key, provider, certificate_path, key_path)
}

/// Reads a PKCS#12 file: its first private key, the certificate of that key (wherever it is
/// in the file), then the other certificates in file order as the chain.
pub fn from_pkcs12_file(
    path: &str,
    password: &Password,
    provider: &CryptoProvider,
) -> Result<Credentials, CliError> {
    let bytes = files::read_input(path)?;
    let contents =
        pkcs12::read(&bytes, password).map_err(|error| CliError::in_file(error, path))?;
    let Some(key_item) = contents.keys.first() else {
        return Err(unrecognized("the PKCS#12 file holds no private key", path));
    };
    let key = SigningKey::from_pkcs8_der(key_item.der.as_bytes())
        .map_err(|error| CliError::in_file(error, path))?;
    let (leaf, rest): (Vec<Vec<u8>>, Vec<Vec<u8>>) = contents
        .certificates
        .into_iter()
        .map(|item| item.der)
        .partition(|der| {
            subject_public_key_info(der).as_deref() == Some(key.public_key().spki_der())
        });
    let Some(leaf) = leaf.into_iter().next() else {
        return Err(unrecognized(
            "no certificate in the PKCS#12 file belongs to its private key",
            path,
        ));
    };
    let chain = std::iter::once(leaf).chain(rest).collect();
    assemble(chain, &key, provider, path, path)
}

fn subject_public_key_info(certificate: &[u8]) -> Option<Vec<u8>> {
    let parsed = mtlskit::x509::parse_certificate(certificate).ok()?;
    Some(parsed.spki_der().to_vec())
}

fn unrecognized(detail: &str, path: &str) -> CliError {
    let error = Error::UnrecognizedInput {
        detail: detail.to_owned(),
    };
    CliError::in_file(error, path)
}

/// Pairs `chain` with `key` for rustls, refusing a key that does not belong to the leaf.
fn assemble(
    chain: Vec<Vec<u8>>,
    key: &SigningKey,
    provider: &CryptoProvider,
    certificate_path: &str,
    key_path: &str,
) -> Result<Credentials, CliError> {
    let pkcs8 = key
        .to_pkcs8_der()
        .map_err(|error| CliError::in_file(error, key_path))?;
    // rustls wipes the DER it is given (Zeroizing) once the key is loaded.
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pkcs8.as_bytes().to_vec()));
    let signing_key = provider
        .key_provider
        .load_private_key(key_der)
        .map_err(|error| {
            let error = Error::InvalidKey {
                detail: format!("rustls cannot sign with this key: {error}"),
            };
            CliError::in_file(error, key_path)
        })?;
    let certificates: Vec<CertificateDer<'static>> = chain
        .iter()
        .map(|der| CertificateDer::from(der.clone()))
        .collect();
    let certified_key = CertifiedKey::new(certificates, signing_key);
    let mismatch = rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch);
    if certified_key.keys_match().err() == Some(mismatch) {
        let error = Error::InvalidKey {
            detail: format!(
                "this private key does not belong to the certificate in {certificate_path}"
            ),
        };
        return Err(CliError::in_file(error, key_path));
    }
    Ok(Credentials {
        certified_key: Arc::new(certified_key),
        chain,
        source: certificate_path.to_owned(),
    })
}
