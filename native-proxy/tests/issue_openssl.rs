//! CSRs, conversions, keys and chains exchanged with openssl in both directions.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

mod issue_support;

use issue_support::*;

/// A CA made by `mtlskit pki init` in `dir/pki`.
fn pki(dir: &TempDir) -> String {
    let out = dir.path("pki");
    mtlskit_ok(&["pki", "init", &out, "--client", "alice"]);
    out
}

#[test]
fn our_csrs_verify_with_openssl_and_sign_into_certificates() {
    let dir = TempDir::new("csr-ours");
    let ca = pki(&dir);
    for key_type in ["p256", "p384", "ed25519", "rsa2048"] {
        let csr = dir.path(&format!("{key_type}.csr"));
        mtlskit_ok(&[
            "csr",
            "new",
            "--out",
            &csr,
            "--key-type",
            key_type,
            "--cn",
            "svc.example",
            "--org",
            "Example",
            "--country",
            "de",
            "--san",
            "svc.example",
            "--san",
            "10.1.2.3",
            "--san",
            "spiffe://example.org/svc",
        ]);
        let verified = openssl(&["req", "-in", &csr, "-noout", "-verify", "-text"]);
        assert!(
            verified.contains("verify OK")
                || verified.contains("Certificate request self-signature verify OK"),
            "{verified}"
        );
        assert!(
            verified.contains("C = DE, O = Example, CN = svc.example"),
            "{verified}"
        );
        assert!(
            verified.contains("DNS:svc.example, IP Address:10.1.2.3, URI:spiffe://example.org/svc"),
            "{verified}"
        );
        assert_eq!(mode(&dir.path(&format!("{key_type}.key"))), 0o600);

        let certificate = dir.path(&format!("{key_type}.crt"));
        mtlskit_ok(&[
            "csr",
            "sign",
            &csr,
            "--ca",
            &format!("{ca}/intermediate.crt"),
            "--ca-key",
            &format!("{ca}/intermediate.key"),
            "--profile",
            "server+client",
            "--out",
            &certificate,
            "--days",
            "30",
        ]);
        assert_verifies(
            &format!("{ca}/ca.crt"),
            Some(&format!("{ca}/intermediate.crt")),
            &certificate,
        );
        let text = openssl(&["x509", "-in", &certificate, "-noout", "-text", "-purpose"]);
        assert!(
            text.contains("DNS:svc.example, IP Address:10.1.2.3, URI:spiffe://example.org/svc"),
            "{text}"
        );
        assert!(
            text.contains("SSL server : Yes") && text.contains("SSL client : Yes"),
            "{text}"
        );
        assert_eq!(
            public_key_of("csr", &csr),
            public_key_of("cert", &certificate)
        );
    }
}

#[test]
fn openssl_csr_is_signed_by_csr_sign() {
    let dir = TempDir::new("csr-openssl");
    let ca = pki(&dir);
    let (csr, key) = (dir.path("req.csr"), dir.path("req.key"));
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &key,
        "-out",
        &csr,
        "-subj",
        "/C=CN/O=Field Notes/CN=grpc.example",
        "-addext",
        "subjectAltName=DNS:grpc.example,IP:192.168.0.10",
    ]);
    let certificate = dir.path("req.crt");
    mtlskit_ok(&[
        "csr",
        "sign",
        &csr,
        "--ca",
        &format!("{ca}/intermediate.crt"),
        "--ca-key",
        &format!("{ca}/intermediate.key"),
        "--out",
        &certificate,
    ]);
    assert_verifies(
        &format!("{ca}/ca.crt"),
        Some(&format!("{ca}/intermediate.crt")),
        &certificate,
    );
    let text = openssl(&["x509", "-in", &certificate, "-noout", "-text", "-subject"]);
    assert!(
        text.contains("subject=C = CN, O = Field Notes, CN = grpc.example"),
        "{text}"
    );
    assert!(
        text.contains("DNS:grpc.example, IP Address:192.168.0.10"),
        "{text}"
    );
    assert!(
        text.contains("Key Encipherment"),
        "RSA server keys get keyEncipherment: {text}"
    );

    // A CN-only CSR gets its CN as subjectAltName.
    let (cn_csr, cn_key) = (dir.path("cn.csr"), dir.path("cn.key"));
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &cn_key,
        "-out",
        &cn_csr,
        "-subj",
        "/CN=only-cn.example",
    ]);
    let cn_certificate = dir.path("cn.crt");
    mtlskit_ok(&[
        "csr",
        "sign",
        &cn_csr,
        "--ca",
        &format!("{ca}/ca.crt"),
        "--ca-key",
        &format!("{ca}/ca.key"),
        "--out",
        &cn_certificate,
    ]);
    let text = openssl(&[
        "x509",
        "-in",
        &cn_certificate,
        "-noout",
        "-ext",
        "subjectAltName",
    ]);
    assert!(text.contains("DNS:only-cn.example"), "{text}");
    assert_verifies(&format!("{ca}/ca.crt"), None, &cn_certificate);
}

#[test]
fn tampered_csr_is_refused() {
    let dir = TempDir::new("csr-tampered");
    let ca = pki(&dir);
    let csr = dir.path("x.csr");
    mtlskit_ok(&["csr", "new", "--out", &csr, "--cn", "good.example"]);
    let der = dir.path("x.der");
    mtlskit_ok(&["convert", &csr, "--to", "der", "--out", &der]);
    let mut bytes = std::fs::read(&der).unwrap();
    let position = bytes
        .windows(4)
        .position(|window| window == b"good")
        .unwrap();
    bytes[position] = b'e';
    std::fs::write(&der, &bytes).unwrap();
    let out = dir.path("x.crt");
    mtlskit_fails(
        &[
            "csr",
            "sign",
            &der,
            "--ca",
            &format!("{ca}/ca.crt"),
            "--ca-key",
            &format!("{ca}/ca.key"),
            "--out",
            &out,
        ],
        "InvalidCsrSignature",
    );
    assert!(!std::path::Path::new(&out).exists());
}

#[test]
fn keys_made_by_openssl_load_in_every_encoding() {
    let dir = TempDir::new("keys-openssl");
    let path = |name: &str| dir.path(name);
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        &path("p8.pem"),
    ]);
    openssl(&["genpkey", "-algorithm", "ED25519", "-out", &path("ed.pem")]);
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-384",
        "-out",
        &path("p384.pem"),
    ]);
    openssl(&[
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-out",
        &path("sec1.pem"),
    ]);
    openssl(&["genrsa", "-traditional", "-out", &path("pkcs1.pem"), "2048"]);
    openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        &path("p8.pem"),
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:secret",
        "-out",
        &path("enc.pem"),
    ]);
    openssl(&[
        "pkey",
        "-in",
        &path("p8.pem"),
        "-outform",
        "DER",
        "-out",
        &path("p8.der"),
    ]);
    openssl(&[
        "rsa",
        "-in",
        &path("pkcs1.pem"),
        "-traditional",
        "-outform",
        "DER",
        "-out",
        &path("pkcs1.der"),
    ]);
    openssl(&[
        "ec",
        "-in",
        &path("sec1.pem"),
        "-outform",
        "DER",
        "-out",
        &path("sec1.der"),
    ]);
    for name in [
        "p8.pem",
        "ed.pem",
        "p384.pem",
        "sec1.pem",
        "pkcs1.pem",
        "enc.pem",
        "p8.der",
        "pkcs1.der",
        "sec1.der",
    ] {
        let csr = path(&format!("{name}.csr"));
        mtlskit_ok(&[
            "csr",
            "new",
            "--key",
            &path(name),
            "--password",
            "secret",
            "--cn",
            "k.example",
            "--out",
            &csr,
        ]);
        let verified = openssl(&["req", "-in", &csr, "-noout", "-verify"]);
        assert!(verified.contains("verify OK"), "{name}: {verified}");
        let key_pem = if name.ends_with(".der") {
            name.replace(".der", ".pem")
        } else {
            name.to_owned()
        };
        assert_eq!(
            public_key_of("csr", &csr),
            public_key_of("key", &path(&key_pem)),
            "{name}"
        );
    }
    let error = mtlskit_fails(
        &[
            "csr",
            "new",
            "--key",
            &path("enc.pem"),
            "--password",
            "wrong",
            "--out",
            &path("w.csr"),
        ],
        "WrongPassword",
    );
    assert!(error.contains("enc.pem"), "{error}");
}

#[test]
fn p12_from_openssl_imports_back_and_ours_round_trips() {
    let dir = TempDir::new("p12-import");
    let ca = pki(&dir);
    let p12 = dir.path("openssl.p12");
    openssl(&[
        "pkcs12",
        "-export",
        "-inkey",
        &format!("{ca}/alice.key"),
        "-in",
        &format!("{ca}/alice.crt"),
        "-certfile",
        &format!("{ca}/intermediate.crt"),
        "-name",
        "alice",
        "-passout",
        "pass:pw",
        "-out",
        &p12,
    ]);
    let pem = dir.path("back.pem");
    mtlskit_ok(&[
        "convert",
        &p12,
        "--to",
        "pem",
        "--password",
        "pw",
        "--out",
        &pem,
    ]);
    assert_eq!(mode(&pem), 0o600);
    let text = std::fs::read_to_string(&pem).unwrap();
    let original = std::fs::read_to_string(format!("{ca}/alice.crt")).unwrap();
    assert!(
        text.contains(original.trim()),
        "the certificate comes back unchanged"
    );
    assert_eq!(
        public_key_of("key", &pem),
        public_key_of("cert", &format!("{ca}/alice.crt"))
    );
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 2);

    // legacy openssl .p12 (RC2/3DES, SHA-1 MAC) too
    let legacy = dir.path("legacy.p12");
    openssl(&[
        "pkcs12",
        "-export",
        "-legacy",
        "-inkey",
        &format!("{ca}/alice.key"),
        "-in",
        &format!("{ca}/alice.crt"),
        "-passout",
        "pass:pw",
        "-out",
        &legacy,
    ]);
    let legacy_pem = dir.path("legacy.pem");
    mtlskit_ok(&[
        "convert",
        &legacy,
        "--to",
        "pem",
        "--password",
        "pw",
        "--out",
        &legacy_pem,
    ]);
    assert_eq!(
        public_key_of("key", &legacy_pem),
        public_key_of("cert", &format!("{ca}/alice.crt"))
    );

    // ours: cert + key + chain -> .p12 (modern and legacy) -> openssl -> same key
    for legacy_flag in [false, true] {
        let ours = dir.path(&format!("ours-{legacy_flag}.p12"));
        let mut args = vec!["convert", &format!("{ca}/server.crt")]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        args.extend(
            [
                "--to",
                "p12",
                "--key",
                &format!("{ca}/server.key"),
                "--chain",
                &format!("{ca}/intermediate.crt"),
                "--password",
                "pw",
                "--name",
                "web",
                "--out",
                &ours,
            ]
            .map(str::to_owned),
        );
        if legacy_flag {
            args.push("--legacy".into());
        }
        mtlskit_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let mut info_args = vec![
            "pkcs12", "-info", "-in", &ours, "-passin", "pass:pw", "-nodes",
        ];
        if legacy_flag {
            info_args.insert(1, "-legacy");
        }
        let info = openssl(&info_args);
        assert!(info.contains("friendlyName: web"), "{info}");
        assert_eq!(info.matches("BEGIN CERTIFICATE").count(), 2, "{info}");
        let listing = run_ok(
            "keytool",
            &[
                "-list",
                "-storetype",
                "PKCS12",
                "-storepass",
                "pw",
                "-keystore",
                &ours,
            ],
        );
        assert!(listing.contains("web, "), "{listing}");
    }
}

#[test]
fn convert_between_pem_and_der() {
    let dir = TempDir::new("convert");
    let ca = pki(&dir);
    for (input, kind) in [("server.crt", "x509"), ("server.key", "pkcs8")] {
        let der = dir.path(&format!("{input}.der"));
        mtlskit_ok(&[
            "convert",
            &format!("{ca}/{input}"),
            "--to",
            "der",
            "--out",
            &der,
        ]);
        let from_openssl = dir.path(&format!("{input}.openssl.der"));
        let source = format!("{ca}/{input}");
        let mut args = vec![kind, "-in", &source];
        if kind == "pkcs8" {
            args.extend(["-topk8", "-nocrypt"]);
        }
        openssl(&[args, vec!["-outform", "DER", "-out", &from_openssl]].concat());
        assert_eq!(
            std::fs::read(&der).unwrap(),
            std::fs::read(&from_openssl).unwrap(),
            "{input}"
        );
        let back = mtlskit_ok(&["convert", &der, "--to", "pem"]);
        assert_eq!(
            back,
            std::fs::read_to_string(format!("{ca}/{input}")).unwrap(),
            "{input}"
        );
    }
    mtlskit_fails(
        &[
            "convert",
            &format!("{ca}/server-fullchain.crt"),
            "--to",
            "der",
            "--out",
            &dir.path("two.der"),
        ],
        "InvalidRequest",
    );
}

/// Scenario S2: root -> intermediate1 -> intermediate2 -> server made with openssl; bundle
/// puts them in order and names a missing issuer.
#[test]
fn bundle_orders_an_openssl_chain_and_names_the_missing_issuer() {
    let dir = TempDir::new("bundle");
    let path = |name: &str| dir.path(name);
    let ext = path("ext.cnf");
    std::fs::write(&ext, "[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n[leaf]\nsubjectAltName=DNS:test.com\nextendedKeyUsage=serverAuth\n").unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &path("root.key"),
        "-out",
        &path("root.crt"),
        "-subj",
        "/CN=Root",
        "-days",
        "30",
    ]);
    let mut issuer = "root".to_owned();
    for (name, section) in [
        ("intermediate1", "ca"),
        ("intermediate2", "ca"),
        ("server", "leaf"),
    ] {
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &path(&format!("{name}.key")),
            "-out",
            &path(&format!("{name}.csr")),
            "-subj",
            &format!("/CN={name}"),
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            &path(&format!("{name}.csr")),
            "-CA",
            &path(&format!("{issuer}.crt")),
            "-CAkey",
            &path(&format!("{issuer}.key")),
            "-CAcreateserial",
            "-out",
            &path(&format!("{name}.crt")),
            "-days",
            "30",
            "-extfile",
            &ext,
            "-extensions",
            section,
        ]);
        issuer = name.to_owned();
    }
    let unordered = [
        path("intermediate1.crt"),
        path("root.crt"),
        path("server.crt"),
        path("intermediate2.crt"),
    ];
    let mut args = vec!["bundle".to_owned()];
    args.extend(unordered.iter().cloned());
    args.extend(["--out".to_owned(), path("fullchain.crt")]);
    mtlskit_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let chain = std::fs::read_to_string(path("fullchain.crt")).unwrap();
    let expected: String = ["server", "intermediate2", "intermediate1"]
        .iter()
        .map(|name| std::fs::read_to_string(path(&format!("{name}.crt"))).unwrap())
        .collect();
    assert_eq!(chain, expected);
    let verified = openssl(&[
        "verify",
        "-CAfile",
        &path("root.crt"),
        "-untrusted",
        &path("fullchain.crt"),
        &path("server.crt"),
    ]);
    assert!(verified.contains("OK"), "{verified}");

    let with_root = mtlskit_ok(&[
        "bundle",
        &unordered[0],
        &unordered[1],
        &unordered[2],
        &unordered[3],
        "--include-root",
    ]);
    assert_eq!(with_root.matches("BEGIN CERTIFICATE").count(), 4);

    let error = mtlskit_fails(
        &[
            "bundle",
            &path("server.crt"),
            &path("intermediate2.crt"),
            &path("root.crt"),
        ],
        "UnknownIssuer",
    );
    assert!(
        error.contains("CN=intermediate1"),
        "names the missing issuer: {error}"
    );
}

#[test]
fn cert_new_makes_constrained_ca_chains_that_openssl_enforces() {
    let dir = TempDir::new("name-constraints");
    let path = |name: &str| dir.path(name);
    mtlskit_ok(&[
        "cert",
        "new",
        "--profile",
        "root",
        "--cn",
        "NC Root",
        "--key-type",
        "p384",
        "--out",
        &path("root.crt"),
        "--permit",
        "example.com",
        "--permit",
        "10.0.0.0/8",
        "--exclude",
        "bad.example.com",
        "--path-length",
        "1",
    ]);
    mtlskit_ok(&[
        "cert",
        "new",
        "--profile",
        "intermediate",
        "--cn",
        "NC Int",
        "--ca",
        &path("root.crt"),
        "--ca-key",
        &path("root.key"),
        "--out",
        &path("int.crt"),
        "--path-length",
        "0",
    ]);
    let text = openssl(&[
        "x509",
        "-in",
        &path("root.crt"),
        "-noout",
        "-ext",
        "nameConstraints,basicConstraints",
    ]);
    assert!(
        text.contains("DNS:example.com")
            && text.contains("IP:10.0.0.0/255.0.0.0")
            && text.contains("pathlen:1"),
        "{text}"
    );
    let issued_by_int = ["--ca", &path("int.crt"), "--ca-key", &path("int.key")];
    let mut good = vec![
        "cert",
        "new",
        "--profile",
        "server",
        "--san",
        "www.example.com",
        "--san",
        "10.1.1.1",
        "--out",
    ];
    let good_path = path("good.crt");
    good.push(&good_path);
    good.extend(issued_by_int);
    mtlskit_ok(&good);
    assert_verifies(&path("root.crt"), Some(&path("int.crt")), &good_path);
    let bad_path = path("bad.crt");
    let mut bad = vec![
        "cert",
        "new",
        "--profile",
        "client",
        "--san",
        "bad.example.com",
        "--out",
        &bad_path,
    ];
    bad.extend(issued_by_int);
    mtlskit_ok(&bad);
    let output = run(
        "openssl",
        &[
            "verify",
            "-CAfile",
            &path("root.crt"),
            "-untrusted",
            &path("int.crt"),
            &bad_path,
        ],
    );
    assert!(!output.status.success(), "an excluded name must not verify");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("subtree violation"), "{said}");
    // the intermediate has pathlen 0: it cannot sign another CA
    mtlskit_fails(
        &[
            "cert",
            "new",
            "--profile",
            "intermediate",
            "--cn",
            "Too deep",
            "--out",
            &path("deep.crt"),
            "--ca",
            &path("int.crt"),
            "--ca-key",
            &path("int.key"),
        ],
        "InvalidProfile",
    );
    assert!(!std::path::Path::new(&path("deep.crt")).exists());
}
