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
    let mut out = vec![0u8; body.len() / 4 * 3];
    // Without a branch per character: the values are OR-ed together and checked once (an
    // invalid character sets the two high bits, which no alphabet value has).
    let mut seen = 0u8;
    for (chunk, bytes) in body.chunks_exact(4).zip(out.chunks_exact_mut(3)) {
        let &[a, b, c, d] = chunk else { continue };
        let [a, b, c, d] = [a, b, c, d].map(value);
        seen |= a | b | c | d;
        bytes.copy_from_slice(&[a << 2 | b >> 4, b << 4 | c >> 2, c << 6 | d]);
    }
    if seen & 0xc0 != 0 {
        return None;
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
    let mut out = Vec::with_capacity(2 * label.len() + 40 + encoded_length + lines);
    out.extend_from_slice(b"-----BEGIN ");
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(b"-----\n");
    for line in der.chunks(LINE) {
        encode_into(&mut out, line);
        out.push(b'\n');
    }
    if der.is_empty() {
        out.push(b'\n'); // one empty line, as pem-rfc7468 writes it
    }
    out.extend_from_slice(b"-----END ");
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(b"-----\n");
    // Only the label (a `&str`), alphabet characters, '=', '-', ' ' and '\n' were written.
    String::from_utf8(out).unwrap_or_default()
}

/// Standard padded base64 of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut buffer = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    encode_into(&mut buffer, bytes);
    // Only alphabet characters and '=' were written.
    String::from_utf8(buffer).unwrap_or_default()
}

#[allow(
    clippy::indexing_slicing,
    reason = "every index is a sextet (masked to 0..64) into the 64-character alphabet"
)]
fn encode_into(out: &mut Vec<u8>, bytes: &[u8]) {
    let character = |sextet: u32| ALPHABET[(sextet & 0x3f) as usize];
    let start = out.len();
    let mut chunks = bytes.chunks_exact(3);
    out.resize(start + chunks.len() * 4, 0);
    for (chunk, characters) in (&mut chunks).zip(out[start..].chunks_exact_mut(4)) {
        let &[a, b, c] = chunk else { continue };
        let group = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        characters.copy_from_slice(&[
            character(group >> 18),
            character(group >> 12),
            character(group >> 6),
            character(group),
        ]);
    }
    let character = |sextet: u8| character(u32::from(sextet));
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

/// The value of an alphabet character, [`INVALID`] for any other byte.
fn value(character: u8) -> u8 {
    DECODE
        .get(usize::from(character))
        .copied()
        .unwrap_or(INVALID)
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
