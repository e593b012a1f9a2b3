//! Issuance: keys, certificates by profile, CSRs, chains and whole private PKIs.
//!
//! Issuance takes plain data ([`CertificateParams`], public fields and `Default`) plus the
//! time and a random number generator from the caller, and returns values with `.der()` and
//! `.pem()`. The core's DER writer (`crate::asn1::write`) writes the ASN.1; the keys in
//! [`crate::crypto::keys`] sign it.
//!
//! - [`self_signed`] / [`signed`]: a certificate from params, a subject key and an [`Issuer`].
//! - [`create_request`] / [`prepare_request`] / [`sign_request`]: PKCS#10 CSRs.
//! - [`bundle`]: order an unordered set of certificates into a chain.
//! - [`pki`]: a root, intermediate, server and clients in one call (`mtlskit pki init`).

pub mod bundle;
mod certificate;
mod csr;
mod issuer;
mod names;
mod params;
pub mod pki;
mod profile;
mod sign;

pub use certificate::{CertificateRequest, IssuedCertificate, fingerprint};
pub use csr::{PreparedRequest, RequestParams, create_request, prepare_request, sign_request};
pub use issuer::Issuer;
pub use names::{NameConstraint, SubjectAltName};
pub use params::{CertificateParams, Subject, Validity};
pub use profile::Profile;
pub use sign::{self_signed, signed};
