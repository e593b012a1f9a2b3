//! One signature verification algorithm of a rustls crypto provider, timed: verifies the same
//! SHA-256 signature (made by openssl over 600 random bytes) 15 000 times. Run by
//! `scripts/bench-provider.sh`, which reads the user CPU time of the process.
//! Usage: provider-measure 'ring p256' (or 'aws-lc-rs p256', 'ring rsa', 'aws-lc-rs rsa').

use rustls_pki_types::SignatureVerificationAlgorithm;

const ROUNDS: usize = 15_000;

fn main() {
    let wanted = std::env::args().nth(1).expect("which algorithm");
    let read = |name: &str| std::fs::read(name).expect(name);
    let message = read("msg.bin");
    let (spki, signature) = match wanted.ends_with("rsa") {
        true => (read("rsa.spki"), read("rsa.sig")),
        false => (read("p256.spki"), read("p256.sig")),
    };
    let algorithm = algorithm(&wanted);
    let key = subject_public_key(&spki);
    for _ in 0..ROUNDS {
        algorithm
            .verify_signature(key, &message, &signature)
            .expect("verifies");
    }
    println!("{wanted}: {ROUNDS} verifications");
}

fn algorithm(wanted: &str) -> &'static dyn SignatureVerificationAlgorithm {
    match wanted {
        #[cfg(feature = "ring")]
        "ring p256" => webpki::ring::ECDSA_P256_SHA256,
        #[cfg(feature = "ring")]
        "ring rsa" => webpki::ring::RSA_PKCS1_2048_8192_SHA256,
        #[cfg(feature = "aws")]
        "aws-lc-rs p256" => webpki::aws_lc_rs::ECDSA_P256_SHA256,
        #[cfg(feature = "aws")]
        "aws-lc-rs rsa" => webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
        other => panic!("unknown {other}"),
    }
}

/// The subjectPublicKey BIT STRING contents of a DER SubjectPublicKeyInfo.
fn subject_public_key(spki: &[u8]) -> &[u8] {
    let (_, body) = element(spki);
    let (algorithm_length, _) = element(body);
    let (_, bits) = element(&body[algorithm_length..]);
    &bits[1..]
}

/// (whole length, contents) of the DER element at the start of `bytes`.
fn element(bytes: &[u8]) -> (usize, &[u8]) {
    let first = usize::from(bytes[1]);
    let (length, header) = if first < 0x80 {
        (first, 2)
    } else {
        let count = first & 0x7f;
        let length = bytes[2..2 + count]
            .iter()
            .fold(0, |acc, byte| acc << 8 | usize::from(*byte));
        (length, 2 + count)
    };
    (header + length, &bytes[header..header + length])
}
