//! ECDSA signatures as X.509 carries them, `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
//! (RFC 3279 section 2.2.3, RFC 5758 section 3.2), read and written on the core's DER (`asn1`)
//! instead of `ecdsa`'s `Signature::from_der` / `to_der`, which brought the `der` crate's
//! decoder and encoder into the wasm module (BENCHMARKS.md "Lean wasm").
//!
//! Accepted and written exactly as `ecdsa` did (the tests compare both on real signatures,
//! every one-byte change and every truncation of them): strict DER, `r` and `s` non-negative
//! and minimally encoded, at most the curve's field size once the sign byte is dropped; the
//! range checks (`0 < r, s < n`) stay `Signature::from_scalars`'.

use crate::asn1::{read, write};

/// `r` and `s` of a DER `Ecdsa-Sig-Value`, big-endian, left-padded to `SIZE` bytes (the
/// curve's field size); `None` for anything `ecdsa`'s DER reader refuses before its range
/// checks.
pub(super) fn read<const SIZE: usize>(der: &[u8]) -> Option<([u8; SIZE], [u8; SIZE])> {
    let (r, s) = read::parse(der, |reader| {
        let mut value = reader.sequence()?;
        let r = value.unsigned()?;
        let s = value.unsigned()?;
        value.finish()?;
        Ok((r, s))
    })
    .ok()?;
    Some((padded(r)?, padded(s)?))
}

fn padded<const SIZE: usize>(magnitude: &[u8]) -> Option<[u8; SIZE]> {
    let mut bytes = [0u8; SIZE];
    let start = SIZE.checked_sub(magnitude.len())?;
    bytes.get_mut(start..)?.copy_from_slice(magnitude);
    Some(bytes)
}

/// The DER `Ecdsa-Sig-Value` of `r` and `s` (big-endian, leading zeros allowed).
pub(super) fn write(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut der = Vec::with_capacity(2 * r.len() + 8);
    write::sequence(&mut der, |der| {
        write::integer_unsigned(der, r);
        write::integer_unsigned(der, s);
    });
    der
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer;

    /// Our reading of `der` against `ecdsa`'s, for one curve.
    fn same_p256(der: &[u8]) {
        let ours =
            read::<32>(der).and_then(|(r, s)| p256::ecdsa::Signature::from_scalars(r, s).ok());
        assert_eq!(
            ours,
            p256::ecdsa::Signature::from_der(der).ok(),
            "{der:02x?}"
        );
    }

    fn same_p384(der: &[u8]) {
        let ours =
            read::<48>(der).and_then(|(r, s)| p384::ecdsa::Signature::from_scalars(r, s).ok());
        assert_eq!(
            ours,
            p384::ecdsa::Signature::from_der(der).ok(),
            "{der:02x?}"
        );
    }

    /// Every one-byte change (all 256 values at each position), every truncation and one
    /// byte appended.
    fn mutations(der: &[u8], same: fn(&[u8])) -> usize {
        let mut count = 0;
        same(der);
        for position in 0..der.len() {
            for value in 0..=255u8 {
                let mut changed = der.to_vec();
                changed[position] = value;
                same(&changed);
                count += 1;
            }
        }
        for length in 0..der.len() {
            same(&der[..length]);
            count += 1;
        }
        same(&[der, &[0]].concat());
        count + 2
    }

    #[test]
    fn reads_and_writes_as_ecdsa_does() {
        let mut compared = 0;
        for seed in 1..=12u8 {
            let message = [seed; 40];
            let key = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
            let signature: p256::ecdsa::Signature = key.sign(&message);
            let (r, s) = signature.split_bytes();
            let der = write(&r, &s);
            assert_eq!(der, signature.to_der().as_bytes());
            assert_eq!(read::<32>(&der), Some((r.into(), s.into())));
            compared += mutations(&der, same_p256);

            let key = p384::ecdsa::SigningKey::from_slice(&[seed; 48]).unwrap();
            let signature: p384::ecdsa::Signature = key.sign(&message);
            let (r, s) = signature.split_bytes();
            let der = write(&r, &s);
            assert_eq!(der, signature.to_der().as_bytes());
            assert_eq!(read::<48>(&der), Some((r.into(), s.into())));
            compared += mutations(&der, same_p384);
        }
        // Small and edge values: r or s zero, one, with the top bit set, of the field's size
        // plus a sign byte, one byte longer than the field, and the group order itself.
        let order = hex(b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        let values: [&[u8]; 7] = [
            &[],
            &[1],
            &[0x80],
            &[0xff; 32],
            &[0x7f; 33],
            &order,
            &[1; 31],
        ];
        for r in values {
            for s in values {
                let der = write(r, s);
                mutations(&der, same_p256);
                compared += 1;
            }
        }
        assert!(compared > 12 * 2 * 70 * 256);
    }

    fn hex(text: &[u8]) -> Vec<u8> {
        text.chunks(2)
            .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }
}
