//! Certificates and pathological verification inputs made with mtlskit's own issuance (P-256
//! keys, a seeded RNG, a fixed time), shared by the verification tests in `tests/` and by
//! `benches/pathological.rs` (which includes this file with `#[path]`).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test support: each user takes a different subset, and a failure is a test failure"
)]

use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::issue::{self, CertificateParams, Issuer, NameConstraint, Profile, Subject};
use mtlskit::verify::{Input, Item, Options};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;

/// The time every certificate here is valid at.
pub const NOW: UnixTime = UnixTime(1_790_000_000);

/// A deterministic RNG.
pub fn rng() -> StdRng {
    rng_seeded(7)
}

/// A deterministic RNG with its own seed (for a second, different key).
pub fn rng_seeded(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// Verification options at [`NOW`].
pub fn options() -> Options {
    Options::at(NOW)
}

/// A self-signed root CA named `name`, with `params` adjusted by `adjust`.
pub fn root_with(
    name: &str,
    rng: &mut StdRng,
    adjust: impl FnOnce(&mut CertificateParams),
) -> Issuer {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let mut params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name(name),
        ..CertificateParams::default()
    };
    adjust(&mut params);
    let certificate = issue::self_signed(&params, &key, NOW, rng).unwrap();
    Issuer::new(certificate.der(), key).unwrap()
}

/// A self-signed root CA named `name`.
pub fn root(name: &str, rng: &mut StdRng) -> Issuer {
    root_with(name, rng, |_| {})
}

/// An intermediate CA named `name`, signed by `issuer`.
pub fn intermediate(name: &str, issuer: &Issuer, rng: &mut StdRng) -> Issuer {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Intermediate,
        subject: Subject::common_name(name),
        ..CertificateParams::default()
    };
    let certificate = issue::signed(&params, key.public_key(), issuer, NOW, rng).unwrap();
    Issuer::new(certificate.der(), key).unwrap()
}

/// A server certificate for `names`, signed by `issuer`.
pub fn server(names: &[&str], issuer: &Issuer, rng: &mut StdRng) -> Vec<u8> {
    let key = SigningKey::generate(KeyType::P256, rng).unwrap();
    let params = CertificateParams {
        profile: Profile::Server,
        subject: Subject::common_name(names[0]),
        subject_alt_names: names.iter().map(|name| name.parse().unwrap()).collect(),
        ..CertificateParams::default()
    };
    issue::signed(&params, key.public_key(), issuer, NOW, rng)
        .unwrap()
        .der()
        .to_vec()
}

/// An input with one anchor and no CRLs.
pub fn input(leaf: &[u8], intermediates: Vec<Vec<u8>>, anchor: &Issuer) -> Input {
    Input {
        leaf: Some(Item::new(leaf.to_vec(), "leaf")),
        intermediates: intermediates
            .into_iter()
            .enumerate()
            .map(|(index, der)| Item::new(der, format!("intermediate {}", index + 1)))
            .collect(),
        anchors: vec![Item::new(anchor.certificate_der().to_vec(), "root")],
        crls: Vec::new(),
    }
}

/// A leaf issued under the name `Pool CA` by a key nobody supplies, and `count` self-issued
/// `Pool CA` certificates with other keys: every candidate's signature check fails.
pub fn same_name_pool(count: usize, rng: &mut StdRng) -> Input {
    let anchor = root("Pool Root", rng);
    let hidden = root("Pool CA", rng);
    let leaf = server(&["pool.example.com"], &hidden, rng);
    let pool = (0..count)
        .map(|_| root("Pool CA", rng).certificate_der().to_vec())
        .collect();
    input(&leaf, pool, &anchor)
}

/// `names` CAs that all cross-sign each other (`names * (names - 1)` certificates), none
/// chaining to the anchor, and a leaf under the first: every path is a dead end.
pub fn cross_signed_mesh(names: usize, rng: &mut StdRng) -> Input {
    let anchor = root("Mesh Root", rng);
    let cas: Vec<Issuer> = (0..names)
        .map(|index| root(&format!("Mesh CA {index}"), rng))
        .collect();
    let mut pool = Vec::new();
    for subject in &cas {
        for issuer in cas
            .iter()
            .filter(|other| other.subject() != subject.subject())
        {
            pool.push(cross_sign(subject, issuer, rng));
        }
    }
    let leaf = server(&["mesh.example.com"], &cas[0], rng);
    input(&leaf, pool, &anchor)
}

/// `subject`'s name and key in a CA certificate signed by `issuer`.
pub fn cross_sign(subject: &Issuer, issuer: &Issuer, rng: &mut StdRng) -> Vec<u8> {
    let params = CertificateParams {
        profile: Profile::Intermediate,
        subject: Subject::common_name(subject.subject().trim_start_matches("CN=")),
        ..CertificateParams::default()
    };
    issue::signed(&params, subject.key().public_key(), issuer, NOW, rng)
        .unwrap()
        .der()
        .to_vec()
}

/// A root with `count` permitted and `count` excluded DNS subtrees and a leaf with `count`
/// names inside the permitted ones: `count * 2 * count` comparisons (OpenSSL's many-names case).
pub fn many_name_constraints(count: usize, rng: &mut StdRng) -> Input {
    let anchor = root_with("Constrained Root", rng, |params| {
        params.permitted_names = (0..count)
            .map(|index| NameConstraint::Dns(format!("p{index}.example.com")))
            .collect();
        params.excluded_names = (0..count)
            .map(|index| NameConstraint::Dns(format!("x{index}.example.com")))
            .collect();
    });
    let names: Vec<String> = (0..count)
        .map(|index| format!("host.p{index}.example.com"))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let leaf = server(&names, &anchor, rng);
    input(&leaf, Vec::new(), &anchor)
}

/// A testcase of the x509-limbo development suite in `../shared/conformance/limbo/`.
pub fn testcase(id: &str) -> Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/conformance/limbo/limbo-dev.json");
    let text = std::fs::read_to_string(&path).expect("the limbo suite in ../shared");
    let suite: Value = serde_json::from_str(&text).unwrap();
    suite["testcases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("testcase {id}"))
}

/// The DER of a PEM certificate in a testcase.
pub fn der(pem: &Value) -> Vec<u8> {
    let bytes = pem.as_str().unwrap().as_bytes();
    mtlskit::decode::blocks(bytes)
        .unwrap()
        .remove(0)
        .unwrap()
        .der
}

/// The certificates of a limbo testcase as an input (no CRLs).
pub fn input_of(case: &Value) -> Input {
    let items = |key: &str| -> Vec<Item> {
        case[key]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(index, pem)| Item::new(der(pem), format!("{key} {index}")))
            .collect()
    };
    Input {
        leaf: Some(Item::new(der(&case["peer_certificate"]), "leaf")),
        intermediates: items("untrusted_intermediates"),
        anchors: items("trusted_certs"),
        crls: Vec::new(),
    }
}

/// What goes into a hand-built CRL (so that every field and critical flag can be chosen).
pub struct CrlSpec {
    pub number: u32,
    pub this_update: UnixTime,
    pub next_update: Option<UnixTime>,
    /// Revoked serial numbers, each with its entry extensions.
    pub revoked: Vec<(
        x509_cert::serial_number::SerialNumber,
        Vec<x509_cert::ext::Extension>,
    )>,
    /// CRL extensions after cRLNumber (non-critical unless `number_critical`).
    pub extensions: Vec<x509_cert::ext::Extension>,
    pub number_critical: bool,
}

impl CrlSpec {
    /// CRL number `number`, current at [`NOW`] for a day, nothing revoked.
    pub fn current(number: u32) -> Self {
        Self {
            number,
            this_update: UnixTime(NOW.0 - 3600),
            next_update: Some(UnixTime(NOW.0 + 86_400)),
            revoked: Vec::new(),
            extensions: Vec::new(),
            number_critical: false,
        }
    }
}

/// An extension with `oid`, criticality and DER value.
pub fn extension(oid: &str, critical: bool, value: &[u8]) -> x509_cert::ext::Extension {
    x509_cert::ext::Extension {
        extn_id: const_oid::ObjectIdentifier::new(oid).unwrap(),
        critical,
        extn_value: der::asn1::OctetString::new(value.to_vec()).unwrap(),
    }
}

/// The serial number of a DER certificate.
pub fn serial_of(certificate: &[u8]) -> x509_cert::serial_number::SerialNumber {
    use der::Decode;
    x509_cert::Certificate::from_der(certificate)
        .unwrap()
        .tbs_certificate()
        .serial_number()
        .clone()
}

/// A CRL signed by `issuer` as `spec` says.
pub fn crl(issuer: &Issuer, spec: &CrlSpec) -> Vec<u8> {
    use der::{Decode, Encode};
    use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
    let time = |at: UnixTime| {
        let seconds = std::time::Duration::from_secs(u64::try_from(at.0).unwrap());
        x509_cert::time::Time::UtcTime(der::asn1::UtcTime::from_unix_duration(seconds).unwrap())
    };
    let algorithm = spki::AlgorithmIdentifierOwned {
        oid: issuer.key().signature_algorithm(),
        parameters: None,
    };
    let ca = x509_cert::Certificate::from_der(issuer.certificate_der()).unwrap();
    let number = der::asn1::Uint::new(&spec.number.to_be_bytes()).unwrap();
    let mut extensions = vec![extension(
        "2.5.29.20",
        spec.number_critical,
        &number.to_der().unwrap(),
    )];
    extensions.extend(spec.extensions.iter().cloned());
    let revoked: Vec<RevokedCert> = spec
        .revoked
        .iter()
        .map(|(serial, entry_extensions)| RevokedCert {
            serial_number: serial.clone(),
            revocation_date: time(spec.this_update),
            crl_entry_extensions: (!entry_extensions.is_empty()).then(|| entry_extensions.clone()),
        })
        .collect();
    let tbs = TbsCertList {
        version: x509_cert::certificate::Version::V2,
        signature: algorithm.clone(),
        issuer: ca.tbs_certificate().subject().clone(),
        this_update: time(spec.this_update),
        next_update: spec.next_update.map(time),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(extensions),
    };
    let signature = issuer.key().sign(&tbs.to_der().unwrap()).unwrap();
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm,
        signature: der::asn1::BitString::from_bytes(&signature).unwrap(),
    }
    .to_der()
    .unwrap()
}

/// root -> `depth` CAs -> leaf; CA k lists `width` policies of set k and maps each to each
/// policy of set k + 1; the leaf lists set `depth + 1`.
pub fn policy_mesh(depth: usize, width: usize) -> Input {
    let policy_set = |set: usize| -> Vec<const_oid::ObjectIdentifier> {
        (0..width)
            .map(|index| {
                const_oid::ObjectIdentifier::new(&format!("1.3.6.1.4.1.55738.9.{set}.{index}"))
                    .unwrap()
            })
            .collect()
    };
    let mut rng = rng();
    let keys: Vec<_> = (0..depth + 2).map(|_| key(&mut rng)).collect();
    let name = |level: usize| format!("CN=Policy Mesh {level}");
    let ca = |level: usize| {
        let issuer_key = keys.get(level.saturating_sub(1)).unwrap();
        let subject_key = keys.get(level).unwrap();
        CertSpec::new(&name(level), &name(level.saturating_sub(1)))
            .with(ext::basic_constraints(true, None, true))
            .with(ext::ca_key_usage())
            .with(ext::subject_key_identifier(subject_key))
            .with(ext::authority_key_identifier(issuer_key, false))
    };
    let root = ca(0).sign(keys.first().unwrap(), keys.first().unwrap());
    let mut intermediates = Vec::new();
    for level in 1..=depth {
        let (from, to) = (policy_set(level), policy_set(level + 1));
        let pairs: Vec<_> = from
            .iter()
            .flat_map(|issuer| to.iter().map(move |subject| (*issuer, *subject)))
            .collect();
        let spec = ca(level)
            .with(ext::certificate_policies(&from))
            .with(ext::policy_mappings(&pairs));
        let signer = keys.get(level - 1).unwrap();
        intermediates.push(spec.sign(keys.get(level).unwrap(), signer));
    }
    let leaf_key = keys.last().unwrap();
    let leaf = CertSpec::new("CN=mesh.example.com", &name(depth))
        .with(ext::basic_constraints(false, None, true))
        .with(ext::leaf_key_usage())
        .with(ext::server_auth())
        .with(ext::dns_names(&["mesh.example.com"]))
        .with(ext::certificate_policies(&policy_set(depth + 1)))
        .sign(leaf_key, keys.get(depth).unwrap());
    Input {
        leaf: Some(Item::new(leaf, "leaf")),
        intermediates: intermediates
            .into_iter()
            .map(|der| Item::new(der, "intermediate"))
            .collect(),
        anchors: vec![Item::new(root, "root")],
        crls: Vec::new(),
    }
}

/// What goes into a hand-built certificate, every field chosen (for the conformance tests:
/// quirks issuance never writes).
#[derive(Clone)]
pub struct CertSpec {
    pub subject: String,
    pub issuer: String,
    pub serial: Vec<u8>,
    pub version: x509_cert::certificate::Version,
    pub extensions: Vec<x509_cert::ext::Extension>,
    /// The outer signatureAlgorithm when it should differ from the one in tbsCertificate.
    pub outer_algorithm: Option<const_oid::ObjectIdentifier>,
    pub not_before: UnixTime,
    pub not_after: UnixTime,
}

impl CertSpec {
    /// A version 3 certificate for `subject` issued by `issuer` (RFC 4514 names), valid around
    /// [`NOW`], serial 1, no extensions.
    pub fn new(subject: &str, issuer: &str) -> Self {
        Self {
            subject: subject.to_owned(),
            issuer: issuer.to_owned(),
            serial: vec![1],
            version: x509_cert::certificate::Version::V3,
            extensions: Vec::new(),
            outer_algorithm: None,
            not_before: UnixTime(NOW.0 - 86_400),
            not_after: UnixTime(NOW.0 + 86_400 * 365),
        }
    }

    /// Adds an extension (builder style).
    pub fn with(mut self, extension: x509_cert::ext::Extension) -> Self {
        self.extensions.push(extension);
        self
    }

    /// Signs the certificate of `subject_key` with `signer`.
    pub fn sign(&self, subject_key: &SigningKey, signer: &SigningKey) -> Vec<u8> {
        use der::{Decode, Encode};
        use std::str::FromStr;
        let time = |at: UnixTime| {
            let seconds = std::time::Duration::from_secs(u64::try_from(at.0).unwrap());
            x509_cert::time::Time::UtcTime(der::asn1::UtcTime::from_unix_duration(seconds).unwrap())
        };
        let algorithm = spki::AlgorithmIdentifierOwned {
            oid: signer.signature_algorithm(),
            parameters: None,
        };
        let tbs = Tbs {
            version: self.version,
            serial_number: der::asn1::Int::new(&self.serial).unwrap(),
            signature: algorithm.clone(),
            issuer: x509_cert::name::Name::from_str(&self.issuer).unwrap(),
            validity: (time(self.not_before), time(self.not_after)).into(),
            subject: x509_cert::name::Name::from_str(&self.subject).unwrap(),
            subject_public_key_info: spki::SubjectPublicKeyInfoOwned::from_der(
                subject_key.public_key().spki_der(),
            )
            .unwrap(),
            extensions: (!self.extensions.is_empty()).then(|| self.extensions.clone()),
        };
        let signature = signer.sign(&tbs.to_der().unwrap()).unwrap();
        let mut outer = algorithm;
        if let Some(oid) = self.outer_algorithm {
            outer.oid = oid;
        }
        RawCertificate {
            tbs,
            algorithm: outer,
            signature: der::asn1::BitString::from_bytes(&signature).unwrap(),
        }
        .to_der()
        .unwrap()
    }
}

/// tbsCertificate as RFC 5280 section 4.1 writes it, with nothing checked (x509-cert's own
/// type refuses the quirks these tests need, such as a negative serial number).
#[derive(der::Sequence)]
struct Tbs {
    #[asn1(context_specific = "0", default = "Default::default")]
    version: x509_cert::certificate::Version,
    serial_number: der::asn1::Int,
    signature: spki::AlgorithmIdentifierOwned,
    issuer: x509_cert::name::Name,
    validity: Validity,
    subject: x509_cert::name::Name,
    subject_public_key_info: spki::SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<x509_cert::ext::Extension>>,
}

#[derive(der::Sequence)]
struct Validity {
    not_before: x509_cert::time::Time,
    not_after: x509_cert::time::Time,
}

impl From<(x509_cert::time::Time, x509_cert::time::Time)> for Validity {
    fn from((not_before, not_after): (x509_cert::time::Time, x509_cert::time::Time)) -> Self {
        Self {
            not_before,
            not_after,
        }
    }
}

#[derive(der::Sequence)]
struct RawCertificate {
    tbs: Tbs,
    algorithm: spki::AlgorithmIdentifierOwned,
    signature: der::asn1::BitString,
}

/// A fresh P-256 key.
pub fn key(rng: &mut StdRng) -> SigningKey {
    SigningKey::generate(KeyType::P256, rng).unwrap()
}

/// Extension values for hand-built certificates.
pub mod ext {
    use der::Encode;
    use mtlskit::crypto::SigningKey;
    use x509_cert::ext::Extension;
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::{
        AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
        SubjectAltName, SubjectKeyIdentifier,
    };

    fn of(oid: &str, critical: bool, value: impl Encode) -> Extension {
        super::extension(oid, critical, &value.to_der().unwrap())
    }

    pub fn basic_constraints(ca: bool, path_length: Option<u8>, critical: bool) -> Extension {
        let value = BasicConstraints {
            ca,
            path_len_constraint: path_length,
        };
        of("2.5.29.19", critical, value)
    }

    /// keyCertSign and cRLSign.
    pub fn ca_key_usage() -> Extension {
        of(
            "2.5.29.15",
            true,
            KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )
    }

    pub fn leaf_key_usage() -> Extension {
        of(
            "2.5.29.15",
            true,
            KeyUsage(KeyUsages::DigitalSignature.into()),
        )
    }

    pub fn subject_key_identifier(key: &SigningKey) -> Extension {
        let identifier = der::asn1::OctetString::new(key.public_key().key_identifier()).unwrap();
        of("2.5.29.14", false, SubjectKeyIdentifier(identifier))
    }

    pub fn authority_key_identifier(key: &SigningKey, critical: bool) -> Extension {
        let identifier = der::asn1::OctetString::new(key.public_key().key_identifier()).unwrap();
        let value = AuthorityKeyIdentifier {
            key_identifier: Some(identifier),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        of("2.5.29.35", critical, value)
    }

    pub fn dns_names(names: &[&str]) -> Extension {
        let names = names
            .iter()
            .map(|name| GeneralName::DnsName(der::asn1::Ia5String::new(name).unwrap()))
            .collect();
        of("2.5.29.17", false, SubjectAltName(names))
    }

    /// certificatePolicies listing `policies`, without qualifiers.
    pub fn certificate_policies(policies: &[const_oid::ObjectIdentifier]) -> Extension {
        use x509_cert::ext::pkix::certpolicy::PolicyInformation;
        let list = policies
            .iter()
            .map(|policy| PolicyInformation {
                policy_identifier: *policy,
                policy_qualifiers: None,
            })
            .collect();
        of(
            "2.5.29.32",
            false,
            x509_cert::ext::pkix::CertificatePolicies(list),
        )
    }

    /// policyMappings (critical) of each (issuerDomainPolicy, subjectDomainPolicy) pair.
    pub fn policy_mappings(
        pairs: &[(const_oid::ObjectIdentifier, const_oid::ObjectIdentifier)],
    ) -> Extension {
        use x509_cert::ext::pkix::{PolicyMapping, PolicyMappings};
        let list = pairs
            .iter()
            .map(|(issuer, subject)| PolicyMapping {
                issuer_domain_policy: *issuer,
                subject_domain_policy: *subject,
            })
            .collect();
        of("2.5.29.33", true, PolicyMappings(list))
    }

    pub fn server_auth() -> Extension {
        let server = const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
        of("2.5.29.37", false, ExtendedKeyUsage(vec![server]))
    }
}
