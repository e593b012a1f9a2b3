//! The plain DER shape most certificates have, read without `der`'s generic reader: one TLV
//! with a one-byte tag and a minimal length below 64 KiB. Callers fall back to `der` on
//! `None`, so what this accepts must be exactly what `der` accepts for the same bytes.

/// One TLV at the start of `input` with the one-byte tag `tag` and a minimal DER length (short
/// form, or one or two length bytes): its contents and what follows it.
pub(crate) fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (_, contents, rest) = tlv_whole(input, tag)?;
    Some((contents, rest))
}

/// [`tlv`], with the whole TLV (tag, length and contents) first.
pub(crate) fn tlv_whole(input: &[u8], tag: u8) -> Option<(&[u8], &[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    let (&length, rest) = rest.split_first()?;
    if first != tag {
        return None;
    }
    let (length, rest) = match length {
        0..=0x7f => (usize::from(length), rest),
        0x81 => {
            let (&length, rest) = rest.split_first()?;
            (length >= 0x80).then_some((usize::from(length), rest))?
        }
        0x82 => {
            let (bytes, rest) = rest.split_first_chunk::<2>()?;
            let length = usize::from(u16::from_be_bytes(*bytes));
            (length >= 0x100).then_some((length, rest))?
        }
        _ => return None,
    };
    let (contents, after) = rest.split_at_checked(length)?;
    let whole = input.get(..input.len() - after.len())?;
    Some((whole, contents, after))
}
