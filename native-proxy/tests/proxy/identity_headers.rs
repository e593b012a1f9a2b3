//! Each identity header switched off on its own, and all of them: the upstream never sees a
//! header that is off, not even the copy a client sent (client copies are always removed).

use crate::support::pki::Pki;
use crate::support::upstream::Upstream;
use crate::support::{Proxy, curl};

const IDENTITY_HEADERS: [&str; 3] = [
    "x-forwarded-client-cert",
    "client-cert",
    "client-cert-chain",
];

/// `--identity-headers` values and the headers each one sends.
const SWITCHES: [(&str, &[&str]); 4] = [
    (
        "client-cert,client-cert-chain",
        &["client-cert", "client-cert-chain"],
    ),
    (
        "xfcc,client-cert-chain",
        &["x-forwarded-client-cert", "client-cert-chain"],
    ),
    (
        "xfcc,client-cert",
        &["x-forwarded-client-cert", "client-cert"],
    ),
    ("none", &[]),
];

#[test]
fn each_identity_header_can_be_switched_off_and_client_copies_are_still_removed() {
    let pki = Pki::new("identity-headers");
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let (chain, client_key) = (pki.client_chain("client"), pki.path("client.key"));
    for (switch, expected) in SWITCHES {
        let upstream = Upstream::http();
        let target = upstream.target();
        let proxy = Proxy::start(&[
            "terminate",
            "--listen",
            "127.0.0.1:0",
            "--target",
            &target,
            "--cert",
            &cert,
            "--key",
            &key,
            "--client-ca",
            &ca,
            "--identity-headers",
            switch,
        ]);
        let resolve = format!("localhost:{}:127.0.0.1", proxy.port());
        let url = format!("https://localhost:{}/", proxy.port());
        for http in ["--http1.1", "--http2"] {
            let answer = curl(&[
                "--resolve",
                &resolve,
                "--cacert",
                &ca,
                "--cert",
                &chain,
                "--key",
                &client_key,
                "-H",
                "X-Forwarded-Client-Cert: Hash=spoofed;Subject=\"CN=admin\"",
                "-H",
                "Client-Cert: :c3Bvb2Y=:",
                "-H",
                "Client-Cert-Chain: :c3Bvb2Y=:",
                http,
                &url,
            ]);
            assert_eq!(answer.status, 200, "{switch} {http}: {answer:?}");
        }
        let requests = upstream.record.requests();
        assert_eq!(requests.len(), 2, "{switch}");
        for seen in requests {
            for name in IDENTITY_HEADERS {
                let values = seen.header(name);
                assert!(
                    values.iter().all(|value| !value.contains("spoof")),
                    "{switch}: a client copy of {name} reached the upstream: {seen:?}"
                );
                let wanted = usize::from(expected.contains(&name));
                assert_eq!(
                    values.len(),
                    wanted,
                    "--identity-headers {switch}: {name} {:?} ({})",
                    values,
                    seen.version
                );
            }
        }
    }
}
