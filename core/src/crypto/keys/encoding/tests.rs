//! The key readers and writers against the crates they replace (`pkcs8`, `sec1`, `pkcs1` and
//! the RustCrypto key crates' encoders and decoders): openssl-made keys of every kind and
//! encoding (`core/tests/data/keys`, `scripts/make-test-keys.sh`), keys the core generates and
//! writes, and every one-byte change and truncation of them.

use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rand::SeedableRng;
use rsa::pkcs1::DecodeRsaPrivateKey;

use super::*;
use crate::crypto::identify::tests::test_keys;
use crate::crypto::{KeyType, SigningKey};

fn changes(keys: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut all = keys.clone();
    all.extend(crate::x509::test_corpus::one_byte_changes(
        keys,
        1,
        &[0x00, 0x01, 0x02, 0x04, 0x05, 0x30, 0x80, 0xa0, 0xa1, 0xff],
        &[0x01, 0x20, 0x80],
    ));
    all
}

/// Generated keys of each type (seeded) as the crates wrote them: PKCS#8 v1, and Ed25519 as
/// version 2 with its public key too.
fn generated() -> Vec<Vec<u8>> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    // (every .p8 file reads, except the ones pkcs8 refuses too: the test above)
    let mut keys = Vec::new();
    for key_type in [KeyType::P256, KeyType::P384, KeyType::Ed25519] {
        let key = SigningKey::generate(key_type, &mut rng).unwrap();
        keys.push(key.to_pkcs8_der().unwrap().as_ref().to_vec());
    }
    let ed = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    keys.push(ed.to_pkcs8_der().unwrap().as_bytes().to_vec());
    keys
}

fn files(part: &str) -> Vec<Vec<u8>> {
    test_keys(part).into_iter().map(|(_, der)| der).collect()
}

#[test]
fn pkcs8_reads_as_pkcs8_crate() {
    let mut keys = files(".p8");
    keys.extend(generated());
    let (mut compared, mut accepted) = (0usize, 0usize);
    for der in changes(keys) {
        let ours = read_private_key_info(&der);
        let theirs = pkcs8::PrivateKeyInfoRef::from_der(&der);
        compared += 1;
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => {
                accepted += 1;
                assert_eq!(
                    ours.algorithm.whole,
                    &theirs.algorithm.to_der().unwrap()[..]
                );
                assert_eq!(ours.private_key, theirs.private_key.as_bytes());
                let public = theirs
                    .public_key
                    .map(|bits| (bits.unused_bits(), bits.raw_bytes()));
                assert_eq!(ours.public_key, public, "{der:02x?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("ours {ours:?}, pkcs8's {theirs:?}: {der:02x?}"),
        }
    }
    assert!(
        compared > 20_000 && accepted > 2_000,
        "{compared} {accepted}"
    );
}

#[test]
fn sec1_reads_as_sec1_crate() {
    let mut keys = files(".sec1");
    // The SEC1 keys inside the PKCS#8 ones (without the curve).
    for der in files(".p8") {
        let Ok(info) = read_private_key_info(&der) else {
            continue;
        };
        if read_ec_private_key(info.private_key).is_ok() {
            keys.push(info.private_key.to_vec());
        }
    }
    let (mut compared, mut accepted) = (0usize, 0usize);
    for der in changes(keys) {
        let ours = read_ec_private_key(&der);
        let theirs = sec1::EcPrivateKey::from_der(&der);
        compared += 1;
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => {
                accepted += 1;
                assert_eq!(ours.private_key, theirs.private_key);
                let curve = theirs.parameters.and_then(|p| p.named_curve());
                assert_eq!(ours.curve, curve.as_ref().map(|oid| oid.as_bytes()));
                assert_eq!(ours.public_key, theirs.public_key, "{der:02x?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("ours {ours:?}, sec1's {theirs:?}: {der:02x?}"),
        }
    }
    assert!(
        compared > 10_000 && accepted > 1_000,
        "{compared} {accepted}"
    );
}

#[test]
fn pkcs1_reads_as_pkcs1_crate() {
    let (mut compared, mut accepted) = (0usize, 0usize);
    for der in changes(files(".pkcs1")) {
        let ours = read_rsa_private_key(&der);
        let theirs = pkcs1::RsaPrivateKeyRef::from_der(&der);
        compared += 1;
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => {
                accepted += 1;
                let fields = [
                    theirs.modulus.as_bytes(),
                    theirs.public_exponent.as_bytes(),
                    theirs.private_exponent.as_bytes(),
                    theirs.prime1.as_bytes(),
                    theirs.prime2.as_bytes(),
                ];
                let ours = [
                    ours.modulus,
                    ours.public_exponent,
                    ours.private_exponent,
                    ours.prime1,
                    ours.prime2,
                ];
                assert_eq!(ours, fields, "{der:02x?}");
            }
            (Err(_), Err(_)) => {}
            // The named difference: multi-prime keys, which `rsa` refused.
            (Err(_), Ok(theirs)) if theirs.version() == pkcs1::Version::Multi => {}
            _ => panic!("ours {ours:?}, pkcs1's {theirs:?}: {der:02x?}"),
        }
    }
    assert!(
        compared > 40_000 && accepted > 10_000,
        "{compared} {accepted}"
    );
    let (mut compared, mut accepted) = (0usize, 0usize);
    for der in changes(files(".rsapub")) {
        let ours = read_rsa_public_key(&der);
        let theirs = pkcs1::RsaPublicKeyRef::from_der(&der);
        compared += 1;
        let theirs = theirs.map(|key| (key.modulus.as_bytes(), key.public_exponent.as_bytes()));
        assert_eq!(ours.ok(), theirs.ok(), "{der:02x?}");
        accepted += usize::from(ours.is_ok());
        // and the key `rsa` makes of it
        let before = pkcs1::DecodeRsaPublicKey::from_pkcs1_der(&der).ok();
        let after = ours.ok().and_then(|(n, e)| rsa_public_key(n, e));
        assert_eq!(after, before, "{der:02x?}");
    }
    assert!(
        compared > 5_000 && accepted > 1_000,
        "{compared} {accepted}"
    );
}

/// `SigningKey`'s loaders before (on the crates' decoders): the public key of the loaded key,
/// or the error code.
fn load_before(der: &[u8], as_kind: &str) -> Result<Vec<u8>, &'static str> {
    let spki = |key: Result<Vec<u8>, &'static str>| key;
    match as_kind {
        "pkcs8" => {
            let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| "InvalidDer")?;
            let oid = info.algorithm.oid;
            if oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
                let curve: const_oid::ObjectIdentifier =
                    info.algorithm.parameters_oid().map_err(|_| "InvalidKey")?;
                match curve {
                    const_oid::db::rfc5912::SECP_256_R_1 => spki(
                        p256::SecretKey::from_pkcs8_der(der)
                            .map_err(|_| "InvalidKey")
                            .map(|key| key.public_key().to_public_key_der().unwrap().to_vec()),
                    ),
                    const_oid::db::rfc5912::SECP_384_R_1 => spki(
                        p384::SecretKey::from_pkcs8_der(der)
                            .map_err(|_| "InvalidKey")
                            .map(|key| key.public_key().to_public_key_der().unwrap().to_vec()),
                    ),
                    _ => Err("UnsupportedAlgorithm"),
                }
            } else if oid == const_oid::db::rfc8410::ID_ED_25519 {
                ed25519_dalek::SigningKey::from_pkcs8_der(der)
                    .map_err(|_| "InvalidKey")
                    .map(|key| key.verifying_key().to_public_key_der().unwrap().to_vec())
            } else if oid == const_oid::db::rfc5912::RSA_ENCRYPTION {
                let key = rsa::PrivateKey::from_pkcs8_der(der).map_err(|_| "InvalidKey")?;
                rsa_spki_before(&key)
            } else {
                Err("UnsupportedAlgorithm")
            }
        }
        "pkcs1" => {
            let key = rsa::PrivateKey::from_pkcs1_der(der).map_err(|_| "InvalidKey")?;
            rsa_spki_before(&key)
        }
        _ => {
            let key = sec1::EcPrivateKey::from_der(der).map_err(|_| "InvalidDer")?;
            let curve = key.parameters.and_then(|p| p.named_curve());
            match (curve, key.private_key.len()) {
                (Some(const_oid::db::rfc5912::SECP_256_R_1), _) | (None, 32) => {
                    p256::SecretKey::from_sec1_der(der)
                        .map_err(|_| "InvalidKey")
                        .map(|key| key.public_key().to_public_key_der().unwrap().to_vec())
                }
                (Some(const_oid::db::rfc5912::SECP_384_R_1), _) | (None, 48) => {
                    p384::SecretKey::from_sec1_der(der)
                        .map_err(|_| "InvalidKey")
                        .map(|key| key.public_key().to_public_key_der().unwrap().to_vec())
                }
                (Some(_), _) => Err("UnsupportedAlgorithm"),
                (None, _) => Err("InvalidKey"),
            }
        }
    }
}

fn rsa_spki_before(key: &rsa::PrivateKey) -> Result<Vec<u8>, &'static str> {
    use rsa::traits::PublicKeyParts;
    if key.n().bit_width() < 2048 {
        return Err("InvalidKey");
    }
    let spki = key.to_public_key().to_public_key_der().unwrap();
    crate::crypto::PublicKey::from_spki_der(spki.as_bytes()).map_err(|_| "InvalidKey")?;
    Ok(spki.to_vec())
}

fn load_after(der: &[u8], as_kind: &str) -> Result<Vec<u8>, &'static str> {
    let key = match as_kind {
        "pkcs8" => SigningKey::from_pkcs8_der(der),
        "pkcs1" => SigningKey::from_pkcs1_der(der),
        _ => SigningKey::from_sec1_der(der),
    };
    key.map(|key| key.public_key().spki_der().to_vec())
        .map_err(|error| error.code())
}

/// The keys load as the crates loaded them: the same public key or the same error code, on
/// every file and every one-byte change (RSA: the 1024-bit key's changes, the sizes refused
/// after the components are checked, and the other keys as they are).
#[test]
fn keys_load_as_with_the_crates() {
    let mut inputs: Vec<(Vec<u8>, &str)> = Vec::new();
    let mut small_pkcs8 = files(".p8");
    small_pkcs8.retain(|der| der.len() < 700);
    small_pkcs8.extend(generated());
    for der in changes(small_pkcs8) {
        inputs.push((der, "pkcs8"));
    }
    for der in changes(files("rsa1024.pkcs1")) {
        inputs.push((der, "pkcs1"));
    }
    for der in changes(files(".sec1")) {
        inputs.push((der, "sec1"));
    }
    for (kind, part) in [("pkcs8", ".p8"), ("pkcs1", ".pkcs1"), ("sec1", ".sec1")] {
        for der in files(part) {
            inputs.push((der, kind));
        }
    }
    let mut loaded = 0usize;
    for (der, kind) in &inputs {
        let (after, before) = (load_after(der, kind), load_before(der, kind));
        assert_eq!(after, before, "{kind} {der:02x?}");
        loaded += usize::from(after.is_ok());
    }
    assert!(
        inputs.len() > 30_000 && loaded > 100,
        "{} {loaded}",
        inputs.len()
    );
}

/// `to_pkcs8_der` writes the bytes the crates wrote, for generated keys of each type and the
/// openssl-made ones.
#[test]
fn keys_are_written_as_the_crates_wrote_them() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    let mut keys = Vec::new();
    for key_type in [
        KeyType::P256,
        KeyType::P384,
        KeyType::Ed25519,
        KeyType::Rsa { bits: 2048 },
    ] {
        for _ in 0..4 {
            keys.push(SigningKey::generate(key_type, &mut rng).unwrap());
        }
    }
    for der in files(".p8")
        .into_iter()
        .chain(files(".pkcs1"))
        .chain(files(".sec1"))
    {
        if let Ok(key) = SigningKey::from_der(&der, None) {
            keys.push(key);
        }
    }
    assert!(keys.len() > 25, "{}", keys.len());
    for key in &keys {
        let ours = key.to_pkcs8_der().unwrap();
        let theirs = match &key.inner {
            super::super::Inner::P256(key) => key.to_pkcs8_der().unwrap().as_bytes().to_vec(),
            super::super::Inner::P384(key) => key.to_pkcs8_der().unwrap().as_bytes().to_vec(),
            super::super::Inner::Ed25519(key) => ed25519_dalek::ed25519::pkcs8::KeypairBytes {
                secret_key: key.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_der()
            .unwrap()
            .as_bytes()
            .to_vec(),
            super::super::Inner::Rsa(key) => {
                let key: &rsa::PrivateKey = key.as_ref().as_ref();
                key.to_pkcs8_der().unwrap().as_bytes().to_vec()
            }
        };
        assert_eq!(ours.as_ref(), &theirs[..], "{:?}", key.key_type());
        // and the public key as the crates encoded it
        let spki = match &key.inner {
            super::super::Inner::P256(key) => key.verifying_key().to_public_key_der(),
            super::super::Inner::P384(key) => key.verifying_key().to_public_key_der(),
            super::super::Inner::Ed25519(key) => key.verifying_key().to_public_key_der(),
            super::super::Inner::Rsa(key) => {
                let key: &rsa::PrivateKey = key.as_ref().as_ref();
                key.to_public_key().to_public_key_der()
            }
        };
        assert_eq!(key.public_key().spki_der(), spki.unwrap().as_bytes());
        // and it reads back to the same key
        let again = SigningKey::from_pkcs8_der(ours.as_ref()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
    }
}

/// `PublicKey::from_spki_der` as before (on `spki` and `rsa`'s PKCS#1 decoder): the same key
/// type or error code on the openssl-made SPKIs and every one-byte change.
#[test]
fn public_keys_read_as_before() {
    use rsa::traits::PublicKeyParts;
    let before = |der: &[u8]| -> Result<KeyType, &'static str> {
        let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| "InvalidDer")?;
        let oid = spki.algorithm.oid;
        if oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
            let curve: const_oid::ObjectIdentifier =
                spki.algorithm.parameters_oid().map_err(|_| "InvalidKey")?;
            match curve {
                const_oid::db::rfc5912::SECP_256_R_1 => Ok(KeyType::P256),
                const_oid::db::rfc5912::SECP_384_R_1 => Ok(KeyType::P384),
                _ => Err("UnsupportedAlgorithm"),
            }
        } else if oid == const_oid::db::rfc8410::ID_ED_25519 {
            Ok(KeyType::Ed25519)
        } else if oid == const_oid::db::rfc5912::RSA_ENCRYPTION {
            let key = <rsa::PublicKey as pkcs1::DecodeRsaPublicKey>::from_pkcs1_der(
                spki.subject_public_key.raw_bytes(),
            )
            .map_err(|_| "InvalidKey")?;
            Ok(KeyType::Rsa {
                bits: usize::try_from(key.n().bit_width()).unwrap(),
            })
        } else {
            Err("UnsupportedAlgorithm")
        }
    };
    let mut accepted = 0usize;
    let inputs = changes(files(".spki"));
    for der in &inputs {
        let after = crate::crypto::PublicKey::from_spki_der(der)
            .map(|key| key.key_type())
            .map_err(|error| error.code());
        assert_eq!(after, before(der), "{der:02x?}");
        accepted += usize::from(after.is_ok());
    }
    assert!(
        inputs.len() > 30_000 && accepted > 3_000,
        "{} {accepted}",
        inputs.len()
    );
}

/// A multi-prime (version 1) RSAPrivateKey with small made-up values: `pkcs1` reads it.
fn multi_prime_key(others: usize) -> Vec<u8> {
    let mut der = Vec::new();
    write::sequence(&mut der, |out| {
        write::integer_u64(out, 1);
        for value in [0xc5_u64, 3, 7, 11, 13, 5, 7, 9] {
            write::integer_u64(out, value);
        }
        write::sequence(out, |out| {
            for index in 0..others {
                write::sequence(out, |out| {
                    for value in [17_u64, 19, 0x80 + index as u64] {
                        write::integer_u64(out, value);
                    }
                });
            }
        });
    });
    der
}

/// The recognising reader (either version) against `pkcs1`'s `RsaPrivateKeyRef`: openssl's
/// keys, multi-prime keys and every one-byte change and truncation of them.
#[test]
fn rsa_private_keys_of_either_version_read_as_pkcs1_crate() {
    let mut keys = files(".pkcs1");
    keys.extend([multi_prime_key(1), multi_prime_key(2), multi_prime_key(0)]);
    let (mut compared, mut accepted, mut multi) = (0usize, 0usize, 0usize);
    for der in changes(keys) {
        let ours = read_rsa_private_key_public_part(&der);
        let theirs = pkcs1::RsaPrivateKeyRef::from_der(&der);
        let theirs = theirs.map(|key| {
            multi += usize::from(key.version() == pkcs1::Version::Multi);
            (key.modulus.as_bytes(), key.public_exponent.as_bytes())
        });
        assert_eq!(ours.ok(), theirs.ok(), "{der:02x?}");
        accepted += usize::from(ours.is_ok());
        compared += 1;
    }
    assert!(
        compared > 40_000 && accepted > 10_000 && multi > 20,
        "{compared} {accepted} {multi}"
    );
}
