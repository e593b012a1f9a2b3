//! The one signature verifier of mtlskit: certificates, CRLs and CSRs.
//!
//! The cryptography is an argument: a list of rustls-shaped [`SignatureVerificationAlgorithm`]s,
//! the core's pure-Rust [`ALGORITHMS`] by default, a rustls crypto provider's list (followed by
//! the core's) in native code. What must not depend on that list is decided here first, so that
//! every list gives the same verdict and error code:
//!
//! 1. MD2 and MD5 always, SHA-1 unless the caller allows it: [`Error::WeakSignatureAlgorithm`].
//! 2. Signature parameters (RFC 4055, RFC 5758, RFC 8410): NULL or absent for PKCS#1 v1.5,
//!    absent for ECDSA and Ed25519; RSASSA-PSS with MGF1 over the same hash, trailer field 1 and
//!    a salt as long as the hash: [`Error::UnsupportedAlgorithm`] otherwise.
//! 3. The key (RFC 5480, RFC 8017, RFC 4055 section 1.2): a named curve and a point of the
//!    curve's length, an RSA modulus of 1024 to 8192 bits, id-RSASSA-PSS key parameters that
//!    agree with the signature's: [`Error::UnacceptableKey`] otherwise.
//! 4. Matching, as rustls-webpki does, on the DER contents of both AlgorithmIdentifiers, after
//!    mapping equivalent encodings to the canonical ones of `ids.rs`: no algorithm for the
//!    signature is [`Error::UnsupportedAlgorithm`], none for it with this key (an
//!    id-RSASSA-PSS key and a PKCS#1 v1.5 signature, a P-521 key) [`Error::UnacceptableKey`].
//! 5. The matching algorithms are tried in list order until one accepts (a provider refusing a
//!    1024-bit RSA key or a compressed point leaves it to the next); none: [`Error::BadSignature`].

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use rustls_pki_types::{AlgorithmIdentifier, SignatureVerificationAlgorithm};

use super::identify::{
    ECDSA_WITH_SHA1, ED25519, PublicKeyKind, SpkiRef, algorithm_name, algorithm_name_of, ec_curve,
    oid_of, parse_spki, rsa_modulus_bits, unacceptable,
};
use super::ids;
use super::rustcrypto::{ALGORITHMS, Hash};
use crate::Error;
use crate::asn1::read::{self, Reader, Tag, Tlv};

/// A list of signature verification algorithms, in the order they are tried.
pub type Algorithms = &'static [&'static dyn SignatureVerificationAlgorithm];

/// Which signature algorithms a verification may use.
#[derive(Debug, Clone, Copy)]
pub struct SignaturePolicy {
    /// The algorithms, e.g. [`ALGORITHMS`] or a rustls provider's followed by [`ALGORITHMS`].
    pub algorithms: Algorithms,
    /// Accept SHA-1 signatures (legacy material only).
    pub allow_sha1: bool,
}

impl Default for SignaturePolicy {
    /// The core's pure-Rust algorithms, SHA-1 refused.
    fn default() -> Self {
        Self {
            algorithms: ALGORITHMS,
            allow_sha1: false,
        }
    }
}

/// Checks `signature` over `message` with the public key `spki` (a DER SubjectPublicKeyInfo),
/// under the signature `algorithm` (a DER AlgorithmIdentifier) of a certificate, CSR or CRL
/// (RFC 5280 section 4.1.1.2), with the algorithms of `policy` (see the module documentation
/// for the order of the checks and the error codes). Malformed DER is [`Error::InvalidDer`].
pub fn verify_signature(
    spki: &[u8],
    algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
    policy: SignaturePolicy,
) -> Result<(), Error> {
    let spki = parse_spki(spki)?;
    let algorithm = read::parse(algorithm, Reader::algorithm)
        .map_err(|error| error.into_error("AlgorithmIdentifier"))?;
    verify_signature_ref(&spki, &algorithm, message, signature, policy)
}

/// [`verify_signature`] with borrowed values (a certificate's fields as they are in its DER).
pub(crate) fn verify_signature_ref(
    spki: &SpkiRef<'_>,
    algorithm: &read::AlgorithmIdentifier<'_>,
    message: &[u8],
    signature: &[u8],
    policy: SignaturePolicy,
) -> Result<(), Error> {
    let scheme = Scheme::of(algorithm)?;
    if scheme.hash == Some(Hash::Sha1) && !policy.allow_sha1 {
        return Err(weak(algorithm));
    }
    let key = Key::of(spki, scheme.pss_hash())?;
    let public_key = spki
        .key_bytes()
        .ok_or_else(|| unacceptable("the subjectPublicKey BIT STRING has unused bits"))?;
    let mut for_signature = policy
        .algorithms
        .iter()
        .filter(|candidate| candidate.signature_alg_id().as_ref() == scheme.id.bytes())
        .peekable();
    if for_signature.peek().is_none() {
        return Err(unsupported(algorithm_name_of(algorithm)));
    }
    let mut usable = for_signature
        .filter(|candidate| candidate.public_key_alg_id().as_ref() == key.id.bytes())
        .peekable();
    if usable.peek().is_none() {
        return Err(unacceptable(&format!(
            "a {} key cannot verify {} signatures",
            key.name(spki),
            algorithm_name_of(algorithm)
        )));
    }
    if usable.any(|candidate| {
        candidate
            .verify_signature(public_key, message, signature)
            .is_ok()
    }) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

// ---- helpers ----

/// id-mgf1 (RFC 8017 appendix B.2.1).
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

/// An AlgorithmIdentifier's contents: canonical when recognised, as encoded otherwise (an
/// algorithm of a caller's list that the core does not know may still match it).
enum Identifier<'a> {
    Canonical(AlgorithmIdentifier),
    Encoded(&'a [u8]),
}

impl<'a> Identifier<'a> {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Canonical(id) => id.as_ref(),
            Self::Encoded(bytes) => bytes,
        }
    }

    /// The contents of the AlgorithmIdentifier SEQUENCE: the OID's TLV and the parameters'.
    fn encoded(algorithm: &read::AlgorithmIdentifier<'a>) -> Self {
        let contents = read::parse(algorithm.whole, |reader| {
            reader.contents(Tag::SEQUENCE, "an AlgorithmIdentifier")
        });
        Self::Encoded(contents.unwrap_or_default())
    }
}

/// The PKCS#1 v1.5 and ECDSA signature algorithms of [`Scheme::of`]'s arms: OID, canonical
/// identifier, hash, and whether it is ECDSA (parameters absent) rather than PKCS#1 v1.5
/// (parameters NULL or absent).
const COMMON_SCHEMES: [(ObjectIdentifier, AlgorithmIdentifier, Hash, bool); 9] = [
    (
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        ids::RSA_PKCS1_SHA256,
        Hash::Sha256,
        false,
    ),
    (
        rfc5912::ECDSA_WITH_SHA_256,
        ids::ECDSA_SHA256,
        Hash::Sha256,
        true,
    ),
    (
        rfc5912::ECDSA_WITH_SHA_384,
        ids::ECDSA_SHA384,
        Hash::Sha384,
        true,
    ),
    (
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
        ids::RSA_PKCS1_SHA384,
        Hash::Sha384,
        false,
    ),
    (
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
        ids::RSA_PKCS1_SHA512,
        Hash::Sha512,
        false,
    ),
    (
        rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
        ids::RSA_PKCS1_SHA224,
        Hash::Sha224,
        false,
    ),
    (
        rfc5912::SHA_1_WITH_RSA_ENCRYPTION,
        ids::RSA_PKCS1_SHA1,
        Hash::Sha1,
        false,
    ),
    (
        rfc5912::ECDSA_WITH_SHA_512,
        ids::ECDSA_SHA512,
        Hash::Sha512,
        true,
    ),
    (ECDSA_WITH_SHA1, ids::ECDSA_SHA1, Hash::Sha1, true),
];

/// A signature algorithm: its identifier, its hash, and whether it is RSASSA-PSS.
struct Scheme<'a> {
    id: Identifier<'a>,
    hash: Option<Hash>,
    pss: bool,
}

impl<'a> Scheme<'a> {
    fn of(algorithm: &read::AlgorithmIdentifier<'a>) -> Result<Self, Error> {
        let parameters = algorithm.parameters;
        // The usual algorithms first, told by their bytes: the arms below for them, without
        // validating the OID and comparing it with each constant in turn.
        // (native code only: the WebAssembly module keeps its size)
        let mut common = COMMON_SCHEMES.iter();
        if let Some((oid, id, hash, ecdsa)) = cfg!(not(target_arch = "wasm32"))
            .then(|| common.find(|(oid, ..)| oid.as_bytes() == algorithm.oid))
            .flatten()
        {
            let allowed = if *ecdsa {
                parameters.is_none()
            } else {
                null_or_absent(parameters)
            };
            return Self::known(*id, *hash, allowed, oid);
        }
        let oid = oid_of(algorithm)?;
        let pkcs1 = |id, hash| Self::known(id, hash, null_or_absent(parameters), &oid);
        let ecdsa = |id, hash| Self::known(id, hash, parameters.is_none(), &oid);
        match oid {
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => pkcs1(ids::RSA_PKCS1_SHA256, Hash::Sha256),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => pkcs1(ids::RSA_PKCS1_SHA384, Hash::Sha384),
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => pkcs1(ids::RSA_PKCS1_SHA512, Hash::Sha512),
            rfc5912::SHA_224_WITH_RSA_ENCRYPTION => pkcs1(ids::RSA_PKCS1_SHA224, Hash::Sha224),
            rfc5912::SHA_1_WITH_RSA_ENCRYPTION => pkcs1(ids::RSA_PKCS1_SHA1, Hash::Sha1),
            rfc5912::ECDSA_WITH_SHA_256 => ecdsa(ids::ECDSA_SHA256, Hash::Sha256),
            rfc5912::ECDSA_WITH_SHA_384 => ecdsa(ids::ECDSA_SHA384, Hash::Sha384),
            rfc5912::ECDSA_WITH_SHA_512 => ecdsa(ids::ECDSA_SHA512, Hash::Sha512),
            ECDSA_WITH_SHA1 => ecdsa(ids::ECDSA_SHA1, Hash::Sha1),
            ED25519 if parameters.is_none() => Ok(Self {
                id: Identifier::Canonical(ids::ED25519),
                hash: None,
                pss: false,
            }),
            ED25519 => Err(unsupported(algorithm_name(&oid))),
            rfc5912::ID_RSASSA_PSS => Self::pss(parameters),
            rfc5912::MD_5_WITH_RSA_ENCRYPTION | rfc5912::MD_2_WITH_RSA_ENCRYPTION => {
                Err(weak(algorithm))
            }
            _ => Ok(Self {
                id: Identifier::encoded(algorithm),
                hash: None,
                pss: false,
            }),
        }
    }

    fn known(
        id: AlgorithmIdentifier,
        hash: Hash,
        parameters_allowed: bool,
        oid: &ObjectIdentifier,
    ) -> Result<Self, Error> {
        if !parameters_allowed {
            return Err(unsupported(format!(
                "{} with unexpected parameters",
                algorithm_name(oid)
            )));
        }
        Ok(Self {
            id: Identifier::Canonical(id),
            hash: Some(hash),
            pss: false,
        })
    }

    /// RSASSA-PSS (RFC 4055 section 3.1): parameters required, and the salt as long as the hash
    /// (RFC 8446 section 4.2.3, CA/Browser Forum BR 7.1.3.2.1).
    fn pss(parameters: Option<Tlv<'_>>) -> Result<Self, Error> {
        let (hash, salt_length) = parameters
            .and_then(pss_parameters)
            .ok_or_else(|| unsupported("RSASSA-PSS with invalid or unsupported parameters"))?;
        if usize::from(salt_length) != hash.length() {
            return Err(unsupported(format!(
                "RSASSA-PSS with a {salt_length}-byte salt and a {}-byte hash (the salt length \
                 must equal the hash length)",
                hash.length()
            )));
        }
        let id = match hash {
            Hash::Sha1 => ids::RSA_PSS_SHA1,
            Hash::Sha224 => ids::RSA_PSS_SHA224,
            Hash::Sha256 => ids::RSA_PSS_SHA256,
            Hash::Sha384 => ids::RSA_PSS_SHA384,
            Hash::Sha512 => ids::RSA_PSS_SHA512,
        };
        Ok(Self {
            id: Identifier::Canonical(id),
            hash: Some(hash),
            pss: true,
        })
    }

    fn pss_hash(&self) -> Option<Hash> {
        self.hash.filter(|_| self.pss)
    }
}

/// A public key's algorithm identifier, after the structural checks of the key.
struct Key<'a> {
    id: Identifier<'a>,
    kind: Option<PublicKeyKind>,
}

impl<'a> Key<'a> {
    /// `pss_hash` is the hash of an RSASSA-PSS signature, which id-RSASSA-PSS key parameters
    /// must agree with.
    fn of(spki: &SpkiRef<'a>, pss_hash: Option<Hash>) -> Result<Self, Error> {
        let algorithm = &spki.algorithm;
        let public_key = spki.key;
        // The usual keys first, told by their bytes: the first and third arms below (native
        // code only, as in `Scheme::of`).
        if cfg!(not(target_arch = "wasm32")) {
            if algorithm.oid == rfc5912::RSA_ENCRYPTION.as_bytes()
                && null_or_absent(algorithm.parameters)
            {
                return Self::rsa(ids::RSA_ENCRYPTION, public_key);
            }
            if algorithm.oid == rfc5912::ID_EC_PUBLIC_KEY.as_bytes() {
                return Self::ec(spki);
            }
        }
        let oid = oid_of(algorithm)?;
        match oid {
            rfc5912::RSA_ENCRYPTION if null_or_absent(algorithm.parameters) => {
                Self::rsa(ids::RSA_ENCRYPTION, public_key)
            }
            rfc5912::ID_RSASSA_PSS => {
                check_pss_key(algorithm.parameters, pss_hash)?;
                Self::rsa(ids::RSA_PSS_KEY, public_key)
            }
            rfc5912::ID_EC_PUBLIC_KEY => Self::ec(spki),
            ED25519 if algorithm.parameters.is_none() && public_key.len() == 32 => Ok(Self {
                id: Identifier::Canonical(ids::ED25519),
                kind: Some(PublicKeyKind::Ed25519),
            }),
            rfc5912::RSA_ENCRYPTION | ED25519 => Err(unacceptable(&format!(
                "malformed {} key",
                algorithm_name(&oid)
            ))),
            _ => Ok(Self {
                id: Identifier::encoded(algorithm),
                kind: None,
            }),
        }
    }

    /// RSA keys the verifier uses: 1024 to 8192 bits (the profile may ask for more).
    fn rsa(id: AlgorithmIdentifier, public_key: &[u8]) -> Result<Self, Error> {
        let bits = rsa_modulus_bits(public_key)?;
        if !(1024..=8192).contains(&bits) {
            return Err(unacceptable(&format!(
                "RSA keys of {bits} bits are not verified (1024 to 8192 bits)"
            )));
        }
        Ok(Self {
            id: Identifier::Canonical(id),
            kind: Some(PublicKeyKind::Rsa { bits }),
        })
    }

    /// A named curve (RFC 5480 section 2.1.1) and a point of its length, compressed or not
    /// (SEC 1 section 2.3.3); whether the point is on the curve is the algorithm's business.
    fn ec(spki: &SpkiRef<'_>) -> Result<Self, Error> {
        let kind = ec_curve(&spki.algorithm)?;
        let (id, field_length, name) = match kind {
            PublicKeyKind::P256 => (ids::ECDSA_P256, 32, "P-256"),
            PublicKeyKind::P384 => (ids::ECDSA_P384, 48, "P-384"),
            _ => (ids::ECDSA_P521, 66, "P-521"),
        };
        let point = spki.key;
        let well_formed = match point.first() {
            Some(0x04) => point.len() == 1 + 2 * field_length,
            Some(0x02 | 0x03) => point.len() == 1 + field_length,
            _ => false,
        };
        if !well_formed {
            return Err(unacceptable(&format!("malformed {name} point")));
        }
        Ok(Self {
            id: Identifier::Canonical(id),
            kind: Some(kind),
        })
    }

    fn name(&self, spki: &SpkiRef<'_>) -> String {
        match self.kind {
            Some(PublicKeyKind::Rsa { bits }) if spki.algorithm.is(&rfc5912::ID_RSASSA_PSS) => {
                format!("{bits}-bit id-RSASSA-PSS (RFC 4055 1.2: PSS signatures only)")
            }
            Some(PublicKeyKind::Rsa { bits }) => format!("{bits}-bit RSA"),
            Some(PublicKeyKind::P256) => "P-256".to_owned(),
            Some(PublicKeyKind::P384) => "P-384".to_owned(),
            Some(PublicKeyKind::P521) => "P-521".to_owned(),
            Some(PublicKeyKind::Ed25519) => "Ed25519".to_owned(),
            None => algorithm_name_of(&spki.algorithm),
        }
    }
}

/// Parameters of an id-RSASSA-PSS key, when present, restrict it (RFC 4055 section 3.1): the
/// signature must use the same hash and MGF, and a salt at least as long.
fn check_pss_key(parameters: Option<Tlv<'_>>, pss_hash: Option<Hash>) -> Result<(), Error> {
    let Some(parameters) = parameters else {
        return Ok(());
    };
    let (key_hash, key_salt) = pss_parameters(parameters)
        .ok_or_else(|| unacceptable("id-RSASSA-PSS key with invalid parameters"))?;
    match pss_hash {
        Some(hash) if hash == key_hash && usize::from(key_salt) <= hash.length() => Ok(()),
        // Not a PSS signature: refused when matching, with the reason.
        None => Ok(()),
        Some(_) => Err(unacceptable(
            "the id-RSASSA-PSS key's parameters restrict it to another hash or a longer salt \
             (RFC 4055 3.1)",
        )),
    }
}

/// The hash and salt length of RSASSA-PSS-params whose MGF is MGF1 with the same hash and whose
/// hash parameters are NULL or absent; `None` for anything else, and for what `pkcs1`'s
/// `RsaPssParams` does not decode.
pub(crate) fn pss_parameters(parameters: Tlv<'_>) -> Option<(Hash, u8)> {
    if parameters.tag != Tag::SEQUENCE {
        return None;
    }
    let mut fields = parameters.reader().ok()?;
    let pss = read_pss_parameters(&mut fields).ok()?;
    fields.finish().ok()?;
    let (hash, hash_parameters_ok) = match &pss.hash {
        Some(algorithm) => (
            hash_of(algorithm.oid)?,
            null_or_absent(algorithm.parameters),
        ),
        // DEFAULT sha1 (with NULL parameters, as pkcs1 fills it in)
        None => (Hash::Sha1, true),
    };
    let (is_mgf1, mask_hash, mask_parameters_ok) = match &pss.mask {
        Some((oid, mask_parameters)) => {
            let mask_hash = mask_parameters.as_ref()?;
            (
                *oid == MGF1.as_bytes(),
                hash_of(mask_hash.oid),
                null_or_absent(mask_hash.parameters),
            )
        }
        // DEFAULT mgf1SHA1
        None => (true, Some(Hash::Sha1), true),
    };
    let hashes_agree =
        is_mgf1 && mask_hash == Some(hash) && hash_parameters_ok && mask_parameters_ok;
    hashes_agree.then_some((hash, pss.salt_length))
}

/// RSASSA-PSS-params as encoded (RFC 4055 section 3.1); defaults are left to the caller.
struct PssParameters<'a> {
    hash: Option<read::AlgorithmIdentifier<'a>>,
    /// The MGF's OID and its parameters, an AlgorithmIdentifier when present.
    mask: Option<(&'a [u8], Option<read::AlgorithmIdentifier<'a>>)>,
    salt_length: u8,
}

/// `SEQUENCE { hashAlgorithm [0] DEFAULT sha1, maskGenAlgorithm [1] DEFAULT mgf1SHA1,
/// saltLength [2] INTEGER DEFAULT 20, trailerField [3] INTEGER DEFAULT 1 }`, every tag EXPLICIT;
/// the salt length must fit a byte and the trailer field be 1 (as `pkcs1` decodes them).
fn read_pss_parameters<'a>(fields: &mut Reader<'a>) -> read::Result<PssParameters<'a>> {
    let hash = match fields.optional_explicit(0)? {
        Some(mut inner) => {
            let algorithm = inner.algorithm()?;
            inner.finish()?;
            Some(algorithm)
        }
        None => None,
    };
    let mask = match fields.optional_explicit(1)? {
        Some(mut inner) => {
            let mask = inner.read_sequence(|mask| {
                let oid = mask.oid()?;
                let parameters = match mask.is_empty() {
                    true => None,
                    false => Some(mask.algorithm()?),
                };
                Ok((oid, parameters))
            })?;
            inner.finish()?;
            Some(mask)
        }
        None => None,
    };
    let salt_length = match fields.optional_explicit(2)? {
        Some(mut inner) => {
            let value = inner.u64()?;
            inner.finish()?;
            u8::try_from(value).map_err(|_| inner.error("a salt length that fits 8 bits"))?
        }
        None => 20,
    };
    if let Some(mut inner) = fields.optional_explicit(3)? {
        let value = inner.u64()?;
        inner.finish()?;
        if value != 1 {
            return Err(inner.error("trailer field 1 (trailerFieldBC)"));
        }
    }
    Ok(PssParameters {
        hash,
        mask,
        salt_length,
    })
}

fn hash_of(oid: &[u8]) -> Option<Hash> {
    [
        (rfc5912::ID_SHA_1, Hash::Sha1),
        (rfc5912::ID_SHA_224, Hash::Sha224),
        (rfc5912::ID_SHA_256, Hash::Sha256),
        (rfc5912::ID_SHA_384, Hash::Sha384),
        (rfc5912::ID_SHA_512, Hash::Sha512),
    ]
    .into_iter()
    .find(|(known, _)| known.as_bytes() == oid)
    .map(|(_, hash)| hash)
}

fn null_or_absent(parameters: Option<Tlv<'_>>) -> bool {
    parameters
        .is_none_or(|parameters| parameters.tag == Tag::NULL && parameters.contents.is_empty())
}

fn weak(algorithm: &read::AlgorithmIdentifier<'_>) -> Error {
    Error::WeakSignatureAlgorithm {
        algorithm: algorithm_name_of(algorithm),
    }
}

fn unsupported(algorithm: impl Into<String>) -> Error {
    Error::UnsupportedAlgorithm {
        algorithm: algorithm.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pss_parameters` as it was, on `pkcs1`'s `RsaPssParams` (the differential reference).
    fn pss_parameters_before(der: &[u8]) -> Option<(Hash, u8)> {
        use der::Decode;
        use der::asn1::Any;
        let params = <pkcs1::RsaPssParams<Any> as Decode>::from_der(der).ok()?;
        let hash = hash_of(params.hash.oid.as_bytes())?;
        let mask_hash = params.mask_gen.parameters.as_ref()?;
        let null_or_absent = |parameters: Option<&Any>| parameters.is_none_or(Any::is_null);
        let hashes_agree = params.mask_gen.oid == MGF1
            && hash_of(mask_hash.oid.as_bytes()) == Some(hash)
            && null_or_absent(params.hash.parameters.as_ref())
            && null_or_absent(mask_hash.parameters.as_ref());
        hashes_agree.then_some((hash, params.salt_len))
    }

    /// RSASSA-PSS-params: every canonical identifier's, openssl's id-RSASSA-PSS key's, with
    /// defaults written out or hash parameters absent, and every one-byte change and truncation
    /// of them: read as `pkcs1` reads them.
    #[test]
    fn pss_parameters_are_read_as_pkcs1_reads_them() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for id in [
            ids::RSA_PSS_SHA1,
            ids::RSA_PSS_SHA224,
            ids::RSA_PSS_SHA256,
            ids::RSA_PSS_SHA384,
            ids::RSA_PSS_SHA512,
        ] {
            // The OID's TLV (11 bytes), then the parameters.
            inputs.push(id.as_ref().get(11..).unwrap().to_vec());
        }
        let keys = crate::crypto::identify::tests::test_keys("rsapss-sha256.spki");
        let spki = parse_spki(&keys.first().unwrap().1).unwrap();
        inputs.push(spki.algorithm.parameters.unwrap().whole.to_vec());
        // SHA-256 with absent hash parameters, salt 20 and trailer 1 written out.
        let sha256 = [
            0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        ];
        let mut written = vec![0xa0, 0x0d, 0x30, 0x0b];
        written.extend(sha256);
        written.extend([0xa1, 0x18, 0x30, 0x16, 0x06, 0x09]);
        written.extend(MGF1.as_bytes());
        written.extend([0x30, 0x0b]);
        written.extend(sha256);
        written.extend([0xa2, 0x03, 0x02, 0x01, 0x14, 0xa3, 0x03, 0x02, 0x01, 0x01]);
        let mut sequence = vec![0x30, u8::try_from(written.len()).unwrap()];
        sequence.extend(written);
        inputs.push(sequence);
        let changed = crate::x509::test_corpus::one_byte_changes(
            inputs
                .iter()
                .filter(|input| input.len() > 4)
                .cloned()
                .collect(),
            1,
            &[
                0x00, 0x01, 0x14, 0x20, 0x80, 0xff, 0x05, 0x30, 0xa0, 0xa1, 0xa2, 0xa3,
            ],
            &[0x01, 0x02, 0x20, 0x80],
        );
        let (mut compared, mut accepted) = (0usize, 0usize);
        for der in inputs.iter().chain(&changed) {
            let ours = read::parse(der, Reader::tlv).ok().and_then(pss_parameters);
            assert_eq!(ours, pss_parameters_before(der), "{der:02x?}");
            compared += 1;
            accepted += usize::from(ours.is_some());
        }
        assert!(compared > 5_000, "{compared}");
        assert!(accepted > 100, "{accepted}");
    }
}
