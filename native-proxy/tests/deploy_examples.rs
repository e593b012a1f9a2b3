//! The deployment examples of `native-proxy/deploy/` stay true: the example configuration the
//! .deb installs and the Kubernetes sidecar's pass `mtlskit proxy check` (with their paths
//! pointed at a real PKI), and a Secret rotated the way the kubelet does it (new files in a
//! fresh `..<timestamp>` folder, then the `..data` symlink switched by a rename) is picked up
//! by a running proxy's file watch: the next handshake serves the new certificate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use mtlskit_tests::{TempDir, repo_root};

#[test]
fn the_debian_example_configuration_passes_proxy_check() {
    let temp = TempDir::new("deploy-debian");
    let pki = pki_init(temp.path());
    let etc = temp.path().join("etc/mtlskit");
    let credentials = temp.path().join("credentials");
    std::fs::create_dir_all(&etc).unwrap();
    std::fs::create_dir_all(&credentials).unwrap();
    copy(&pki, "server-fullchain.crt", &etc, "server-fullchain.crt");
    copy(&pki, "ca.crt", &etc, "client-ca.crt");
    copy(&pki, "server.key", &credentials, "server.key");

    let example = example("mtlskit.toml");
    let config = replace_all(
        &example,
        &[
            ("/etc/mtlskit/", &format!("{}/", etc.display())),
            (
                "/run/credentials/mtlskit.service/",
                &format!("{}/", credentials.display()),
            ),
            ("0.0.0.0:8443", &free_address()),
            ("127.0.0.1:9090", &free_address()),
        ],
    );
    assert_check_passes(temp.path(), &config);
}

#[test]
fn the_kubernetes_sidecar_configuration_passes_proxy_check() {
    let temp = TempDir::new("deploy-kubernetes-check");
    let pki = pki_init(temp.path());
    let secret = temp.path().join("tls");
    kubelet_write(
        &secret,
        &secret_files(&pki, "server-fullchain.crt", "server.key"),
    );
    let config = kubernetes_config(&secret, &free_address(), "10s");
    assert_check_passes(temp.path(), &config);
}

#[test]
fn a_kubelet_secret_rotation_is_reloaded_by_the_file_watch() {
    let temp = TempDir::new("deploy-kubernetes-rotation");
    let pki = pki_init(temp.path());
    let secret = temp.path().join("tls");
    kubelet_write(
        &secret,
        &secret_files(&pki, "server-fullchain.crt", "server.key"),
    );
    let address = free_address();
    let config_path = temp.path().join("mtlskit.toml");
    std::fs::write(&config_path, kubernetes_config(&secret, &address, "1s")).unwrap();
    let log = temp.path().join("proxy.log");
    let mut proxy = Proxy(
        Command::new(env!("CARGO_BIN_EXE_mtlskit"))
            .args(["proxy", "run", "--config"])
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_for_listener(&mut proxy.0, &address, &log);
    let first = served_fingerprint(&pki, &address);
    assert_eq!(first, fingerprint(&pki.join("server.crt")));

    // cert-manager renews: a new key and certificate from the same issuer.
    let renewed = temp.path().join("renewed");
    std::fs::create_dir_all(&renewed).unwrap();
    let issued = mtlskit(&[
        "cert",
        "new",
        "--profile",
        "server",
        "--san",
        "localhost",
        "--san",
        "127.0.0.1",
        "--ca",
        &path(&pki.join("intermediate.crt")),
        "--ca-key",
        &path(&pki.join("intermediate.key")),
        "--out",
        &path(&renewed.join("server.crt")),
        "--key-out",
        &path(&renewed.join("server.key")),
    ]);
    assert!(issued.status.success(), "{issued:?}");
    let mut fullchain = std::fs::read(renewed.join("server.crt")).unwrap();
    fullchain.extend(std::fs::read(pki.join("intermediate.crt")).unwrap());
    std::fs::write(renewed.join("server-fullchain.crt"), fullchain).unwrap();
    let expected = fingerprint(&renewed.join("server.crt"));
    assert_ne!(expected, first);
    let mut files = secret_files(&renewed, "server-fullchain.crt", "server.key");
    files.retain(|(name, _)| name != "ca.crt");
    files.push((
        "ca.crt".to_owned(),
        std::fs::read(pki.join("ca.crt")).unwrap(),
    ));
    kubelet_write(&secret, &files);

    let started = Instant::now();
    loop {
        let served = served_fingerprint(&pki, &address);
        if served == expected {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the rotated certificate was not served within 20 s:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("reloaded certificates, CAs and CRLs"),
        "{log_text}"
    );
    assert!(!log_text.contains("reload failed"), "{log_text}");
}

/// The proxy, killed when the test ends.
struct Proxy(Child);

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `mtlskit pki init` in `dir/pki` (server for localhost and 127.0.0.1, client alice); the
/// folder, with alice-chain.crt (alice's certificate and the intermediate) added.
fn pki_init(dir: &Path) -> PathBuf {
    let pki = dir.join("pki");
    let output = mtlskit(&["pki", "init", &path(&pki), "--client", "alice"]);
    assert!(output.status.success(), "{output:?}");
    let mut chain = std::fs::read(pki.join("alice.crt")).unwrap();
    chain.extend(std::fs::read(pki.join("intermediate.crt")).unwrap());
    std::fs::write(pki.join("alice-chain.crt"), chain).unwrap();
    pki
}

/// The three files cert-manager puts in a TLS Secret, read from `dir`.
fn secret_files(dir: &Path, fullchain: &str, key: &str) -> Vec<(String, Vec<u8>)> {
    [
        ("tls.crt", fullchain),
        ("tls.key", key),
        ("ca.crt", "ca.crt"),
    ]
    .iter()
    .filter(|(_, source)| dir.join(source).exists())
    .map(|(name, source)| ((*name).to_owned(), std::fs::read(dir.join(source)).unwrap()))
    .collect()
}

/// Writes `files` into `dir` as the kubelet updates a mounted Secret: a new `..<n>` folder,
/// a `..data` symlink to it switched atomically by a rename, and `NAME -> ..data/NAME`.
fn kubelet_write(dir: &Path, files: &[(String, Vec<u8>)]) {
    use std::os::unix::fs::symlink;
    std::fs::create_dir_all(dir).unwrap();
    let previous = std::fs::read_link(dir.join("..data")).ok();
    let version = format!("..{}", std::time::UNIX_EPOCH.elapsed().unwrap().as_nanos());
    std::fs::create_dir(dir.join(&version)).unwrap();
    for (name, contents) in files {
        std::fs::write(dir.join(&version).join(name), contents).unwrap();
    }
    symlink(&version, dir.join("..data_tmp")).unwrap();
    std::fs::rename(dir.join("..data_tmp"), dir.join("..data")).unwrap();
    for (name, _) in files {
        if std::fs::symlink_metadata(dir.join(name)).is_err() {
            symlink(Path::new("..data").join(name), dir.join(name)).unwrap();
        }
    }
    if let Some(previous) = previous {
        std::fs::remove_dir_all(dir.join(previous)).unwrap();
    }
}

/// The sidecar's example configuration with its Secret at `secret`, listening on `address`,
/// metrics on a free port and the given watch interval.
fn kubernetes_config(secret: &Path, address: &str, watch_interval: &str) -> String {
    replace_all(
        &example("kubernetes/mtlskit.toml"),
        &[
            ("/etc/mtlskit/tls/", &format!("{}/", secret.display())),
            ("0.0.0.0:8443", address),
            ("0.0.0.0:9090", &free_address()),
            (
                "watch_interval = \"10s\"",
                &format!("watch_interval = \"{watch_interval}\""),
            ),
        ],
    )
}

fn assert_check_passes(dir: &Path, config: &str) {
    let config_path = dir.join("mtlskit.toml");
    std::fs::write(&config_path, config).unwrap();
    let output = mtlskit(&["proxy", "check", "--config", &path(&config_path)]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("OK: ready to run"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The SHA-256 fingerprint of the leaf the proxy at `address` serves, seen by `mtlskit probe`
/// with alice's certificate.
fn served_fingerprint(pki: &Path, address: &str) -> String {
    let output = mtlskit(&[
        "probe",
        address,
        "--ca",
        &path(&pki.join("ca.crt")),
        "--cert",
        &path(&pki.join("alice-chain.crt")),
        "--key",
        &path(&pki.join("alice.key")),
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("probe JSON: {error}: {output:?}"));
    report["server_chain"][0]["fingerprints"]["sha256"]
        .as_str()
        .unwrap_or_else(|| panic!("no served certificate: {report:#}"))
        .to_owned()
}

fn fingerprint(certificate: &Path) -> String {
    let output = mtlskit(&["inspect", "--json", &path(certificate)]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["items"][0]["fingerprints"]["sha256"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn wait_for_listener(proxy: &mut Child, address: &str, log: &Path) {
    let started = Instant::now();
    while TcpStream::connect(address).is_err() {
        let exited = proxy.try_wait().unwrap();
        if exited.is_some() || started.elapsed() > Duration::from_secs(10) {
            panic!(
                "the proxy did not listen on {address} ({exited:?}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn example(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("native-proxy/deploy").join(name)).unwrap()
}

/// `text` with each `(from, to)` replaced; every `from` must occur (the example still says it).
fn replace_all(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in replacements {
        assert!(
            text.contains(from),
            "the example no longer contains {from:?}"
        );
        text = text.replace(from, to);
    }
    text
}

fn copy(from: &Path, name: &str, to: &Path, new_name: &str) {
    std::fs::copy(from.join(name), to.join(new_name)).unwrap();
}

fn free_address() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

fn path(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

fn mtlskit(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mtlskit"))
        .args(arguments)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}
