//! Faults: the upstream down then up, a client that never speaks, garbage instead of a
//! ClientHello, 1,000 concurrent connections, a client that trickles its headers. The proxy
//! stays up, its memory stays bounded, and no byte of an unauthenticated client reaches the
//! upstream (which records everything it receives).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;

use crate::support::client::{connect, connector, fetch};
use crate::support::pki::Pki;
use crate::support::upstream::{Upstream, runtime};
use crate::support::{Proxy, curl_as_client, free_port};

fn terminate(pki: &Pki, target: &str, extra: &[&str]) -> Proxy {
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let mut args = vec![
        "terminate",
        "--listen",
        "127.0.0.1:0",
        "--target",
        target,
        "--cert",
        &cert,
        "--key",
        &key,
        "--client-ca",
        &ca,
    ];
    args.extend_from_slice(extra);
    Proxy::start(&args)
}

fn get(proxy: &Proxy, pki: &Pki) -> crate::support::Curl {
    let port = proxy.port();
    let (ca, chain, key) = (
        pki.path("ca.crt"),
        pki.client_chain("client"),
        pki.path("client.key"),
    );
    curl_as_client(port, &ca, &chain, &key, "/")
}

#[test]
fn upstream_down_then_up() {
    let pki = Pki::new("fault-upstream");
    let port = free_port();
    let proxy = terminate(
        &pki,
        &format!("127.0.0.1:{port}"),
        &["--metrics", "127.0.0.1:0"],
    );
    let down = get(&proxy, &pki);
    assert_eq!(down.status, 502, "{down:?}");
    assert!(
        down.body
            .contains(&format!("the upstream 127.0.0.1:{port} cannot be reached")),
        "{}",
        down.body
    );
    let upstream = Upstream::http_on(port);
    let up = get(&proxy, &pki);
    assert_eq!(
        (up.status, up.body.as_str()),
        (200, "hello from upstream\n"),
        "{up:?}"
    );
    assert_eq!(upstream.record.requests().len(), 1);
    assert_eq!(
        proxy.metric("mtlskit_upstream_errors_total{listener=\"listener0\"}"),
        1.0
    );
}

#[test]
fn silent_garbage_and_trickling_clients_never_reach_the_upstream() {
    let pki = Pki::new("fault-clients");
    let upstream = Upstream::http();
    let proxy = terminate(
        &pki,
        &upstream.target(),
        &[
            "--handshake-timeout",
            "1s",
            "--header-timeout",
            "1s",
            "--metrics",
            "127.0.0.1:0",
        ],
    );

    // Opens TCP and never speaks: closed at the handshake timeout.
    let mut silent = TcpStream::connect(proxy.address()).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 64];
    assert!(matches!(silent.read(&mut buffer), Ok(0) | Err(_)));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "{waited:?}"
    );

    // Garbage instead of a ClientHello: an alert or a close, never a byte upstream.
    let mut garbage = TcpStream::connect(proxy.address()).unwrap();
    garbage
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    garbage
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n\x16\x03\x01\xff\xff garbage")
        .unwrap();
    let mut answer = Vec::new();
    let _ = garbage.read_to_end(&mut answer);
    assert!(
        answer.len() < 16 && !answer.starts_with(b"HTTP"),
        "{answer:?}"
    );

    // A verified client that trickles its request head, a byte every 100 ms: closed at the
    // header timeout, and nothing reaches the upstream.
    let tls = connector(&pki, Some("client"), &[b"http/1.1"]);
    let trickled = runtime().block_on(async {
        let mut stream = connect(proxy.address(), &tls).await.unwrap();
        let started = Instant::now();
        for byte in b"GET /trickle HTTP/1.1\r\nHost: localhost\r\nX-Slow: yes\r\n\r\n" {
            if stream.write_all(&[*byte]).await.is_err() || stream.flush().await.is_err() {
                return started.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        started.elapsed()
    });
    assert!(
        trickled < Duration::from_secs(4),
        "the trickling client was cut off at the header timeout: {trickled:?}"
    );

    proxy.wait_event(Duration::from_secs(5), |event| {
        event["rule"] == "HandshakeTimeout"
    });
    proxy.wait_event(Duration::from_secs(5), |event| {
        event["rule"] == "InvalidMessage"
    });
    assert_eq!(
        (upstream.record.connections(), upstream.record.bytes()),
        (0, 0),
        "not one byte reached the upstream"
    );
    assert_eq!(get(&proxy, &pki).status, 200, "the proxy still serves");
    assert_eq!(upstream.record.requests().len(), 1);
}

#[test]
fn a_thousand_concurrent_connections_with_bounded_memory() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let pki = Pki::new("fault-1000");
    let upstream = Upstream::http();
    let proxy = terminate(&pki, &upstream.target(), &[]);
    let before = proxy.rss_kib();
    let tls = connector(&pki, Some("client"), &[b"http/1.1"]);
    let address = proxy.address();
    let statuses = runtime().block_on(async {
        // All connect first and hold their connection; then all send their request.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(1000));
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let (tls, barrier) = (tls.clone(), barrier.clone());
                tokio::spawn(async move {
                    let stream = connect(address, &tls).await;
                    barrier.wait().await;
                    match stream {
                        Ok(stream) => crate::support::client::get(stream, "/").await,
                        Err(error) => Err(error.to_string()),
                    }
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        statuses
    });
    let failures: Vec<_> = statuses
        .iter()
        .filter(|status| **status != Ok(200))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of 1000 failed, e.g. {:?}",
        failures.len(),
        failures.first()
    );
    let peak = proxy.rss_kib();
    eprintln!("proxy RSS: {before} KiB idle, {peak} KiB after 1000 concurrent connections");
    assert!(
        peak < before + 128 * 1024,
        "memory grew from {before} KiB to {peak} KiB for 1000 connections"
    );
    assert_eq!(upstream.record.requests().len(), 1000);
    assert_eq!(
        runtime().block_on(fetch(address, &tls, "/")),
        Ok(200),
        "and serves afterwards"
    );
}
