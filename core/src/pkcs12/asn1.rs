//! The ASN.1 structures of PKCS#12 (RFC 7292), of the two CMS ones it uses (RFC 5652) and of
//! `EncryptedPrivateKeyInfo` (RFC 5958), with the OIDs mtlskit reads and writes.
//!
//! Reading uses the borrowed views at the end of this file (`read_pfx` and the like) on the
//! core's DER reader, [`crate::asn1::read`], which accept exactly what the `der` structures
//! accepted (a test compares them on the corpora and every one-byte change and truncation).
//! Writing is in `write.rs` and `crate::pbe` on the core's writer ([`crate::asn1::write`]);
//! the `der` structures below are test-only, the references both are compared with.
//!
//! Copied from the `pkcs12` 0.2.0-pre.0 and `cms` 0.3.0-pre.1 crates (RustCrypto, Apache-2.0
//! OR MIT), field for field and with the same `der` derives and hand-written `SafeBag` codec,
//! so files decode and encode exactly as with those crates (a test compares both on the
//! fixtures). Why not the crates: `cms` turns on `der`'s `ber` feature for every crate that
//! uses `der`, which nothing here needs (every decoder reads DER, where `ber` changes no
//! result) but which costs 73 KB of the browser module (25 KB gzipped): each decoded type
//! carries the indefinite-length paths (BENCHMARKS.md "Lean wasm").

use const_oid::ObjectIdentifier;

use crate::asn1::read::{self, AlgorithmIdentifier, Reader, Tag, Tlv};

/// The `der` structures reading and writing used before both moved onto the core's DER
/// (test-only now: the references of the differential tests, `read_before.rs` and
/// `write_before.rs`).
#[cfg(test)]
mod der_structures {
    use const_oid::ObjectIdentifier;
    use der::asn1::OctetString;
    use der::{Any, AnyRef, Decode, Enumerated, Sequence};
    use spki::AlgorithmIdentifierOwned;
    use x509_cert::attr::Attributes;

    /// `PFX ::= SEQUENCE { version INTEGER {v3(3)}(v3,...), authSafe ContentInfo, macData MacData
    /// OPTIONAL }` (RFC 7292 section 4).
    #[derive(Debug, Sequence)]
    pub(crate) struct Pfx {
        pub(crate) version: Version,
        pub(crate) auth_safe: ContentInfo,
        pub(crate) mac_data: Option<MacData>,
    }

    /// The PFX version: only v3.
    #[derive(Clone, Copy, Debug, Enumerated, Eq, PartialEq, PartialOrd, Ord)]
    #[asn1(type = "INTEGER")]
    #[repr(u8)]
    pub(crate) enum Version {
        V3 = 3,
    }

    /// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`
    /// (RFC 7292 section 4).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct MacData {
        pub(crate) mac: DigestInfo,
        pub(crate) mac_salt: OctetString,
        #[asn1(default = "default_one")]
        pub(crate) iterations: i32,
    }

    fn default_one() -> i32 {
        1
    }

    /// `DigestInfo ::= SEQUENCE { digestAlgorithm DigestAlgorithmIdentifier, digest Digest }`.
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct DigestInfo {
        pub(crate) algorithm: AlgorithmIdentifierOwned,
        pub(crate) digest: OctetString,
    }

    /// `SafeBag ::= SEQUENCE { bagId BAG-TYPE.&id, bagValue [0] EXPLICIT BAG-TYPE.&Type,
    /// bagAttributes SET OF PKCS12Attribute OPTIONAL }` (RFC 7292 section 4.2); `bag_value` is
    /// the whole `[0]` TLV.
    #[derive(Clone, Debug, Eq, PartialEq)]
    pub(crate) struct SafeBag {
        pub(crate) bag_id: ObjectIdentifier,
        pub(crate) bag_value: Vec<u8>,
        pub(crate) bag_attributes: Option<Attributes>,
    }

    impl<'a> der::DecodeValue<'a> for SafeBag {
        type Error = der::Error;

        fn decode_value<R: der::Reader<'a>>(
            reader: &mut R,
            _header: der::Header,
        ) -> der::Result<Self> {
            let bag_id = reader.decode()?;
            let bag_value = reader.tlv_bytes()?.to_vec();
            let bag_attributes = reader.decode()?;
            Ok(Self {
                bag_id,
                bag_value,
                bag_attributes,
            })
        }
    }

    impl der::EncodeValue for SafeBag {
        fn value_len(&self) -> der::Result<der::Length> {
            use der::Encode as _;
            let content = AnyRef::from_der(&self.bag_value)?;
            [
                self.bag_id.encoded_len()?,
                explicit_zero(&content).encoded_len()?,
                self.bag_attributes.encoded_len()?,
            ]
            .into_iter()
            .try_fold(der::Length::ZERO, |total, length| total + length)
        }

        fn encode_value(&self, writer: &mut impl der::Writer) -> der::Result<()> {
            use der::Encode as _;
            self.bag_id.encode(writer)?;
            let content = AnyRef::from_der(&self.bag_value)?;
            explicit_zero(&content).encode(writer)?;
            self.bag_attributes.encode(writer)?;
            Ok(())
        }
    }

    impl Sequence<'_> for SafeBag {}

    fn explicit_zero<'a>(content: &'a AnyRef<'a>) -> der::asn1::ContextSpecificRef<'a, AnyRef<'a>> {
        der::asn1::ContextSpecificRef {
            tag_number: der::TagNumber(0),
            tag_mode: der::TagMode::Explicit,
            value: content,
        }
    }

    /// `CertBag ::= SEQUENCE { certId BAG-TYPE.&id, certValue [0] EXPLICIT BAG-TYPE.&Type }`
    /// (RFC 7292 section 4.2.3); an X.509 certificate's value is an OCTET STRING of its DER.
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct CertBag {
        pub(crate) cert_id: ObjectIdentifier,
        #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
        pub(crate) cert_value: OctetString,
    }

    /// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }` (RFC 7292
    /// appendix C).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct Pkcs12PbeParams {
        pub(crate) salt: OctetString,
        pub(crate) iterations: i32,
    }

    /// `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm EncryptionAlgorithmIdentifier,
    /// encryptedData EncryptedData }` (RFC 5958 section 3).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct EncryptedPrivateKeyInfo {
        pub(crate) encryption_algorithm: AlgorithmIdentifierOwned,
        pub(crate) encrypted_data: OctetString,
    }

    /// `ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY
    /// contentType }` (RFC 5652 section 3).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct ContentInfo {
        pub(crate) content_type: ObjectIdentifier,
        #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
        pub(crate) content: Any,
    }

    /// `CMSVersion ::= INTEGER { v0(0), v1(1), v2(2), v3(3), v4(4), v5(5) }` (RFC 5652 section
    /// 10.2.5).
    #[derive(Clone, Debug, Copy, PartialEq, Eq, PartialOrd, Ord, Enumerated)]
    #[asn1(type = "INTEGER")]
    #[repr(u8)]
    pub(crate) enum CmsVersion {
        V0 = 0,
        V1 = 1,
        V2 = 2,
        V3 = 3,
        V4 = 4,
        V5 = 5,
    }

    /// `EncryptedData ::= SEQUENCE { version CMSVersion, encryptedContentInfo
    /// EncryptedContentInfo, unprotectedAttrs [1] IMPLICIT UnprotectedAttributes OPTIONAL }`
    /// (RFC 5652 section 8).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct EncryptedData {
        pub(crate) version: CmsVersion,
        pub(crate) enc_content_info: EncryptedContentInfo,
        #[asn1(
            context_specific = "1",
            tag_mode = "IMPLICIT",
            constructed = "true",
            optional = "true"
        )]
        pub(crate) unprotected_attrs: Option<Attributes>,
    }

    /// `EncryptedContentInfo ::= SEQUENCE { contentType ContentType, contentEncryptionAlgorithm
    /// ContentEncryptionAlgorithmIdentifier, encryptedContent [0] IMPLICIT EncryptedContent
    /// OPTIONAL }` (RFC 5652 section 6.1).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    pub(crate) struct EncryptedContentInfo {
        pub(crate) content_type: ObjectIdentifier,
        pub(crate) content_enc_alg: AlgorithmIdentifierOwned,
        #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
        pub(crate) encrypted_content: Option<OctetString>,
    }
}
#[cfg(test)]
pub(crate) use der_structures::*;

/// `pbeWithSHAAnd3-KeyTripleDES-CBC` (RFC 7292 appendix C).
pub(crate) const PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
/// `pbeWithSHAAnd2-KeyTripleDES-CBC`.
pub(crate) const PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.4");
/// `pbeWithSHAAnd128BitRC2-CBC`.
pub(crate) const PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.5");
/// `pbewithSHAAnd40BitRC2-CBC`.
pub(crate) const PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");
/// `keyBag` (RFC 7292 section 4.2.1).
pub(crate) const PKCS_12_KEY_BAG_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
/// `pkcs8ShroudedKeyBag` (section 4.2.2).
pub(crate) const PKCS_12_PKCS8_KEY_BAG_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
/// `certBag` (section 4.2.3).
pub(crate) const PKCS_12_CERT_BAG_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
/// `safeContentsBag` (section 4.2.6).
pub(crate) const PKCS_12_SAFE_CONTENTS_BAG_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.6");
/// `x509Certificate` of the certBag (section 4.2.3).
pub(crate) const PKCS_12_X509_CERT_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");

// Reading, on the core's own DER reader ([`crate::asn1::read`]): borrowed views of the
// structures above, accepting exactly what their `der` decoders accept (a test compares the
// two on the corpora and on every one-byte change and truncation).

/// A PFX as read: its AuthenticatedSafe's ContentInfo and the MAC.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PfxRef<'a> {
    pub(crate) auth_safe: ContentInfoRef<'a>,
    pub(crate) mac_data: Option<MacDataRef<'a>>,
}

/// A ContentInfo as read: the content type's OID bytes and the `[0] EXPLICIT` content's TLV.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContentInfoRef<'a> {
    pub(crate) content_type: &'a [u8],
    pub(crate) content: Tlv<'a>,
}

/// MacData as read (`iterations` is 1 when absent).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MacDataRef<'a> {
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    pub(crate) digest: &'a [u8],
    pub(crate) salt: &'a [u8],
    pub(crate) iterations: i32,
}

/// A SafeBag as read: the bag's OID bytes, the contents of its `[0] EXPLICIT` value (any tag,
/// as the `der` decoder took any TLV) and its attributes in DER (sorted) order.
#[derive(Debug, Clone)]
pub(crate) struct SafeBagRef<'a> {
    pub(crate) bag_id: &'a [u8],
    pub(crate) value: &'a [u8],
    pub(crate) attributes: Vec<AttributeRef<'a>>,
}

/// An `Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }`, values in DER
/// (sorted) order.
#[derive(Debug, Clone)]
pub(crate) struct AttributeRef<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) values: Vec<Tlv<'a>>,
    whole: &'a [u8],
}

/// EncryptedData as read: the encrypted content's algorithm and bytes (empty when absent).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EncryptedDataRef<'a> {
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    pub(crate) encrypted_content: Option<&'a [u8]>,
}

/// `EncryptedPrivateKeyInfo` as read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EncryptedPrivateKeyInfoRef<'a> {
    pub(crate) algorithm: AlgorithmIdentifier<'a>,
    pub(crate) encrypted_data: &'a [u8],
}

/// `PFX` (RFC 7292 section 4), the whole input.
pub(crate) fn read_pfx(der: &[u8]) -> read::Result<PfxRef<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|pfx| {
            let offset_version = pfx.error("PFX version 3");
            if pfx.u64()? != 3 {
                return Err(offset_version);
            }
            let auth_safe = content_info(pfx)?;
            let mac_data = match pfx.peek_tag()? {
                Some(Tag::SEQUENCE) => Some(pfx.read_sequence(mac_data)?),
                _ => None,
            };
            Ok(PfxRef {
                auth_safe,
                mac_data,
            })
        })
    })
}

fn mac_data<'a>(mac: &mut Reader<'a>) -> read::Result<MacDataRef<'a>> {
    let (algorithm, digest) =
        mac.read_sequence(|info| Ok((info.algorithm()?, info.octet_string()?)))?;
    let salt = mac.octet_string()?;
    let iterations = match mac.peek_tag()? {
        Some(Tag::INTEGER) => mac.i32()?,
        _ => 1,
    };
    Ok(MacDataRef {
        algorithm,
        digest,
        salt,
        iterations,
    })
}

/// `ContentInfo` (RFC 5652 section 3) at the reader.
fn content_info<'a>(reader: &mut Reader<'a>) -> read::Result<ContentInfoRef<'a>> {
    reader.read_sequence(|info| {
        let content_type = info.oid()?;
        let mut explicit = info.explicit(0)?;
        let content = explicit.tlv()?;
        explicit.finish()?;
        Ok(ContentInfoRef {
            content_type,
            content,
        })
    })
}

/// `AuthenticatedSafe ::= SEQUENCE OF ContentInfo`, the whole input.
pub(crate) fn read_authenticated_safe(der: &[u8]) -> read::Result<Vec<ContentInfoRef<'_>>> {
    read::parse(der, |reader| {
        reader.read_sequence(|safes| {
            let mut all = Vec::new();
            while !safes.is_empty() {
                all.push(content_info(safes)?);
            }
            Ok(all)
        })
    })
}

/// `SafeContents ::= SEQUENCE OF SafeBag`, the whole input.
pub(crate) fn read_safe_contents(der: &[u8]) -> read::Result<Vec<SafeBagRef<'_>>> {
    read::parse(der, |reader| {
        reader.read_sequence(|bags| {
            let mut all = Vec::new();
            while !bags.is_empty() {
                all.push(bags.read_sequence(safe_bag)?);
            }
            Ok(all)
        })
    })
}

fn safe_bag<'a>(bag: &mut Reader<'a>) -> read::Result<SafeBagRef<'a>> {
    let bag_id = bag.oid()?;
    let value = bag.tlv()?.contents;
    let attributes = match bag.peek_tag()? {
        Some(Tag::SET) => attributes(&mut bag.set()?)?,
        _ => Vec::new(),
    };
    Ok(SafeBagRef {
        bag_id,
        value,
        attributes,
    })
}

/// `SET OF Attribute` (the reader over the SET's contents), sorted as `der` sorts a SET OF.
fn attributes<'a>(set: &mut Reader<'a>) -> read::Result<Vec<AttributeRef<'a>>> {
    let mut all = Vec::new();
    while !set.is_empty() {
        let whole = set.expect(Tag::SEQUENCE, "an Attribute (SEQUENCE)")?;
        let mut attribute = whole.reader()?;
        let oid = attribute.oid()?;
        let mut values_reader = attribute.set()?;
        attribute.finish()?;
        let mut values = Vec::new();
        while !values_reader.is_empty() {
            values.push(values_reader.tlv()?);
        }
        values.sort_by(|a, b| a.whole.cmp(b.whole));
        all.push(AttributeRef {
            oid,
            values,
            whole: whole.whole,
        });
    }
    all.sort_by(|a, b| a.oid.cmp(b.oid).then_with(|| a.whole.cmp(b.whole)));
    Ok(all)
}

/// The first value of the first attribute `oid` of a bag, in DER order.
pub(crate) fn attribute<'a>(bag: &SafeBagRef<'a>, oid: ObjectIdentifier) -> Option<Tlv<'a>> {
    let attribute = bag
        .attributes
        .iter()
        .find(|attribute| attribute.oid == oid.as_bytes())?;
    attribute.values.first().copied()
}

/// `CertBag` (RFC 7292 section 4.2.3), the whole input: the certificate type's OID bytes and
/// the OCTET STRING's contents.
pub(crate) fn read_cert_bag(der: &[u8]) -> read::Result<(&[u8], &[u8])> {
    read::parse(der, |reader| {
        reader.read_sequence(|bag| {
            let cert_id = bag.oid()?;
            let mut explicit = bag.explicit(0)?;
            let value = explicit.octet_string()?;
            explicit.finish()?;
            Ok((cert_id, value))
        })
    })
}

/// `EncryptedPrivateKeyInfo` (RFC 5958 section 3), the whole input.
pub(crate) fn read_encrypted_private_key_info(
    der: &[u8],
) -> read::Result<EncryptedPrivateKeyInfoRef<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|info| {
            Ok(EncryptedPrivateKeyInfoRef {
                algorithm: info.algorithm()?,
                encrypted_data: info.octet_string()?,
            })
        })
    })
}

/// `EncryptedData` (RFC 5652 section 8), the whole input.
pub(crate) fn read_encrypted_data(der: &[u8]) -> read::Result<EncryptedDataRef<'_>> {
    read::parse(der, |reader| {
        reader.read_sequence(|data| {
            let version_error = data.error("a CMSVersion (0 to 5)");
            if data.u64()? > 5 {
                return Err(version_error);
            }
            let (algorithm, encrypted_content) = data.read_sequence(|info| {
                info.oid()?;
                let algorithm = info.algorithm()?;
                let content = info.optional_context(0, false)?;
                Ok((algorithm, content.map(|tlv| tlv.contents)))
            })?;
            if let Some(unprotected) = data.optional_context(1, true)? {
                attributes(&mut unprotected.reader()?)?;
            }
            Ok(EncryptedDataRef {
                algorithm,
                encrypted_content,
            })
        })
    })
}

/// `pkcs-12PbeParams` (RFC 7292 appendix C), the whole input: the salt and iteration count.
pub(crate) fn read_pkcs12_pbe_params(der: &[u8]) -> read::Result<(&[u8], i32)> {
    read::parse(der, |reader| {
        reader.read_sequence(|params| Ok((params.octet_string()?, params.i32()?)))
    })
}

#[cfg(test)]
mod tests {
    use der::asn1::OctetString;
    use der::{AnyRef, Decode, Encode};

    use super::*;

    /// Decodes `der` as our type `A` and the crate's `B`: the same error text, or values that
    /// encode to the same bytes.
    fn same<'a, A, B>(der: &'a [u8], what: &str) -> Option<Vec<u8>>
    where
        A: Decode<'a, Error = der::Error> + Encode,
        B: Decode<'a, Error = der::Error> + Encode,
    {
        let ours = A::from_der(der).map(|value| value.to_der());
        let theirs = B::from_der(der).map(|value| value.to_der());
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!(
                    ours.map_err(|e| e.to_string()),
                    theirs.map_err(|e| e.to_string()),
                    "{what}"
                );
                Some(der.to_vec())
            }
            (Err(ours), Err(theirs)) => {
                assert_eq!(ours.to_string(), theirs.to_string(), "{what}");
                None
            }
            (ours, theirs) => panic!(
                "{what}: ours {:?}, the crate's {:?}",
                ours.is_ok(),
                theirs.is_ok()
            ),
        }
    }

    /// Every structure of a PKCS#12 file, ours against the `pkcs12` and `cms` crates'.
    fn compare_file(der: &[u8], what: &str) -> usize {
        let mut compared = 1;
        if same::<Pfx, pkcs12::Pfx>(der, what).is_none() {
            return compared;
        }
        let Ok(pfx) = Pfx::from_der(der) else {
            return compared;
        };
        if let Some(mac) = &pfx.mac_data {
            let mac = mac.to_der().unwrap();
            same::<MacData, pkcs12::MacData>(&mac, what);
            compared += 1;
        }
        let Ok(octets) = pfx.auth_safe.content.decode_as::<OctetString>() else {
            return compared;
        };
        let safes = octets.as_bytes();
        type TheirInfo = pkcs12::cms::content_info::ContentInfo;
        if same::<Vec<ContentInfo>, Vec<TheirInfo>>(safes, what).is_none() {
            return compared + 1;
        }
        for safe in Vec::<ContentInfo>::from_der(safes).unwrap() {
            let content = safe.content.to_der().unwrap();
            compared += 1;
            if let Ok(data) = safe.content.decode_as::<OctetString>() {
                type TheirBag = pkcs12::safe_bag::SafeBag;
                if same::<Vec<SafeBag>, Vec<TheirBag>>(data.as_bytes(), what).is_some() {
                    for bag in Vec::<SafeBag>::from_der(data.as_bytes()).unwrap() {
                        let value = &bag.bag_value;
                        let inner = AnyRef::from_der(value).ok();
                        let inner = inner.and_then(|any| any.decode_as::<AnyRef<'_>>().ok());
                        if let Some(inner) = inner.and_then(|any| any.to_der().ok()) {
                            same::<CertBag, pkcs12::CertBag>(&inner, what);
                            same::<
                                EncryptedPrivateKeyInfo,
                                pkcs12::pbe_params::EncryptedPrivateKeyInfo,
                            >(&inner, what);
                            compared += 2;
                        }
                    }
                }
            }
            type TheirData = pkcs12::cms::encrypted_data::EncryptedData;
            same::<EncryptedData, TheirData>(&content, what);
            compared += 1;
        }
        compared
    }

    #[test]
    fn structures_decode_and_encode_as_the_pkcs12_and_cms_crates() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            root.join("fuzz/corpus/pkcs12"),
            root.join("../tests/parity/inputs"),
        ] {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|extension| extension == "p12") {
                    files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                }
            }
        }
        assert!(files.len() >= 6, "{} files", files.len());
        let mut compared = 0;
        for (name, der) in &files {
            assert!(compare_file(der, name) > 3, "{name} decodes");
            // Every byte changed to 0x80 (the indefinite length), 0xff and 0x00, and every
            // truncation: the same results and the same errors.
            for at in 0..der.len() {
                for byte in [0x80, 0xff, 0x00] {
                    let mut changed = der.clone();
                    changed[at] = byte;
                    compared += compare_file(&changed, &format!("{name} with {byte:#x} at {at}"));
                }
                compared += compare_file(&der[..at], &format!("{name} cut at {at}"));
            }
        }
        assert!(compared > 10_000, "{compared} comparisons");
        let pbe = Pkcs12PbeParams {
            salt: OctetString::new(vec![1; 8]).unwrap(),
            iterations: 2048,
        };
        let theirs = pkcs12::pbe_params::Pkcs12PbeParams {
            salt: OctetString::new(vec![1; 8]).unwrap(),
            iterations: 2048,
        };
        assert_eq!(pbe.to_der().unwrap(), theirs.to_der().unwrap());
        let der = pbe.to_der().unwrap();
        same::<Pkcs12PbeParams, pkcs12::pbe_params::Pkcs12PbeParams>(&der, "PBE parameters");
        for (ours, theirs) in [
            (
                PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
                pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
            ),
            (
                PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC,
                pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC,
            ),
            (
                PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC,
                pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC,
            ),
            (
                PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC,
                pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC,
            ),
            (PKCS_12_KEY_BAG_OID, pkcs12::PKCS_12_KEY_BAG_OID),
            (PKCS_12_PKCS8_KEY_BAG_OID, pkcs12::PKCS_12_PKCS8_KEY_BAG_OID),
            (PKCS_12_CERT_BAG_OID, pkcs12::PKCS_12_CERT_BAG_OID),
            (
                PKCS_12_SAFE_CONTENTS_BAG_OID,
                pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID,
            ),
            (PKCS_12_X509_CERT_OID, pkcs12::PKCS_12_X509_CERT_OID),
        ] {
            assert_eq!(ours, theirs);
        }
    }

    /// The readers against the `der` structures above (which the test above holds to the
    /// crates): the same accept/reject and the same values, for a PFX and everything in it.
    fn compare_readers(der: &[u8], what: &str) -> usize {
        let old = Pfx::from_der(der);
        let new = read_pfx(der);
        assert_eq!(
            old.is_ok(),
            new.is_ok(),
            "{what}: PFX {:?} {:?}",
            old.err(),
            new.err()
        );
        let (Ok(old), Ok(new)) = (old, new) else {
            return 1;
        };
        match (&old.mac_data, &new.mac_data) {
            (Some(old), Some(new)) => {
                let algorithm = old.mac.algorithm.to_der().unwrap();
                assert_eq!(algorithm, new.algorithm.whole, "{what}");
                assert_eq!(old.mac.digest.as_bytes(), new.digest, "{what}");
                assert_eq!(old.mac_salt.as_bytes(), new.salt, "{what}");
                assert_eq!(old.iterations, new.iterations, "{what}");
            }
            (None, None) => {}
            _ => panic!("{what}: MAC present in one only"),
        }
        assert_eq!(
            old.auth_safe.content_type.as_bytes(),
            new.auth_safe.content_type
        );
        assert_eq!(
            old.auth_safe.content.to_der().unwrap(),
            new.auth_safe.content.whole
        );
        let Ok(octets) = old.auth_safe.content.decode_as::<OctetString>() else {
            return 2;
        };
        let mut compared = 2 + compare_safes(octets.as_bytes(), what);
        for value in safes_bag_values(octets.as_bytes()) {
            compared += compare_bag_value(&value, what);
        }
        compared
    }

    /// An AuthenticatedSafe, its ContentInfos, their SafeContents and EncryptedData.
    fn compare_safes(der: &[u8], what: &str) -> usize {
        let old = Vec::<ContentInfo>::from_der(der);
        let new = read_authenticated_safe(der);
        assert_eq!(old.is_ok(), new.is_ok(), "{what}: AuthenticatedSafe");
        let (Ok(old), Ok(new)) = (old, new) else {
            return 1;
        };
        assert_eq!(old.len(), new.len(), "{what}");
        let mut compared = 1;
        for (old, new) in old.iter().zip(&new) {
            assert_eq!(old.content_type.as_bytes(), new.content_type, "{what}");
            let content = old.content.to_der().unwrap();
            assert_eq!(content, new.content.whole, "{what}");
            if let Ok(data) = old.content.decode_as::<OctetString>() {
                compared += compare_bags(data.as_bytes(), what);
            }
            let old = EncryptedData::from_der(&content);
            let new = read_encrypted_data(&content);
            assert_eq!(old.is_ok(), new.is_ok(), "{what}: EncryptedData");
            if let (Ok(old), Ok(new)) = (old, new) {
                let info = &old.enc_content_info;
                let algorithm = info.content_enc_alg.to_der().unwrap();
                assert_eq!(algorithm, new.algorithm.whole, "{what}");
                let content = info.encrypted_content.as_ref().map(OctetString::as_bytes);
                assert_eq!(content, new.encrypted_content, "{what}");
                crate::pbe::same_parameters_as_the_crates(&algorithm, what);
            }
            compared += 1;
        }
        compared
    }

    /// A SafeContents: the bags, their values and the two attributes read.
    fn compare_bags(der: &[u8], what: &str) -> usize {
        let old = Vec::<SafeBag>::from_der(der);
        let new = read_safe_contents(der);
        assert_eq!(old.is_ok(), new.is_ok(), "{what}: SafeContents");
        let (Ok(old), Ok(new)) = (old, new) else {
            return 1;
        };
        assert_eq!(old.len(), new.len(), "{what}");
        for (old, new) in old.iter().zip(&new) {
            assert_eq!(old.bag_id.as_bytes(), new.bag_id, "{what}");
            let mut reader = der::SliceReader::new(&old.bag_value).unwrap();
            let header = der::Header::decode(&mut reader).unwrap();
            let value = der::Reader::read_slice(&mut reader, header.length()).unwrap();
            assert_eq!(value, new.value, "{what}");
            for oid in [
                const_oid::db::rfc2985::PKCS_9_AT_FRIENDLY_NAME,
                const_oid::db::rfc2985::PKCS_9_AT_LOCAL_KEY_ID,
            ] {
                let old = old.bag_attributes.as_ref().and_then(|attributes| {
                    let attribute = attributes.iter().find(|a| a.oid == oid)?;
                    attribute.values.iter().next().map(|v| v.to_der().unwrap())
                });
                let new = attribute(new, oid).map(|tlv| tlv.whole.to_vec());
                assert_eq!(old, new, "{what}: attribute {oid}");
            }
        }
        1 + old.len()
    }

    /// The values of the bags of the plain (`data`) safes of an AuthenticatedSafe.
    fn safes_bag_values(der: &[u8]) -> Vec<Vec<u8>> {
        let Ok(safes) = Vec::<ContentInfo>::from_der(der) else {
            return Vec::new();
        };
        let mut values = Vec::new();
        for safe in safes {
            let Ok(data) = safe.content.decode_as::<OctetString>() else {
                continue;
            };
            for bag in Vec::<SafeBag>::from_der(data.as_bytes()).unwrap_or_default() {
                let inner = AnyRef::from_der(&bag.bag_value).ok();
                let inner = inner.and_then(|any| any.decode_as::<AnyRef<'_>>().ok());
                if let Some(inner) = inner.and_then(|any| any.to_der().ok()) {
                    values.push(inner);
                }
            }
        }
        values
    }

    /// A bag's value as CertBag, EncryptedPrivateKeyInfo (with its PBE parameters) and
    /// SafeContents.
    fn compare_bag_value(der: &[u8], what: &str) -> usize {
        let old = CertBag::from_der(der);
        let new = read_cert_bag(der);
        assert_eq!(old.is_ok(), new.is_ok(), "{what}: CertBag");
        if let (Ok(old), Ok((id, value))) = (old, new) {
            assert_eq!(
                (old.cert_id.as_bytes(), old.cert_value.as_bytes()),
                (id, value)
            );
        }
        compare_encrypted_key(der, what);
        compare_bags(der, what);
        3
    }

    /// An EncryptedPrivateKeyInfo and its PBE parameters.
    fn compare_encrypted_key(der: &[u8], what: &str) {
        let old = EncryptedPrivateKeyInfo::from_der(der);
        let new = read_encrypted_private_key_info(der);
        assert_eq!(old.is_ok(), new.is_ok(), "{what}: EncryptedPrivateKeyInfo");
        if let (Ok(old), Ok(new)) = (old, new) {
            let algorithm = old.encryption_algorithm.to_der().unwrap();
            assert_eq!(algorithm, new.algorithm.whole, "{what}");
            assert_eq!(old.encrypted_data.as_bytes(), new.encrypted_data, "{what}");
            crate::pbe::same_parameters_as_the_crates(&algorithm, what);
        }
    }

    fn files(dir: &str, extensions: &[&str]) -> Vec<(String, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if extensions.contains(&extension) {
                files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
        files
    }

    /// Every byte set to `0x00`, `0x80`, `0xff` and `0x01`, and every truncation, checked by
    /// `compare`; returns the comparisons.
    fn mutations(der: &[u8], name: &str, compare: &dyn Fn(&[u8], &str) -> usize) -> usize {
        let mut compared = compare(der, name);
        for at in 0..der.len() {
            for byte in [0x00, 0x80, 0xff, 0x01] {
                let mut changed = der.to_vec();
                changed[at] = byte;
                compared += compare(&changed, &format!("{name} with {byte:#x} at {at}"));
            }
            compared += compare(&der[..at], &format!("{name} cut at {at}"));
        }
        compared
    }

    #[test]
    fn readers_accept_and_read_what_the_der_structures_do() {
        let mut all = files("fuzz/corpus/pkcs12", &["p12"]);
        all.extend(files("../tests/parity/inputs", &["p12"]));
        // The core's writer, modern and legacy (1,000 iterations: the mutations run no KDF).
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let key_pem = std::fs::read(root.join("../tests/parity/inputs/p256.key")).unwrap();
        let key = crate::crypto::keys::SigningKey::from_bytes(&key_pem, None).unwrap();
        let certificate = std::fs::read(root.join("fuzz/corpus/decode/seed-cert.der")).unwrap();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(8);
        for legacy in [false, true] {
            let params = crate::pkcs12::ExportParams {
                password: crate::secret::Password::from("core"),
                friendly_name: Some("written by the core".to_owned()),
                legacy,
                iterations: 1_000,
            };
            let der = crate::pkcs12::write(&key, &certificate, &[], &params, &mut rng).unwrap();
            all.push((format!("written by the core (legacy {legacy})"), der));
        }
        assert!(all.len() >= 12, "{} files", all.len());
        let mut compared = 0;
        for (name, der) in &all {
            assert!(compare_readers(der, name) > 3, "{name} reads");
            compared += mutations(der, name, &compare_readers);
            // Inside the MAC'd AuthenticatedSafe: each bag value changed on its own.
            let octets = Pfx::from_der(der)
                .ok()
                .and_then(|pfx| pfx.auth_safe.content.decode_as::<OctetString>().ok());
            if let Some(octets) = octets {
                compared += mutations(octets.as_bytes(), name, &compare_safes);
                for value in safes_bag_values(octets.as_bytes()) {
                    compared += mutations(&value, name, &compare_bag_value);
                }
            }
        }
        assert!(compared > 100_000, "{compared} comparisons");
    }

    #[test]
    fn encrypted_keys_read_as_with_the_crates() {
        let mut all = files("fuzz/corpus/keys", &["der", "pem"]);
        all.extend(files("../tests/parity/inputs", &["key"]));
        let mut keys = Vec::new();
        for (name, bytes) in all {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let der = match pem_rfc7468::decode_vec(text.trim().as_bytes()) {
                Ok(("ENCRYPTED PRIVATE KEY", der)) => der,
                Ok(_) => continue,
                Err(_) if EncryptedPrivateKeyInfo::from_der(&bytes).is_ok() => bytes,
                Err(_) => continue,
            };
            keys.push((name, der));
        }
        assert!(keys.len() >= 8, "{} encrypted keys", keys.len());
        let mut compared = 0;
        for (name, der) in &keys {
            compared += mutations(der, name, &|der, what| {
                compare_encrypted_key(der, what);
                1
            });
        }
        assert!(compared > 5_000, "{compared} comparisons");
    }
}
