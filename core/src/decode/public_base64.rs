//! Base64 (RFC 4648 section 4, the standard alphabet with padding) for PUBLIC data only:
//! certificates, CSRs, CRLs and public keys, whose bytes are no secret.
//!
//! A lookup table per character, four characters at a time: several times faster than the
//! constant-time `base64ct` that keys and PKCS#12 files keep using (`pem.rs`), which was the
//! largest single cost of inspecting a trust bundle (BENCHMARKS.md "Inspection"). The timing
//! of this code depends on the data, which is why nothing secret may go through it.
//!
//! The decoder accepts only canonical padded base64 (no stray `=`, zero trailing bits) and
//! returns `None` for anything else, so the caller falls back to the lenient `base64ct` path:
//! what is accepted, and what it decodes to, never differs from before.

/// Marks a byte that is not in the alphabet (any valid value is below 64).
const INVALID: u8 = 0xff;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of bounds fails the build"
)]
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut index = 0;
    while index < ALPHABET.len() {
        table[ALPHABET[index] as usize] = index as u8;
        index += 1;
    }
    table
};

/// Decodes canonical padded standard base64 (no white space); `None` for anything else.
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    if text.is_empty() || text.len() % 4 != 0 {
        return None;
    }
    let (body, last) = text.split_at(text.len() - 4);
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in body.chunks_exact(4) {
        let [a, b, c, d] = sextets(chunk)?;
        out.extend_from_slice(&[a << 2 | b >> 4, b << 4 | c >> 2, c << 6 | d]);
    }
    match *last {
        [_, _, b'=', b'='] => {
            let [a, b] = sextets(last.get(..2)?)?;
            if b & 0x0f != 0 {
                return None;
            }
            out.push(a << 2 | b >> 4);
        }
        [_, _, _, b'='] => {
            let [a, b, c] = sextets(last.get(..3)?)?;
            if c & 0x03 != 0 {
                return None;
            }
            out.extend_from_slice(&[a << 2 | b >> 4, b << 4 | c >> 2]);
        }
        _ => {
            let [a, b, c, d] = sextets(last)?;
            out.extend_from_slice(&[a << 2 | b >> 4, b << 4 | c >> 2, c << 6 | d]);
        }
    }
    Some(out)
}

/// `der` as a PEM block with `label`, 64 characters per line and LF line ends: the same text
/// as `pem_rfc7468::encode_string(label, LineEnding::LF, der)`.
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    const LINE: usize = 48; // bytes per 64-character line
    let encoded_length = der.len().div_ceil(3) * 4;
    let lines = der.len().div_ceil(LINE);
    let mut out = String::with_capacity(2 * label.len() + 40 + encoded_length + lines);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    let mut buffer = Vec::with_capacity(encoded_length + lines);
    for line in der.chunks(LINE) {
        encode_into(&mut buffer, line);
        buffer.push(b'\n');
    }
    if der.is_empty() {
        buffer.push(b'\n'); // one empty line, as pem-rfc7468 writes it
    }
    // Only alphabet characters, '=' and '\n' were written.
    out.push_str(core::str::from_utf8(&buffer).unwrap_or_default());
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// Standard padded base64 of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut buffer = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    encode_into(&mut buffer, bytes);
    // Only alphabet characters and '=' were written.
    String::from_utf8(buffer).unwrap_or_default()
}

fn encode_into(out: &mut Vec<u8>, bytes: &[u8]) {
    let character = |sextet: u8| {
        let index = usize::from(sextet & 0x3f);
        ALPHABET.get(index).copied().unwrap_or(b'A')
    };
    let mut chunks = bytes.chunks_exact(3);
    for chunk in &mut chunks {
        let &[a, b, c] = chunk else {
            continue;
        };
        out.extend_from_slice(&[
            character(a >> 2),
            character(a << 4 | b >> 4),
            character(b << 2 | c >> 6),
            character(c),
        ]);
    }
    match *chunks.remainder() {
        [a] => out.extend_from_slice(&[character(a >> 2), character(a << 4), b'=', b'=']),
        [a, b] => out.extend_from_slice(&[
            character(a >> 2),
            character(a << 4 | b >> 4),
            character(b << 2),
            b'=',
        ]),
        _ => {}
    }
}

/// The values of `N` alphabet characters; `None` when one is not in the alphabet.
fn sextets<const N: usize>(characters: &[u8]) -> Option<[u8; N]> {
    let mut values = [0u8; N];
    let mut seen = 0u8;
    for (value, character) in values.iter_mut().zip(characters) {
        *value = DECODE
            .get(usize::from(*character))
            .copied()
            .unwrap_or(INVALID);
        seen |= *value;
    }
    (seen != INVALID && seen & 0xc0 == 0 && characters.len() == N).then_some(values)
}

#[cfg(test)]
mod tests {
    use base64ct::{Base64, Encoding};

    use super::*;

    fn sample(length: usize) -> Vec<u8> {
        (0..length)
            .map(|index| (index.wrapping_mul(151) ^ (index >> 3)) as u8)
            .collect()
    }

    #[test]
    fn matches_base64ct_and_pem_rfc7468() {
        for length in 0..400 {
            let bytes = sample(length);
            let text = Base64::encode_string(&bytes);
            assert_eq!(encode(&bytes), text, "{length}");
            if length > 0 {
                assert_eq!(decode(text.as_bytes()), Some(bytes.clone()), "{length}");
            }
            let expected =
                pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &bytes)
                    .unwrap();
            assert_eq!(pem("CERTIFICATE", &bytes), expected, "{length}");
        }
    }

    #[test]
    fn refuses_what_is_not_canonical_padded_base64() {
        for text in [
            &b""[..],
            b"QQ",
            b"QQ=",
            b"QR==",
            b"QUI=QUI=",
            b"QUJ=",
            b"Q===",
            b"====",
            b"QU-_",
            b"QU\nJD",
            b"QUJD\xff\xff\xff\xff",
        ] {
            assert_eq!(decode(text), None, "{}", String::from_utf8_lossy(text));
            if let Ok(decoded) = Base64::decode_vec(core::str::from_utf8(text).unwrap_or("!")) {
                // Whatever base64ct accepts that this refuses goes the base64ct way.
                assert!(!decoded.is_empty() || text.is_empty());
            }
        }
        assert_eq!(decode(b"QUJD"), Some(b"ABC".to_vec()));
        assert_eq!(decode(b"QUI="), Some(b"AB".to_vec()));
        assert_eq!(decode(b"QQ=="), Some(b"A".to_vec()));
    }
}
