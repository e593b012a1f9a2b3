//! The files `mtlskit pki init` writes work as they are: the proxy command and the curl
//! command it prints (ports changed to free ones) are accepted end to end.

use crate::support::upstream::Upstream;
use crate::support::{Proxy, TempDir, bash, free_port, mtlskit_binary, run};

#[test]
fn the_printed_commands_work_as_printed() {
    let dir = TempDir::new("hint");
    let pki = dir.path("pki");
    let output = run(mtlskit_binary(), &["pki", "init", &pki]);
    assert!(output.status.success());
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let line = |start: &str| {
        printed
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` line in:\n{printed}"))
            .to_owned()
    };
    let proxy_line = line("mtlskit proxy terminate");
    let curl_line = line("curl --resolve");
    assert!(
        curl_line.contains("intermediate.crt"),
        "the client must send its intermediate: {curl_line}"
    );

    let upstream = Upstream::http();
    let port = free_port();
    let proxy_line = proxy_line
        .replace("127.0.0.1:8443", &format!("127.0.0.1:{port}"))
        .replace("127.0.0.1:8080", &upstream.target());
    let args: Vec<&str> = proxy_line.split_whitespace().skip(2).collect();
    let proxy = Proxy::start(&args);
    let curl_line = curl_line.replace(":8443", &format!(":{port}"));
    let answer = bash(&format!("{curl_line} --max-time 10 -sS"));
    assert!(
        answer.status.success(),
        "{curl_line}: {}\n{}",
        String::from_utf8_lossy(&answer.stderr),
        proxy.log()
    );
    assert_eq!(
        String::from_utf8_lossy(&answer.stdout),
        "hello from upstream\n"
    );
    assert_eq!(upstream.record.requests().len(), 1);
}
