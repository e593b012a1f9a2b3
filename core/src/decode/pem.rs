//! A forgiving PEM reader (RFC 7468, with RFC 1421 headers tolerated).
//!
//! Strict readers reject what users paste every day: a certificate inside an e-mail, CRLF line
//! ends, `Bag Attributes` lines from `openssl pkcs12`, trailing spaces. This one finds every
//! `-----BEGIN X-----` ... `-----END X-----` pair, ignores everything outside them and reports a
//! block it cannot decode as an error in its place.

use base64ct::{Base64Unpadded, Encoding};
use zeroize::Zeroizing;

use super::Block;
use crate::Error;

/// Every PEM block in `input`, or `None` when it contains no `-----BEGIN` line.
///
/// A `BEGIN` line inside a block ends that block (reported as an error in its place) and
/// starts the next one, so a truncated block cannot swallow the block after it.
pub(super) fn blocks(input: &[u8]) -> Option<Vec<Result<Block, Error>>> {
    let mut lines = Lines { input, position: 0 };
    let mut found = Vec::new();
    while let Some(line) = lines.next() {
        let Some(label) = boundary(line, "BEGIN") else {
            continue;
        };
        found.push(match plain_block(label, &mut lines) {
            Some(block) => block,
            None => block(label, &mut lines),
        });
    }
    (!found.is_empty()).then_some(found)
}

/// The lines of the input, trimmed, with the position of the next one.
struct Lines<'a> {
    input: &'a [u8],
    /// Where the next line starts (`input.len()` when there is none).
    position: usize,
}

impl<'a> Lines<'a> {
    /// The next line and where the line after it starts.
    fn peek(&self) -> Option<(&'a [u8], usize)> {
        let rest = self
            .input
            .get(self.position..)
            .filter(|rest| !rest.is_empty())?;
        Some(match rest.iter().position(|&byte| byte == b'\n') {
            Some(end) => (rest.get(..end)?, self.position + end + 1),
            None => (rest, self.input.len()),
        })
    }

    fn next_if(&mut self, wanted: impl FnOnce(&[u8]) -> bool) -> Option<&'a [u8]> {
        let (line, next) = self.peek()?;
        let line = line.trim_ascii();
        if !wanted(line) {
            return None;
        }
        self.position = next;
        Some(line)
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        self.next_if(|_| true)
    }
}

/// The common case, read without looking at each line: a body of base64 lines only (no '-',
/// no ':') up to the line with the first '-', which is this block's `END` line. `None`
/// (nothing consumed) for anything else, which [`block`] reads line by line; the result is
/// the same as [`block`]'s.
fn plain_block(label: &[u8], lines: &mut Lines<'_>) -> Option<Result<Block, Error>> {
    let rest = lines.input.get(lines.position..)?;
    let dash = find(rest, b'-')?;
    let line_start = rest
        .get(..dash)?
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let body_text = rest.get(..line_start)?;
    let end_line = Lines {
        input: lines.input,
        position: lines.position + line_start,
    };
    let (line, next) = end_line.peek()?;
    let end = boundary(line.trim_ascii(), "END")?;
    // The commonest layout (64-character lines, LF) decoded straight from the text. Not in
    // the browser module, whose bytes count more than this speed (+381 B gzipped whole-API
    // module, +497 B inspector, BENCHMARKS.md "Inspection").
    #[cfg(not(target_arch = "wasm32"))]
    if is_public(label)
        && let Some(der) = super::public_base64::decode_lines(body_text)
    {
        lines.position = next;
        let text = (label == b"CERTIFICATE").then_some(body_text);
        return Some(decoded_block(label, end, der, text));
    }
    if body_text.contains(&b':') {
        return None;
    }
    // Each line trimmed and its white space removed is all the white space removed.
    let mut body = Vec::with_capacity(body_text.len());
    push_non_whitespace(&mut body, body_text);
    lines.position = next;
    let text = canonical_certificate_text(label, body_text, body.len());
    Some(end_block(label, end, &body, false, text))
}

/// Decodes base64 in the standard or URL-safe alphabet, padded or not: what one of `base64ct`'s
/// `Base64`, `Base64Unpadded`, `Base64Url` and `Base64UrlUnpadded` accepts, decoded as it
/// decodes it, through one of them (one constant-time decoder in the module instead of four:
/// BENCHMARKS.md "Lean wasm"; `tests::decode_base64_is_the_four_decoders` compares them).
///
/// A padded text is a text of whole quadruples whose one or two final `=` the unpadded decoder
/// reads as absent (`base64ct` checks the padding's length the same way); the URL-safe alphabet
/// is the standard one with `-` and `_` for `+` and `/`, at the same values, so a text with
/// either (and neither `+` nor `/`) is the standard text with those two replaced.
pub(super) fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let text = core::str::from_utf8(text).ok()?;
    let unpadded = match text.len() % 4 {
        0 => text
            .strip_suffix("==")
            .or_else(|| text.strip_suffix('='))
            .unwrap_or(text),
        _ => text,
    };
    let (standard, url) = unpadded
        .bytes()
        .fold((false, false), |(standard, url), byte| {
            (
                standard | (byte == b'+') | (byte == b'/'),
                url | (byte == b'-') | (byte == b'_'),
            )
        });
    if !url {
        return Base64Unpadded::decode_vec(unpadded).ok();
    }
    if standard {
        return None;
    }
    // The text may be a key's: the copy is wiped.
    let standard_text: Zeroizing<String> = Zeroizing::new(
        unpadded
            .chars()
            .map(|character| match character {
                '-' => '+',
                '_' => '/',
                other => other,
            })
            .collect(),
    );
    Base64Unpadded::decode_vec(&standard_text).ok()
}

/// Reads one block's body up to its END line; stops before a BEGIN line.
fn block(label: &[u8], lines: &mut Lines<'_>) -> Result<Block, Error> {
    let mut body = Vec::with_capacity(2048);
    let mut legacy_encrypted = false;
    // Body lines are base64 (no '-' but in the URL-safe alphabet): one fast scan instead of
    // looking for the boundaries in every line.
    let not_begin = |line: &[u8]| !line.contains(&b'-') || boundary(line, "BEGIN").is_none();
    while let Some(line) = lines.next_if(not_begin) {
        if !line.contains(&b'-') {
            if line.contains(&b':') {
                legacy_encrypted |= line.starts_with(b"Proc-Type:") && line.ends_with(b"ENCRYPTED");
                continue;
            }
            push_base64(&mut body, line);
            continue;
        }
        if let Some(end) = boundary(line, "END") {
            return end_block(label, end, &body, legacy_encrypted, None);
        }
        if line.contains(&b':') {
            legacy_encrypted |= line.starts_with(b"Proc-Type:") && line.ends_with(b"ENCRYPTED");
            continue;
        }
        push_base64(&mut body, line);
    }
    if lines.peek().is_some() {
        return Err(invalid(
            label,
            "a BEGIN line appears before this block's END line",
        ));
    }
    Err(invalid(label, "the END line is missing (truncated file?)"))
}

/// The block once its `END` line (with label `end`) is read; `text` is the body's text when
/// [`canonical_certificate_text`] found it canonical.
fn end_block(
    label: &[u8],
    end: &[u8],
    body: &[u8],
    legacy_encrypted: bool,
    text: Option<&[u8]>,
) -> Result<Block, Error> {
    if end != label {
        return Err(invalid(label, "the END line has a different label"));
    }
    if body.is_empty() {
        return Err(invalid(label, "the block is empty"));
    }
    let fast = is_public(label).then(|| super::public_base64::decode(body));
    let (der, canonical) = match fast.flatten() {
        Some(der) => (der, true),
        None => (
            decode_base64(body).ok_or_else(|| invalid(label, "the body is not valid base64"))?,
            false,
        ),
    };
    // Canonical base64 (what the fast decoder accepts) is what encoding the DER gives back.
    Ok(Block {
        label: Some(String::from_utf8_lossy(label).into_owned()),
        legacy_encrypted,
        der,
        certificate_pem: text.filter(|_| canonical).map(certificate_pem),
    })
}

/// [`end_block`] for a body that [`super::public_base64::decode_lines`] decoded (canonical,
/// so `text` is kept when given).
#[cfg(not(target_arch = "wasm32"))]
fn decoded_block(
    label: &[u8],
    end: &[u8],
    der: Vec<u8>,
    text: Option<&[u8]>,
) -> Result<Block, Error> {
    if end != label {
        return Err(invalid(label, "the END line has a different label"));
    }
    Ok(Block {
        label: Some(String::from_utf8_lossy(label).into_owned()),
        legacy_encrypted: false,
        der,
        certificate_pem: text.map(certificate_pem),
    })
}

/// The report's `pem` text of a certificate block whose body `text` is canonical.
fn certificate_pem(text: &[u8]) -> String {
    let mut pem = String::with_capacity(text.len() + 60);
    pem.push_str("-----BEGIN CERTIFICATE-----\n");
    // base64 and LFs (canonical): ASCII, which `from_utf8` checks a word at a time
    match core::str::from_utf8(text) {
        Ok(text) => pem.push_str(text),
        Err(_) => pem.push_str(&String::from_utf8_lossy(text)),
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

fn invalid(label: &[u8], detail: &str) -> Error {
    Error::InvalidPem {
        label: String::from_utf8_lossy(label).into_owned(),
        detail: detail.to_owned(),
    }
}

/// Appends a body line without its white space (a trimmed line rarely has any: copied whole).
fn push_base64(body: &mut Vec<u8>, line: &[u8]) {
    // No early exit, so that the check runs on whole vectors; a control character (never
    // valid base64) takes the slow path too, which keeps it as before.
    let plain = line.iter().fold(true, |plain, &byte| plain & (byte > b' '));
    if plain {
        body.extend_from_slice(line);
    } else {
        body.extend(line.iter().filter(|byte| !byte.is_ascii_whitespace()));
    }
}

/// `body_text` (the lines between the BEGIN and END lines) when the label is `CERTIFICATE` and
/// the lines are laid out as a PEM writer lays them out: `characters` base64 characters in
/// lines of 64 (the last one shorter), each ended by a lone LF, nothing else.
fn canonical_certificate_text<'a>(
    label: &[u8],
    body_text: &'a [u8],
    characters: usize,
) -> Option<&'a [u8]> {
    const LINE: usize = 64;
    let lines = characters.div_ceil(LINE);
    if label != b"CERTIFICATE" || body_text.len() != characters + lines {
        return None;
    }
    // As many bytes as characters and line ends: if every line ends where it should, the
    // only bytes that were not characters are those line ends.
    let ends_in_place = (0..lines).all(|line| {
        let end = line * (LINE + 1) + LINE.min(characters - line * LINE);
        body_text.get(end) == Some(&b'\n')
    });
    ends_in_place.then_some(body_text)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether a byte of `word` is below `limit` (at most 0x80; the classic test, which never
/// misses one).
fn any_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH != 0
}

fn word(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(<[u8; 8]>::try_from(bytes).unwrap_or_default())
}

/// The position of the first `needle` in `haystack`, eight bytes at a time.
fn find(haystack: &[u8], needle: u8) -> Option<usize> {
    let mut words = haystack.chunks_exact(8);
    let mut offset = 0;
    for eight in &mut words {
        if any_below(word(eight) ^ (ONES * u64::from(needle)), 1) {
            break;
        }
        offset += 8;
    }
    let position = haystack
        .get(offset..)?
        .iter()
        .position(|&byte| byte == needle)?;
    Some(offset + position)
}

/// Appends the bytes of `text` that are not ASCII white space, eight at a time where none of
/// the eight is a space or a control character.
fn push_non_whitespace(body: &mut Vec<u8>, text: &[u8]) {
    let mut words = text.chunks_exact(8);
    for eight in &mut words {
        if any_below(word(eight), 0x21) {
            body.extend(eight.iter().filter(|byte| !byte.is_ascii_whitespace()));
        } else {
            body.extend_from_slice(eight);
        }
    }
    body.extend(
        words
            .remainder()
            .iter()
            .filter(|byte| !byte.is_ascii_whitespace()),
    );
}

/// Labels of blocks that hold no secret (certificates, requests, CRLs, public keys, PKCS#7
/// bundles), whose base64 may be decoded by the faster, not constant-time decoder.
fn is_public(label: &[u8]) -> bool {
    matches!(
        label,
        b"CERTIFICATE"
            | b"X509 CERTIFICATE"
            | b"TRUSTED CERTIFICATE"
            | b"CERTIFICATE REQUEST"
            | b"NEW CERTIFICATE REQUEST"
            | b"X509 CRL"
            | b"PUBLIC KEY"
            | b"RSA PUBLIC KEY"
            | b"PKCS7"
            | b"PKCS #7 SIGNED DATA"
    )
}

/// The label of a `-----BEGIN label-----` (or END) line.
fn boundary<'a>(line: &'a [u8], which: &str) -> Option<&'a [u8]> {
    let start = line.windows(5).position(|window| window == b"-----")?;
    let rest = line.get(start + 5..)?.strip_prefix(which.as_bytes())?;
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    rest.strip_suffix(b"-----")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `decode_base64` decoded with before: the four decoders in turn.
    fn four_decoders(text: &[u8]) -> Option<Vec<u8>> {
        use base64ct::{Base64, Base64Url, Base64UrlUnpadded};
        let text = core::str::from_utf8(text).ok()?;
        Base64::decode_vec(text)
            .or_else(|_| Base64Unpadded::decode_vec(text))
            .or_else(|_| Base64Url::decode_vec(text))
            .or_else(|_| Base64UrlUnpadded::decode_vec(text))
            .ok()
    }

    #[test]
    fn decode_base64_is_the_four_decoders() {
        // Every text of up to 5 characters over characters that exercise each rule: values
        // with zero and non-zero trailing bits, both alphabets' two extra characters, the
        // padding, a character of neither alphabet and a byte that is not UTF-8.
        let characters: &[u8] = b"AQgw9+/-_= \xff";
        let mut compared = 0u32;
        let mut text = Vec::new();
        for length in 0..=5u32 {
            for mut index in 0..(characters.len() as u32).pow(length) {
                text.clear();
                for _ in 0..length {
                    text.push(characters[(index % characters.len() as u32) as usize]);
                    index /= characters.len() as u32;
                }
                assert_eq!(decode_base64(&text), four_decoders(&text), "{text:?}");
                compared += 1;
            }
        }
        assert_eq!(
            compared,
            (0..=5)
                .map(|n| (characters.len() as u32).pow(n))
                .sum::<u32>()
        );
        // Longer texts: a real key's body in each of the four forms, and the forms mixed.
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for length in [997, 998, 999, 1000] {
            let padded = base64ct::Base64::encode_string(&bytes[..length]);
            let forms = [
                padded.clone(),
                padded.trim_end_matches('=').to_owned(),
                padded.replace('+', "-").replace('/', "_"),
                padded
                    .replace('+', "-")
                    .replace('/', "_")
                    .trim_end_matches('=')
                    .to_owned(),
                padded.replacen('+', "-", 1),
                format!("{padded}="),
                padded.replacen('=', "", 1),
            ];
            for form in forms {
                let decoded = decode_base64(form.as_bytes());
                assert_eq!(decoded, four_decoders(form.as_bytes()), "{form}");
            }
            assert_eq!(
                decode_base64(padded.as_bytes()).as_deref(),
                Some(&bytes[..length])
            );
        }
    }

    #[test]
    fn finds_blocks_among_text_with_crlf_and_headers() {
        let input = b"Bag Attributes\r\n    friendlyName: x\r\nsubject=CN = a\r\n-----BEGIN CERTIFICATE-----\r\nMAMC\r\nAQU=\r\n-----END CERTIFICATE-----\r\nbetween\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQU=\n-----END RSA PRIVATE KEY-----\ntrailer";
        let found = blocks(input).unwrap();
        assert_eq!(found.len(), 2);
        let first = found[0].as_ref().unwrap();
        assert_eq!(first.label.as_deref(), Some("CERTIFICATE"));
        assert_eq!(first.der, [0x30, 0x03, 0x02, 0x01, 0x05]);
        assert!(!first.legacy_encrypted);
        assert!(found[1].as_ref().unwrap().legacy_encrypted);
    }

    #[test]
    fn reports_broken_blocks_in_place() {
        let input = b"-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END X509 CRL-----\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nMAMC";
        let found = blocks(input).unwrap();
        let codes: Vec<_> = found
            .iter()
            .map(|item| item.as_ref().unwrap_err().to_string())
            .collect();
        assert_eq!(codes.len(), 3, "{codes:?}");
        assert!(codes[0].contains("different label"));
        assert!(codes[1].contains("base64"));
        assert!(codes[2].contains("missing"));
    }

    #[test]
    fn begin_line_inside_a_block_does_not_swallow_the_next_block() {
        let input = b"-----BEGIN CERTIFICATE-----\nMAMC\n-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMAMCAQY=\n-----END CERTIFICATE-----\n";
        let found = blocks(input).unwrap();
        assert_eq!(found.len(), 4, "{found:?}");
        let first = found[0].as_ref().unwrap_err().to_string();
        assert!(first.contains("BEGIN line appears"), "{first}");
        assert_eq!(
            found[1].as_ref().unwrap().der,
            [0x30, 0x03, 0x02, 0x01, 0x05]
        );
        let third = found[2].as_ref().unwrap_err();
        assert_eq!(third.code(), "InvalidPem");
        assert_eq!(
            found[3].as_ref().unwrap().der,
            [0x30, 0x03, 0x02, 0x01, 0x06]
        );
    }

    #[test]
    fn word_helpers_agree_with_byte_loops() {
        let text: Vec<u8> = (0..600u32)
            .map(|index| {
                [
                    b'A', b'-', b' ', b'\n', b'\r', b'\t', 0x0c, 0x0b, 0xff, b'z',
                ][(index * 7 % 10) as usize]
            })
            .collect();
        for start in 0..40 {
            for end in start..text.len().min(start + 90) {
                let slice = &text[start..end];
                for needle in [b'-', b'\n', b'z', b'!'] {
                    assert_eq!(find(slice, needle), slice.iter().position(|&b| b == needle));
                }
                let mut body = Vec::new();
                push_non_whitespace(&mut body, slice);
                let expected: Vec<u8> = slice
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                assert_eq!(body, expected);
            }
        }
    }

    #[test]
    fn plain_and_line_by_line_reading_agree() {
        let body = "MIIBszCCAVmgAwIBAgIUY2VydGlmaWNhdGUgZm9yIHRlc3RzMAoGCCqGSM49BAMC\nMBIxEDAOBgNVBAMMB3Rlc3QgY2EwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAw\n";
        for input in [
            format!("-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"),
            format!(
                "-----BEGIN CERTIFICATE-----\r\n{}-----END CERTIFICATE-----",
                body.replace('\n', "\r\n")
            ),
            format!("x\n-----BEGIN CERTIFICATE-----\n  {body} \t\n-----END CERTIFICATE-----  \ny"),
            format!("-----BEGIN CERTIFICATE-----\n{body}-----END X509 CRL-----\n"),
            format!("-----BEGIN CERTIFICATE-----\n{body}xx-----END CERTIFICATE-----\n"),
            format!(
                "-----BEGIN CERTIFICATE-----\n{body}-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"
            ),
            "-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n".to_owned(),
            format!("-----BEGIN CERTIFICATE-----\n{body}"),
        ] {
            let input = input.as_bytes();
            let mut found = blocks(input).unwrap();
            // a canonical certificate's text is kept, and is what encoding its DER gives
            for block in found.iter_mut().flatten() {
                if let Some(text) = block.certificate_pem.take() {
                    let encoded = crate::decode::public_base64::pem("CERTIFICATE", &block.der);
                    assert_eq!(text, encoded);
                }
            }
            assert_eq!(
                found,
                line_by_line(input),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }

    /// The blocks of `input` read line by line only (no [`plain_block`]).
    fn line_by_line(input: &[u8]) -> Vec<Result<Block, Error>> {
        let mut lines = Lines { input, position: 0 };
        let mut slow = Vec::new();
        while let Some(line) = lines.next() {
            if let Some(label) = boundary(line, "BEGIN") {
                slow.push(block(label, &mut lines));
            }
        }
        slow
    }

    #[test]
    fn plain_and_line_by_line_reading_agree_on_changed_blocks() {
        let der: Vec<u8> = (0..200u32).map(|index| (index * 37 % 251) as u8).collect();
        let mut kept = 0;
        for label in ["CERTIFICATE", "X509 CRL", "PRIVATE KEY"] {
            let canonical = crate::decode::public_base64::pem(label, &der);
            let canonical = canonical.as_bytes();
            let mut check = |input: &[u8]| {
                let mut found = blocks(input).unwrap_or_default();
                for block in found.iter_mut().flatten() {
                    if let Some(text) = block.certificate_pem.take() {
                        let encoded = crate::decode::public_base64::pem("CERTIFICATE", &block.der);
                        assert_eq!(text, encoded);
                        kept += 1;
                    }
                }
                let slow = line_by_line(input);
                assert_eq!(found, slow, "{}", String::from_utf8_lossy(input));
            };
            check(canonical);
            for position in 0..canonical.len() {
                check(&canonical[..position]);
                check(&[&canonical[..position], &canonical[position + 1..]].concat());
                for replacement in [b'\n', b'\r', b' ', b'=', b'A', b'-', b':', 0xff] {
                    let mut changed = canonical.to_vec();
                    changed[position] = replacement;
                    check(&changed);
                }
            }
        }
        // the unchanged certificate block and the changes that keep it canonical
        assert!(kept > 100, "{kept}");
    }

    #[test]
    fn only_canonical_certificate_text_is_kept() {
        let der: Vec<u8> = (0..300u32).map(|index| (index * 37 % 251) as u8).collect();
        let canonical = crate::decode::public_base64::pem("CERTIFICATE", &der);
        let kept = |text: &str| {
            let found = blocks(text.as_bytes()).unwrap();
            let block = found[0].as_ref().unwrap();
            assert_eq!(block.der, der, "{text}");
            block.certificate_pem.clone()
        };
        assert_eq!(kept(&canonical), Some(canonical.clone()));
        assert_eq!(kept(canonical.trim_end()), Some(canonical.clone()));
        for other in [
            canonical.replace('\n', "\r\n"),
            canonical.replacen("\n", "\n ", 2),
            canonical.replace("CERTIFICATE", "X509 CERTIFICATE"),
            format!("{}\n{}", &canonical[..28], &canonical[28..]),
        ] {
            assert_eq!(kept(&other), None, "{other}");
        }
        // lines of another length are read, not kept
        let base64: String = canonical
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with('-'))
            .collect();
        let short_lines: Vec<&str> = base64
            .as_bytes()
            .chunks(60)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let text = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            short_lines.join("\n")
        );
        assert_eq!(kept(&text), None);
    }

    #[test]
    fn no_begin_line_is_not_pem() {
        assert!(blocks(b"MAMCAQU=").is_none());
    }
}
