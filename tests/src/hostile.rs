//! Hostile encrypted keys and PKCS#12 files, built DER byte by byte (no encoder would write
//! them): KDF parameters that ask for hours of work or terabytes of memory. The JavaScript
//! tests build the same files in `tests/js/hostile.mjs`.

/// One DER element: tag, definite length, contents.
pub fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut der = vec![tag];
    let length = contents.len();
    if length < 0x80 {
        der.push(length as u8);
    } else {
        let bytes: Vec<u8> = length
            .to_be_bytes()
            .into_iter()
            .skip_while(|byte| *byte == 0)
            .collect();
        der.push(0x80 | bytes.len() as u8);
        der.extend(bytes);
    }
    der.extend(contents);
    der
}

/// A SEQUENCE of already encoded elements.
pub fn sequence(elements: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &elements.concat())
}

/// A non-negative INTEGER.
pub fn integer(value: u64) -> Vec<u8> {
    let mut bytes: Vec<u8> = value
        .to_be_bytes()
        .into_iter()
        .skip_while(|byte| *byte == 0)
        .collect();
    if bytes.first().is_none_or(|byte| byte & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    tlv(0x02, &bytes)
}

const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
const SCRYPT: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b];
const HMAC_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
const AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const SHROUDED_KEY_BAG: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02,
];

/// A PKCS#8 `EncryptedPrivateKeyInfo` under PBES2 with scrypt `n`, `r`, `p` and AES-256-CBC.
pub fn pkcs8_scrypt(n: u64, r: u64, p: u64) -> Vec<u8> {
    let parameters = sequence(&[&tlv(0x04, &[1; 8]), &integer(n), &integer(r), &integer(p)]);
    encrypted_key(&sequence(&[&tlv(0x06, SCRYPT), &parameters]))
}

/// A PKCS#8 `EncryptedPrivateKeyInfo` under PBES2 with PBKDF2-HMAC-SHA-256 and `iterations`.
pub fn pkcs8_pbkdf2(iterations: u64) -> Vec<u8> {
    let prf = sequence(&[&tlv(0x06, HMAC_SHA256), &[0x05, 0x00]]);
    let parameters = sequence(&[&tlv(0x04, &[1; 8]), &integer(iterations), &prf]);
    encrypted_key(&sequence(&[&tlv(0x06, PBKDF2), &parameters]))
}

fn encrypted_key(kdf: &[u8]) -> Vec<u8> {
    let cipher = sequence(&[&tlv(0x06, AES256_CBC), &tlv(0x04, &[2; 16])]);
    let scheme = sequence(&[&tlv(0x06, PBES2), &sequence(&[kdf, &cipher])]);
    sequence(&[&scheme, &tlv(0x04, &[3; 32])])
}

/// A PKCS#12 file whose MAC asks for `iterations` of the PKCS#12 KDF.
pub fn pkcs12_mac_iterations(iterations: u64) -> Vec<u8> {
    let digest = sequence(&[
        &sequence(&[&tlv(0x06, SHA256), &[0x05, 0x00]]),
        &tlv(0x04, &[4; 32]),
    ]);
    let mac = sequence(&[&digest, &tlv(0x04, &[5; 8]), &integer(iterations)]);
    pfx(&sequence(&[]), Some(&mac))
}

/// A PKCS#12 file without a MAC holding one shrouded key bag with `encrypted_key`.
pub fn pkcs12_with_key(encrypted_key: &[u8]) -> Vec<u8> {
    let bag = sequence(&[&tlv(0x06, SHROUDED_KEY_BAG), &tlv(0xa0, encrypted_key)]);
    let safe = data(&sequence(&[&bag]));
    pfx(&sequence(&[&safe]), None)
}

fn data(contents: &[u8]) -> Vec<u8> {
    sequence(&[&tlv(0x06, DATA), &tlv(0xa0, &tlv(0x04, contents))])
}

fn pfx(authenticated_safe: &[u8], mac: Option<&[u8]>) -> Vec<u8> {
    let content = data(authenticated_safe);
    sequence(&[&integer(3), &content, mac.unwrap_or_default()])
}

/// PEM text of `der` under `label`.
pub fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap()
}

/// Every hostile case: file name, contents, the parameter the error must name.
pub fn cases() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let key = |der: Vec<u8>| pem("ENCRYPTED PRIVATE KEY", &der).into_bytes();
    vec![
        (
            "scrypt-n.key",
            key(pkcs8_scrypt(1 << 30, 8, 1)),
            "scrypt N (cost)",
        ),
        (
            "scrypt-p.key",
            key(pkcs8_scrypt(1 << 14, 8, 65_535)),
            "scrypt p (parallelism)",
        ),
        (
            "scrypt-r.key",
            key(pkcs8_scrypt(1 << 14, 65_535, 1)),
            "scrypt N (cost)",
        ),
        (
            "pbkdf2.key",
            key(pkcs8_pbkdf2(u64::from(u32::MAX))),
            "PBKDF2 iteration count",
        ),
        (
            "mac.p12",
            pkcs12_mac_iterations(i32::MAX as u64),
            "PKCS#12 KDF iteration count",
        ),
        (
            "scrypt-n.p12",
            pkcs12_with_key(&pkcs8_scrypt(1 << 30, 8, 1)),
            "scrypt N (cost)",
        ),
        (
            "scrypt-p.p12",
            pkcs12_with_key(&pkcs8_scrypt(1 << 14, 8, 65_535)),
            "scrypt p (parallelism)",
        ),
        (
            "pbkdf2.p12",
            pkcs12_with_key(&pkcs8_pbkdf2(u64::from(u32::MAX))),
            "PBKDF2 iteration count",
        ),
    ]
}
