//! Issue 7 point 4: what `mtlskit cert new --permit/--exclude` writes verifies with
//! `mtlskit verify` and with `openssl verify`, with the same verdict for names inside and
//! outside the constraints: the `.example.com` form (subdomains only), IP ranges written with
//! their host bits cleared, excluded domains and email domains. Needs the `openssl` binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use issue_support::*;

/// Whether `openssl verify` and `mtlskit verify` accept `leaf` under `root` (for `purpose`);
/// panics when they disagree.
fn verdicts_agree(root: &str, leaf: &str, purpose: &str) -> bool {
    let openssl_purpose = if purpose == "client" {
        "sslclient"
    } else {
        "sslserver"
    };
    let openssl = run(
        "openssl",
        &["verify", "-CAfile", root, "-purpose", openssl_purpose, leaf],
    );
    let ours = mtlskit(&["verify", leaf, "--ca", root, "--purpose", purpose]);
    let said = String::from_utf8_lossy(&ours.stdout);
    assert_eq!(
        openssl.status.success(),
        ours.status.success(),
        "{leaf}: openssl says {}, mtlskit says {said}",
        String::from_utf8_lossy(&openssl.stdout)
    );
    if !ours.status.success() {
        assert!(said.contains("[NameConstraintViolation]"), "{said}");
    }
    ours.status.success()
}

#[test]
fn permit_and_exclude_agree_with_openssl() {
    let dir = TempDir::new("nc-agree");
    let root = dir.path("root.crt");
    mtlskit_ok(&[
        "cert",
        "new",
        "--profile",
        "root",
        "--cn",
        "Constrained Root",
        "--out",
        &root,
        "--permit",
        ".example.com",
        "--permit",
        "10.1.2.3/16",
        "--permit",
        "email:example.com",
        "--exclude",
        "bad.example.com",
        "--exclude",
        "10.1.99.0/24",
    ]);
    let text = openssl(&["x509", "-in", &root, "-noout", "-ext", "nameConstraints"]);
    assert!(
        text.contains("DNS:.example.com") && text.contains("IP:10.1.0.0/255.255.0.0"),
        "host bits cleared, leading dot kept: {text}"
    );
    let issue = |name: &str, profile: &str, san: &str| {
        let out = dir.path(&format!("{name}.crt"));
        mtlskit_ok(&[
            "cert",
            "new",
            "--profile",
            profile,
            "--cn",
            name,
            "--san",
            san,
            "--ca",
            &root,
            "--ca-key",
            &dir.path("root.key"),
            "--out",
            &out,
        ]);
        out
    };
    let cases = [
        ("www", "server", "www.example.com", true),
        ("deep", "server", "a.b.example.com", true),
        ("apex", "server", "example.com", false),
        ("lookalike", "server", "notexample.com", false),
        ("excluded", "server", "bad.example.com", false),
        ("below-excluded", "server", "x.bad.example.com", false),
        ("inside-range", "server", "10.1.200.5", true),
        ("outside-range", "server", "10.2.0.1", false),
        ("excluded-range", "server", "10.1.99.7", false),
        ("alice", "client", "alice@example.com", true),
        ("mallory", "client", "mallory@evil.test", false),
    ];
    for (name, profile, san, valid) in cases {
        let leaf = issue(name, profile, san);
        assert_eq!(verdicts_agree(&root, &leaf, profile), valid, "{san}");
    }
    // The leading-dot form is not RFC 5280 syntax: the strict profile refuses the root.
    let strict = mtlskit(&[
        "verify",
        &dir.path("www.crt"),
        "--ca",
        &root,
        "--profile",
        "rfc5280",
    ]);
    let said = String::from_utf8_lossy(&strict.stdout);
    assert!(
        !strict.status.success() && said.contains("malformed name constraint DNS:.example.com"),
        "{said}"
    );
}
