//! `mtlskit csr sign` signs what was asked (issue 7, point 5), checked against `openssl req`
//! and `openssl x509` output: repeated attribute types survive, the key-size floor and the
//! profile's name rules apply, and what will be signed is shown before anything is written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use issue_support::*;

/// A CA made by openssl whose subject repeats DC, as Active Directory CAs do.
fn openssl_ca(dir: &TempDir) -> (String, String) {
    let (ca, key) = (dir.path("ca.crt"), dir.path("ca.key"));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &key,
        "-out",
        &ca,
        "-days",
        "30",
        "-subj",
        "/DC=com/DC=example/CN=Repeat CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    (ca, key)
}

/// `openssl req -new` with a fresh key of `key_spec` (e.g. `rsa:2048`), `subject` and `extensions`.
fn openssl_csr(
    dir: &TempDir,
    name: &str,
    key_spec: &str,
    subject: &str,
    extensions: &[&str],
) -> String {
    let csr = dir.path(&format!("{name}.csr"));
    let key = dir.path(&format!("{name}.key"));
    let mut args = vec![
        "req", "-new", "-newkey", key_spec, "-nodes", "-keyout", &key,
    ];
    args.extend(["-out", &csr, "-subj", subject]);
    for extension in extensions {
        args.extend(["-addext", extension]);
    }
    openssl(&args);
    csr
}

/// Runs `mtlskit csr sign csr --ca ca --ca-key key --out out` with `extra` arguments.
fn csr_sign(csr: &str, ca: &(String, String), out: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "csr", "sign", csr, "--ca", &ca.0, "--ca-key", &ca.1, "--out", out,
    ];
    args.extend(extra);
    mtlskit(&args)
}

#[test]
fn csr_sign_keeps_repeated_attribute_types_and_shows_the_request_first() {
    let dir = TempDir::new("csr-repeated");
    let ca = openssl_ca(&dir);
    let csr = openssl_csr(
        &dir,
        "repeat",
        "rsa:2048",
        "/DC=com/DC=example/O=Acme/OU=Payments/OU=Europe/CN=repeat.example",
        &[
            "subjectAltName=DNS:repeat.example,IP:10.1.2.3",
            "basicConstraints=critical,CA:TRUE",
        ],
    );
    let out = dir.path("repeat.crt");
    let output = csr_sign(&csr, &ca, &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");

    let requested = openssl(&[
        "req", "-in", &csr, "-noout", "-subject", "-nameopt", "RFC2253",
    ]);
    let issued = openssl(&[
        "x509", "-in", &out, "-noout", "-subject", "-nameopt", "RFC2253",
    ]);
    let expected = "CN=repeat.example,OU=Europe,OU=Payments,O=Acme,DC=example,DC=com";
    assert_eq!(requested.trim(), format!("subject={expected}"));
    assert_eq!(
        issued, requested,
        "the subject is the CSR's, every attribute kept"
    );
    let issuer = openssl(&[
        "x509", "-in", &out, "-noout", "-issuer", "-nameopt", "RFC2253",
    ]);
    assert_eq!(issuer.trim(), "issuer=CN=Repeat CA,DC=example,DC=com");
    assert_verifies(&ca.0, None, &out);

    // Shown before writing: subject, names, key; the requested CA flag is not copied.
    let shown = stderr.find("signing").expect("a summary");
    let wrote = stderr.find("wrote").expect("the written file");
    assert!(shown < wrote, "{stderr}");
    assert!(stderr.contains(&format!("subject: {expected}")), "{stderr}");
    assert!(
        stderr.contains("DNS:repeat.example, IP:10.1.2.3"),
        "{stderr}"
    );
    assert!(stderr.contains("key:     rsa2048"), "{stderr}");
    assert!(
        stderr.contains("not copied (the profile decides): basicConstraints"),
        "{stderr}"
    );
    let constraints = openssl(&["x509", "-in", &out, "-noout", "-ext", "basicConstraints"]);
    assert!(constraints.contains("CA:FALSE"), "{constraints}");
}

#[test]
fn csr_sign_refuses_small_keys_and_names_the_profile_forbids() {
    let dir = TempDir::new("csr-refused");
    let ca = openssl_ca(&dir);
    // name, openssl key, requested extensions, extra csr sign arguments, expected code
    type Case<'a> = (&'a str, &'a str, &'a [&'a str], &'a [&'a str], &'a str);
    let cases: [Case; 4] = [
        (
            "rsa1024",
            "rsa:1024",
            &["subjectAltName=DNS:small.example"],
            &[],
            "InvalidKey",
        ),
        (
            "wildcard",
            "ec:ca.key",
            &["subjectAltName=DNS:*.example.com"],
            &["--profile", "client"],
            "InvalidSubjectAltName",
        ),
        (
            "upn",
            "ec:ca.key",
            &["subjectAltName=DNS:ok.example,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@corp"],
            &[],
            "InvalidSubjectAltName",
        ),
        (
            "label",
            "ec:ca.key",
            &["subjectAltName=DNS:-bad.example"],
            &[],
            "InvalidSubjectAltName",
        ),
    ];
    for (name, key_spec, extensions, extra, code) in cases {
        let key_spec = key_spec.replace("ca.key", &ca.0);
        let csr = openssl_csr(&dir, name, &key_spec, &format!("/CN={name}"), extensions);
        openssl(&["req", "-in", &csr, "-noout", "-verify"]);
        let out = dir.path(&format!("{name}.crt"));
        let output = csr_sign(&csr, &ca, &out, extra);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("error[{code}]")),
            "{name}: {stderr}"
        );
        assert!(
            !stderr.contains("signing"),
            "{name}: nothing is offered for signing"
        );
        assert!(
            !std::path::Path::new(&out).exists(),
            "{name}: nothing written"
        );
    }
}
