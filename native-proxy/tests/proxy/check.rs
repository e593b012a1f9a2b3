//! `mtlskit proxy check` and what `run` refuses: configuration typos, key mismatches, expired
//! certificates, chains out of order, ports in use, public plain listeners.

use std::net::TcpListener;

use crate::support::pki::Pki;
use crate::support::{mtlskit_binary, run};

/// A one-listener configuration in the pki directory, with `certificate` lines and extras.
fn config(pki: &Pki, certificate: &str, extra: &str) -> String {
    let text = format!(
        "log_format = \"json\"\n\n[[listener]]\nname = \"web\"\ndirection = \"terminate\"\nlisten = \"127.0.0.1:0\"\ntarget = \"127.0.0.1:9\"\n{extra}\n[[listener.certificate]]\n{certificate}\n\n[listener.client_auth]\nca = [\"pki/ca.crt\"]\n"
    );
    pki.dir.write("mtlskit.toml", text)
}

fn check(path: &str) -> (i32, String) {
    let output = run(mtlskit_binary(), &["proxy", "check", "--config", path]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

const GOOD: &str = "cert = \"pki/server-fullchain.crt\"\nkey = \"pki/server.key\"";

#[test]
fn a_good_configuration_is_ready() {
    let pki = Pki::new("check-good");
    let (code, text) = check(&config(
        &pki,
        GOOD,
        "[listener.tls]\nserver_names = [\"test.com\", \"localhost\"]\n",
    ));
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("OK: ready to run")
            && text.contains("the server chain verifies up to CN=mtlskit Root CA"),
        "{text}"
    );
}

#[test]
fn problems_are_reported_with_codes_and_run_refuses_them() {
    let pki = Pki::new("check-bad");
    let (expired, expired_key) = pki.issue(
        "expired-server",
        Some("intermediate"),
        &[
            "--profile",
            "server",
            "--san",
            "localhost",
            "--not-before",
            "2020-01-01T00:00:00Z",
            "--not-after",
            "2021-01-01T00:00:00Z",
        ],
    );
    let expired_chain = pki.chain("expired-server", &[&expired, &pki.path("intermediate.crt")]);
    let expired_config = config(
        &pki,
        &format!("cert = \"{expired_chain}\"\nkey = \"{expired_key}\""),
        "",
    );
    let (code, text) = check(&expired_config);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("error[Expired]") && text.contains("NOT READY"),
        "{text}"
    );
    let refused = run(
        mtlskit_binary(),
        &["proxy", "run", "--config", &expired_config],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("CheckFailed"));

    let reversed = pki.chain(
        "reversed",
        &[&pki.path("intermediate.crt"), &pki.path("server.crt")],
    );
    let (code, text) = check(&config(
        &pki,
        &format!("cert = \"{reversed}\"\nkey = \"pki/server.key\""),
        "",
    ));
    assert_eq!(code, 2, "the key belongs to the second certificate: {text}");
    assert!(text.contains("error[InvalidKey]"), "{text}");

    let wrong_name = config(
        &pki,
        GOOD,
        "[listener.tls]\nserver_names = [\"other.example\"]\n",
    );
    let (code, text) = check(&wrong_name);
    assert_eq!(code, 1);
    assert!(
        text.contains("error[NameMismatch]") && text.contains("other.example"),
        "{text}"
    );

    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = busy.local_addr().unwrap().to_string();
    let busy_config = config(&pki, GOOD, "");
    let text = std::fs::read_to_string(&busy_config)
        .unwrap()
        .replace("127.0.0.1:0", &address);
    std::fs::write(&busy_config, text).unwrap();
    let (code, text) = check(&busy_config);
    assert_eq!(code, 1);
    assert!(text.contains("error[AddressInUse]"), "{text}");
}

#[test]
fn typos_and_unsafe_listeners_are_refused_before_anything_opens() {
    let pki = Pki::new("check-typo");
    let typo = config(&pki, GOOD, "allow_cm = [\"x\"]\n");
    let (code, text) = check(&typo);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("error[ConfigInvalid]") && text.contains("allow_cm"),
        "{text}"
    );

    let missing = config(
        &pki,
        "cert = \"pki/nope.crt\"\nkey = \"pki/server.key\"",
        "",
    );
    let (code, text) = check(&missing);
    assert_eq!(code, 2);
    assert!(
        text.contains("error[Io]") && text.contains("nope.crt"),
        "{text}"
    );

    let (cert, key, ca) = (
        pki.path("client.crt"),
        pki.path("client.key"),
        pki.path("ca.crt"),
    );
    let public = run(
        mtlskit_binary(),
        &[
            "proxy",
            "originate",
            "--listen",
            "0.0.0.0:0",
            "--target",
            "127.0.0.1:9",
            "--cert",
            &cert,
            "--key",
            &key,
            "--ca",
            &ca,
        ],
    );
    assert_eq!(public.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&public.stderr);
    assert!(
        stderr.contains("error[ConfigInvalid]")
            && stderr.contains("not loopback")
            && stderr.contains("--allow-public"),
        "{stderr}"
    );
}
