//! TCP mode: bytes both ways with half-close, the PROXY protocol v2 header with the TLS TLVs,
//! the idle timeout, and no byte from an unauthenticated client reaching the upstream.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::client::{connect, connector};
use crate::support::pki::Pki;
use crate::support::upstream::{Upstream, runtime};
use crate::support::{Proxy, bash};

fn terminate_tcp(pki: &Pki, upstream: &Upstream, extra: &[&str]) -> Proxy {
    let (cert, key, ca) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
    );
    let target = upstream.target();
    let mut args = vec![
        "terminate",
        "--mode",
        "tcp",
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
    ];
    args.extend_from_slice(extra);
    Proxy::start(&args)
}

#[test]
fn bytes_flow_both_ways_with_half_close() {
    let pki = Pki::new("tcp");
    let upstream = Upstream::tcp_echo();
    let proxy = terminate_tcp(&pki, &upstream, &[]);
    let tls = connector(&pki, Some("client"), &[]);
    let echoed = runtime().block_on(async {
        let mut stream = connect(proxy.address(), &tls).await.unwrap();
        stream.write_all(b"ping over mTLS").await.unwrap();
        // Half-close: our direction ends (close_notify), the other keeps flowing until the
        // upstream has echoed everything and closed its side.
        stream.shutdown().await.unwrap();
        let mut echoed = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut echoed))
            .await
            .unwrap()
            .unwrap();
        echoed
    });
    assert_eq!(echoed, b"ping over mTLS");
    let event = proxy.wait_event(Duration::from_secs(5), |event| {
        event["message"] == "connection" && event["status"] == "closed"
    });
    assert_eq!(event["identity"], "CN=client,O=mtlskit");
    assert_eq!(event["bytes_received"], 14);
}

#[test]
fn proxy_protocol_v2_carries_the_tls_details() {
    let pki = Pki::new("tcp-ppv2");
    let upstream = Upstream::tcp_echo();
    let proxy = terminate_tcp(&pki, &upstream, &["--proxy-protocol"]);
    let tls = connector(&pki, Some("client"), &[]);
    runtime().block_on(async {
        let mut stream = connect(proxy.address(), &tls).await.unwrap();
        stream.write_all(b"after the header").await.unwrap();
        stream.shutdown().await.unwrap();
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
    });
    let received = upstream.record.streams.lock().unwrap()[0].clone();
    assert_eq!(&received[..12], b"\r\n\r\n\0\r\nQUIT\n");
    assert_eq!(
        received[12..14],
        [0x21, 0x11],
        "version 2 PROXY, TCP over IPv4"
    );
    let length = usize::from(u16::from_be_bytes([received[14], received[15]]));
    let (header, payload) = received.split_at(16 + length);
    assert_eq!(payload, b"after the header");
    assert_eq!(header[16..20], [127, 0, 0, 1]);
    let tlvs = &header[28..];
    assert_eq!(tlvs[0], 0x20, "PP2_TYPE_SSL");
    assert_eq!(
        tlvs[3], 0x07,
        "client: SSL, certificate on this connection and session"
    );
    assert_eq!(tlvs[4..8], [0, 0, 0, 0], "verify: 0 = verified");
    let subtlvs = parse_tlvs(&tlvs[8..]);
    assert!(
        subtlvs
            .iter()
            .any(|(kind, value)| *kind == 0x21 && value.starts_with(b"TLSv1."))
    );
    assert!(
        subtlvs
            .iter()
            .any(|(kind, value)| *kind == 0x22 && value == b"client")
    );
    let client_der = bash(&format!(
        "openssl x509 -in {} -outform der",
        pki.path("client.crt")
    ))
    .stdout;
    assert!(
        subtlvs
            .iter()
            .any(|(kind, value)| *kind == 0x28 && *value == client_der),
        "0x28 holds the client certificate"
    );
}

fn parse_tlvs(mut bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut tlvs = Vec::new();
    while bytes.len() >= 3 {
        let length = usize::from(u16::from_be_bytes([bytes[1], bytes[2]]));
        tlvs.push((bytes[0], bytes[3..3 + length].to_vec()));
        bytes = &bytes[3 + length..];
    }
    tlvs
}

#[test]
fn idle_connections_are_closed_and_unauthenticated_clients_never_reach_the_upstream() {
    let pki = Pki::new("tcp-idle");
    let upstream = Upstream::tcp_echo();
    let proxy = terminate_tcp(&pki, &upstream, &["--idle-timeout", "1s"]);
    let anonymous = connector(&pki, None, &[]);
    let tls = connector(&pki, Some("client"), &[]);
    let closed_after = runtime().block_on(async {
        // Without a certificate: the handshake fails (TLS 1.3 reports it on first read).
        if let Ok(mut stream) = connect(proxy.address(), &anonymous).await {
            let _ = stream.write_all(b"let me in").await;
            let mut buffer = [0u8; 16];
            assert!(!matches!(stream.read(&mut buffer).await, Ok(read) if read > 0));
        }
        let mut stream = connect(proxy.address(), &tls).await.unwrap();
        let started = Instant::now();
        let mut buffer = [0u8; 16];
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .unwrap();
        assert!(matches!(read, Ok(0) | Err(_)), "closed, not data: {read:?}");
        started.elapsed()
    });
    assert!(
        closed_after >= Duration::from_millis(900) && closed_after < Duration::from_secs(5),
        "{closed_after:?}"
    );
    proxy.wait_event(Duration::from_secs(5), |event| {
        event["status"] == "idle timeout"
    });
    assert_eq!(
        upstream.record.connections(),
        1,
        "only the verified client was connected upstream"
    );
    assert_eq!(upstream.record.bytes(), 0);
}

#[test]
fn a_busy_connection_is_closed_at_its_maximum_lifetime() {
    let pki = Pki::new("tcp-lifetime");
    let upstream = Upstream::tcp_echo();
    let proxy = terminate_tcp(
        &pki,
        &upstream,
        &["--max-lifetime", "1500ms", "--idle-timeout", "1m"],
    );
    let tls = connector(&pki, Some("client"), &[]);
    let (closed_after, echoed) = runtime().block_on(async {
        let mut stream = connect(proxy.address(), &tls).await.unwrap();
        let started = Instant::now();
        let mut echoed = 0_usize;
        // Never idle: a message every 100 ms, each echoed back, until the proxy closes.
        while started.elapsed() < Duration::from_secs(10) {
            if stream.write_all(b"tick").await.is_err() {
                break;
            }
            let mut buffer = [0u8; 64];
            match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await {
                Ok(Ok(read)) if read > 0 => echoed += read,
                _ => break,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        (started.elapsed(), echoed)
    });
    assert!(
        closed_after >= Duration::from_millis(1400) && closed_after < Duration::from_secs(4),
        "closed after {closed_after:?}, not at the 1.5 s limit"
    );
    assert!(
        echoed >= 4 * 8,
        "traffic flowed until the limit: {echoed} bytes"
    );
    proxy.wait_event(Duration::from_secs(5), |event| {
        event["message"] == "connection" && event["status"] == "max lifetime"
    });
}
