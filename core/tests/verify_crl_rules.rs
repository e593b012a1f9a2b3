//! Issue 7 points 7 and 8, revocation: which CRL decides (the newest current one of each scope,
//! so a stale CRL beside a current one does not matter), the criticality rules of CRL and CRL
//! entry extensions (RFC 5280 sections 5.2 and 5.3), the issuingDistributionPoint scope and
//! indirect CRLs, and CRLs that name another key. The CRLs are built field by field, signed by
//! the CA's key (openssl cannot mark cRLNumber critical, for one); `tests/tests/verify_crl.rs`
//! compares the common cases with `openssl verify -crl_check`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failure here is a test failure"
)]

mod support;

use der::Encode;
use mtlskit::UnixTime;
use mtlskit::issue::Issuer;
use mtlskit::verify::{Item, verify};
use support::{CrlSpec, crl, extension, input, options, rng, root, serial_of, server};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::GeneralName;

struct Chain {
    root: Issuer,
    leaf: Vec<u8>,
}

fn chain() -> Chain {
    let mut rng = rng();
    let root = root("CRL Root", &mut rng);
    let leaf = server(&["crl.example.com"], &root, &mut rng);
    Chain { root, leaf }
}

impl Chain {
    /// The verdict's code with these CRLs ("" when valid).
    fn code(&self, crls: &[Vec<u8>]) -> &'static str {
        self.verdict(crls).0
    }

    /// The verdict's code and message ("" when valid).
    fn verdict(&self, crls: &[Vec<u8>]) -> (&'static str, String) {
        let mut input = input(&self.leaf, Vec::new(), &self.root);
        input.crls = crls
            .iter()
            .enumerate()
            .map(|(index, der)| Item::new(der.clone(), format!("crl {index}")))
            .collect();
        verify(&input, &options())
            .err()
            .map_or(("", String::new()), |failure| {
                (failure.code, failure.message)
            })
    }

    /// A CRL from the root listing the leaf with `entry` extensions (or not listing it).
    fn spec(&self, number: u32, lists_leaf: bool, entry: Vec<Extension>) -> CrlSpec {
        let mut spec = CrlSpec::current(number);
        if lists_leaf {
            spec.revoked.push((serial_of(&self.leaf), entry));
        }
        spec
    }

    fn sign(&self, spec: &CrlSpec) -> Vec<u8> {
        crl(&self.root, spec)
    }
}

const HOURS: i64 = 3600;

/// `expected` is "" (valid) or a part of the expected `InvalidCrl` message.
fn assert_invalid_or_valid(verdict: (&str, String), expected: &str, what: &str) {
    let (code, message) = verdict;
    if expected.is_empty() {
        assert_eq!(code, "", "{what}: {message}");
    } else {
        assert_eq!(code, "InvalidCrl", "{what}: {message}");
        assert!(message.contains(expected), "{what}: {message}");
    }
}

#[test]
fn a_listed_serial_is_revoked() {
    let chain = chain();
    assert_eq!(
        chain.code(&[chain.sign(&chain.spec(1, true, vec![]))]),
        "Revoked"
    );
    assert_eq!(chain.code(&[chain.sign(&chain.spec(1, false, vec![]))]), "");
}

/// Issue 7 point 8: a stale CRL next to a current one for the same issuer.
#[test]
fn stale_crl_beside_a_current_one_is_superseded() {
    let chain = chain();
    let mut stale = chain.spec(1, false, vec![]);
    stale.this_update = UnixTime(support::NOW.0 - 72 * HOURS);
    stale.next_update = Some(UnixTime(support::NOW.0 - 48 * HOURS));
    let stale = chain.sign(&stale);
    let current = chain.sign(&chain.spec(2, false, vec![]));
    assert_eq!(chain.code(&[stale.clone(), current]), "");
    assert_eq!(
        chain.code(std::slice::from_ref(&stale)),
        "StaleCrl",
        "nothing current"
    );
    let revoking = chain.sign(&chain.spec(2, true, vec![]));
    assert_eq!(chain.code(&[stale, revoking]), "Revoked");
}

/// The newest current CRL decides: a hold released in a later CRL no longer counts.
#[test]
fn newest_current_crl_decides() {
    let chain = chain();
    let hold = vec![extension("2.5.29.21", false, &[0x0a, 0x01, 0x06])];
    let held = chain.sign(&chain.spec(1, true, hold.clone()));
    let released = chain.sign(&chain.spec(2, false, vec![]));
    assert_eq!(chain.code(&[released.clone(), held.clone()]), "");
    let later_hold = chain.sign(&chain.spec(3, true, hold));
    assert_eq!(chain.code(&[released, held, later_hold]), "Revoked");
}

/// RFC 5280 5.2: which CRL extensions must be (non-)critical; an unknown critical one makes
/// the CRL unusable, an unknown non-critical one does not matter.
#[test]
fn crl_extension_criticality() {
    let chain = chain();
    let key_identifier = AuthorityKeyIdentifier {
        key_identifier: Some(
            der::asn1::OctetString::new(chain.root.key().public_key().key_identifier()).unwrap(),
        ),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    }
    .to_der()
    .unwrap();
    let issuer_alt_name = [
        0x30, 0x0c, 0x82, 0x0a, b'c', b'a', b'.', b'e', b'x', b'a', b'm', b'p', b'l', b'e',
    ];
    let user_certificates = IssuingDistributionPoint {
        distribution_point: None,
        only_contains_user_certs: true,
        only_contains_ca_certs: false,
        only_some_reasons: None,
        indirect_crl: false,
        only_contains_attribute_certs: false,
    }
    .to_der()
    .unwrap();
    let cases: [(&str, Extension, &str); 10] = [
        (
            "critical AKI",
            extension("2.5.29.35", true, &key_identifier),
            "authorityKeyIdentifier marked critical",
        ),
        ("AKI", extension("2.5.29.35", false, &key_identifier), ""),
        (
            "critical freshestCRL",
            extension("2.5.29.46", true, &[0x30, 0x00]),
            "freshestCRL marked critical",
        ),
        (
            "critical AIA",
            extension("1.3.6.1.5.5.7.1.1", true, &[0x30, 0x00]),
            "authorityInfoAccess marked critical",
        ),
        (
            "delta CRL",
            extension("2.5.29.27", true, &[0x02, 0x01, 0x01]),
            "a delta CRL",
        ),
        (
            "non-critical IDP",
            extension("2.5.29.28", false, &user_certificates),
            "issuingDistributionPoint not marked critical",
        ),
        (
            "critical IDP",
            extension("2.5.29.28", true, &user_certificates),
            "",
        ),
        (
            "critical issuerAltName",
            extension("2.5.29.18", true, &issuer_alt_name),
            "",
        ),
        (
            "unknown critical",
            extension("1.3.6.1.4.1.55738.666.1", true, &[0x05, 0x00]),
            "unsupported critical CRL extension 1.3.6.1.4.1.55738.666.1",
        ),
        (
            "unknown",
            extension("1.3.6.1.4.1.55738.666.1", false, &[0x05, 0x00]),
            "",
        ),
    ];
    for (what, extension, expected) in cases {
        let mut spec = chain.spec(1, false, vec![]);
        spec.extensions.push(extension);
        assert_invalid_or_valid(chain.verdict(&[chain.sign(&spec)]), expected, what);
    }
    let mut spec = chain.spec(1, false, vec![]);
    spec.number_critical = true;
    assert_eq!(
        chain.code(&[chain.sign(&spec)]),
        "InvalidCrl",
        "critical cRLNumber"
    );
}

/// RFC 5280 5.3: entry extensions.
#[test]
fn crl_entry_extension_criticality() {
    let chain = chain();
    let issuer = GeneralName::DirectoryName(x509_cert::name::Name::default());
    let issuer = vec![issuer].to_der().unwrap();
    let cases = [
        (
            "reasonCode",
            extension("2.5.29.21", false, &[0x0a, 0x01, 0x01]),
            "Revoked",
        ),
        (
            "critical reasonCode",
            extension("2.5.29.21", true, &[0x0a, 0x01, 0x01]),
            "reasonCode marked critical",
        ),
        (
            "critical invalidityDate",
            extension("2.5.29.24", true, b"\x18\x0f20260101000000Z"),
            "invalidityDate marked critical",
        ),
        (
            "unknown critical",
            extension("1.3.6.1.4.1.55738.666.2", true, &[0x05, 0x00]),
            "unsupported critical entry extension 1.3.6.1.4.1.55738.666.2",
        ),
        (
            "certificateIssuer, not indirect",
            extension("2.5.29.29", true, &issuer),
            "certificateIssuer in a CRL that is not indirect",
        ),
        (
            "removeFromCRL",
            extension("2.5.29.21", false, &[0x0a, 0x01, 0x08]),
            "",
        ),
    ];
    for (what, entry, expected) in cases {
        let crl = chain.sign(&chain.spec(1, true, vec![entry]));
        let verdict = chain.verdict(&[crl]);
        if expected == "Revoked" {
            assert_eq!(verdict.0, "Revoked", "{what}");
        } else {
            assert_invalid_or_valid(verdict, expected, what);
        }
    }
}

/// RFC 5280 5.2.5 and 6.3.3 (b): a CRL covers only the certificates of its scope; in an
/// indirect CRL an entry belongs to the issuer of the last certificateIssuer before it.
#[test]
fn issuing_distribution_point_scope() {
    let chain = chain();
    let point = |user: bool, ca: bool, indirect: bool| {
        IssuingDistributionPoint {
            distribution_point: None,
            only_contains_user_certs: user,
            only_contains_ca_certs: ca,
            only_some_reasons: None,
            indirect_crl: indirect,
            only_contains_attribute_certs: false,
        }
        .to_der()
        .unwrap()
    };
    let scoped = |value: Vec<u8>, entry: Vec<Extension>| {
        let mut spec = chain.spec(1, true, entry);
        spec.extensions.push(extension("2.5.29.28", true, &value));
        chain.sign(&spec)
    };
    assert_eq!(
        chain.code(&[scoped(point(true, false, false), vec![])]),
        "Revoked"
    );
    assert_eq!(
        chain.code(&[scoped(point(false, true, false), vec![])]),
        "",
        "CA certificates only"
    );
    assert_eq!(
        chain.code(&[scoped(point(false, false, true), vec![])]),
        "Revoked",
        "indirect, own entry"
    );
    let other_ca = GeneralName::DirectoryName("CN=Other CA".parse().unwrap());
    let other = extension("2.5.29.29", true, &vec![other_ca].to_der().unwrap());
    assert_eq!(
        chain.code(&[scoped(point(false, false, true), vec![other])]),
        "",
        "the entry belongs to another CA"
    );
}

/// A CRL whose authorityKeyIdentifier names another key (a re-keyed CA with the same name)
/// does not cover the certificate; one without, signed by another key, is refused.
#[test]
fn crl_of_another_key_with_the_same_name() {
    let chain = chain();
    let other = root("CRL Root", &mut support::rng_seeded(99));
    let key_identifier = |issuer: &Issuer| {
        AuthorityKeyIdentifier {
            key_identifier: Some(
                der::asn1::OctetString::new(issuer.key().public_key().key_identifier()).unwrap(),
            ),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        }
        .to_der()
        .unwrap()
    };
    let mut spec = chain.spec(1, true, vec![]);
    spec.extensions
        .push(extension("2.5.29.35", false, &key_identifier(&other)));
    assert_eq!(
        chain.code(&[crl(&other, &spec)]),
        "",
        "names the other key: ignored"
    );
    let unnamed = crl(&other, &chain.spec(1, true, vec![]));
    assert_eq!(chain.code(&[unnamed]), "InvalidCrl", "bad signature");
}
