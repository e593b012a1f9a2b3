//! Operations: reload (file change and SIGHUP) under a client loop with zero failures, a
//! broken new certificate keeping the old one, SIGTERM draining a slow request, `/healthz`,
//! sd_notify readiness and systemd socket activation, the certificate and CRL expiry gauges.

use std::os::unix::net::UnixDatagram;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::client::{connector, fetch_served};
use crate::support::pki::Pki;
use crate::support::upstream::{Upstream, runtime};
use crate::support::{Proxy, TempDir, bash, curl_as_client, free_port, http_get, mtlskit_binary};

/// A configuration serving `live.crt` + `server.key`, watched every 100 ms.
fn config(pki: &Pki, upstream: &Upstream, listen: &str) -> String {
    std::fs::copy(pki.path("server-fullchain.crt"), pki.extra("live.crt")).unwrap();
    let text = format!(
        "log_format = \"json\"\nmetrics = \"127.0.0.1:0\"\nwatch_interval = \"100ms\"\ndrain_timeout = \"10s\"\n\n\
         [[listener]]\nname = \"web\"\ndirection = \"terminate\"\nlisten = \"{listen}\"\ntarget = \"{}\"\n\n\
         [[listener.certificate]]\ncert = \"live.crt\"\nkey = \"pki/server.key\"\n\n[listener.client_auth]\nca = [\"pki/ca.crt\"]\n",
        upstream.target()
    );
    pki.dir.write("mtlskit.toml", text)
}

/// Replaces `live.crt` atomically (write beside, rename).
fn replace_live(pki: &Pki, contents: &[u8]) {
    let temporary = pki.extra("live.crt.new");
    std::fs::write(&temporary, contents).unwrap();
    std::fs::rename(&temporary, pki.extra("live.crt")).unwrap();
}

#[test]
fn reload_under_load_has_zero_failures_and_broken_files_keep_the_old_certificate() {
    let pki = Pki::new("reload");
    let upstream = Upstream::http();
    let proxy = Proxy::start(&["run", "--config", &config(&pki, &upstream, "127.0.0.1:0")]);
    let address = proxy.address();
    let tls = connector(&pki, Some("client"), &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let (done, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let served: Arc<std::sync::Mutex<Vec<Vec<u8>>>> = Arc::default();
    let client_loop = {
        let (stop, done, failed, served, tls) = (
            stop.clone(),
            done.clone(),
            failed.clone(),
            served.clone(),
            tls.clone(),
        );
        runtime().spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                match fetch_served(address, &tls, "/").await {
                    Ok((200, certificate)) => {
                        done.fetch_add(1, Ordering::SeqCst);
                        let mut served = served.lock().unwrap();
                        if served.last() != Some(&certificate) {
                            served.push(certificate);
                        }
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        })
    };
    // Bounded waits on what the client loop saw, not fixed pauses a loaded machine can outrun.
    let wait_for = |what: &str, condition: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !condition() {
            assert!(std::time::Instant::now() < deadline, "within 10 s: {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    wait_for("the old certificate is served", &|| {
        served.lock().unwrap().len() == 1
    });
    // A renewed certificate for the same key, swapped in by rename: picked up by the watcher.
    let (renewed, _) = pki.issue(
        "renewed",
        Some("intermediate"),
        &[
            "--profile",
            "server",
            "--key",
            &pki.path("server.key"),
            "--san",
            "localhost",
            "--cn",
            "renewed",
        ],
    );
    let renewed_chain = [
        std::fs::read(&renewed).unwrap(),
        std::fs::read(pki.path("intermediate.crt")).unwrap(),
    ]
    .concat();
    replace_live(&pki, &renewed_chain);
    proxy.wait_event(Duration::from_secs(10), |event| {
        event["message"] == "reloaded certificates, CAs and CRLs"
    });
    wait_for("the renewed certificate is served", &|| {
        served.lock().unwrap().len() >= 2
    });
    // A broken file: refused, the renewed certificate stays in service.
    replace_live(
        &pki,
        b"-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n",
    );
    proxy.wait_event(Duration::from_secs(10), |event| {
        event["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("reload failed")
    });
    proxy.signal("HUP");
    wait_for("SIGHUP's reload is refused too", &|| {
        let failures = proxy.events().into_iter().filter(|event| {
            event["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("reload failed"))
        });
        failures.count() == 2
    });
    let before = done.load(Ordering::SeqCst);
    wait_for(
        "more requests are served after the broken file and SIGHUP",
        &|| done.load(Ordering::SeqCst) >= before + 10,
    );
    stop.store(true, Ordering::SeqCst);
    runtime().block_on(client_loop).unwrap();

    assert_eq!(
        failed.load(Ordering::SeqCst),
        0,
        "no request may fail during reloads; {} succeeded\n{}",
        done.load(Ordering::SeqCst),
        proxy.log()
    );
    assert!(
        done.load(Ordering::SeqCst) > 20,
        "the loop ran: {}",
        done.load(Ordering::SeqCst)
    );
    let served = served.lock().unwrap();
    assert_eq!(
        served.len(),
        2,
        "old certificate, then the renewed one, never the broken file"
    );
    let renewed_der = bash(&format!("openssl x509 -in {renewed} -outform der")).stdout;
    assert_eq!(served[1], renewed_der);
    assert_eq!(
        proxy.metric("mtlskit_reloads_total{result=\"ok\"}"),
        1.0,
        "{}",
        proxy.metrics()
    );
    assert_eq!(
        proxy.metric("mtlskit_reloads_total{result=\"failed\"}"),
        2.0,
        "the watcher and SIGHUP both refused the broken file"
    );
    let failure = proxy.wait_event(Duration::from_secs(1), |event| {
        event["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("reload failed")
    });
    assert!(
        failure["error"].as_str().unwrap().contains("live.crt"),
        "the log names the broken file: {failure}"
    );
}

#[test]
fn sigterm_lets_a_slow_request_finish_and_healthz_says_draining() {
    let pki = Pki::new("drain");
    let upstream = Upstream::http();
    let mut proxy = Proxy::start(&["run", "--config", &config(&pki, &upstream, "127.0.0.1:0")]);
    let port = proxy.port();
    let (ca, chain, key) = (
        pki.path("ca.crt"),
        pki.client_chain("client"),
        pki.path("client.key"),
    );
    let slow = std::thread::spawn(move || curl_as_client(port, &ca, &chain, &key, "/slow"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while upstream.record.requests().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the slow request never reached the upstream"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        http_get(proxy.metrics_address.unwrap(), "/healthz"),
        (200, "ok\n".to_owned())
    );
    proxy.signal("TERM");
    proxy.wait_event(Duration::from_secs(5), |event| {
        event["message"] == "draining"
    });
    assert_eq!(
        http_get(proxy.metrics_address.unwrap(), "/healthz"),
        (503, "draining\n".to_owned())
    );
    assert!(
        std::net::TcpStream::connect(proxy.address()).is_err(),
        "no new connections while draining"
    );
    let answer = slow.join().unwrap();
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, "slow done\n"),
        "{answer:?}"
    );
    let status = proxy
        .wait_exit(Duration::from_secs(10))
        .expect("the proxy exits once drained");
    assert!(status.success(), "{status}");
}

#[test]
fn sd_notify_readiness_and_socket_activation() {
    let pki = Pki::new("systemd");
    let upstream = Upstream::http();
    let dir = TempDir::new("notify");
    let socket_path = dir.path("notify.sock");
    let notify = UnixDatagram::bind(&socket_path).unwrap();
    notify
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let port = free_port();
    let config = config(&pki, &upstream, "systemd:web");
    // systemd-socket-activate binds the port, then starts the proxy on the first connection with
    // the listening socket as fd 3 (LISTEN_FDS, LISTEN_FDNAMES=web). It execs the proxy, so
    // dropping the handle kills the proxy itself (no wrapper that would orphan it).
    let mut command = Command::new("systemd-socket-activate");
    command.args([
        "-l",
        &format!("127.0.0.1:{port}"),
        "--fdname=web",
        "-E",
        &format!("NOTIFY_SOCKET={socket_path}"),
        mtlskit_binary(),
        "proxy",
        "run",
        "--config",
        &config,
    ]);
    let proxy = Proxy::spawn_command(&mut command, &[]);
    // Connect only once the port is bound: a fixed pause lost that race on a loaded CI machine.
    proxy.wait_event(Duration::from_secs(20), |event| {
        event["raw"]
            .as_str()
            .is_some_and(|line| line.starts_with(&format!("Listening on 127.0.0.1:{port} ")))
    });
    let (ca, chain, key) = (
        pki.path("ca.crt"),
        pki.client_chain("client"),
        pki.path("client.key"),
    );
    let answer = curl_as_client(port, &ca, &chain, &key, "/");
    assert_eq!(answer.status, 200, "{answer:?}\n{}", proxy.log());
    let mut buffer = [0u8; 256];
    let received = notify.recv(&mut buffer).unwrap();
    assert_eq!(&buffer[..received], b"READY=1\nSTATUS=serving");
    proxy.signal("TERM");
    let received = notify.recv(&mut buffer).unwrap();
    assert_eq!(&buffer[..received], b"STOPPING=1");
}

#[test]
fn expiry_gauges_match_the_files_not_after_and_next_update() {
    let pki = Pki::new("gauges");
    let upstream = Upstream::http();
    let crl = pki.crl("intermediate.crl", "intermediate", &[]);
    let (cert, key, ca, target) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
        upstream.target(),
    );
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
        "--crl",
        &crl,
        "--metrics",
        "127.0.0.1:0",
    ]);
    let metrics = proxy.metrics();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let gauge = |family: &str, file: &str| -> f64 {
        metrics
            .lines()
            .find(|line| {
                line.starts_with(&format!("{family}{{listener=\"listener0\""))
                    && line.contains(&format!("file=\"{file}\""))
            })
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no {family} for {file} in\n{metrics}"))
    };
    let openssl_time = |command: &str, file: &str| -> f64 {
        let output = bash(&format!(
            "date -u -d \"$(openssl {command} -noout -in '{file}' | cut -d= -f2)\" +%s"
        ));
        String::from_utf8(output.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("openssl {command} of {file}"))
    };
    let certificate = gauge("mtlskit_certificate_expiry_seconds", &cert);
    let not_after = openssl_time("x509 -enddate", &cert) - now;
    assert!(
        (certificate - not_after).abs() <= 5.0,
        "certificate gauge {certificate} s, notAfter in {not_after} s"
    );
    assert!(
        certificate > 86_400.0,
        "pki init's server certificate lasts longer than a day"
    );
    let next_update = openssl_time("crl -nextupdate", &crl) - now;
    let crl_gauge = gauge("mtlskit_crl_next_update_seconds", &crl);
    assert!(
        (crl_gauge - next_update).abs() <= 5.0,
        "CRL gauge {crl_gauge} s, nextUpdate in {next_update} s"
    );
    assert!(
        (29.0 * 86_400.0..=31.0 * 86_400.0).contains(&crl_gauge),
        "the test CRL's nextUpdate is 30 days away: {crl_gauge}"
    );
}
