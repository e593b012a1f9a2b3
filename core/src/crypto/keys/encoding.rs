//! Private and public key encodings on the core's DER reader and writer (`crate::asn1`):
//! PKCS#8 `PrivateKeyInfo` / `OneAsymmetricKey` (RFC 5958), SEC1 `ECPrivateKey` (RFC 5915),
//! PKCS#1 `RSAPrivateKey` and `RSAPublicKey` (RFC 8017 appendix A.1), read as the `pkcs8`,
//! `sec1` and `pkcs1` crates read them and written byte for byte as the RustCrypto key crates
//! wrote them (the tests compare both on openssl-made keys and every one-byte change).
//!
//! Secrets: readers borrow the input (the caller's zeroizing buffer); writers write into a
//! [`Zeroizing`] buffer allocated once with room for the whole encoding, so that no copy of
//! a secret is left behind by a reallocation.

use crypto_bigint::BoxedUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::read::{self, AlgorithmIdentifier, Class};
use crate::asn1::write;

/// A PKCS#8 `PrivateKeyInfo` (version 1) or `OneAsymmetricKey` (version 2), borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrivateKeyInfo<'a> {
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    /// The privateKey OCTET STRING's contents.
    pub(crate) private_key: &'a [u8],
    /// Version 2's publicKey `[1] IMPLICIT BIT STRING`: unused bits and bytes.
    pub(crate) public_key: Option<(u8, &'a [u8])>,
}

/// Reads all of `der` as a PKCS#8 private key, as `pkcs8`'s `PrivateKeyInfoRef` does: version
/// 0 without a public key or 1 with one, attributes `[0]` skipped, later `[n]` fields (each
/// one constructed TLV) ignored.
pub(crate) fn read_private_key_info(der: &[u8]) -> read::Result<PrivateKeyInfo<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|fields| {
            let version = fields.u64()?;
            if version > 1 {
                return Err(fields.error("PKCS#8 version 1 or 2"));
            }
            let algorithm = fields.algorithm()?;
            let private_key = fields.octet_string()?;
            // attributes [0] IMPLICIT SET OF Attribute: not used
            fields.optional_context(0, true)?;
            let public_key = match fields.optional_context(1, false)? {
                Some(tlv) => Some(bit_string(tlv.contents).ok_or(read::DerError {
                    offset: tlv.offset,
                    expected: "a BIT STRING (0..7 unused bits)",
                })?),
                None => None,
            };
            if (version == 1) != public_key.is_some() {
                return Err(fields.error("a public key in version 2 only"));
            }
            while !fields.is_empty() {
                let tlv = fields.tlv()?;
                if tlv.tag.class != Class::ContextSpecific || !tlv.tag.constructed {
                    return Err(fields.error("an extension field ([n] EXPLICIT)"));
                }
                let mut inner = tlv.reader()?;
                inner.tlv()?;
                inner.finish()?;
            }
            Ok(PrivateKeyInfo {
                algorithm,
                private_key,
                public_key,
            })
        })
    })
}

/// A BIT STRING's contents as `der` reads them: unused bits 0..=7, none when empty.
fn bit_string(contents: &[u8]) -> Option<(u8, &[u8])> {
    let (&unused, bytes) = contents.split_first()?;
    (unused <= 7 && (unused == 0 || !bytes.is_empty())).then_some((unused, bytes))
}

/// A SEC1 `ECPrivateKey`, borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EcPrivateKey<'a> {
    pub(crate) private_key: &'a [u8],
    /// The `[0]` namedCurve OID's contents.
    pub(crate) curve: Option<&'a [u8]>,
    /// The `[1]` public key (a BIT STRING without unused bits).
    pub(crate) public_key: Option<&'a [u8]>,
}

/// Reads all of `der` as `ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET
/// STRING, parameters [0] EXPLICIT namedCurve OPTIONAL, publicKey [1] EXPLICIT BIT STRING
/// OPTIONAL }`, as `sec1` reads it (named curves only).
pub(crate) fn read_ec_private_key(der: &[u8]) -> read::Result<EcPrivateKey<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|fields| {
            if fields.u64()? != 1 {
                return Err(fields.error("ECPrivateKey version 1"));
            }
            let private_key = fields.octet_string()?;
            let curve = match fields.optional_explicit(0)? {
                Some(mut inner) => {
                    let oid = inner.oid()?;
                    inner.finish()?;
                    Some(oid)
                }
                None => None,
            };
            let public_key = match fields.optional_explicit(1)? {
                Some(mut inner) => {
                    let (unused, bytes) = inner.bit_string_any_padding()?;
                    inner.finish()?;
                    if unused != 0 {
                        return Err(inner.error("a public key without unused bits"));
                    }
                    Some(bytes)
                }
                None => None,
            };
            Ok(EcPrivateKey {
                private_key,
                curve,
                public_key,
            })
        })
    })
}

/// A two-prime PKCS#1 `RSAPrivateKey`, borrowed: the magnitudes without sign bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RsaPrivateKeyRef<'a> {
    pub(crate) modulus: &'a [u8],
    pub(crate) public_exponent: &'a [u8],
    pub(crate) private_exponent: &'a [u8],
    pub(crate) prime1: &'a [u8],
    pub(crate) prime2: &'a [u8],
}

/// Reads all of `der` as a two-prime `RSAPrivateKey` (version 0, nine non-negative
/// INTEGERs; the CRT values are checked for form only, `rsa` computes its own). `pkcs1` also
/// reads multi-prime keys (version 1), which `rsa` then refuses: they are refused here (a
/// named difference, the same `InvalidKey` for the caller).
pub(crate) fn read_rsa_private_key(der: &[u8]) -> read::Result<RsaPrivateKeyRef<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|fields| {
            if fields.u64()? != 0 {
                return Err(fields.error("a two-prime RSAPrivateKey (version 0)"));
            }
            let key = RsaPrivateKeyRef {
                modulus: fields.unsigned()?,
                public_exponent: fields.unsigned()?,
                private_exponent: fields.unsigned()?,
                prime1: fields.unsigned()?,
                prime2: fields.unsigned()?,
            };
            // exponent1, exponent2, coefficient
            for _ in 0..3 {
                fields.unsigned()?;
            }
            Ok(key)
        })
    })
}

/// Reads all of `der` as an `RSAPrivateKey` of either version, as `pkcs1`'s `RsaPrivateKeyRef`
/// reads it (version 0 with two primes, or 1 with a non-empty `otherPrimeInfos` of
/// `SEQUENCE { prime, exponent, coefficient }`; non-negative INTEGERs): the modulus and public
/// exponent, for recognising a key and reporting its public key (what `rsa` then loads is
/// [`read_rsa_private_key`]'s).
pub(crate) fn read_rsa_private_key_public_part(der: &[u8]) -> read::Result<(&[u8], &[u8])> {
    read::parse(der, |reader| {
        reader.read_sequence(|fields| {
            let version = fields.u64()?;
            if version > 1 {
                return Err(fields.error("RSAPrivateKey version 0 or 1"));
            }
            let modulus = fields.unsigned()?;
            let public_exponent = fields.unsigned()?;
            // privateExponent, prime1, prime2, exponent1, exponent2, coefficient
            for _ in 0..6 {
                fields.unsigned()?;
            }
            let present = !fields.is_empty();
            let mut infos = 0usize;
            if present {
                let mut others = fields.sequence()?;
                while !others.is_empty() {
                    others.read_sequence(|info| {
                        for _ in 0..3 {
                            info.unsigned()?;
                        }
                        Ok(())
                    })?;
                    infos += 1;
                }
            }
            if (version == 1) != present || (present && infos == 0) {
                return Err(fields.error("otherPrimeInfos in version 1 only, not empty"));
            }
            Ok((modulus, public_exponent))
        })
    })
}

/// Reads all of `der` as `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent
/// INTEGER }` (both non-negative): the magnitudes.
pub(crate) fn read_rsa_public_key(der: &[u8]) -> read::Result<(&[u8], &[u8])> {
    read::parse(der, |reader| {
        reader.read_sequence(|fields| Ok((fields.unsigned()?, fields.unsigned()?)))
    })
}

/// `rsa`'s `BoxedUint` of `bytes` at `bits` of precision, as its PKCS#1 decoder makes them.
fn uint(bytes: &[u8], bits: u32) -> Result<BoxedUint, rsa::Error> {
    BoxedUint::from_be_slice(bytes, bits).map_err(|_| rsa::Error::InvalidModulus)
}

fn bits_of(bytes: &[u8]) -> Result<u32, rsa::Error> {
    u32::try_from(bytes.len())
        .ok()
        .and_then(|length| length.checked_mul(8))
        .ok_or(rsa::Error::InvalidModulus)
}

/// The `rsa` private key of a two-prime RSAPrivateKey, with `rsa`'s checks of the components
/// (`RsaPrivateKey::from_components`: consistency, sizes), as its PKCS#1 decoder made it.
pub(crate) fn rsa_private_key(key: &RsaPrivateKeyRef<'_>) -> Result<rsa::PrivateKey, Error> {
    let make = || -> Result<rsa::PrivateKey, rsa::Error> {
        let bits = bits_of(key.modulus)?;
        let n = uint(key.modulus, bits)?;
        let e = uint(key.public_exponent, bits_of(key.public_exponent)?)?;
        let d = uint(key.private_exponent, bits)?;
        let primes = vec![uint(key.prime1, bits)?, uint(key.prime2, bits)?];
        rsa::PrivateKey::from_components(n, e, d, primes)
    };
    make().map_err(|_| invalid_key("malformed RSA private key"))
}

/// The `rsa` public key of an RSAPublicKey's magnitudes, with `RsaPublicKey::new`'s checks (as
/// its PKCS#1 decoder made it).
pub(crate) fn rsa_public_key(modulus: &[u8], exponent: &[u8]) -> Option<rsa::PublicKey> {
    let n = uint(modulus, bits_of(modulus).ok()?).ok()?;
    let e = uint(exponent, bits_of(exponent).ok()?).ok()?;
    rsa::PublicKey::new(n, e).ok()
}

/// A zeroizing buffer with room for `capacity` bytes (and the length octets `close` adds).
pub(crate) fn secret_buffer(capacity: usize) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(Vec::with_capacity(capacity + 64))
}

/// Writes a PKCS#8 version 1 `PrivateKeyInfo`: version 0, the AlgorithmIdentifier `algorithm`
/// writes, and `private_key` in an OCTET STRING (no attributes, no public key).
pub(crate) fn write_private_key_info(
    out: &mut Vec<u8>,
    algorithm: impl FnOnce(&mut Vec<u8>),
    private_key: &[u8],
) {
    write::sequence(out, |out| {
        write::integer_u64(out, 0);
        write::sequence(out, algorithm);
        write::octet_string(out, private_key);
    });
}

/// Writes an `ECPrivateKey` (version 1) with the curve when given and the public key.
pub(crate) fn write_ec_private_key(
    out: &mut Vec<u8>,
    private_key: &[u8],
    curve: Option<&const_oid::ObjectIdentifier>,
    public_key: &[u8],
) {
    write::sequence(out, |out| {
        write::integer_u64(out, 1);
        write::octet_string(out, private_key);
        if let Some(curve) = curve {
            write::constructed(out, write::context_constructed(0), |out| {
                write::oid(out, curve);
            });
        }
        write::constructed(out, write::context_constructed(1), |out| {
            write::bit_string(out, 0, public_key);
        });
    });
}

/// Writes the two-prime `RSAPrivateKey` of `key` as `rsa`'s PKCS#1 encoder did.
pub(crate) fn write_rsa_private_key(out: &mut Vec<u8>, key: &rsa::PrivateKey) -> Result<(), Error> {
    let [prime1, prime2] = key.primes() else {
        return Err(invalid_key("multi-prime RSA keys are not supported"));
    };
    let (Some(exponent1), Some(exponent2), Some(coefficient)) =
        (key.dp(), key.dq(), key.crt_coefficient())
    else {
        return Err(invalid_key("RSA key without CRT values"));
    };
    let coefficient = Zeroizing::new(coefficient);
    write::sequence(out, |out| {
        write::integer_u64(out, 0);
        write::integer_unsigned(out, &key.n().to_be_bytes());
        write::integer_unsigned(out, &key.e().to_be_bytes());
        for secret in [key.d(), prime1, prime2, exponent1, exponent2, &*coefficient] {
            write::integer_unsigned(out, &Zeroizing::new(secret.to_be_bytes()));
        }
    });
    Ok(())
}

/// Writes `RSAPublicKey ::= SEQUENCE { modulus, publicExponent }`.
pub(crate) fn write_rsa_public_key(out: &mut Vec<u8>, key: &rsa::PublicKey) {
    write::sequence(out, |out| {
        write::integer_unsigned(out, &key.n().to_be_bytes());
        write::integer_unsigned(out, &key.e().to_be_bytes());
    });
}

pub(crate) fn invalid_key(detail: &str) -> Error {
    Error::InvalidKey {
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests;
