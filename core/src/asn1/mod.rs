//! The core's own DER: one borrowing reader and one writer for every structure the core reads
//! and writes, so that the browser module carries one small ASN.1 layer instead of `der`'s
//! generic decoders instantiated per type, `x509-cert`, the PKCS crates and rcgen's `yasna`
//! (issue 8, BENCHMARKS.md "Lean wasm"). Structures move onto it one area at a time; each
//! move is checked byte for byte against the crate it replaces, kept as a dev-dependency.
//!
//! - [`read`]: strict DER (definite minimal lengths, minimal tags), borrowing the input:
//!   one cursor and plain functions, nothing generic per type. On it so far: PKCS#12 reading
//!   (`pkcs12::asn1`'s readers), the PBE parameters (`pbe`), `EncryptedPrivateKeyInfo` and
//!   the JKS key protections (`keystore::read`), SubjectPublicKeyInfo and private keys
//!   (`crypto::read_spki`, `crypto::keys::encoding`), CRLs and CSRs whole (`x509::crl`,
//!   `x509::csr`; the verifier's CRL extensions in `verify::crl::parse`), PKCS#7 bundles
//!   (`inspect::containers`); checked against `der`, `pkcs5`, `pkcs8`, `sec1`, `pkcs1`,
//!   `spki`, `x509-cert` and the former `der` structures on the corpora and every one-byte
//!   change.
//! - [`write`]: DER into a `Vec<u8>` (plain functions, constructed values patched in place).
//!   Used by: issuance (`issue::sign`, `issue::csr`: certificates and CSRs, checked against
//!   rcgen in `tests/issue_rcgen.rs`); PKCS#12 writing (`pkcs12::write`, the truststore), the
//!   PBE parameters and `EncryptedPrivateKeyInfo` (`pbe`), the JKS key protection
//!   (`keystore::write`), checked against the `der` structures and the `pkcs5` encoder they
//!   replace (`pkcs12/write_before.rs`, test-only); PKCS#8 private keys
//!   (`crypto::keys::encoding`, checked against the key crates' encoders).

pub(crate) mod read;
pub(crate) mod write;
