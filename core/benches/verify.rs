//! Verifications per second of a 3-certificate P-256 chain and a 3-certificate RSA-2048 chain
//! (root -> intermediate -> leaf, host name checked), in one run: mtlskit with the native list
//! (the rustls ring provider's algorithms, then the core's: what the CLI and the proxy use),
//! mtlskit with the core's RustCrypto list (wasm), and rustls-webpki with ring. Ids:
//! `verify/{p256,rsa2048}/{native,rustcrypto,webpki}`. The same again with the chain's root
//! added to the 144-certificate system bundle (`/etc/ssl/certs/ca-certificates.crt`): through
//! one `TrustStore` built before the run (`store-native`, `store-rustcrypto`: what the proxy
//! does per handshake) and rustls-webpki with the same 145 anchors (`store-webpki`).
//!
//! The chains are made with the `openssl` command at start-up (Debian package `openssl`).
//! Run: `cargo bench -p mtlskit --bench verify`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmark set-up: a failure is a failed run"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use mtlskit::UnixTime;
use mtlskit::crypto::{ALGORITHMS, Algorithms};
use mtlskit::verify::{Input, Item, Options, PeerName, Purpose, TrustStore, verify};
use rustls_pki_types::{CertificateDer, ServerName};

struct Chain {
    root: Vec<u8>,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
}

fn openssl(dir: &Path, arguments: &str) {
    let status = Command::new("openssl")
        .args(arguments.split(' '))
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl");
    assert!(status.success(), "openssl {arguments}");
}

fn make_chain(kind: &str) -> Chain {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("mtlskit-bench-{kind}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = match kind {
        "rsa2048" => "-algorithm RSA -pkeyopt rsa_keygen_bits:2048",
        _ => "-algorithm EC -pkeyopt ec_paramgen_curve:P-256",
    };
    let ca = "[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n";
    let leaf = "[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:bench.example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n";
    std::fs::write(dir.join("ca.ext"), ca).unwrap();
    std::fs::write(dir.join("leaf.ext"), leaf).unwrap();
    for name in ["root", "intermediate", "leaf"] {
        openssl(&dir, &format!("genpkey {key} -out {name}.key"));
        openssl(
            &dir,
            &format!("req -new -key {name}.key -subj /CN=bench-{name} -out {name}.csr"),
        );
    }
    openssl(
        &dir,
        "x509 -req -in root.csr -signkey root.key -days 3650 -sha256 -extfile ca.ext -extensions v3 -outform DER -out root.der",
    );
    openssl(
        &dir,
        "x509 -req -in root.csr -signkey root.key -days 3650 -sha256 -extfile ca.ext -extensions v3 -out root.crt",
    );
    openssl(
        &dir,
        "x509 -req -in intermediate.csr -CA root.crt -CAkey root.key -CAcreateserial -days 3650 -sha256 -extfile ca.ext -extensions v3 -out intermediate.crt",
    );
    openssl(
        &dir,
        "x509 -in intermediate.crt -outform DER -out intermediate.der",
    );
    openssl(
        &dir,
        "x509 -req -in leaf.csr -CA intermediate.crt -CAkey intermediate.key -CAcreateserial -days 365 -sha256 -extfile leaf.ext -extensions v3 -outform DER -out leaf.der",
    );
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let chain = Chain {
        root: read("root.der"),
        intermediate: read("intermediate.der"),
        leaf: read("leaf.der"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    chain
}

fn now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

fn bench_chain(criterion: &mut Criterion, kind: &str) {
    let chain = make_chain(kind);
    let input = Input {
        leaf: Some(Item::new(chain.leaf.clone(), "leaf")),
        intermediates: vec![Item::new(chain.intermediate.clone(), "intermediate")],
        anchors: vec![Item::new(chain.root.clone(), "root")],
        crls: Vec::new(),
    };
    let mut options = Options::at(UnixTime(now()));
    options.purpose = Purpose::Server;
    options.peer_name = Some(PeerName::Dns("bench.example.com".to_owned()));
    verify(&input, &options).expect("the bench chain verifies with mtlskit");

    let root = CertificateDer::from(chain.root.as_slice());
    let anchors = vec![webpki::anchor_from_trusted_cert(&root).unwrap().to_owned()];
    let intermediates = vec![CertificateDer::from(chain.intermediate.clone())];
    let leaf = CertificateDer::from(chain.leaf.clone());
    let time =
        rustls_pki_types::UnixTime::since_unix_epoch(Duration::from_secs(now().unsigned_abs()));
    let server_name = ServerName::try_from("bench.example.com").unwrap();
    let webpki_verify = || {
        let end_entity = webpki::EndEntityCert::try_from(&leaf).unwrap();
        end_entity
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &anchors,
                &intermediates,
                time,
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .unwrap();
        end_entity
            .verify_is_valid_for_subject_name(&server_name)
            .unwrap();
    };
    webpki_verify();

    let mut group = criterion.benchmark_group(format!("verify/{kind}"));
    for (name, algorithms) in [("native", native_algorithms()), ("rustcrypto", ALGORITHMS)] {
        let mut options = options.clone();
        options.signature_algorithms = algorithms;
        group.bench_function(name, |bencher| {
            bencher.iter(|| verify(&input, &options).expect("valid"));
        });
    }
    group.bench_function("webpki", |bencher| bencher.iter(webpki_verify));

    let mut bundle = system_bundle();
    bundle.push(chain.root.clone());
    let items: Vec<Item> = bundle
        .iter()
        .enumerate()
        .map(|(index, der)| Item::new(der.clone(), format!("anchor {index}")))
        .collect();
    let store = TrustStore::new(&items, &[]).expect("the system bundle decodes");
    let intermediate = chain.intermediate.as_slice();
    for (name, algorithms) in [
        ("store-native", native_algorithms()),
        ("store-rustcrypto", ALGORITHMS),
    ] {
        let mut options = options.clone();
        options.signature_algorithms = algorithms;
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                store
                    .verify(&chain.leaf, &[intermediate], &options)
                    .expect("valid")
            });
        });
    }
    let bundle_ders: Vec<CertificateDer<'_>> = bundle
        .iter()
        .map(|der| CertificateDer::from(der.as_slice()))
        .collect();
    let bundle_anchors: Vec<_> = bundle_ders
        .iter()
        .filter_map(|der| webpki::anchor_from_trusted_cert(der).ok())
        .map(|anchor| anchor.to_owned())
        .collect();
    group.bench_function("store-webpki", |bencher| {
        bencher.iter(|| {
            let end_entity = webpki::EndEntityCert::try_from(&leaf).unwrap();
            end_entity
                .verify_for_usage(
                    webpki::ALL_VERIFICATION_ALGS,
                    &bundle_anchors,
                    &intermediates,
                    time,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .unwrap();
            end_entity
                .verify_is_valid_for_subject_name(&server_name)
                .unwrap();
        });
    });
    group.finish();
}

/// The DER certificates of the system bundle.
fn system_bundle() -> Vec<Vec<u8>> {
    const END: &str = "-----END CERTIFICATE-----";
    let text = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt")
        .expect("the system bundle (Debian package ca-certificates)");
    text.split_inclusive(END)
        .filter_map(|chunk| chunk.find("-----BEGIN").map(|start| &chunk[start..]))
        .map(|block| pem_rfc7468::decode_vec(block.as_bytes()).expect("PEM").1)
        .collect()
}

/// What native code passes: the rustls ring provider's algorithms, then the core's.
fn native_algorithms() -> Algorithms {
    let provider = rustls::crypto::ring::default_provider();
    mtlskit::crypto::provider_then_core(provider.signature_verification_algorithms.all)
}

fn benches(criterion: &mut Criterion) {
    bench_chain(criterion, "p256");
    bench_chain(criterion, "rsa2048");
}

criterion_group!(verify_benches, benches);
criterion_main!(verify_benches);
