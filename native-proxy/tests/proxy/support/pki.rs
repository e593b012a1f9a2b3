//! Certificates for the tests, made by `mtlskit pki init` / `mtlskit cert new` (as users make
//! them) and by openssl where mtlskit deliberately cannot (version 1 CAs, CRLs).

use std::process::Output;

use super::{TempDir, mtlskit_binary, run};

/// A `pki init` directory: ca.crt, intermediate.crt/.key, server.crt/.key,
/// server-fullchain.crt, client and client2 (.crt/.key, and NAME-chain.pem with the
/// intermediate), for the names localhost, 127.0.0.1 and test.com.
pub struct Pki {
    pub dir: TempDir,
}

impl Pki {
    pub fn new(name: &str) -> Self {
        let dir = TempDir::new(name);
        mtlskit_ok(&[
            "pki",
            "init",
            &dir.path("pki"),
            "--server-san",
            "localhost",
            "--server-san",
            "127.0.0.1",
            "--server-san",
            "test.com",
            "--client",
            "client",
            "--client",
            "client2",
        ]);
        let pki = Self { dir };
        for client in ["client", "client2"] {
            pki.chain(
                client,
                &[
                    &pki.path(&format!("{client}.crt")),
                    &pki.path("intermediate.crt"),
                ],
            );
        }
        pki
    }

    /// A file of the `pki init` directory.
    pub fn path(&self, name: &str) -> String {
        self.dir.path(&format!("pki/{name}"))
    }

    /// A file beside the `pki init` directory.
    pub fn extra(&self, name: &str) -> String {
        self.dir.path(name)
    }

    /// The leaf + intermediate chain of a client.
    pub fn client_chain(&self, client: &str) -> String {
        self.path(&format!("{client}-chain.pem"))
    }

    /// Writes `NAME-chain.pem` from `files`.
    pub fn chain(&self, name: &str, files: &[&str]) -> String {
        let contents: Vec<u8> = files
            .iter()
            .flat_map(|file| std::fs::read(file).unwrap())
            .collect();
        let path = self.path(&format!("{name}-chain.pem"));
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Issues a certificate with `mtlskit cert new` from `issuer` (a `pki` file stem, e.g.
    /// `intermediate`; `None`: self-signed) into `NAME.crt`/`NAME.key` beside the pki.
    pub fn issue(&self, name: &str, issuer: Option<&str>, extra: &[&str]) -> (String, String) {
        let certificate = self.extra(&format!("{name}.crt"));
        let mut args = vec!["cert", "new", "--out", &certificate];
        let (ca, ca_key);
        if let Some(issuer) = issuer {
            ca = self.resolve(&format!("{issuer}.crt"));
            ca_key = self.resolve(&format!("{issuer}.key"));
            args.extend(["--ca", &ca, "--ca-key", &ca_key]);
        }
        args.extend_from_slice(extra);
        mtlskit_ok(&args);
        (certificate, self.extra(&format!("{name}.key")))
    }

    /// A file name in the pki directory if it exists there, else beside it.
    fn resolve(&self, name: &str) -> String {
        let in_pki = self.path(name);
        if std::path::Path::new(&in_pki).exists() {
            in_pki
        } else {
            self.extra(name)
        }
    }

    /// Runs openssl in the directory beside the pki.
    pub fn openssl(&self, args: &[&str]) -> Output {
        let output = std::process::Command::new("openssl")
            .args(args)
            .current_dir(&self.dir.0)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Issues `NAME.crt` (new P-256 key `NAME.key`) with openssl from `issuer` (a `pki` file
    /// stem) with the extensions in `extensions` (an openssl extension section body; empty:
    /// a version 1 certificate, as `openssl x509 -req` makes without `-extfile`).
    pub fn openssl_issue(
        &self,
        name: &str,
        subject: &str,
        issuer: &str,
        extensions: &str,
    ) -> (String, String) {
        let (certificate, key, request) = (
            self.extra(&format!("{name}.crt")),
            self.extra(&format!("{name}.key")),
            self.extra(&format!("{name}.csr")),
        );
        self.openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            &key,
        ]);
        self.openssl(&[
            "req", "-new", "-key", &key, "-subj", subject, "-out", &request,
        ]);
        let (ca, ca_key) = (
            self.resolve(&format!("{issuer}.crt")),
            self.resolve(&format!("{issuer}.key")),
        );
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            &request,
            "-CA",
            &ca,
            "-CAkey",
            &ca_key,
            "-days",
            "30",
            "-out",
            &certificate,
        ];
        let extension_file = self.extra(&format!("{name}.ext"));
        if !extensions.is_empty() {
            std::fs::write(&extension_file, format!("[ext]\n{extensions}\n")).unwrap();
            args.extend(["-extfile", &extension_file, "-extensions", "ext"]);
        }
        self.openssl(&args);
        (certificate, key)
    }

    /// A CRL from `issuer` (`pki` stem) revoking the certificate files `revoked`.
    pub fn crl(&self, name: &str, issuer: &str, revoked: &[&str]) -> String {
        let dir = &self.dir;
        dir.write("index.txt", "");
        dir.write("crlnumber", "01\n");
        let config = format!(
            "[ca]\ndefault_ca = test\n[test]\ndatabase = {}\ncrlnumber = {}\ndefault_md = sha256\ndefault_crl_days = 30\n",
            dir.path("index.txt"),
            dir.path("crlnumber")
        );
        let config_path = dir.write("ca.cnf", config);
        let (ca, key) = (
            self.resolve(&format!("{issuer}.crt")),
            self.resolve(&format!("{issuer}.key")),
        );
        for certificate in revoked {
            self.openssl(&[
                "ca",
                "-config",
                &config_path,
                "-cert",
                &ca,
                "-keyfile",
                &key,
                "-revoke",
                certificate,
            ]);
        }
        let out = self.extra(name);
        self.openssl(&[
            "ca",
            "-config",
            &config_path,
            "-cert",
            &ca,
            "-keyfile",
            &key,
            "-gencrl",
            "-out",
            &out,
        ]);
        out
    }
}

/// Runs `mtlskit ARGS` and panics unless it succeeds.
pub fn mtlskit_ok(args: &[&str]) -> Output {
    let output = run(mtlskit_binary(), args);
    assert!(
        output.status.success(),
        "mtlskit {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
