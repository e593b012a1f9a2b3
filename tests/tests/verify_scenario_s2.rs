//! Scenario S2 (field note 002): root -> intermediate1 -> intermediate2 -> server, made with the
//! note's exact openssl commands. Those commands write version 1 intermediates, which cannot
//! be CAs (issue 7 point 1): like `openssl verify`, mtlskit refuses them and says how to
//! re-issue them. Re-issued with the note's keys and requests and a v3_ca extension section,
//! the chain verifies from a fullchain file and from an unordered set; without intermediate1
//! the failure names the missing issuer and the fix.
//!
//! Needs the `openssl` binary (Debian package `openssl`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]

mod verify_support;

use mtlskit::UnixTime;
use mtlskit::verify::{Input, Item, Options};
use mtlskit_tests::verify_with_both_lists as verify;
use verify_support::{Pki, certificates, now};

/// The commands of the field note, verbatim (4096-bit RSA keys, no extension files).
fn note_chain() -> Pki {
    let pki = Pki::new("s2");
    run_openssl(
        &pki,
        &[
            "genrsa -out root.key 4096",
            "req -new -x509 -days 3650 -key root.key -out root.crt -subj /CN=Root\\ CA",
            "genrsa -out intermediate1.key 4096",
            "req -new -key intermediate1.key -out intermediate1.csr -subj /CN=Intermediate\\ CA\\ 1",
            "x509 -req -in intermediate1.csr -CA root.crt -CAkey root.key -CAcreateserial -out intermediate1.crt -days 3650",
            "genrsa -out intermediate2.key 4096",
            "req -new -key intermediate2.key -out intermediate2.csr -subj /CN=Intermediate\\ CA\\ 2",
            "x509 -req -in intermediate2.csr -CA intermediate1.crt -CAkey intermediate1.key -CAcreateserial -out intermediate2.crt -days 3650",
            "genrsa -out server.key 4096",
            "req -new -key server.key -out server.csr -subj /CN=server.example.com",
            "x509 -req -in server.csr -CA intermediate2.crt -CAkey intermediate2.key -CAcreateserial -out server.crt -days 365",
        ],
    );
    write_fullchain(&pki);
    pki
}

/// Re-signs the note's requests with the same keys, the intermediates with a v3_ca section.
fn reissue_with_ca_extensions(pki: &Pki) {
    std::fs::write(
        pki.path("v3_ca.ext"),
        "[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n\
         subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n",
    )
    .unwrap();
    run_openssl(
        pki,
        &[
            "x509 -req -in intermediate1.csr -CA root.crt -CAkey root.key -CAcreateserial -out intermediate1.crt -days 3650 -extfile v3_ca.ext -extensions v3_ca",
            "x509 -req -in intermediate2.csr -CA intermediate1.crt -CAkey intermediate1.key -CAcreateserial -out intermediate2.crt -days 3650 -extfile v3_ca.ext -extensions v3_ca",
            "x509 -req -in server.csr -CA intermediate2.crt -CAkey intermediate2.key -CAcreateserial -out server.crt -days 365",
        ],
    );
    write_fullchain(pki);
}

/// Runs each openssl command line in the directory of `pki`.
fn run_openssl(pki: &Pki, commands: &[&str]) {
    for command in commands {
        let arguments: Vec<String> = split(command);
        let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
        pki.openssl(&arguments);
    }
}

fn write_fullchain(pki: &Pki) {
    let mut fullchain = Vec::new();
    for file in ["server.crt", "intermediate2.crt", "intermediate1.crt"] {
        fullchain.extend(std::fs::read(pki.path(file)).unwrap());
    }
    std::fs::write(pki.path("fullchain.crt"), fullchain).unwrap();
}

/// `openssl verify -CAfile root.crt -untrusted` on the note's own chain.
fn openssl_accepts(pki: &Pki) -> bool {
    std::process::Command::new("openssl")
        .current_dir(&pki.dir)
        .args([
            "verify",
            "-CAfile",
            "root.crt",
            "-untrusted",
            "fullchain.crt",
        ])
        .arg("server.crt")
        .output()
        .expect("openssl verify")
        .status
        .success()
}

/// Splits a command line on spaces, keeping `\ ` as a space inside an argument.
fn split(command: &str) -> Vec<String> {
    let mut arguments = vec![String::new()];
    let mut escaped = false;
    for character in command.chars() {
        match (character, escaped) {
            ('\\', false) => escaped = true,
            (' ', false) => arguments.push(String::new()),
            (other, _) => {
                arguments.last_mut().unwrap().push(other);
                escaped = false;
            }
        }
    }
    arguments
}

fn items(pki: &Pki, file: &str) -> Vec<Item> {
    certificates(&pki.path(file))
        .into_iter()
        .map(|der| Item::new(der, file))
        .collect()
}

/// The fullchain file as a server sends it: the leaf first, then its intermediates.
fn fullchain_input(pki: &Pki, anchors: &[Item]) -> Input {
    let mut fullchain = items(pki, "fullchain.crt").into_iter();
    Input {
        leaf: fullchain.next(),
        intermediates: fullchain.collect(),
        anchors: anchors.to_vec(),
        crls: Vec::new(),
    }
}

#[test]
fn note_chain_verifies_and_missing_intermediate_is_explained() {
    let pki = note_chain();
    let options = Options::at(UnixTime(now()));
    let anchors = items(&pki, "root.crt");

    // Verbatim, the intermediates are version 1 certificates: refused by both tools.
    assert!(!openssl_accepts(&pki), "openssl: invalid CA certificate");
    let input = fullchain_input(&pki, &anchors);
    let failure = verify(&input, &options).expect_err("version 1 intermediates");
    assert_eq!(failure.code, "NotCa", "{failure}");
    let culprit = failure
        .certificate
        .as_ref()
        .expect("the certificate is named");
    assert_eq!(culprit.subject, "CN=Intermediate CA 2");
    assert!(failure.hint.contains("-extfile"), "{}", failure.hint);

    reissue_with_ca_extensions(&pki);
    assert!(openssl_accepts(&pki), "openssl accepts the re-issued chain");
    let options = Options::at(UnixTime(now()));

    let input = fullchain_input(&pki, &anchors);
    let verified = verify(&input, &options).expect("the note's chain verifies");
    let subjects: Vec<&str> = verified.path.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "CN=server.example.com",
            "CN=Intermediate CA 2",
            "CN=Intermediate CA 1",
            "CN=Root CA"
        ]
    );

    // An unordered set of intermediates builds the same path.
    let mut unordered = items(&pki, "intermediate1.crt");
    unordered.extend(items(&pki, "intermediate2.crt"));
    let input = Input {
        leaf: items(&pki, "server.crt").pop(),
        intermediates: unordered,
        anchors: anchors.clone(),
        crls: Vec::new(),
    };
    assert_eq!(
        verify(&input, &options).expect("unordered set").path.len(),
        4
    );

    // Without intermediate1 the failure names the missing issuer and how to fix it.
    let input = Input {
        leaf: items(&pki, "server.crt").pop(),
        intermediates: items(&pki, "intermediate2.crt"),
        anchors,
        crls: Vec::new(),
    };
    let failure = verify(&input, &options).expect_err("intermediate1 is missing");
    assert_eq!(failure.code, "UnknownIssuer");
    let certificate = failure
        .certificate
        .as_ref()
        .expect("the certificate is named");
    assert_eq!(certificate.subject, "CN=Intermediate CA 2");
    assert_eq!(certificate.source, "intermediate2.crt");
    assert_eq!(certificate.index, 1);
    let text = failure.explanation();
    assert!(text.contains("'CN=Intermediate CA 1'"), "{text}");
    assert!(
        text.contains("intermediate2.crt was issued by 'CN=Intermediate CA 1'"),
        "{text}"
    );
    assert!(
        text.contains("fullchain") && text.contains("intermediates") && !text.contains("--"),
        "{text}"
    );
}
