//! Shared helpers of the verification tests: a throw-away PKI made with the `openssl` command,
//! and side-by-side verdicts of `openssl verify` and `mtlskit::verify`.

#![allow(dead_code, reason = "each test file uses a different subset")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure here is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use mtlskit::UnixTime;
use mtlskit::verify::{Failure, Input, Item, Options, PeerName, Profile, Purpose, Verified};

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

/// A directory of keys and certificates made with `openssl`.
pub struct Pki {
    pub dir: PathBuf,
}

/// Extension lines of a CA certificate, with an optional pathlen.
pub fn ca_extensions(path_length: Option<u8>) -> Vec<String> {
    let constraints = match path_length {
        Some(length) => format!("basicConstraints = critical, CA:TRUE, pathlen:{length}"),
        None => "basicConstraints = critical, CA:TRUE".to_owned(),
    };
    vec![
        constraints,
        "keyUsage = critical, keyCertSign, cRLSign".to_owned(),
        "subjectKeyIdentifier = hash".to_owned(),
        "authorityKeyIdentifier = keyid:always".to_owned(),
    ]
}

/// Extension lines of a leaf certificate for `usage` (serverAuth, clientAuth) and `names`.
pub fn leaf_extensions(usage: &str, names: &str) -> Vec<String> {
    vec![
        "basicConstraints = critical, CA:FALSE".to_owned(),
        "keyUsage = critical, digitalSignature, keyEncipherment".to_owned(),
        format!("extendedKeyUsage = {usage}"),
        format!("subjectAltName = {names}"),
        "subjectKeyIdentifier = hash".to_owned(),
        "authorityKeyIdentifier = keyid:always".to_owned(),
    ]
}

/// The directory goes with the value (a failed assertion unwinds through it too).
impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Pki {
    /// A fresh, empty directory for test `name`.
    pub fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("mtlskit-verify-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    /// Runs `openssl` in the directory and asserts success.
    pub fn openssl(&self, arguments: &[&str]) {
        let output = Command::new("openssl")
            .args(arguments)
            .current_dir(&self.dir)
            .output()
            .expect("the openssl command (apt-get install openssl)");
        assert!(
            output.status.success(),
            "openssl {arguments:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Writes `name.key`: `ec` (P-256), `p384`, `rsa` (2048 bits), `rsa1024`, `rsa-pss` (an RSA
    /// key that signs with RSASSA-PSS) or `ed25519`; remembers the kind for signing with it.
    pub fn key(&self, name: &str, kind: &str) {
        let file = format!("{name}.key");
        let options: &[&str] = match kind {
            "rsa" | "rsa-pss" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "rsa1024" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
            "p384" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
            "ed25519" => &["-algorithm", "ED25519"],
            _ => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        };
        let mut arguments = vec!["genpkey"];
        arguments.extend(options);
        arguments.extend(["-out", file.as_str()]);
        self.openssl(&arguments);
        std::fs::write(self.path(&format!("{name}.kind")), kind).unwrap();
    }

    /// The digest and signature options for signing with `issuer`'s key.
    fn signing_options(&self, issuer: &str) -> Vec<&'static str> {
        let kind =
            std::fs::read_to_string(self.path(&format!("{issuer}.kind"))).unwrap_or_default();
        match kind.as_str() {
            "ed25519" => vec![],
            "p384" => vec!["-sha384"],
            "rsa-pss" => vec![
                "-sha256",
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:32",
            ],
            "sha1" => vec!["-sha1"],
            _ => vec!["-sha256"],
        }
    }

    /// `name.crt`: a self-signed certificate with `extensions`.
    pub fn self_signed(&self, name: &str, common_name: &str, kind: &str, extensions: &[String]) {
        self.key(name, kind);
        self.request(name, common_name);
        let (csr, key, crt) = (
            format!("{name}.csr"),
            format!("{name}.key"),
            format!("{name}.crt"),
        );
        let mut arguments = vec!["x509", "-req", "-in", &csr, "-signkey", &key];
        arguments.extend(["-days", "3650", "-out", &crt]);
        arguments.extend(self.signing_options(name));
        self.with_extensions(name, extensions, arguments);
    }

    /// `name.crt`: issued by `issuer` with `extensions` (none: a version 1 certificate).
    pub fn issue(
        &self,
        name: &str,
        common_name: &str,
        issuer: &str,
        kind: &str,
        extensions: &[String],
        days: u32,
    ) {
        self.key(name, kind);
        self.request(name, common_name);
        self.sign_request(name, issuer, extensions, days);
    }

    /// `name.crt`: a P-256 leaf with the subject `subject` (`/O=.../CN=...`), in PrintableString
    /// when `printable` (else UTF8String, openssl's default), issued by `issuer`.
    pub fn issue_subject(
        &self,
        name: &str,
        subject: &str,
        printable: bool,
        issuer: &str,
        extensions: &[String],
    ) {
        self.key(name, "ec");
        let config = format!("{name}-req.cnf");
        let mask = if printable { "default" } else { "utf8only" };
        let text = format!("[req]\ndistinguished_name = dn\nstring_mask = {mask}\n[dn]\n");
        std::fs::write(self.path(&config), text).unwrap();
        let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
        self.openssl(&[
            "req", "-new", "-config", &config, "-key", &key, "-subj", subject, "-out", &csr,
        ]);
        self.sign_request(name, issuer, extensions, 365);
    }

    fn sign_request(&self, name: &str, issuer: &str, extensions: &[String], days: u32) {
        let (csr, crt) = (format!("{name}.csr"), format!("{name}.crt"));
        let (ca, ca_key, days) = (
            format!("{issuer}.crt"),
            format!("{issuer}.key"),
            days.to_string(),
        );
        let mut arguments = vec![
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &ca,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-days",
            &days,
            "-out",
            &crt,
        ];
        arguments.extend(self.signing_options(issuer));
        self.with_extensions(name, extensions, arguments);
    }

    fn request(&self, name: &str, common_name: &str) {
        let subject = format!("/CN={common_name}");
        self.openssl(&[
            "req",
            "-new",
            "-key",
            &format!("{name}.key"),
            "-subj",
            &subject,
            "-out",
            &format!("{name}.csr"),
        ]);
    }

    fn with_extensions(&self, name: &str, extensions: &[String], arguments: Vec<&str>) {
        let file = format!("{name}.ext");
        let mut arguments = arguments;
        if !extensions.is_empty() {
            std::fs::write(
                self.path(&file),
                format!("[v3]\n{}\n", extensions.join("\n")),
            )
            .unwrap();
            arguments.extend(["-extfile", file.as_str(), "-extensions", "v3"]);
        }
        self.openssl(&arguments);
    }

    /// Revokes `certificate` in the database of `issuer` and writes `issuer.crl`, valid for
    /// `hours` from now.
    pub fn crl(&self, issuer: &str, revoked: &[&str], hours: u32) {
        let config = format!("{issuer}-ca.cnf");
        let database = format!("{issuer}-index.txt");
        let number = format!("{issuer}-crlnumber");
        std::fs::write(self.path(&database), "").unwrap();
        std::fs::write(self.path(&number), "01\n").unwrap();
        let text = format!(
            "[ca]\ndefault_ca = test\n[test]\ndatabase = {database}\ncrlnumber = {number}\n\
             default_md = sha256\n"
        );
        std::fs::write(self.path(&config), text).unwrap();
        let (key, cert) = (format!("{issuer}.key"), format!("{issuer}.crt"));
        let common = ["ca", "-config", &config, "-keyfile", &key, "-cert", &cert];
        for name in revoked {
            let file = format!("{name}.crt");
            let mut arguments = common.to_vec();
            arguments.extend(["-revoke", file.as_str()]);
            self.openssl(&arguments);
        }
        let (hours, out) = (hours.to_string(), format!("{issuer}.crl"));
        let mut arguments = common.to_vec();
        arguments.extend(["-gencrl", "-crlhours", &hours, "-out", &out]);
        self.openssl(&arguments);
    }

    /// A verification of `leaf` with `untrusted` intermediates against `root`.
    pub fn check(&self, leaf: &str, untrusted: &[&str], root: &str) -> Check<'_> {
        Check {
            pki: self,
            leaf: leaf.to_owned(),
            untrusted: untrusted.iter().map(|name| (*name).to_owned()).collect(),
            root: root.to_owned(),
            options: Options::at(UnixTime(now())),
            openssl_arguments: Vec::new(),
            crls: Vec::new(),
        }
    }
}

/// Certificates of a PEM file, in order.
pub fn certificates(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    mtlskit::decode::blocks(&bytes)
        .unwrap()
        .into_iter()
        .map(|block| block.unwrap().der)
        .collect()
}

/// One verification, run by both tools.
pub struct Check<'a> {
    pki: &'a Pki,
    leaf: String,
    untrusted: Vec<String>,
    root: String,
    options: Options,
    openssl_arguments: Vec<String>,
    crls: Vec<String>,
}

impl Check<'_> {
    pub fn purpose(mut self, purpose: Purpose) -> Self {
        let name = match purpose {
            Purpose::Server => "sslserver",
            Purpose::Client => "sslclient",
            _ => "any",
        };
        self.openssl_arguments
            .extend(["-purpose".to_owned(), name.to_owned()]);
        self.options.purpose = purpose;
        self
    }

    pub fn host(self, host: &str) -> Self {
        self.peer(PeerName::Dns(host.to_owned()), "-verify_hostname", host)
    }

    pub fn peer(mut self, name: PeerName, flag: &str, value: &str) -> Self {
        self.openssl_arguments
            .extend([flag.to_owned(), value.to_owned()]);
        self.options.peer_name = Some(name);
        self
    }

    pub fn at(mut self, time: i64) -> Self {
        self.openssl_arguments
            .extend(["-attime".to_owned(), time.to_string()]);
        self.options.time = UnixTime(time);
        self
    }

    /// Checks revocation with `name.crl` (openssl: `-crl_check -CRLfile`).
    pub fn crl(mut self, name: &str) -> Self {
        let file = format!("{name}.crl");
        self.openssl_arguments
            .extend(["-crl_check".to_owned(), "-CRLfile".to_owned(), file]);
        self.crls.push(name.to_owned());
        self
    }

    /// Adds `name.crl` for mtlskit only.
    pub fn crl_mtlskit_only(mut self, name: &str) -> Self {
        self.crls.push(name.to_owned());
        self
    }

    pub fn allow_sha1(mut self) -> Self {
        self.options.allow_sha1 = true;
        self
    }

    pub fn allow_legacy_keys(mut self) -> Self {
        self.options.allow_legacy_keys = true;
        self
    }

    /// Adjusts the mtlskit options and adds the `openssl verify` arguments that mean the same.
    pub fn both(mut self, adjust: impl FnOnce(&mut Options), openssl: &[&str]) -> Self {
        adjust(&mut self.options);
        self.openssl_arguments
            .extend(openssl.iter().map(|argument| (*argument).to_owned()));
        self
    }

    pub fn profile(mut self, profile: Profile) -> Self {
        self.options.profile = profile;
        self
    }

    /// Whether `openssl verify` accepts the chain.
    pub fn openssl(&self) -> bool {
        let untrusted = self.pki.path("untrusted.pem");
        let mut bundle = Vec::new();
        for name in &self.untrusted {
            bundle.extend(std::fs::read(self.pki.path(&format!("{name}.crt"))).unwrap());
        }
        std::fs::write(&untrusted, bundle).unwrap();
        let mut command = Command::new("openssl");
        command
            .current_dir(&self.pki.dir)
            .arg("verify")
            .arg("-CAfile")
            .arg(format!("{}.crt", self.root));
        if !self.untrusted.is_empty() {
            command.arg("-untrusted").arg(&untrusted);
        }
        command
            .args(&self.openssl_arguments)
            .arg(format!("{}.crt", self.leaf));
        command.output().expect("openssl verify").status.success()
    }

    /// The verdict of `mtlskit::verify`.
    pub fn mtlskit(&self) -> Result<Verified, Failure> {
        let item = |name: &str| {
            let der = certificates(&self.pki.path(&format!("{name}.crt"))).remove(0);
            Item::new(der, format!("{name}.crt"))
        };
        let input = Input {
            leaf: Some(item(&self.leaf)),
            intermediates: self.untrusted.iter().map(|name| item(name)).collect(),
            anchors: vec![item(&self.root)],
            crls: self
                .crls
                .iter()
                .map(|name| {
                    let der = certificates(&self.pki.path(&format!("{name}.crl"))).remove(0);
                    Item::new(der, format!("{name}.crl"))
                })
                .collect(),
        };
        mtlskit_tests::verify_with_both_lists(&input, &self.options)
    }

    /// Asserts that both tools say `valid`; returns mtlskit's failure code ("" when valid).
    pub fn assert_same_verdict(&self, valid: bool) -> &'static str {
        assert_eq!(
            self.openssl(),
            valid,
            "openssl verify disagrees with the expectation"
        );
        match self.mtlskit() {
            Ok(verified) => {
                assert!(valid, "mtlskit accepted: {verified:?}");
                ""
            }
            Err(failure) => {
                assert!(!valid, "mtlskit refused: {}", failure.explanation());
                failure.code
            }
        }
    }
}
