//! Certificate profiles: what a root, intermediate, server or client certificate contains.
//!
//! | profile | basicConstraints | keyUsage | extKeyUsage | default validity |
//! |---|---|---|---|---|
//! | `root` | cA, critical | keyCertSign, cRLSign, digitalSignature | - | 10 years |
//! | `intermediate` | cA (optional pathLen), critical | keyCertSign, cRLSign, digitalSignature | - | 5 years |
//! | `server` | cA=FALSE | digitalSignature (+ keyEncipherment for RSA) | serverAuth | 398 days |
//! | `client` | cA=FALSE | digitalSignature | clientAuth | 398 days |
//! | `server+client` | cA=FALSE | digitalSignature (+ keyEncipherment for RSA) | both | 398 days |
//!
//! keyEncipherment only makes sense for RSA keys (TLS 1.2 RSA key transport), so EC and
//! Ed25519 keys never get it (RFC 5480 section 3, RFC 8410 section 5).

use core::fmt;
use core::str::FromStr;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ID_KP_CLIENT_AUTH, ID_KP_SERVER_AUTH};
use serde::Deserialize;

use crate::Error;
use crate::crypto::KeyType;
use crate::verify::KeyUsageBit;

/// What a certificate is for. In JSON: `root`, `intermediate`, `server`, `client` or
/// `server+client` (TypeScript type `CertificateProfile`, not to be confused with the
/// verification profile `VerifyProfile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "CertificateProfile")
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// A self-signed CA, the trust anchor.
    #[serde(alias = "ca")]
    Root,
    /// A CA signed by another CA.
    Intermediate,
    /// A TLS server certificate (serverAuth); needs at least one subjectAltName.
    #[default]
    Server,
    /// A TLS client certificate (clientAuth).
    Client,
    /// Both serverAuth and clientAuth, e.g. for peers in a mesh.
    #[serde(rename = "server+client", alias = "client+server", alias = "peer")]
    ServerClient,
}

impl Profile {
    /// Every profile, by name.
    pub const NAMES: &'static [&'static str] =
        &["root", "intermediate", "server", "client", "server+client"];

    /// The profile's name, e.g. `server+client`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Intermediate => "intermediate",
            Self::Server => "server",
            Self::Client => "client",
            Self::ServerClient => "server+client",
        }
    }

    /// Whether the profile makes a CA certificate.
    pub fn is_ca(self) -> bool {
        matches!(self, Self::Root | Self::Intermediate)
    }

    /// Whether the certificate is for TLS servers (and so needs a subjectAltName).
    pub fn is_server(self) -> bool {
        matches!(self, Self::Server | Self::ServerClient)
    }

    /// Default lifetime in days: 3650 for roots, 1825 for intermediates, 398 for leaves (the
    /// CA/Browser Forum maximum for server certificates).
    pub fn default_days(self) -> u32 {
        match self {
            Self::Root => 3650,
            Self::Intermediate => 1825,
            Self::Server | Self::Client | Self::ServerClient => 398,
        }
    }

    /// The keyUsage bits for a subject key of `key_type` (RFC 5280 section 4.2.1.3).
    pub fn key_usages(self, key_type: KeyType) -> Vec<KeyUsageBit> {
        if self.is_ca() {
            return vec![
                KeyUsageBit::DigitalSignature,
                KeyUsageBit::KeyCertSign,
                KeyUsageBit::CrlSign,
            ];
        }
        let mut usages = vec![KeyUsageBit::DigitalSignature];
        if self.is_server() && key_type.is_rsa() {
            usages.push(KeyUsageBit::KeyEncipherment);
        }
        usages
    }

    /// The extKeyUsage purposes (RFC 5280 section 4.2.1.12), id-kp-serverAuth before
    /// id-kp-clientAuth; none for CAs.
    pub fn extended_key_usages(self) -> Vec<ObjectIdentifier> {
        match self {
            Self::Root | Self::Intermediate => Vec::new(),
            Self::Server => vec![ID_KP_SERVER_AUTH],
            Self::Client => vec![ID_KP_CLIENT_AUTH],
            Self::ServerClient => vec![ID_KP_SERVER_AUTH, ID_KP_CLIENT_AUTH],
        }
    }
}

impl FromStr for Profile {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Error> {
        match name.trim().to_ascii_lowercase().as_str() {
            "root" | "ca" | "root-ca" => Ok(Self::Root),
            "intermediate" | "intermediate-ca" | "sub-ca" => Ok(Self::Intermediate),
            "server" => Ok(Self::Server),
            "client" => Ok(Self::Client),
            "server+client" | "client+server" | "peer" => Ok(Self::ServerClient),
            _ => Err(Error::InvalidProfile {
                detail: format!(
                    "unknown profile '{name}': use root, intermediate, server, client or server+client"
                ),
            }),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in Profile::NAMES {
            assert_eq!(name.parse::<Profile>().unwrap().name(), *name);
        }
        assert_eq!(
            "nope".parse::<Profile>().unwrap_err().code(),
            "InvalidProfile"
        );
    }

    #[test]
    fn key_encipherment_only_for_rsa_servers() {
        let rsa = KeyType::Rsa { bits: 2048 };
        assert!(
            Profile::Server
                .key_usages(rsa)
                .contains(&KeyUsageBit::KeyEncipherment)
        );
        assert!(
            !Profile::Server
                .key_usages(KeyType::P256)
                .contains(&KeyUsageBit::KeyEncipherment)
        );
        assert!(
            !Profile::Client
                .key_usages(rsa)
                .contains(&KeyUsageBit::KeyEncipherment)
        );
    }
}
