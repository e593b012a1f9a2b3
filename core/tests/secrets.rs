//! No secret is reachable through `Debug` (issue 7, point 6): passwords and private keys are
//! redacted in every type that holds them, so they cannot reach logs or error messages.
//! (None of these types implements `Display`; the `secret` types implement no `Serialize`.)

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test")]

use mtlskit::UnixTime;
use mtlskit::crypto::{KeyType, SigningKey};
use mtlskit::inspect::Options;
use mtlskit::issue::{self, CertificateParams, Issuer, Profile, Subject, pki};
use mtlskit::pkcs12::{self, ExportParams};
use mtlskit::secret::Password;
use rand::SeedableRng;
use rand::rngs::StdRng;

const MARKER: &str = "hunter2-marker";
const NOW: UnixTime = UnixTime(1_790_000_000);

#[test]
fn debug_output_never_contains_passwords_or_key_material() {
    let mut rng = StdRng::seed_from_u64(11);
    let key = SigningKey::generate(KeyType::P256, &mut rng).unwrap();
    let key_pem = key.to_pkcs8_pem().unwrap();
    // A distinctive slice of the key's base64 and of its DER.
    let key_base64: String = key_pem.lines().nth(1).unwrap().chars().take(40).collect();
    let key_der = key.to_pkcs8_der().unwrap();
    let key_bytes = format!("{:?}", &key_der[key_der.len() - 16..]);

    let params = CertificateParams {
        profile: Profile::Root,
        subject: Subject::common_name("Debug Root"),
        ..CertificateParams::default()
    };
    let root = issue::self_signed(&params, &key, NOW, &mut rng).unwrap();
    let export = ExportParams {
        password: Password::from(MARKER),
        ..ExportParams::default()
    };
    let p12 = pkcs12::write(&key, root.der(), &[], &export, &mut rng).unwrap();
    let contents = pkcs12::read(&p12, &export.password).unwrap();
    let pki_params = pki::PkiParams {
        p12_password: Some(Password::from(MARKER)),
        ..pki::PkiParams::default()
    };
    let created = pki::init(&pki_params, NOW, &mut rng).unwrap();
    let generated = pki::init(&pki::PkiParams::default(), NOW, &mut rng).unwrap();
    let options = Options {
        source: "x".into(),
        password: Some(Password::from(MARKER)),
        key_password: Some(Password::from(MARKER)),
        at: NOW,
    };
    let issuer = Issuer::new(
        root.der(),
        SigningKey::from_bytes(key_pem.as_bytes(), None).unwrap(),
    )
    .unwrap();

    let shown = [
        format!("{key:?}"),
        format!("{issuer:?}"),
        format!("{export:?}"),
        format!("{contents:?}"),
        format!("{pki_params:?}"),
        format!("{created:?}"),
        format!("{generated:?}"),
        format!("{options:?}"),
        format!("{:?}", key.to_pkcs8_der().unwrap()),
    ]
    .join("\n");
    let generated_password = generated.file(pki::P12_PASSWORD_FILE).unwrap();
    let generated_password = String::from_utf8(generated_password.contents.to_vec()).unwrap();
    for secret in [
        MARKER,
        &key_base64,
        &key_bytes,
        generated_password.trim(),
        "PRIVATE KEY",
    ] {
        assert!(!shown.contains(secret), "{secret} is visible in:\n{shown}");
    }
    assert!(shown.contains("redacted"), "{shown}");
}
