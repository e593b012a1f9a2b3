//! Issue 9 points 2, 3 and 6 end to end: a listener whose identity is a `.p12` (password from a
//! file), allow-lists on OU, DNS SAN (`*` wildcard) and SPKI SHA-256 pins, each refusal with
//! its rule, and `--log-format text` access lines.

use std::time::Duration;

use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Curl, Proxy, bash, curl_as_client, free_port};

fn request(pki: &Pki, port: u16, name: &str, key: &str) -> Curl {
    let chain = pki.chain(
        name,
        &[
            &pki.extra(&format!("{name}.crt")),
            &pki.path("intermediate.crt"),
        ],
    );
    curl_as_client(port, &pki.path("ca.crt"), &chain, key, "/")
}

#[test]
fn p12_identity_ou_dns_and_spki_rules_with_text_logs() {
    let pki = Pki::new("rules");
    let issue = |name: &str, extra: &[&str]| {
        let mut args = vec!["--profile", "client", "--cn", name];
        args.extend_from_slice(extra);
        pki.issue(name, Some("intermediate"), &args).1
    };
    let ops_key = issue("ops", &["--ou", "Operations"]);
    let dns_key = issue("dns", &["--san", "worker.svc.example.com"]);
    let pinned_key = issue("pinned", &[]);
    let other_key = issue("other", &["--ou", "Sales", "--san", "worker.other.org"]);
    let pin = bash(&format!(
        "openssl x509 -in {} -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -r | cut -d' ' -f1",
        pki.extra("pinned.crt")
    ));
    let pin = String::from_utf8(pin.stdout).unwrap().trim().to_owned();
    assert_eq!(pin.len(), 64, "{pin}");

    // The server identity as a PKCS#12 file whose password is read from a file.
    let password_file = pki.dir.write("p12.pw", "p12-secret\n");
    let p12 = pki.extra("server.p12");
    pki.openssl(&[
        "pkcs12",
        "-export",
        "-in",
        &pki.path("server-fullchain.crt"),
        "-inkey",
        &pki.path("server.key"),
        "-passout",
        "pass:p12-secret",
        "-out",
        &p12,
    ]);
    let upstream = Upstream::http();
    let port = free_port();
    let (listen, target) = (format!("127.0.0.1:{port}"), upstream.target());
    let mut proxy = Proxy::spawn(
        &[
            "proxy",
            "terminate",
            "--listen",
            &listen,
            "--target",
            &target,
            "--p12",
            &p12,
            "--password-file",
            &password_file,
            "--client-ca",
            &pki.path("ca.crt"),
            "--allow-ou",
            "Operations",
            "--allow-dns",
            "*.svc.example.com",
            "--allow-spki",
            &pin,
            "--log-format",
            "text",
        ],
        &[],
    );
    let raw = |needle: &'static str| {
        move |event: &serde_json::Value| {
            event["raw"]
                .as_str()
                .is_some_and(|line| line.contains(needle))
        }
    };
    proxy.wait_event(Duration::from_secs(30), raw("ready"));

    for (name, key, rule) in [
        ("ops", &ops_key, "allow-ou"),
        ("dns", &dns_key, "allow-dns"),
        ("pinned", &pinned_key, "allow-spki"),
    ] {
        let answer = request(&pki, port, name, key);
        assert_eq!(answer.status, 200, "{name}: {answer:?}\n{}", proxy.log());
        proxy.wait_event(Duration::from_secs(5), move |event| {
            event["raw"].as_str().is_some_and(|line| {
                line.contains("request")
                    && line.contains(&format!("CN={name}"))
                    && line.contains(rule)
            })
        });
    }
    let refused = request(&pki, port, "other", &other_key);
    assert_eq!(refused.status, 403, "{refused:?}");
    for rule in [
        "allow-ou Operations",
        "allow-dns *.svc.example.com",
        "allow-spki",
    ] {
        assert!(refused.body.contains(rule), "{rule} in {}", refused.body);
    }
    proxy.wait_event(Duration::from_secs(5), raw("NotAllowed"));
    assert_eq!(
        upstream.record.requests().len(),
        3,
        "the refused client never reached the upstream"
    );
    let line = proxy
        .events()
        .into_iter()
        .find_map(|event| {
            event["raw"]
                .as_str()
                .filter(|line| line.contains("NotAllowed"))
                .map(str::to_owned)
        })
        .unwrap();
    assert!(!line.starts_with('{'), "a text line, not JSON: {line}");
    proxy.signal("TERM");
    assert!(proxy.wait_exit(Duration::from_secs(15)).is_some());
}
