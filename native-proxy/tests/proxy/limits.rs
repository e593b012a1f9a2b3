//! The per-listener connection limit: the client beyond `--max-connections` waits (in the
//! kernel's backlog, as documented) until a connection closes, then is served; the limit is
//! logged and counted in `/metrics`.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::support::Proxy;
use crate::support::client::{connect, connector};
use crate::support::pki::Pki;
use crate::support::upstream::{Upstream, runtime};

/// Sends `message` and reads its echo.
async fn echo<S>(stream: &mut S, message: &[u8]) -> Vec<u8>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    stream.write_all(message).await.unwrap();
    let mut echoed = vec![0u8; message.len()];
    tokio::time::timeout(Duration::from_secs(10), stream.read_exact(&mut echoed))
        .await
        .expect("echo within 10 s")
        .unwrap();
    echoed
}

#[test]
fn the_client_beyond_the_limit_waits_until_a_connection_closes() {
    let pki = Pki::new("limit");
    let upstream = Upstream::tcp_echo();
    let (cert, key, ca, target) = (
        pki.path("server-fullchain.crt"),
        pki.path("server.key"),
        pki.path("ca.crt"),
        upstream.target(),
    );
    let proxy = Proxy::start(&[
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
        "--max-connections",
        "2",
        "--metrics",
        "127.0.0.1:0",
    ]);
    let tls = connector(&pki, Some("client"), &[]);
    let address = proxy.address();
    let open = "mtlskit_connections_open{listener=\"listener0\"}";
    let reached = "mtlskit_connection_limit_reached_total{listener=\"listener0\"}";
    let (mut first, second) = runtime().block_on(async {
        let mut first = connect(address, &tls).await.unwrap();
        let mut second = connect(address, &tls).await.unwrap();
        assert_eq!(echo(&mut first, b"one").await, b"one");
        assert_eq!(echo(&mut second, b"two").await, b"two");
        (first, second)
    });
    let third_tls = tls.clone();
    let third = runtime().spawn(async move {
        let mut third = connect(address, &third_tls)
            .await
            .map_err(|error| error.to_string())?;
        let echoed = echo(&mut third, b"three").await;
        Ok::<_, String>((echoed, third))
    });
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !third.is_finished(),
        "the third client must wait while two connections are open"
    );
    // The log line first (a bounded wait), then the counters it comes with.
    proxy.wait_event(Duration::from_secs(5), |event| {
        event["max_connections"] == 2
            && event["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("connection limit reached"))
    });
    assert_eq!(proxy.metric(open), 2.0, "{}", proxy.metrics());
    assert!(proxy.metric(reached) >= 1.0, "{}", proxy.metrics());
    assert_eq!(
        upstream.record.connections(),
        2,
        "the third is not accepted"
    );

    runtime().block_on(async { first.shutdown().await.unwrap() });
    drop(first);
    let echoed = runtime()
        .block_on(async { tokio::time::timeout(Duration::from_secs(10), third).await })
        .expect("served once a connection closed")
        .unwrap();
    let (echoed, third) = echoed.unwrap();
    assert_eq!(echoed, b"three");
    assert_eq!(upstream.record.connections(), 3);
    assert_eq!(
        proxy.metric(open),
        2.0,
        "second and third: {}",
        proxy.metrics()
    );
    drop((second, third));
}
