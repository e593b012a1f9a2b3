//! The Java side of `convert`: `to: "jks"` (a key and its chain, or a truststore), `to: "p12"`
//! with `truststore` (CA certificates as trusted entries Java recognises) and Java keystores
//! (JKS, JCEKS) back to PEM.

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::{ConvertRequest, ConvertResponse, FileContents, required_password};
use crate::api::to_pkcs12::{certificates, key_and_chain};
use crate::api::{ApiError, Bytes, at};
use crate::crypto::keys::pem;
use crate::keystore::{self, EntryContents, NewEntry};
use crate::pkcs12::{self, ExportParams, TrustedCertificate};
use crate::{Error, UnixTime};

/// A JKS file: `key` with the certificates (leaf first) as one `PrivateKeyEntry`, or without
/// a key every certificate as a `trustedCertEntry`.
pub(super) fn to_jks<R: CryptoRng + ?Sized>(
    request: &ConvertRequest,
    time: UnixTime,
    rng: &mut R,
) -> Result<ConvertResponse, ApiError> {
    let password = required_password(request, "JKS keystore", "password")?;
    let Some(key) = &request.key else {
        let trusted = certificates(&request.data, &request.chain)?;
        let aliases = aliases(&trusted, request.friendly_name.as_deref());
        let entries: Vec<NewEntry<'_>> = trusted
            .iter()
            .zip(&aliases)
            .map(|(certificate, alias)| NewEntry::TrustedCertificate { alias, certificate })
            .collect();
        let store =
            keystore::write_jks(&entries, password.as_str(), time, rng).map_err(at("password"))?;
        return Ok(binary(store, "Java truststore (JKS)", false));
    };
    let key_password = request.key_password.as_ref().unwrap_or(&password);
    let (key, chain) = key_and_chain(&request.data, &request.chain, key, key_password)?;
    let entry = NewEntry::PrivateKey {
        alias: request.friendly_name.as_deref().unwrap_or("mykey"),
        key: &key,
        chain: &chain,
    };
    let store =
        keystore::write_jks(&[entry], password.as_str(), time, rng).map_err(at("password"))?;
    Ok(binary(store, "Java keystore (JKS)", true))
}

/// A PKCS#12 truststore of the certificates that Java loads as `trustedCertEntry`s.
pub(super) fn to_p12_truststore<R: CryptoRng + ?Sized>(
    request: &ConvertRequest,
    rng: &mut R,
) -> Result<ConvertResponse, ApiError> {
    if request.key.is_some() {
        let error = Error::InvalidRequest {
            detail: "truststore: a truststore holds certificates only, not key".into(),
        };
        return Err(ApiError::new(error, "key"));
    }
    let password = required_password(request, "PKCS#12 truststore", "password")?;
    let trusted = certificates(&request.data, &request.chain)?;
    let aliases = aliases(&trusted, request.friendly_name.as_deref());
    let entries: Vec<TrustedCertificate<'_>> = trusted
        .iter()
        .zip(&aliases)
        .map(|(certificate, alias)| TrustedCertificate { alias, certificate })
        .collect();
    let params = ExportParams {
        password,
        legacy: request.legacy,
        ..ExportParams::default()
    };
    let store = pkcs12::write_truststore(&entries, &params, rng)
        .map_err(at(&request.data.label("data")))?;
    Ok(binary(store, "Java truststore (PKCS#12)", false))
}

/// The keys (opened with the key password, or the store password) and certificates of the
/// Java keystore `der`, as PEM. Secret keys have no PEM form and are left out.
pub(super) fn keystore_to_pem(
    request: &ConvertRequest,
    der: &[u8],
) -> Result<ConvertResponse, ApiError> {
    let label = request.data.label("data");
    let password = required_password(request, "Java keystore", "data")?;
    let store = keystore::read(der, Some(password.as_str())).map_err(at(&label))?;
    let key_password = request.key_password.as_ref().unwrap_or(&password);
    let mut text = Zeroizing::new(String::new());
    for entry in &store.entries {
        let certificates = match &entry.contents {
            EntryContents::PrivateKey { key, chain } => {
                let plain = key.open(key_password.as_str()).map_err(at(&label))?;
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
    Ok(ConvertResponse {
        contents: FileContents::Text(core::mem::take(&mut *text)),
        kind: "PEM keys and certificates",
        secret: true,
    })
}

/// `name` for a single certificate, else one alias per subject common name.
fn aliases(certificates: &[Vec<u8>], name: Option<&str>) -> Vec<String> {
    match (name, certificates) {
        (Some(name), [_]) => vec![name.to_owned()],
        _ => keystore::aliases_for(certificates),
    }
}

fn binary(contents: Vec<u8>, kind: &'static str, secret: bool) -> ConvertResponse {
    ConvertResponse {
        contents: FileContents::Binary(Bytes(contents)),
        kind,
        secret,
    }
}
