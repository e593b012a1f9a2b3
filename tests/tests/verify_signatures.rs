//! Signature algorithms through the seam (issue 8 point 1, issue 7 point 8): chains signed by
//! `openssl` with each key type and hash get the same verdict from `openssl verify` and from
//! mtlskit with the core's RustCrypto list and the native list (`verify_support` runs both),
//! including what the rustls ring provider does not verify itself (id-RSASSA-PSS keys, ECDSA
//! with SHA-512, compressed points), which the native list leaves to the core's algorithms.
//!
//! Needs the `openssl` binary (Debian package `openssl`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test set-up: a failure is a failed test"
)]

mod verify_support;

use mtlskit::verify::Purpose;
use verify_support::{Pki, ca_extensions, leaf_extensions};

const HOST: &str = "signatures.example.com";

/// `name.crt` with key `name.key` (made with `key` unless empty), signed by `issuer` (itself
/// when `None`) with the openssl signing options `signing`.
fn certificate(pki: &Pki, name: &str, issuer: Option<&str>, key: &[&str], signing: &[&str]) {
    let (key_file, csr, crt) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.crt"),
    );
    if !key.is_empty() {
        let mut arguments = vec!["genpkey"];
        arguments.extend(key);
        arguments.extend(["-out", &key_file]);
        pki.openssl(&arguments);
    }
    let subject = format!("/CN={}", if issuer.is_some() { HOST } else { name });
    pki.openssl(&[
        "req", "-new", "-key", &key_file, "-subj", &subject, "-out", &csr,
    ]);
    let extensions = match issuer {
        Some(_) => leaf_extensions("serverAuth", &format!("DNS:{HOST}")),
        None => ca_extensions(None),
    };
    let extension_file = format!("{name}.ext");
    let text = format!("[v3]\n{}\n", extensions.join("\n"));
    std::fs::write(pki.path(&extension_file), text).unwrap();
    let mut arguments = vec!["x509", "-req", "-in", &csr, "-days", "30", "-out", &crt];
    arguments.extend(["-extfile", &extension_file, "-extensions", "v3"]);
    let (issuer_crt, issuer_key) = issuer.map_or_else(
        || (String::new(), key_file.clone()),
        |issuer| (format!("{issuer}.crt"), format!("{issuer}.key")),
    );
    match issuer {
        Some(_) => arguments.extend(["-CA", &issuer_crt, "-CAkey", &issuer_key, "-CAcreateserial"]),
        None => arguments.extend(["-signkey", &issuer_key]),
    }
    arguments.extend(signing);
    pki.openssl(&arguments);
}

const P256: &[&str] = &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
const P384: &[&str] = &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"];
const RSA: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];

/// A root made with `root_key`, signing itself and a P-256 leaf with `signing`.
fn two_level(name: &str, root_key: &[&str], signing: &[&str]) -> Pki {
    let pki = Pki::new(name);
    certificate(&pki, "root", None, root_key, signing);
    certificate(&pki, "leaf", Some("root"), P256, signing);
    pki
}

fn assert_valid_in_both(pki: &Pki) {
    let check = pki.check("leaf", &[], "root").purpose(Purpose::Server);
    check.host(HOST).assert_same_verdict(true);
}

#[test]
fn ecdsa_with_every_hash_verifies_in_both() {
    for (curve, hash) in [
        (P256, "-sha384"),
        (P256, "-sha512"),
        (P384, "-sha256"),
        (P384, "-sha512"),
    ] {
        assert_valid_in_both(&two_level("ecdsa-hashes", curve, &[hash]));
    }
}

#[test]
fn rsa_pss_with_rsa_encryption_keys_verifies_in_both() {
    for (hash, salt) in [("-sha256", "32"), ("-sha384", "48"), ("-sha512", "64")] {
        let salt = format!("rsa_pss_saltlen:{salt}");
        let signing = [hash, "-sigopt", "rsa_padding_mode:pss", "-sigopt", &salt];
        assert_valid_in_both(&two_level("pss-rsa-encryption", RSA, &signing));
    }
}

/// id-RSASSA-PSS keys (RFC 4055 section 1.2), with and without parameters restricting them.
#[test]
fn rsa_pss_keys_verify_in_both() {
    let restricted = [
        "-algorithm",
        "RSA-PSS",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-pkeyopt",
        "rsa_pss_keygen_md:sha256",
        "-pkeyopt",
        "rsa_pss_keygen_mgf1_md:sha256",
        "-pkeyopt",
        "rsa_pss_keygen_saltlen:32",
    ];
    let signing = ["-sha256", "-sigopt", "rsa_pss_saltlen:32"];
    assert_valid_in_both(&two_level("pss-key-restricted", &restricted, &signing));
    let unrestricted = ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"];
    assert_valid_in_both(&two_level("pss-key", &unrestricted, &signing));
}

/// Issue 7 point 8: the RSASSA-PSS salt is as long as the hash (RFC 8446 section 4.2.3, CA/B
/// Forum BR 7.1.3.2.1); openssl accepts any salt length, mtlskit refuses others as an
/// unsupported algorithm, with either list.
#[test]
fn rsa_pss_salt_length_must_equal_the_hash_length() {
    let signing = [
        "-sha256",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:20",
    ];
    let pki = Pki::new("pss-salt-20");
    certificate(&pki, "root", None, RSA, &["-sha256"]);
    certificate(&pki, "leaf", Some("root"), P256, &signing);
    let check = pki.check("leaf", &[], "root").purpose(Purpose::Server);
    assert!(
        check.openssl(),
        "openssl accepts a 20-byte salt with SHA-256"
    );
    let failure = check
        .mtlskit()
        .expect_err("a 20-byte salt with SHA-256 is refused");
    assert_eq!(failure.code, "UnsupportedAlgorithm", "{}", failure.message);
    assert!(failure.message.contains("salt"), "{}", failure.message);
}

/// A root whose key is a compressed P-256 point (SEC 1 section 2.3.3): ring refuses it, the
/// native list then uses the core's algorithm, so both lists and openssl accept the chain.
#[test]
fn compressed_points_verify_in_both() {
    let pki = Pki::new("compressed-point");
    let mut generate = vec!["genpkey"];
    generate.extend(P256);
    generate.extend(["-out", "plain.key"]);
    pki.openssl(&generate);
    let compress = [
        "ec",
        "-in",
        "plain.key",
        "-conv_form",
        "compressed",
        "-out",
        "root.key",
    ];
    pki.openssl(&compress);
    certificate(&pki, "root", None, &[], &["-sha256"]);
    certificate(&pki, "leaf", Some("root"), P256, &["-sha256"]);
    // subjectPublicKey: BIT STRING of 34 bytes, no unused bits, then 0x02 or 0x03.
    let root = verify_support::certificates(&pki.path("root.crt")).remove(0);
    let compressed = root.windows(4).any(|window| {
        window.starts_with(&[0x03, 0x22, 0x00]) && matches!(window.get(3), Some(0x02 | 0x03))
    });
    assert!(compressed, "the root's key is a compressed point");
    assert_valid_in_both(&pki);
}
