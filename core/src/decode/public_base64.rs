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
    let mut out = Vec::new();
    decode_into(&mut out, text)?;
    Some(out)
}

/// Characters per line of a PEM body as PEM writers lay it out.
#[cfg(not(target_arch = "wasm32"))]
const LINE: usize = 64;

/// Decodes the body of a PEM block laid out as PEM writers lay it out: lines of 64 characters
/// each ended by a lone LF, the last one of 1 to 64 characters also ended by an LF, nothing
/// else. The same as [`decode`] of the body without its line ends (canonical padded base64
/// only); `None` for anything else, including any other layout, which the caller then reads
/// as before. One pass over the text, without first copying the characters out of the lines.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn decode_lines(text: &[u8]) -> Option<Vec<u8>> {
    // Full lines before the last line (which may be full too, and holds any padding).
    let full = text.len().checked_sub(1)? / (LINE + 1);
    let (body, last) = text.split_at(full * (LINE + 1));
    let last = last.strip_suffix(b"\n")?;
    if last.is_empty() || last.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity((full * LINE + last.len()) / 4 * 3);
    let mut seen = 0u8;
    for line in body.chunks_exact(LINE + 1) {
        let (characters, end) = line.split_at(LINE);
        let characters = <&[u8; LINE]>::try_from(characters).ok()?;
        if end != b"\n" {
            return None;
        }
        let mut bytes = [0u8; LINE / 4 * 3 + 2];
        seen |= decode_line(characters, &mut bytes);
        out.extend_from_slice(bytes.get(..LINE / 4 * 3).unwrap_or_default());
    }
    if seen & 0xc0 != 0 {
        return None;
    }
    decode_into(&mut out, last)?;
    Some(out)
}

/// Decodes one full line (no padding possible) into `out`; returns the values OR-ed together,
/// whose two high bits are set when a character is not in the alphabet.
#[cfg(not(target_arch = "wasm32"))]
#[allow(
    clippy::indexing_slicing,
    reason = "constant bounds within the arrays' sizes (64 and 48 + 2), checked by the compiler \
              once the loop is unrolled; a table index is a byte, below the table's 256"
)]
fn decode_line(characters: &[u8; LINE], out: &mut [u8; LINE / 4 * 3 + 2]) -> u8 {
    let mut seen = 0u8;
    // Eight characters (48 bits) at a time, written as eight bytes whose last two the next
    // group overwrites (hence two spare bytes at the end of `out`).
    for group in 0..LINE / 8 {
        let mut bits = 0u64;
        for index in 0..8 {
            let value = DECODE[usize::from(characters[group * 8 + index])];
            seen |= value;
            bits = bits << 6 | u64::from(value);
        }
        let at = group * 6;
        out[at..at + 8].copy_from_slice(&(bits << 16).to_be_bytes());
    }
    seen
}

/// Appends the decoding of canonical padded standard base64 (no white space) to `out`;
/// `None` (with `out` left in any state) for anything else.
fn decode_into(out: &mut Vec<u8>, text: &[u8]) -> Option<()> {
    if text.is_empty() || text.len() % 4 != 0 {
        return None;
    }
    let (body, last) = text.split_at(text.len() - 4);
    let start = out.len();
    out.resize(start + body.len() / 4 * 3, 0);
    let decoded = out.get_mut(start..)?;
    // Without a branch per character: the values are OR-ed together and checked once (an
    // invalid character sets the two high bits, which no alphabet value has).
    let mut seen = 0u8;
    for (chunk, bytes) in body.chunks_exact(4).zip(decoded.chunks_exact_mut(3)) {
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
    Some(())
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

    /// Whether `text` is laid out as [`decode_lines`] requires, checked line by line.
    fn canonical_layout(text: &[u8]) -> bool {
        let Some(text) = text.strip_suffix(b"\n") else {
            return false;
        };
        let lines: Vec<&[u8]> = text.split(|&byte| byte == b'\n').collect();
        let (last, full) = lines.split_last().unwrap();
        full.iter().all(|line| line.len() == 64) && (1..=64).contains(&last.len())
    }

    #[test]
    fn decode_lines_is_decode_of_the_canonical_layout_only() {
        for length in [1, 2, 3, 4, 5, 46, 47, 48, 49, 50, 95, 96, 97, 144, 145, 300] {
            let bytes = sample(length);
            let block = pem("CERTIFICATE", &bytes);
            let body = block
                .strip_prefix("-----BEGIN CERTIFICATE-----\n")
                .and_then(|rest| rest.strip_suffix("-----END CERTIFICATE-----\n"))
                .unwrap()
                .as_bytes();
            assert_eq!(decode_lines(body), Some(bytes.clone()), "{length}");
            let mut decoded = 0;
            let mut check = |text: &[u8]| decoded += usize::from(check_plain(text));
            for position in 0..=body.len() {
                check(&body[..position]);
                check(&[&body[..position], b"\n"].concat());
                check(&[&body[..position], b"QUJD\n", &body[position..]].concat());
                if position == body.len() {
                    continue;
                }
                check(&[&body[..position], &body[position + 1..]].concat());
                for replacement in [b'\n', b'\r', b' ', b'=', b'A', b'/', b'-', b'_', 0, 0xff] {
                    let mut changed = body.to_vec();
                    changed[position] = replacement;
                    check(&changed);
                }
            }
            // both outcomes occur: changes that keep canonical base64 decode, others do not
            assert!(
                decoded > body.len() && decoded < body.len() * 10,
                "{length}"
            );
        }
        for text in [&b""[..], b"\n", b"\n\n", b"QUJD", b"QUJD\n\n", b"QUJD\r\n"] {
            assert!(!check_plain(text));
        }
        assert!(check_plain(b"QQ==\n"));
    }

    /// Checks [`decode_lines`] against [`decode`] of the characters when the layout is
    /// canonical, `None` otherwise; whether it decoded.
    fn check_plain(text: &[u8]) -> bool {
        let characters: Vec<u8> = text.iter().copied().filter(|&b| b != b'\n').collect();
        let expected = canonical_layout(text)
            .then(|| decode(&characters))
            .flatten();
        let decoded = decode_lines(text);
        assert_eq!(decoded, expected, "{}", String::from_utf8_lossy(text));
        decoded.is_some()
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
