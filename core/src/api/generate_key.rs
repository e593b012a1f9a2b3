//! `generate_key`: a new private key, PKCS#8 PEM, optionally encrypted (`mtlskit key new`).

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{ApiError, Password, at};
use crate::crypto::keys::pem;
use crate::crypto::{KeyType, SigningKey};

/// The key to generate.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct GenerateKeyRequest {
    /// `p256` (default), `p384`, `ed25519`, `rsa2048`, `rsa3072`, `rsa4096`.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_type: Option<String>,
    /// Encrypt the key (PKCS#8, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC) with this
    /// password.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub password: Option<Password>,
}

/// The new key.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct GenerateKeyResponse {
    /// The private key: `PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with a password; wiped when
    /// dropped.
    #[cfg_attr(feature = "typescript", ts(as = "String"))]
    pub key: Zeroizing<String>,
    /// Its public key, PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    pub public_key: String,
    /// The key type's name, e.g. `p256`.
    pub key_type: String,
}

/// Generates the key described by `request` with randomness from `rng`.
pub fn generate_key<R: CryptoRng + ?Sized>(
    request: &GenerateKeyRequest,
    rng: &mut R,
) -> Result<GenerateKeyResponse, ApiError> {
    let name = request.key_type.as_deref().unwrap_or("p256");
    let key_type: KeyType = name.parse().map_err(at("key_type"))?;
    let key = SigningKey::generate(key_type, rng)?;
    let private = match &request.password {
        Some(password) => Zeroizing::new(key.to_encrypted_pkcs8_pem(password, rng)?),
        None => key.to_pkcs8_pem()?,
    };
    Ok(GenerateKeyResponse {
        key: private,
        public_key: pem("PUBLIC KEY", key.public_key().spki_der())?,
        key_type: key_type.name(),
    })
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::Error;

    #[test]
    fn generates_plain_and_encrypted_keys() {
        let mut rng = StdRng::seed_from_u64(11);
        let plain = generate_key(&GenerateKeyRequest::default(), &mut rng).unwrap();
        assert!(plain.key.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(plain.public_key.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(plain.key_type, "p256");
        let request = GenerateKeyRequest {
            key_type: Some("ed25519".into()),
            password: Some(Password::from("secret")),
        };
        let encrypted = generate_key(&request, &mut rng).unwrap();
        assert!(
            encrypted
                .key
                .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        );
        let opened = SigningKey::from_bytes(encrypted.key.as_bytes(), Some("secret")).unwrap();
        assert_eq!(opened.key_type(), KeyType::Ed25519);
    }

    #[test]
    fn unknown_key_types_name_the_field() {
        let request = GenerateKeyRequest {
            key_type: Some("dsa".into()),
            password: None,
        };
        let error = generate_key(&request, &mut StdRng::seed_from_u64(11)).unwrap_err();
        assert!(matches!(error.error, Error::UnknownKeyType { .. }));
        assert_eq!(error.input.as_deref(), Some("key_type"));
    }
}
