//! Targets for the decoders: raw input sniffing, each DER structure, keys, PKCS#12, Java
//! keystores, and `inspect`, which runs all of them and renders the report as text and JSON.

use mtlskit::crypto::{PublicKey, SigningKey};
use mtlskit::inspect::{self as inspection, Options};
use mtlskit::verify::{self as verification, Input, Item, TrustStore};
use mtlskit::{decode as decoding, x509};

use crate::{PASSWORD, TIME};

/// PEM (any label, junk around blocks), DER and bare base64 splitting, then sniffing each
/// block's kind.
pub fn decode(data: &[u8]) {
    let Ok(blocks) = decoding::blocks(data) else {
        return;
    };
    for block in blocks.into_iter().flatten() {
        let _ = decoding::sniff(block.label.as_deref(), &block.der);
    }
}

/// One DER certificate: parsed, inspected, and verified against itself as its own anchor
/// (the verifier's own parsing of names and extensions).
pub fn certificate(data: &[u8]) {
    let _ = x509::parse_certificate(data);
    inspect_and_render(data, None);
    let item = Item::new(data.to_vec(), "certificate");
    let input = Input {
        leaf: Some(item.clone()),
        anchors: vec![item],
        ..Input::default()
    };
    let _ = verification::verify(&input, &verification::Options::at(TIME));
}

/// One DER PKCS#10 request: parsed and inspected (which checks its signature).
pub fn csr(data: &[u8]) {
    let _ = x509::parse_csr(data);
    inspect_and_render(data, None);
}

/// One DER CRL: parsed, inspected, and loaded into a trust store.
pub fn crl(data: &[u8]) {
    let _ = x509::parse_crl(data);
    inspect_and_render(data, None);
    let _ = TrustStore::new(&[], &[Item::new(data.to_vec(), "crl")]);
}

/// A private key in any encoding (PKCS#8, encrypted PKCS#8 with the fuzz password, PKCS#1,
/// SEC1; PEM or DER) or a SubjectPublicKeyInfo. A key that loads signs a message and
/// re-encodes itself, which exercises the key's own parameters.
pub fn keys(data: &[u8]) {
    for password in [Some(PASSWORD), None] {
        if let Ok(key) = SigningKey::from_bytes(data, password) {
            let _ = key.sign(b"mtlskit fuzz");
            let _ = key.to_pkcs8_der();
            let _ = key.public_key().key_identifier();
        }
    }
    if let Ok(public_key) = PublicKey::from_spki_der(data) {
        let _ = public_key.key_type();
        let _ = public_key.key_identifier();
    }
}

/// A PKCS#12 file opened with the fuzz password; the keys it holds are loaded.
pub fn pkcs12(data: &[u8]) {
    let Ok(contents) = mtlskit::pkcs12::read(data, &PASSWORD.into()) else {
        return;
    };
    for key in &contents.keys {
        let _ = SigningKey::from_pkcs8_der(key.der.as_bytes());
    }
    for certificate in &contents.certificates {
        let _ = x509::parse_certificate(&certificate.der);
    }
}

/// A JKS or JCEKS keystore opened with the fuzz password, each protected key and sealed
/// secret key opened too.
pub fn keystore(data: &[u8]) {
    let Ok(keystore) = mtlskit::keystore::read(data, Some(PASSWORD)) else {
        return;
    };
    for entry in &keystore.entries {
        match &entry.contents {
            mtlskit::keystore::EntryContents::PrivateKey { key, .. } => {
                let _ = key.description();
                if let Ok(der) = key.open(PASSWORD) {
                    let _ = SigningKey::from_pkcs8_der(&der);
                }
            }
            mtlskit::keystore::EntryContents::SecretKey(sealed) => {
                let _ = sealed.description();
                let _ = sealed.open(PASSWORD);
            }
            mtlskit::keystore::EntryContents::TrustedCertificate { .. } => {}
        }
    }
}

/// Anything a user may drop on the inspector, with the fuzz password.
pub fn inspect(data: &[u8]) {
    inspect_and_render(data, Some(PASSWORD));
}

/// `inspect` as the CLI and the page run it: the report, its text rendering and its JSON.
fn inspect_and_render(data: &[u8], password: Option<&str>) {
    let options = Options {
        source: "fuzz".to_owned(),
        password: password.map(Into::into),
        key_password: None,
        at: TIME,
    };
    if let Ok(report) = inspection::inspect(data, &options) {
        let _ = inspection::text::render(&report, false);
        let _ = serde_json::to_string(&report);
    }
}
