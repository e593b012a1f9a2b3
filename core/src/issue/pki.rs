//! A whole private PKI in one call, the core of `mtlskit pki init` and of the Node
//! `bundle()`: a root CA, an optional intermediate CA, a server certificate and client
//! certificates with PKCS#12 files (and, on request, Java keystores). The result is a list of files (name, bytes, secret or
//! not); writing them is the caller's job.

use rand_core::CryptoRng;

use super::bundle::Chain;
use super::certificate::{IssuedCertificate, fingerprint};
use super::issuer::Issuer;
use super::names::SubjectAltName;
use super::params::{CertificateParams, Subject};
use super::profile::Profile;
use super::sign::{self_signed, signed};
use crate::crypto::{KeyType, SigningKey};
use crate::keystore::{NewEntry, aliases_for, write_jks};
use crate::pkcs12::{
    DEFAULT_ITERATIONS, ExportParams, TrustedCertificate, write as write_pkcs12, write_truststore,
};
use crate::secret::{Password, SecretBytes};
use crate::{Error, UnixTime};
use zeroize::Zeroizing;

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiParams {
    /// Names of the server (DNS names, IP addresses); the first is its common name.
    pub server_names: Vec<SubjectAltName>,
    /// Client names; each gives `NAME.crt`, `NAME.key` and `NAME.p12`.
    pub clients: Vec<String>,
    /// The key type of every key.
    pub key_type: KeyType,
    /// Whether leaves are issued by an intermediate CA (true) or by the root directly.
    pub intermediate: bool,
    /// Password of the `.p12` files. `None`: a random one is made and written to
    /// [`P12_PASSWORD_FILE`] (secret) among the files; there is no well-known default.
    pub p12_password: Option<Password>,
    /// Write the `.p12` files with 3DES/SHA-1 for old importers.
    pub p12_legacy: bool,
    /// The O attribute of every subject.
    pub organization: String,
    /// Also write Java keystores: `server.jks`, `NAME.jks` per client (key + chain, under the
    /// `.p12` password) and `truststore.p12` (the root CA as a trusted entry).
    pub java: bool,
}

impl Default for PkiParams {
    fn default() -> Self {
        Self {
            server_names: vec![
                SubjectAltName::Dns("localhost".into()),
                SubjectAltName::Ip([127, 0, 0, 1].into()),
            ],
            clients: vec!["client".into()],
            key_type: KeyType::P256,
            intermediate: true,
            p12_password: None,
            p12_legacy: false,
            organization: "mtlskit".into(),
            java: false,
        }
    }
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiFile {
    /// File name, e.g. `server.crt`.
    pub name: String,
    /// Contents (wiped when dropped: keys and `.p12` files are among them).
    pub contents: SecretBytes,
    /// Whether the file holds a private key (write it readable by the owner only).
    pub secret: bool,
    /// SHA-256 fingerprint of the certificate, for certificate files.
    pub fingerprint_sha256: Option<String>,
}

/// The created PKI: its files in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pki {
    /// Every file, CA first.
    pub files: Vec<PkiFile>,
}

impl Pki {
    /// The file called `name`.
    pub fn file(&self, name: &str) -> Option<&PkiFile> {
        self.files.iter().find(|file| file.name == name)
    }
}

/// What the file called `name` holds, for people, e.g. `server certificate`.
pub fn describe(name: &str) -> &'static str {
    match name {
        "ca.crt" => "root CA certificate",
        "ca.key" => "root CA key",
        "intermediate.crt" => "intermediate CA certificate",
        "intermediate.key" => "intermediate CA key",
        "server.crt" => "server certificate",
        "server.key" => "server key",
        "server-fullchain.crt" => "server certificate and its chain, for TLS servers",
        P12_PASSWORD_FILE => "password of the .p12 files and Java keystores",
        "server.jks" => "server key + chain, Java keystore (JKS)",
        "truststore.p12" => "root CA as a trusted entry, Java truststore (PKCS#12)",
        _ if name.ends_with(".jks") => "client key + chain, Java keystore (JKS)",
        _ if name.ends_with(".p12") => "client key + certificate, PKCS#12",
        _ if name.ends_with(".key") => "client key",
        _ => "client certificate",
    }
}

/// Creates the PKI described by `params` at time `now`.
pub fn init<R: CryptoRng + ?Sized>(
    params: &PkiParams,
    now: UnixTime,
    rng: &mut R,
) -> Result<Pki, Error> {
    check_client_names(&params.clients)?;
    let mut files = Vec::new();
    let needs_password = !params.clients.is_empty() || params.java;
    let (p12_password, p12_iterations) = match &params.p12_password {
        Some(password) => (password.clone(), DEFAULT_ITERATIONS),
        None if !needs_password => (Password::default(), DEFAULT_ITERATIONS),
        None => (random_password(rng), GENERATED_PASSWORD_ITERATIONS),
    };
    let root = new_ca(params, Profile::Root, None, now, rng)?;
    push_pair(&mut files, "ca", &root.0, &root.1)?;
    let root_der = root.0.der().to_vec();
    let root = Issuer::new(root.0.der(), root.1)?;
    let mut chain = Vec::new();
    let intermediate = if params.intermediate {
        let (certificate, key) = new_ca(params, Profile::Intermediate, Some(&root), now, rng)?;
        push_pair(&mut files, "intermediate", &certificate, &key)?;
        chain.push(certificate.der().to_vec());
        Some(Issuer::new(certificate.der(), key)?)
    } else {
        None
    };
    let issuer = intermediate.as_ref().unwrap_or(&root);

    let server_params = CertificateParams {
        profile: Profile::Server,
        subject: subject(params, &server_common_name(params)?),
        subject_alt_names: params.server_names.clone(),
        ..CertificateParams::default()
    };
    let (server, server_key) = new_leaf(&server_params, issuer, params.key_type, now, rng)?;
    push_pair(&mut files, "server", &server, &server_key)?;
    let mut fullchain = vec![server.der().to_vec()];
    fullchain.extend(chain.iter().cloned());
    if params.java {
        files.push(java_keystore(
            "server",
            &server_key,
            &fullchain,
            &p12_password,
            now,
            rng,
        )?);
    }
    let fullchain = Chain {
        certificates: fullchain,
        ends_at_root: false,
    }
    .pem()?;
    files.push(public_file(
        "server-fullchain.crt",
        fullchain.into_bytes().into(),
        None,
    ));

    for name in &params.clients {
        let client_params = CertificateParams {
            profile: Profile::Client,
            subject: subject(params, name),
            subject_alt_names: client_names(name),
            ..CertificateParams::default()
        };
        let (client, client_key) = new_leaf(&client_params, issuer, params.key_type, now, rng)?;
        push_pair(&mut files, name, &client, &client_key)?;
        let export = ExportParams {
            password: p12_password.clone(),
            friendly_name: Some(name.clone()),
            legacy: params.p12_legacy,
            iterations: p12_iterations,
        };
        let p12 = write_pkcs12(&client_key, client.der(), &chain, &export, rng)?;
        files.push(PkiFile {
            name: format!("{name}.p12"),
            contents: p12.into(),
            secret: true,
            fingerprint_sha256: None,
        });
        if params.java {
            let mut client_chain = vec![client.der().to_vec()];
            client_chain.extend(chain.iter().cloned());
            let keystore =
                java_keystore(name, &client_key, &client_chain, &p12_password, now, rng)?;
            files.push(keystore);
        }
    }
    if params.p12_password.is_none() && needs_password {
        files.push(PkiFile {
            name: P12_PASSWORD_FILE.to_owned(),
            contents: format!("{}\n", p12_password.as_str()).into_bytes().into(),
            secret: true,
            fingerprint_sha256: None,
        });
    }
    if params.java {
        let export = ExportParams {
            password: p12_password.clone(),
            legacy: params.p12_legacy,
            iterations: p12_iterations,
            ..ExportParams::default()
        };
        files.push(java_truststore(&root_der, &export, rng)?);
    }
    Ok(Pki { files })
}

/// The file that holds a generated `.p12` password (one line), when none was given.
pub const P12_PASSWORD_FILE: &str = "p12-password.txt";

/// Iterations for a `.p12` under a generated password. Iterations slow down guessing a
/// password a person chose; 120 random bits cannot be guessed, so the file needs no more than
/// what Java's keytool writes by default, and opens in milliseconds instead of a second.
pub const GENERATED_PASSWORD_ITERATIONS: u32 = 10_000;

/// 24 characters from a 32-letter alphabet without look-alikes (120 bits).
fn random_password<R: CryptoRng + ?Sized>(rng: &mut R) -> Password {
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = Zeroizing::new([0u8; 24]);
    rng.fill_bytes(bytes.as_mut_slice());
    let text: String = bytes
        .iter()
        .filter_map(|byte| {
            ALPHABET
                .get(usize::from(byte & 31))
                .copied()
                .map(char::from)
        })
        .collect();
    Password::from(text)
}

/// `NAME.jks`: the key and its chain as one `PrivateKeyEntry` called NAME.
fn java_keystore<R: CryptoRng + ?Sized>(
    name: &str,
    key: &SigningKey,
    chain: &[Vec<u8>],
    password: &Password,
    now: UnixTime,
    rng: &mut R,
) -> Result<PkiFile, Error> {
    let entry = NewEntry::PrivateKey {
        alias: name,
        key,
        chain,
    };
    Ok(PkiFile {
        name: format!("{name}.jks"),
        contents: write_jks(&[entry], password.as_str(), now, rng)?.into(),
        secret: true,
        fingerprint_sha256: None,
    })
}

/// `truststore.p12`: the root CA as a trusted entry that Java recognises.
fn java_truststore<R: CryptoRng + ?Sized>(
    root_der: &[u8],
    export: &ExportParams,
    rng: &mut R,
) -> Result<PkiFile, Error> {
    let alias = aliases_for(&[root_der.to_vec()]).pop().unwrap_or_default();
    let trusted = TrustedCertificate {
        alias: &alias,
        certificate: root_der,
    };
    Ok(PkiFile {
        name: "truststore.p12".to_owned(),
        contents: write_truststore(&[trusted], export, rng)?.into(),
        secret: false,
        fingerprint_sha256: Some(fingerprint(root_der)),
    })
}

fn new_ca<R: CryptoRng + ?Sized>(
    params: &PkiParams,
    profile: Profile,
    parent: Option<&Issuer>,
    now: UnixTime,
    rng: &mut R,
) -> Result<(IssuedCertificate, SigningKey), Error> {
    let key = SigningKey::generate(params.key_type, rng)?;
    let role = if profile == Profile::Root {
        "Root CA"
    } else {
        "Intermediate CA"
    };
    let ca_params = CertificateParams {
        profile,
        subject: subject(params, &format!("{} {role}", params.organization)),
        path_length: parent.map(|_| 0),
        ..CertificateParams::default()
    };
    let certificate = match parent {
        Some(parent) => signed(&ca_params, key.public_key(), parent, now, rng)?,
        None => self_signed(&ca_params, &key, now, rng)?,
    };
    Ok((certificate, key))
}

fn new_leaf<R: CryptoRng + ?Sized>(
    params: &CertificateParams,
    issuer: &Issuer,
    key_type: KeyType,
    now: UnixTime,
    rng: &mut R,
) -> Result<(IssuedCertificate, SigningKey), Error> {
    let key = SigningKey::generate(key_type, rng)?;
    let certificate = signed(params, key.public_key(), issuer, now, rng)?;
    Ok((certificate, key))
}

fn subject(params: &PkiParams, common_name: &str) -> Subject {
    Subject {
        organization: Some(params.organization.clone()),
        common_name: Some(common_name.to_owned()),
        ..Subject::default()
    }
}

fn server_common_name(params: &PkiParams) -> Result<String, Error> {
    match params.server_names.first() {
        Some(SubjectAltName::Ip(address)) => Ok(address.to_string()),
        Some(
            SubjectAltName::Dns(name) | SubjectAltName::Email(name) | SubjectAltName::Uri(name),
        ) => Ok(name.clone()),
        None => Err(Error::InvalidProfile {
            detail: "the server needs at least one name (DNS name or IP address)".into(),
        }),
    }
}

/// A client called like an email address gets it as an email subjectAltName.
fn client_names(name: &str) -> Vec<SubjectAltName> {
    match name.parse::<SubjectAltName>() {
        Ok(email @ SubjectAltName::Email(_)) => vec![email],
        _ => Vec::new(),
    }
}

/// Client names become file names: letters, digits, `.`, `_`, `-`, `@`; not a name the
/// PKI already uses; no duplicates.
fn check_client_names(clients: &[String]) -> Result<(), Error> {
    const RESERVED: [&str; 5] = [
        "ca",
        "intermediate",
        "server",
        "server-fullchain",
        "truststore",
    ];
    for (index, name) in clients.iter().enumerate() {
        let allowed = name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b));
        let problem = if name.is_empty() || name.starts_with('.') || !allowed || name.len() > 64 {
            Some("use 1 to 64 letters, digits, '.', '_', '-' or '@', not starting with '.'")
        } else if RESERVED.contains(&name.as_str()) {
            Some("this name is used by the CA or server files")
        } else if clients.iter().take(index).any(|other| other == name) {
            Some("given twice")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::InvalidProfile {
                detail: format!("invalid client name '{name}': {problem}"),
            });
        }
    }
    Ok(())
}

fn push_pair(
    files: &mut Vec<PkiFile>,
    stem: &str,
    certificate: &IssuedCertificate,
    key: &SigningKey,
) -> Result<(), Error> {
    let fingerprint = Some(fingerprint(certificate.der()));
    files.push(public_file(
        &format!("{stem}.crt"),
        certificate.pem()?.into_bytes().into(),
        fingerprint,
    ));
    files.push(PkiFile {
        name: format!("{stem}.key"),
        contents: key.to_pkcs8_pem()?.into(),
        secret: true,
        fingerprint_sha256: None,
    });
    Ok(())
}

fn public_file(name: &str, contents: SecretBytes, fingerprint_sha256: Option<String>) -> PkiFile {
    PkiFile {
        name: name.to_owned(),
        contents,
        secret: false,
        fingerprint_sha256,
    }
}
