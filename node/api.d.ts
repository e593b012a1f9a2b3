// Generated from the Rust types of mtlskit's JSON API (core/src/api) by
// tests/tests/typescript.rs: do not edit. Regenerate with `make types`.
// The functions are declared in node/index.d.ts; errors are thrown as
// `Error & ApiError` (`code` is the stable code).

/**
 * One access description.
 */
export type AccessDescriptionValue = { 
/**
 * `OCSP`, `caIssuers`, ... or the dotted OID.
 */
method: string, 
/**
 * Where (usually a `uri`).
 */
location: GeneralNameReport, };

/**
 * Why an API call failed: the core's error (its `code` and typed fields, flattened), a
 * sentence for people, and the request field or named input it concerns.
 *
 * ```json
 * {"code": "WrongPassword", "item": "PKCS#12 file", "message": "wrong password for the PKCS#12 file", "input": "data"}
 * ```
 */
export type ApiError = { 
/**
 * What went wrong, one sentence for people.
 */
message: string, 
/**
 * The request field (e.g. `ca.key`) or the name of the input it concerns, if any.
 */
input: string | null, } & ({ "code": "EmptyInput" } | { "code": "UnrecognizedInput", 
/**
 * What the bytes looked like, for the message.
 */
detail: string, } | { "code": "InvalidPem", 
/**
 * The label after `BEGIN`, e.g. `CERTIFICATE`.
 */
label: string, 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "InvalidDer", 
/**
 * The structure that was being decoded, e.g. `certificate`.
 */
structure: string, 
/**
 * The decoder's message, with the byte position where known.
 */
detail: string, } | { "code": "UnsupportedPemLabel", 
/**
 * The label after `BEGIN`.
 */
label: string, } | { "code": "UnsupportedAlgorithm", 
/**
 * Dotted OID or name of the algorithm.
 */
algorithm: string, } | { "code": "PasswordRequired", 
/**
 * What needs the password, e.g. `PKCS#12 file`.
 */
item: string, } | { "code": "WrongPassword", 
/**
 * What the password was for.
 */
item: string, } | { "code": "KdfParameterOutOfBounds", 
/**
 * What is protected, e.g. `PKCS#12 MAC` or `encrypted private key`.
 */
item: string, 
/**
 * The parameter, e.g. `PBKDF2 iteration count` or `scrypt N`.
 */
parameter: string, 
/**
 * Its value.
 */
value: number, 
/**
 * The smallest value allowed.
 */
minimum: number, 
/**
 * The largest value allowed (given the other parameters).
 */
maximum: number, } | { "code": "InvalidTime", 
/**
 * The text that was given.
 */
value: string, } | { "code": "Io", 
/**
 * The operating system's message.
 */
detail: string, } | { "code": "Pkcs12", 
/**
 * What went wrong inside the PFX.
 */
detail: string, } | { "code": "InvalidRequest", 
/**
 * What is wrong, naming the field.
 */
detail: string, } | { "code": "InvalidKeystore", 
/**
 * `JKS keystore` or `JCEKS keystore`.
 */
format: string, 
/**
 * What is wrong, with the byte position where known.
 */
detail: string, } | { "code": "UnknownKeyType", 
/**
 * The name that was given.
 */
name: string, } | { "code": "InvalidKey", 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "InvalidSubjectAltName", 
/**
 * The entry as given.
 */
value: string, 
/**
 * Why it was refused.
 */
detail: string, } | { "code": "InvalidSubject", 
/**
 * The attribute, e.g. `C`.
 */
field: string, 
/**
 * Why it was refused.
 */
detail: string, } | { "code": "InvalidValidity", 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "InvalidProfile", 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "CaKeyMismatch", 
/**
 * The CA certificate's subject.
 */
subject: string, } | { "code": "InvalidCsrSignature" } | { "code": "Issuance", 
/**
 * What failed.
 */
detail: string, } | { "code": "OutputExists", 
/**
 * The existing file.
 */
path: string, } | { "code": "UnknownIssuer", 
/**
 * The certificate whose issuer is missing, RFC 4514 text.
 */
subject: string, 
/**
 * The issuer name that was looked for, RFC 4514 text.
 */
issuer: string, } | { "code": "BadSignature" } | { "code": "WeakSignatureAlgorithm", 
/**
 * Name of the algorithm, e.g. `sha1WithRSAEncryption`.
 */
algorithm: string, } | { "code": "UnacceptableKey", 
/**
 * What is wrong with the key.
 */
detail: string, } | { "code": "Expired", 
/**
 * notAfter.
 */
not_after: UnixTime, 
/**
 * The validation time.
 */
time: UnixTime, } | { "code": "NotYetValid", 
/**
 * notBefore.
 */
not_before: UnixTime, 
/**
 * The validation time.
 */
time: UnixTime, } | { "code": "NotCa", 
/**
 * The certificate's subject, RFC 4514 text.
 */
subject: string, } | { "code": "PathLengthExceeded", 
/**
 * The pathLenConstraint in force.
 */
allowed: number, } | { "code": "MaximumDepthExceeded", 
/**
 * The maximum number of intermediates allowed.
 */
maximum: number, } | { "code": "KeyUsageMissing", 
/**
 * The missing bit, e.g. `keyCertSign`.
 */
usage: string, } | { "code": "ExtendedKeyUsageMissing", 
/**
 * The purpose asked for, e.g. `serverAuth`.
 */
purpose: string, } | { "code": "NameConstraintViolation", 
/**
 * The offending name, e.g. `DNS:evil.example`.
 */
name: string, } | { "code": "NoValidPolicy", 
/**
 * What ran out, for people.
 */
detail: string, } | { "code": "UnsupportedCriticalExtension", 
/**
 * Dotted OID of the extension.
 */
oid: string, } | { "code": "NonConforming", 
/**
 * The section of the rule, e.g. `RFC 5280 4.1.2.2`.
 */
section: string, 
/**
 * What is wrong, for people.
 */
detail: string, } | { "code": "NameMismatch", 
/**
 * The name that was expected, e.g. `DNS:api.example.com`.
 */
expected: string, 
/**
 * The names the certificate presents.
 */
presented: Array<string>, } | { "code": "Revoked", 
/**
 * Serial number of the revoked certificate, hex.
 */
serial: string, } | { "code": "StaleCrl", 
/**
 * nextUpdate of the CRL.
 */
next_update: UnixTime, } | { "code": "InvalidCrl", 
/**
 * What is wrong with the CRL.
 */
detail: string, } | { "code": "BudgetExceeded" } | { "code": "InvalidOption", 
/**
 * The option, e.g. `purpose`.
 */
option: string, 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "TooManyInputs", 
/**
 * What was passed, e.g. `intermediates`.
 */
what: string, 
/**
 * How many were passed.
 */
count: number, 
/**
 * How many are accepted.
 */
maximum: number, });

/**
 * One attribute of a name, in DER order.
 */
export type Attribute = { 
/**
 * Short name (`CN`) or dotted OID when there is none.
 */
type: string, 
/**
 * Dotted OID.
 */
oid: string, 
/**
 * The value as text (UTF-8); non-string values as `#` + hex DER.
 */
value: string, };

/**
 * The decoded authority key identifier.
 */
export type AuthorityKeyIdentifierValue = { 
/**
 * The issuer's key identifier as lowercase hex.
 */
key_id: string | null, 
/**
 * The issuer's issuer names.
 */
issuer: Array<GeneralNameReport> | null, 
/**
 * The issuer certificate's serial number as lowercase hex.
 */
serial: string | null, };

/**
 * The decoded basic constraints.
 */
export type BasicConstraintsValue = { 
/**
 * Whether the subject is a CA.
 */
ca: boolean, 
/**
 * The maximum number of non-self-issued intermediates below this CA.
 */
path_len: number | null, };

/**
 * The PKI: CA, optional intermediate, server and clients.
 */
export type BundleResponse = { 
/**
 * The root CA (trust it: `ca.certificate`).
 */
ca: CertifiedKey, 
/**
 * The intermediate CA, unless `intermediate: false`.
 */
intermediate: CertifiedKey | null, 
/**
 * The server certificate; `chain` is what a TLS server sends.
 */
server: CertifiedKey, 
/**
 * The client certificates, in request order.
 */
clients: Array<ClientBundle>, 
/**
 * The password of the clients' `.p12` files: the request's `p12_password`, or the random
 * one made when the request gave none.
 */
p12_password: string, };

/**
 * Binary output (DER, PKCS#12): a `Uint8Array` (wasm) or `Buffer` (Node), an array of byte
 * values in JSON.
 */
export type Bytes = Uint8Array;

/**
 * A CA that signs: its certificate and private key.
 */
export type CaInput = { 
/**
 * The CA certificate (the first certificate in it is used).
 */
certificate: Input, 
/**
 * The CA's private key.
 */
key: Input, 
/**
 * The password of the key, if encrypted.
 */
password?: Password | null, };

/**
 * A certificate found in the dropped items.
 */
export type CertificateEntry = { 
/**
 * Index of the item (in the request's `items`) it came from.
 */
item: number, 
/**
 * Its position within that item (0 for a single certificate).
 */
index: number, 
/**
 * The label used in explanations: the item's name, `NAME #n` when it holds several.
 */
label: string, 
/**
 * Subject, RFC 4514.
 */
subject: string, 
/**
 * Issuer, RFC 4514.
 */
issuer: string, 
/**
 * SHA-256 of the DER, lowercase hex.
 */
sha256: string, 
/**
 * `leaf`, `intermediate` or `anchor`.
 */
role: Role, 
/**
 * The same DER as an earlier entry (index into `certificates`), which is used instead.
 */
duplicate_of: number | null, };

/**
 * What a certificate is for. In JSON: `root`, `intermediate`, `server`, `client` or
 * `server+client` (TypeScript type `CertificateProfile`, not to be confused with the
 * verification profile `VerifyProfile`).
 */
export type CertificateProfile = "root" | "intermediate" | "server" | "client" | "server+client";

/**
 * A certificate as it appears in a path or an explanation.
 */
export type CertificateRef = { 
/**
 * Position in the path: 0 is the leaf.
 */
index: number, 
/**
 * `leaf`, `intermediate` or `trust anchor`.
 */
role: string, 
/**
 * The subject name, RFC 4514 text.
 */
subject: string, 
/**
 * The issuer name, RFC 4514 text.
 */
issuer: string, 
/**
 * Where the certificate came from (a file name or a description).
 */
source: string, 
/**
 * The serial number, hex.
 */
serial: string, 
/**
 * notAfter.
 */
not_after: UnixTime, };

/**
 * Everything about one certificate.
 */
export type CertificateReport = { 
/**
 * Where it came from.
 */
source: Source, 
/**
 * 1, 2 or 3.
 */
version: number, 
/**
 * Lowercase hex, no separators (`-` prefix for the invalid negative serials).
 */
serial: string, 
/**
 * `sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `ED25519`, ... or the dotted OID.
 */
signature_algorithm: string, 
/**
 * RFC 4514 string.
 */
subject: string, 
/**
 * Subject attributes in DER order.
 */
subject_attributes: Array<Attribute>, 
/**
 * RFC 4514 string.
 */
issuer: string, 
/**
 * Issuer attributes in DER order.
 */
issuer_attributes: Array<Attribute>, 
/**
 * RFC 3339, UTC.
 */
not_before: string, 
/**
 * RFC 3339, UTC.
 */
not_after: string, 
/**
 * notBefore in seconds since the Unix epoch.
 */
not_before_unix: number, 
/**
 * notAfter in seconds since the Unix epoch.
 */
not_after_unix: number, 
/**
 * Validity at the inspection time.
 */
validity: Validity, 
/**
 * The subject's public key.
 */
public_key: PublicKeyReport, 
/**
 * Subject alternative names.
 */
subject_alt_names: Array<GeneralNameReport>, 
/**
 * basicConstraints cA.
 */
is_ca: boolean, 
/**
 * basicConstraints pathLenConstraint.
 */
path_len: number | null, 
/**
 * keyUsage bit names.
 */
key_usage: Array<string>, 
/**
 * extendedKeyUsage purpose names.
 */
extended_key_usage: Array<string>, 
/**
 * Issuer and subject are the same name and the key identifiers (when present) agree.
 */
self_signed: boolean, 
/**
 * Hashes of the DER certificate.
 */
fingerprints: Fingerprints, 
/**
 * Every extension, decoded where known.
 */
extensions: Array<ExtensionReport>, 
/**
 * Things a careful reviewer would point out (weak signature, missing SAN, ...).
 */
warnings: Array<string>, 
/**
 * The certificate as PEM.
 */
pem: string, };

/**
 * A certificate with its key, PEM.
 */
export type CertifiedKey = { 
/**
 * The certificate.
 */
certificate: string, 
/**
 * Its private key, PKCS#8 (wiped when dropped).
 */
key: string, 
/**
 * The certificate followed by the intermediate (not the root): what a peer presents.
 */
chain: string, };

/**
 * A client certificate, its key, chain and `.p12`.
 */
export type ClientBundle = { 
/**
 * The client's name.
 */
name: string, 
/**
 * The same as a PKCS#12 file (password: `p12_password` of the response).
 */
p12: Bytes, 
/**
 * The certificate.
 */
certificate: string, 
/**
 * Its private key, PKCS#8 (wiped when dropped).
 */
key: string, 
/**
 * The certificate followed by the intermediate (not the root): what a peer presents.
 */
chain: string, };

/**
 * What to convert, and to what.
 */
export type ConvertRequest = { 
/**
 * The input: certificate(s), CSR, key, CRL, `.p12` or Java keystore (PEM, DER or
 * base64).
 */
data: Input, 
/**
 * The output format.
 */
to: Format, 
/**
 * Password of the `.p12` or keystore (read or written).
 */
password?: Password | null, 
/**
 * The password of an encrypted `key`, or of the keys in a Java keystore input when it
 * differs from the store's (default: `password`).
 */
key_password?: Password | null, 
/**
 * With `to: "p12"` or `"jks"`: the private key of the certificate (without it, `"jks"`
 * writes a truststore of the certificates).
 */
key?: Input | null, 
/**
 * With `to: "p12"` or `"jks"`: issuer certificates to include.
 */
chain?: Array<Input>, 
/**
 * With `to: "p12"`: the certificates as trusted entries that Java recognises (a
 * truststore), without a key.
 */
truststore?: boolean, 
/**
 * With `to: "p12"`: 3DES/SHA-1 for old importers.
 */
legacy?: boolean, 
/**
 * With `to: "p12"` or `"jks"`: the alias of the key entry (or of the one trusted
 * certificate); default `mykey` for keys, the subject CN for trusted certificates.
 */
friendly_name?: string | null, };

/**
 * The converted file.
 */
export type ConvertResponse = { 
/**
 * The contents: text for PEM, bytes for DER and PKCS#12.
 */
contents: FileContents, 
/**
 * What it is, e.g. `certificate`, `PKCS#12 file` or `Java truststore (JKS)`.
 */
kind: string, 
/**
 * Whether it holds a private key (write it readable by the owner only).
 */
secret: boolean, };

/**
 * Everything that can go wrong in mtlskit's core.
 *
 * Serialized as `{"code": "Expired", "not_after": {...}, "time": {...}}`: the code and the
 * variant's typed fields (times as [`UnixTime`], RFC 3339 and Unix seconds), never prose.
 * TypeScript type `CoreError` (not to shadow JavaScript's `Error`).
 */
export type CoreError = { "code": "EmptyInput" } | { "code": "UnrecognizedInput", 
/**
 * What the bytes looked like, for the message.
 */
detail: string, } | { "code": "InvalidPem", 
/**
 * The label after `BEGIN`, e.g. `CERTIFICATE`.
 */
label: string, 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "InvalidDer", 
/**
 * The structure that was being decoded, e.g. `certificate`.
 */
structure: string, 
/**
 * The decoder's message, with the byte position where known.
 */
detail: string, } | { "code": "UnsupportedPemLabel", 
/**
 * The label after `BEGIN`.
 */
label: string, } | { "code": "UnsupportedAlgorithm", 
/**
 * Dotted OID or name of the algorithm.
 */
algorithm: string, } | { "code": "PasswordRequired", 
/**
 * What needs the password, e.g. `PKCS#12 file`.
 */
item: string, } | { "code": "WrongPassword", 
/**
 * What the password was for.
 */
item: string, } | { "code": "KdfParameterOutOfBounds", 
/**
 * What is protected, e.g. `PKCS#12 MAC` or `encrypted private key`.
 */
item: string, 
/**
 * The parameter, e.g. `PBKDF2 iteration count` or `scrypt N`.
 */
parameter: string, 
/**
 * Its value.
 */
value: number, 
/**
 * The smallest value allowed.
 */
minimum: number, 
/**
 * The largest value allowed (given the other parameters).
 */
maximum: number, } | { "code": "InvalidTime", 
/**
 * The text that was given.
 */
value: string, } | { "code": "Io", 
/**
 * The operating system's message.
 */
detail: string, } | { "code": "Pkcs12", 
/**
 * What went wrong inside the PFX.
 */
detail: string, } | { "code": "InvalidRequest", 
/**
 * What is wrong, naming the field.
 */
detail: string, } | { "code": "InvalidKeystore", 
/**
 * `JKS keystore` or `JCEKS keystore`.
 */
format: string, 
/**
 * What is wrong, with the byte position where known.
 */
detail: string, } | { "code": "UnknownKeyType", 
/**
 * The name that was given.
 */
name: string, } | { "code": "InvalidKey", 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "InvalidSubjectAltName", 
/**
 * The entry as given.
 */
value: string, 
/**
 * Why it was refused.
 */
detail: string, } | { "code": "InvalidSubject", 
/**
 * The attribute, e.g. `C`.
 */
field: string, 
/**
 * Why it was refused.
 */
detail: string, } | { "code": "InvalidValidity", 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "InvalidProfile", 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "CaKeyMismatch", 
/**
 * The CA certificate's subject.
 */
subject: string, } | { "code": "InvalidCsrSignature" } | { "code": "Issuance", 
/**
 * What failed.
 */
detail: string, } | { "code": "OutputExists", 
/**
 * The existing file.
 */
path: string, } | { "code": "UnknownIssuer", 
/**
 * The certificate whose issuer is missing, RFC 4514 text.
 */
subject: string, 
/**
 * The issuer name that was looked for, RFC 4514 text.
 */
issuer: string, } | { "code": "BadSignature" } | { "code": "WeakSignatureAlgorithm", 
/**
 * Name of the algorithm, e.g. `sha1WithRSAEncryption`.
 */
algorithm: string, } | { "code": "UnacceptableKey", 
/**
 * What is wrong with the key.
 */
detail: string, } | { "code": "Expired", 
/**
 * notAfter.
 */
not_after: UnixTime, 
/**
 * The validation time.
 */
time: UnixTime, } | { "code": "NotYetValid", 
/**
 * notBefore.
 */
not_before: UnixTime, 
/**
 * The validation time.
 */
time: UnixTime, } | { "code": "NotCa", 
/**
 * The certificate's subject, RFC 4514 text.
 */
subject: string, } | { "code": "PathLengthExceeded", 
/**
 * The pathLenConstraint in force.
 */
allowed: number, } | { "code": "MaximumDepthExceeded", 
/**
 * The maximum number of intermediates allowed.
 */
maximum: number, } | { "code": "KeyUsageMissing", 
/**
 * The missing bit, e.g. `keyCertSign`.
 */
usage: string, } | { "code": "ExtendedKeyUsageMissing", 
/**
 * The purpose asked for, e.g. `serverAuth`.
 */
purpose: string, } | { "code": "NameConstraintViolation", 
/**
 * The offending name, e.g. `DNS:evil.example`.
 */
name: string, } | { "code": "NoValidPolicy", 
/**
 * What ran out, for people.
 */
detail: string, } | { "code": "UnsupportedCriticalExtension", 
/**
 * Dotted OID of the extension.
 */
oid: string, } | { "code": "NonConforming", 
/**
 * The section of the rule, e.g. `RFC 5280 4.1.2.2`.
 */
section: string, 
/**
 * What is wrong, for people.
 */
detail: string, } | { "code": "NameMismatch", 
/**
 * The name that was expected, e.g. `DNS:api.example.com`.
 */
expected: string, 
/**
 * The names the certificate presents.
 */
presented: Array<string>, } | { "code": "Revoked", 
/**
 * Serial number of the revoked certificate, hex.
 */
serial: string, } | { "code": "StaleCrl", 
/**
 * nextUpdate of the CRL.
 */
next_update: UnixTime, } | { "code": "InvalidCrl", 
/**
 * What is wrong with the CRL.
 */
detail: string, } | { "code": "BudgetExceeded" } | { "code": "InvalidOption", 
/**
 * The option, e.g. `purpose`.
 */
option: string, 
/**
 * What is wrong with it.
 */
detail: string, } | { "code": "TooManyInputs", 
/**
 * What was passed, e.g. `intermediates`.
 */
what: string, 
/**
 * How many were passed.
 */
count: number, 
/**
 * How many are accepted.
 */
maximum: number, };

/**
 * Everything about one CRL.
 */
export type CrlReport = { 
/**
 * Where it came from.
 */
source: Source, 
/**
 * RFC 4514 string.
 */
issuer: string, 
/**
 * RFC 3339, UTC.
 */
this_update: string, 
/**
 * RFC 3339, UTC; `null` when absent.
 */
next_update: string | null, 
/**
 * Whether nextUpdate has passed at the inspection time.
 */
stale: boolean, 
/**
 * The signature's algorithm.
 */
signature_algorithm: string, 
/**
 * The revoked certificates.
 */
revoked: Array<RevokedReport>, 
/**
 * The CRL's extensions.
 */
extensions: Array<ExtensionReport>, };

/**
 * A CSR to create.
 */
export type CsrNewRequest = { 
/**
 * The subject; when empty, the first subjectAltName becomes the common name.
 */
subject?: Subject, 
/**
 * subjectAltNames to request.
 */
subject_alt_names?: Array<string>, 
/**
 * The existing private key; without it a new key of `key_type` is made.
 */
key?: Input | null, 
/**
 * The password of `key`, if encrypted.
 */
key_password?: Password | null, 
/**
 * Type of the new key (default `p256`).
 */
key_type?: string | null, };

/**
 * The CSR, and the new key when one was made.
 */
export type CsrNewResponse = { 
/**
 * The CSR, PEM (`CERTIFICATE REQUEST`).
 */
csr: string, 
/**
 * The new private key (PKCS#8 PEM), when no `key` was given; wiped when dropped.
 */
key: string | null, };

/**
 * Everything about one CSR.
 */
export type CsrReport = { 
/**
 * Where it came from.
 */
source: Source, 
/**
 * RFC 4514 string.
 */
subject: string, 
/**
 * Subject attributes in DER order.
 */
subject_attributes: Array<Attribute>, 
/**
 * The key to be certified.
 */
public_key: PublicKeyReport, 
/**
 * The requested subject alternative names.
 */
subject_alt_names: Array<GeneralNameReport>, 
/**
 * Every requested extension.
 */
requested_extensions: Array<ExtensionReport>, 
/**
 * The self-signature's algorithm.
 */
signature_algorithm: string, 
/**
 * Whether the self-signature verifies (`null` when the algorithm is not supported).
 */
signature_valid: boolean | null, 
/**
 * Hashes of the DER CSR.
 */
fingerprints: Fingerprints, 
/**
 * The CSR as PEM.
 */
pem: string, };

/**
 * A CSR to sign and how.
 */
export type CsrSignRequest = { 
/**
 * The CSR (PEM or DER). Its signature must verify.
 */
csr: Input, 
/**
 * The issuing CA.
 */
ca: CaInput, 
/**
 * `server` (default), `client`, `server+client` or `intermediate`.
 */
profile?: CertificateProfile, 
/**
 * Replaces the CSR's subject when not empty.
 */
subject?: Subject, 
/**
 * subjectAltNames added to those the CSR requests.
 */
subject_alt_names?: Array<string>, 
/**
 * The validity period.
 */
validity?: ValidityInput, 
/**
 * For intermediates: pathLenConstraint.
 */
path_length?: number | null, };

/**
 * The issued certificate.
 */
export type CsrSignResponse = { 
/**
 * The certificate, PEM.
 */
certificate: string, 
/**
 * SHA-256 of the certificate, colon-separated upper-case hex.
 */
fingerprint_sha256: string, };

/**
 * The contents of a file: text (PEM, base64), bytes, or an array of byte values; wiped
 * from memory when dropped (it may hold a private key).
 */
export type Data = string | Uint8Array | Array<number>;

/**
 * One distribution point.
 */
export type DistributionPointValue = { 
/**
 * Where the CRL is (usually one `uri`).
 */
names: Array<GeneralNameReport>, 
/**
 * A name relative to the CRL issuer, as hex DER, when used instead of full names.
 */
relative_name: string | null, 
/**
 * The CRL issuer when it is not the certificate issuer.
 */
crl_issuer: Array<GeneralNameReport>, };

/**
 * A block that could not be read.
 */
export type ErrorItem = { 
/**
 * Where it was.
 */
source: Source, 
/**
 * What went wrong.
 */
error: ErrorReport, };

/**
 * An [`Error`] as data: its stable code and message.
 */
export type ErrorReport = { 
/**
 * The variant name, e.g. `WrongPassword`.
 */
code: string, 
/**
 * A sentence for people.
 */
message: string, };

/**
 * One extension in an inspection report.
 */
export type ExtensionReport = { 
/**
 * Dotted OID.
 */
oid: string, 
/**
 * The extension's name (`basicConstraints`, ...), or the dotted OID.
 */
name: string, 
/**
 * Whether a verifier that does not understand it must reject the certificate.
 */
critical: boolean, 
/**
 * The decoded value.
 */
value: ExtensionValue, };

/**
 * The decoded value of an extension.
 */
export type ExtensionValue = BasicConstraintsValue | Array<string> | Array<GeneralNameReport> | string | AuthorityKeyIdentifierValue | Array<DistributionPointValue> | Array<AccessDescriptionValue> | Array<PolicyValue> | NameConstraintsValue | PolicyConstraintsValue | Array<PolicyMappingValue> | number | SctListValue | { 
/**
 * The DER `extnValue` contents as lowercase hex.
 */
hex: string, } | { 
/**
 * The decoder's message.
 */
error: string, 
/**
 * The DER `extnValue` contents as lowercase hex.
 */
hex: string, };

/**
 * Why verification failed.
 */
export type Failure = { 
/**
 * The stable code of the rule, e.g. `UnknownIssuer` (see [`Error::code`]).
 */
code: string, 
/**
 * What is wrong, one sentence.
 */
message: string, 
/**
 * The certificate that broke the rule, when there is one.
 */
certificate: CertificateRef | null, 
/**
 * What to do about it.
 */
hint: string, 
/**
 * The path that was being checked, leaf first (may stop short of an anchor).
 */
path: Array<CertificateRef>, 
/**
 * The rule, as an error value: its code and typed fields (boxed to keep
 * `Result<_, Failure>` small).
 */
error: CoreError, };

/**
 * File contents: text (PEM) or bytes; wiped when dropped (keys are among them).
 */
export type FileContents = string | Bytes;

/**
 * Lowercase hex digests of the DER certificate.
 */
export type Fingerprints = { 
/**
 * SHA-1, as most tools still show.
 */
sha1: string, 
/**
 * SHA-256.
 */
sha256: string, };

/**
 * Output formats.
 */
export type Format = "pem" | "der" | "p12" | "jks";

/**
 * The `.p12` to open.
 */
export type FromPkcs12Request = { 
/**
 * The `.p12` / `.pfx` file (DER, or base64 text).
 */
data: Input, 
/**
 * Its password (may be empty).
 */
password: Password, };

/**
 * What the `.p12` holds.
 */
export type FromPkcs12Response = { 
/**
 * Private keys, PKCS#8 PEM.
 */
keys: Array<Pkcs12Entry>, 
/**
 * Certificates, PEM, in file order.
 */
certificates: Array<Pkcs12Entry>, 
/**
 * Keys, then the certificates in chain order (leaf first): what `mtlskit convert --to pem`
 * writes.
 */
pem: string, };

/**
 * One general name: `dns`, `ip`, `email`, `uri`, `dirname`, `rid` or `other`.
 */
export type GeneralNameReport = { 
/**
 * The kind of name.
 */
type: string, 
/**
 * The name as text. IP addresses in their usual notation (`/prefix` for name-constraint
 * ranges); other names as `OID:hex`.
 */
value: string, };

/**
 * The key to generate.
 */
export type GenerateKeyRequest = { 
/**
 * `p256` (default), `p384`, `ed25519`, `rsa2048`, `rsa3072`, `rsa4096`.
 */
key_type?: string | null, 
/**
 * Encrypt the key (PKCS#8, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC) with this
 * password.
 */
password?: Password | null, };

/**
 * The new key.
 */
export type GenerateKeyResponse = { 
/**
 * The private key: `PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with a password; wiped when
 * dropped.
 */
key: string, 
/**
 * Its public key, PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
 */
public_key: string, 
/**
 * The key type's name, e.g. `p256`.
 */
key_type: string, };

/**
 * File contents with an optional name (a file name), used in explanations and errors:
 * `"-----BEGIN CERTIFICATE-----..."` or `{"name": "ca.crt", "data": "-----BEGIN..."}`.
 */
export type Input = Data | { name?: string | null, data: Data };

/**
 * What to inspect.
 */
export type InspectRequest = { 
/**
 * The file contents.
 */
data: Data, 
/**
 * The name copied into each item's `source.file` (default `input`).
 */
source?: string | null, 
/**
 * The password of a `.p12` file, a Java keystore or an encrypted key.
 */
password?: Password | null, 
/**
 * The password of the private keys in a Java keystore when it differs from `password`.
 */
key_password?: Password | null, };

/**
 * A certificate to issue.
 */
export type IssueRequest = { 
/**
 * What the certificate is for (default `server`).
 */
profile?: CertificateProfile, 
/**
 * The subject; when empty, the first subjectAltName becomes the common name.
 */
subject?: Subject, 
/**
 * subjectAltNames: `DNS:`, `IP:`, `email:`, `URI:` prefixes, or guessed.
 */
subject_alt_names?: Array<string>, 
/**
 * When the certificate is valid (default: from five minutes ago, the profile's lifetime).
 */
validity?: ValidityInput, 
/**
 * For CAs: pathLenConstraint.
 */
path_length?: number | null, 
/**
 * For CAs: permitted names (DNS domain, IP/prefix, `email:domain`).
 */
permitted_names?: Array<string>, 
/**
 * For CAs: excluded names.
 */
excluded_names?: Array<string>, 
/**
 * The subject's existing private key; without it a new key of `key_type` is made.
 */
key?: Input | null, 
/**
 * The password of `key`, if encrypted.
 */
key_password?: Password | null, 
/**
 * Type of the new key: `p256` (default), `p384`, `ed25519`, `rsa2048`, `rsa3072`,
 * `rsa4096`.
 */
key_type?: string | null, 
/**
 * The issuing CA; without it the certificate is self-signed.
 */
ca?: CaInput | null, 
/**
 * The serial number in hex (`01:a2` or `01a2`), a positive integer of at most 20 octets;
 * default: 159 random bits. With a given `key`, `serial` and `validity`, the certificate
 * is the same bytes on every run and runtime.
 */
serial?: string | null, };

/**
 * The issued certificate, and the new key when one was made.
 */
export type IssueResponse = { 
/**
 * The certificate, PEM.
 */
certificate: string, 
/**
 * The new private key (PKCS#8 PEM), when no `key` was given; wiped when dropped.
 */
key: string | null, 
/**
 * SHA-256 of the certificate, colon-separated upper-case hex (as openssl prints it).
 */
fingerprint_sha256: string, };

/**
 * One inspected item.
 */
export type Item = { "kind": "certificate" } & CertificateReport | { "kind": "csr" } & CsrReport | { "kind": "crl" } & CrlReport | { "kind": "private_key" } & PrivateKeyReport | { "kind": "public_key" } & PublicKeyItem | { "kind": "keystore" } & KeystoreReport | { "kind": "error" } & ErrorItem;

/**
 * An item that could not be read.
 */
export type ItemError = { 
/**
 * Index of the item.
 */
item: number, 
/**
 * What went wrong.
 */
error: ApiError, };

/**
 * One entry of a keystore.
 */
export type KeystoreEntryReport = { 
/**
 * The alias.
 */
alias: string, 
/**
 * `private_key`, `trusted_certificate` or `secret_key` (keytool's `PrivateKeyEntry`,
 * `trustedCertEntry`, `SecretKeyEntry`).
 */
type: string, 
/**
 * Creation date, RFC 3339 UTC.
 */
created: string, 
/**
 * Number of certificates: the chain of a private key, 1 for a trusted certificate.
 */
certificates: number, 
/**
 * How a private or secret key is protected.
 */
protection?: string, 
/**
 * For keys: `opened`, `encrypted` (no password given), `wrong_password` or `unreadable`
 * (a protection refused, e.g. too many iterations).
 */
key_status?: string, 
/**
 * For an opened secret key: its algorithm (e.g. `AES`) and size, never its bytes.
 */
secret_key?: SecretKeyReport, };

/**
 * A Java keystore as a whole.
 */
export type KeystoreReport = { 
/**
 * Where it came from.
 */
source: Source, 
/**
 * `jks` or `jceks`.
 */
format: string, 
/**
 * The format version, 1 or 2.
 */
version: number, 
/**
 * `verified` (the store password checked the integrity digest) or `unverified` (no
 * password was given: the contents are shown but may have been altered).
 */
integrity: string, 
/**
 * The entries in file order.
 */
entries: Array<KeystoreEntryReport>, };

/**
 * The decoded name constraints.
 */
export type NameConstraintsValue = { 
/**
 * Names below which subjects and SANs must fall.
 */
permitted: Array<GeneralNameReport>, 
/**
 * Names below which subjects and SANs must not fall.
 */
excluded: Array<GeneralNameReport>, };

/**
 * A password, wiped from memory when dropped.
 *
 * ```
 * let password = mtlskit::secret::Password::from("correct horse");
 * assert_eq!(format!("{password:?}"), "Password([redacted])");
 * assert_eq!(password.as_str(), "correct horse");
 * ```
 */
export type Password = string;

/**
 * One key or certificate of a `.p12`.
 */
export type Pkcs12Entry = { 
/**
 * PEM (wiped when dropped: keys are among the entries).
 */
pem: string, 
/**
 * The friendlyName attribute (the alias keytool shows).
 */
friendly_name: string | null, 
/**
 * The localKeyId attribute pairing a key with its certificate, lowercase hex.
 */
local_key_id: string | null, };

/**
 * One file of the PKI.
 */
export type PkiFileOutput = { 
/**
 * File name, e.g. `server.crt`.
 */
name: string, 
/**
 * What it is, e.g. `server certificate`.
 */
kind: string, 
/**
 * Its contents: PEM text, or bytes for `.p12` files.
 */
contents: FileContents, 
/**
 * Whether it holds a private key (write it readable by the owner only).
 */
secret: boolean, 
/**
 * SHA-256 of the certificate (colon-separated hex), for certificate files.
 */
fingerprint_sha256: string | null, };

/**
 * The PKI to create; every field has the CLI's default.
 */
export type PkiInitRequest = { 
/**
 * Names of the server (DNS names, IP addresses); default `localhost`, `127.0.0.1`.
 */
server_names?: Array<string>, 
/**
 * Client certificates to create, by name; default `client`.
 */
clients?: Array<string>, 
/**
 * Key type of every key (default `p256`).
 */
key_type?: string | null, 
/**
 * Issue leaves from an intermediate CA (default `true`).
 */
intermediate?: boolean | null, 
/**
 * Password of the `.p12` files and Java keystores. Default: a random one, returned as
 * the file `p12-password.txt` (there is no well-known default).
 */
p12_password?: Password | null, 
/**
 * Write the `.p12` files with 3DES/SHA-1 for old importers.
 */
p12_legacy?: boolean, 
/**
 * Organization (O) of every subject (default `mtlskit`).
 */
organization?: string | null, 
/**
 * Also create Java keystores: `server.jks`, `NAME.jks` per client (key + chain, under
 * the `.p12` password) and `truststore.p12` (the root CA as a trusted entry).
 */
java?: boolean, };

/**
 * The files of the PKI, CA first.
 */
export type PkiInitResponse = { 
/**
 * Every file, in a stable order.
 */
files: Array<PkiFileOutput>, };

/**
 * The decoded policy constraints.
 */
export type PolicyConstraintsValue = { 
/**
 * Certificates after which an explicit policy is required.
 */
require_explicit_policy: number | null, 
/**
 * Certificates after which policy mapping is no longer allowed.
 */
inhibit_policy_mapping: number | null, };

/**
 * One policy mapping.
 */
export type PolicyMappingValue = { 
/**
 * The issuer's policy (dotted OID).
 */
issuer_domain_policy: string, 
/**
 * The equivalent subject policy (dotted OID).
 */
subject_domain_policy: string, };

/**
 * One policy.
 */
export type PolicyValue = { 
/**
 * Dotted OID.
 */
oid: string, 
/**
 * A well-known policy's name.
 */
name: string | null, 
/**
 * CPS URIs and other qualifiers as text (hex DER for user notices).
 */
qualifiers: Array<string>, };

/**
 * A private key: its format, whether it is encrypted, and its public key.
 */
export type PrivateKeyReport = { 
/**
 * Where it came from.
 */
source: Source, 
/**
 * `pkcs8`, `pkcs1` or `sec1`.
 */
format: string, 
/**
 * Whether the file holds it encrypted.
 */
encrypted: boolean, 
/**
 * How it is encrypted (`PBES2`, `legacy PEM`, ...), when it is.
 */
encryption: string | null, 
/**
 * The matching public key; `null` while the key is still encrypted.
 */
public_key: PublicKeyReport | null, 
/**
 * The PKCS#12 friendly name, for keys from a `.p12`.
 */
friendly_name: string | null, };

/**
 * A public key on its own.
 */
export type PublicKeyItem = { 
/**
 * Where it came from.
 */
source: Source, 
/**
 * What the key is.
 */
public_key: PublicKeyReport, 
/**
 * The key as a PEM `PUBLIC KEY` (SPKI).
 */
pem: string, };

/**
 * What a public key is.
 */
export type PublicKeyReport = { 
/**
 * `rsa`, `rsa-pss`, `ec`, `ed25519`, `ed448`, `x25519`, `x448`, `dsa`, or the dotted OID.
 */
algorithm: string, 
/**
 * The named curve of an EC key (`P-256`, `P-384`, `P-521`, `secp256k1`, ...).
 */
curve: string | null, 
/**
 * Key size in bits: the modulus for RSA and DSA, the field for EC, 256/456 for EdDSA.
 */
bits: number, 
/**
 * Base64 of the SHA-256 of the DER `SubjectPublicKeyInfo`.
 */
spki_sha256: string, };

/**
 * Everything found in one input.
 */
export type Report = { 
/**
 * The items, in input order; a PKCS#7 or PKCS#12 container contributes its contents.
 */
items: Array<Item>, };

/**
 * One revoked certificate.
 */
export type RevokedReport = { 
/**
 * Lowercase hex.
 */
serial: string, 
/**
 * RFC 3339, UTC.
 */
revocation_date: string, };

/**
 * What a certificate is in the dropped set.
 */
export type Role = "leaf" | "intermediate" | "anchor";

/**
 * The decoded SCT list.
 */
export type SctListValue = { 
/**
 * How many SCTs the list holds.
 */
count: number, 
/**
 * Each SCT's log and time.
 */
scts: Array<SctValue>, };

/**
 * One SCT.
 */
export type SctValue = { 
/**
 * The log id (SHA-256 of the log's key) in base64, as CT log lists print it.
 */
log_id: string, 
/**
 * When the log saw the certificate (RFC 3339).
 */
timestamp: string, };

/**
 * What an opened secret key is.
 */
export type SecretKeyReport = { 
/**
 * The Java algorithm name.
 */
algorithm: string, 
/**
 * The key length in bits.
 */
bits: number, };

/**
 * One dropped file.
 */
export type SetItem = { 
/**
 * Its name (the file name), used in labels and explanations.
 */
name: string, 
/**
 * Its contents.
 */
data: Data, 
/**
 * The person trusts the certificates in it (they become trust anchors).
 */
trusted?: boolean, 
/**
 * The password, for a `.p12` file.
 */
password?: Password | null, };

/**
 * Where an item came from.
 */
export type Source = { 
/**
 * The input's name.
 */
file: string, 
/**
 * The item's position in the input (0-based), counting container contents.
 */
index: number, 
/**
 * `pkcs7`, `pkcs12`, `jks` or `jceks` when the item came out of a container.
 */
container: string | null, 
/**
 * The keystore alias of the entry the item belongs to.
 */
alias: string | null, };

/**
 * A subject distinguished name from the usual attributes, written in the order C, ST, L,
 * O, OU, CN, emailAddress.
 */
export type Subject = { 
/**
 * C: a two-letter ISO 3166 country code.
 */
country?: string | null, 
/**
 * ST: state or province.
 */
state?: string | null, 
/**
 * L: locality (city).
 */
locality?: string | null, 
/**
 * O: organization.
 */
organization?: string | null, 
/**
 * OU: organizational unit.
 */
organizational_unit?: string | null, 
/**
 * CN: common name.
 */
common_name?: string | null, 
/**
 * emailAddress (PKCS#9; prefer an email subjectAltName).
 */
email?: string | null, };

/**
 * What to put in the `.p12`.
 */
export type ToPkcs12Request = { 
/**
 * The certificate (a fullchain file works: the chain is ordered, the leaf found).
 */
certificate: Input, 
/**
 * Its private key.
 */
key: Input, 
/**
 * Further issuer certificates to include.
 */
chain?: Array<Input>, 
/**
 * The password of the `.p12`.
 */
password: Password, 
/**
 * The password of `key` if it is encrypted (default: `password`).
 */
key_password?: Password | null, 
/**
 * The friendlyName (alias) of the key entry.
 */
friendly_name?: string | null, 
/**
 * 3DES/SHA-1 for old Java, macOS and Windows importers.
 */
legacy?: boolean, };

/**
 * The `.p12` file.
 */
export type ToPkcs12Response = { 
/**
 * Its bytes.
 */
p12: Bytes, };

/**
 * A point in time, in whole seconds since 1970-01-01T00:00:00Z (negative before it).
 *
 * Serialized as `{"rfc3339": "2026-01-31T12:00:00Z", "unix": 1769860800}`: text for people,
 * seconds for programs.
 */
export type UnixTime = { 
/**
 * RFC 3339 in UTC, e.g. `2026-01-31T12:00:00Z`.
 */
rfc3339: string, 
/**
 * Seconds since the Unix epoch.
 */
unix: number, };

/**
 * Where the inspection time falls in the validity period.
 */
export type Validity = { 
/**
 * `valid`, `expired` or `not_yet_valid`.
 */
status: string, 
/**
 * Whole days from the inspection time to notAfter (negative once expired).
 */
days_remaining: number, };

/**
 * The validity period; times are RFC 3339.
 */
export type ValidityInput = { 
/**
 * Start of validity (default: five minutes before the time of the call).
 */
not_before?: string | null, 
/**
 * End of validity.
 */
not_after?: string | null, 
/**
 * Lifetime in days (default: root 3650, intermediate 1825, leaves 398).
 */
days?: number | null, };

/**
 * The verdict for one leaf.
 */
export type Verdict = { 
/**
 * The leaf (index into `certificates`).
 */
leaf: number, 
/**
 * Whether a valid path to an anchor was found.
 */
valid: boolean, 
/**
 * The path used (or, on failure, the one tried), leaf first, as indexes into
 * `certificates`.
 */
path: Array<number>, 
/**
 * Why not, when not valid.
 */
failure: Failure | null, };

/**
 * The certificate profile enforced on top of the RFC 5280 validation algorithm (section 6).
 * In JSON: `compatible`, `rfc5280` or `webpki` (TypeScript type `VerifyProfile`, not to be
 * confused with the issuance profile `CertificateProfile`).
 */
export type VerifyProfile = "compatible" | "rfc5280" | "webpki";

/**
 * What the leaf certificate is for.
 */
export type VerifyPurpose = "server" | "client" | "any";

/**
 * A chain to verify and how.
 */
export type VerifyRequest = { 
/**
 * The certificate to verify; further certificates in it are untrusted intermediates.
 */
leaf: Input, 
/**
 * Untrusted certificates to build the path with, any order.
 */
intermediates?: Array<Input>, 
/**
 * Trusted certificates (PEM bundles welcome).
 */
anchors?: Array<Input>, 
/**
 * Certificate revocation lists to check.
 */
crls?: Array<Input>, 
/**
 * Expected DNS name of the peer (RFC 6125: SAN dNSName, left-most wildcard only).
 */
host?: string | null, 
/**
 * Expected IP address of the peer (SAN iPAddress, exact).
 */
ip?: string | null, 
/**
 * Expected email address (SAN rfc822Name), for client certificates.
 */
email?: string | null, 
/**
 * What the leaf is for. Default: `server` with `host`/`ip`, `client` with `email`, `any`
 * otherwise.
 */
purpose?: VerifyPurpose | null, 
/**
 * The certificate profile (default `compatible`).
 */
profile?: VerifyProfile, 
/**
 * Accept SHA-1 signatures (legacy certificates only).
 */
allow_sha1?: boolean, 
/**
 * Accept RSA keys of 1024 to 2047 bits (legacy certificates only; never with `webpki`).
 */
allow_legacy_keys?: boolean, 
/**
 * Match `host` against the subject commonName when the leaf has no subjectAltName.
 */
cn_fallback?: boolean, 
/**
 * Certificate policies the caller accepts, dotted OIDs (RFC 5280
 * user-initial-policy-set); empty: any policy.
 */
policies?: Array<string>, 
/**
 * The path must be valid for one of `policies` (initial-explicit-policy).
 */
explicit_policy?: boolean, 
/**
 * policyMappings end the mapped policies (initial-policy-mapping-inhibit).
 */
inhibit_policy_mapping?: boolean, 
/**
 * anyPolicy in a certificate matches nothing (initial-any-policy-inhibit).
 */
inhibit_any_policy?: boolean, };

/**
 * The verdict: `{"valid": true, "path": [...]}` or `{"valid": false, "failure": {...}}`, as
 * `mtlskit verify --json` prints it.
 */
export type VerifyResponse = { 
/**
 * Whether a valid path to a trust anchor was found.
 */
valid: boolean, 
/**
 * The path, leaf first, when valid.
 */
path?: Array<CertificateRef>, 
/**
 * When valid: the certificate policies (dotted OIDs) the whole path is valid for and
 * the caller accepts; `2.5.29.32.0` (anyPolicy) when every certificate allows any;
 * empty when some certificate has no certificatePolicies.
 */
policies?: Array<string>, 
/**
 * Why not, when not valid.
 */
failure?: Failure, };

/**
 * Everything dropped, and how to verify.
 */
export type VerifySetRequest = { 
/**
 * The dropped files, in order.
 */
items: Array<SetItem>, 
/**
 * Expected DNS name of the leaves (RFC 6125).
 */
host?: string | null, 
/**
 * Expected IP address of the leaves.
 */
ip?: string | null, 
/**
 * Expected email address of the leaves.
 */
email?: string | null, 
/**
 * What the leaves are for (default as in `verify`).
 */
purpose?: VerifyPurpose | null, 
/**
 * The certificate profile (default `compatible`).
 */
profile?: VerifyProfile, 
/**
 * Accept SHA-1 signatures.
 */
allow_sha1?: boolean, 
/**
 * Accept RSA keys of 1024 to 2047 bits (legacy certificates only; never with `webpki`).
 */
allow_legacy_keys?: boolean, 
/**
 * Match `host` against the commonName of leaves without subjectAltName.
 */
cn_fallback?: boolean, };

/**
 * The certificates found and a verdict for each leaf.
 */
export type VerifySetResponse = { 
/**
 * Every certificate found, in item order.
 */
certificates: Array<CertificateEntry>, 
/**
 * One verdict per leaf (a certificate that issued none of the others and is no anchor).
 */
verdicts: Array<Verdict>, 
/**
 * Items that could not be read, with why; the others are still used.
 */
errors: Array<ItemError>, };
