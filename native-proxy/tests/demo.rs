//! `make demo` (scripts/demo.sh) with this build's binary: `DEMO_ONCE=1` shows the accepted
//! and the refused requests and the identity the upstream saw, and exits by itself; the
//! interactive run stops everything on Ctrl-C (SIGINT to the whole process group, as a terminal
//! sends it). Either way no process is left behind and the demo folder is removed. Needs the
//! inspector page built first (`make web`), like `tests/web_server.rs`, plus curl and python3.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation should fail loudly"
)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mtlskit_tests::{TempDir, repo_root};

/// How long a whole demo run may take (the PKI's .p12 files, five services, six requests).
const RUN_LIMIT: Duration = Duration::from_secs(120);

#[test]
fn demo_once_shows_accepted_and_refused_requests() {
    let temp = TempDir::new("demo-once");
    let mut child = demo(temp.path(), true);
    let lines = read_lines(&mut child);
    let (status, output) = finish(&mut child, &lines, RUN_LIMIT);
    assert!(status.success(), "the demo failed ({status}):\n{output}");

    let outcomes: Vec<&str> = output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("-> "))
        .collect();
    assert_eq!(outcomes.len(), 5, "five requests:\n{output}");
    assert!(outcomes[0].starts_with("ACCEPTED (HTTP 200)"), "{output}");
    assert!(outcomes[1].starts_with("ACCEPTED (HTTP 200)"), "{output}");
    assert!(
        outcomes[2].starts_with("REFUSED in the TLS handshake"),
        "no client certificate: {output}"
    );
    assert!(
        outcomes[3].starts_with("REFUSED (HTTP 403)") && outcomes[3].contains("bob"),
        "bob is not on the allow-list: {output}"
    );
    assert!(outcomes[4].starts_with("ACCEPTED (HTTP 200)"), "{output}");

    // What the upstream saw: alice's verified identity on every accepted request, never the
    // header the client forged.
    let identities: Vec<&str> = output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("x-forwarded-client-cert: "))
        .collect();
    assert_eq!(identities.len(), 3, "{output}");
    for identity in identities {
        assert!(identity.contains("CN=alice"), "{identity}");
        assert!(
            !identity.contains("CN=admin"),
            "forged header passed: {identity}"
        );
    }
    assert!(
        output.contains("connection refused"),
        "access log shown: {output}"
    );
    assert!(output.contains("open http://127.0.0.1:"), "{output}");
    assert!(!output.contains("UNEXPECTED"), "{output}");
    assert_cleaned_up(temp.path(), &output);
}

#[test]
fn ctrl_c_stops_every_process_and_removes_the_folder() {
    let temp = TempDir::new("demo-ctrl-c");
    let mut child = demo(temp.path(), false);
    let lines = read_lines(&mut child);
    let started = Instant::now();
    let mut output = String::new();
    while !output.contains("press Ctrl-C") {
        let Ok(line) = lines.recv_timeout(RUN_LIMIT.saturating_sub(started.elapsed())) else {
            kill_group(&mut child);
            panic!("the demo did not get to waiting for Ctrl-C:\n{output}");
        };
        output.push_str(&line);
        output.push('\n');
    }
    let interrupted = Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let (status, rest) = finish(&mut child, &lines, Duration::from_secs(30));
    output.push_str(&rest);
    assert!(
        status.success(),
        "Ctrl-C is a clean stop ({status}):\n{output}"
    );
    assert_cleaned_up(temp.path(), &output);
}

/// Starts scripts/demo.sh in its own process group with its temporary folder under `temp`.
fn demo(temp: &Path, once: bool) -> Child {
    // `env --default-signal=INT`: a shell cannot trap a signal that was ignored when it
    // started (as it is under `nohup` or in a background job), and Ctrl-C must reach it.
    let mut command = Command::new("env");
    command
        .arg("--default-signal=INT")
        .arg(repo_root().join("scripts/demo.sh"))
        .env("MTLSKIT_BIN", env!("CARGO_BIN_EXE_mtlskit"))
        .env("TMPDIR", temp)
        .env_remove("DEMO_ONCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0);
    if once {
        command.env("DEMO_ONCE", "1");
    }
    command.spawn().expect("scripts/demo.sh starts")
}

/// The child's standard output, line by line, read on a thread.
fn read_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    receiver
}

/// Waits at most `limit` for the demo to exit (then kills its process group and fails);
/// returns its status and the rest of its output, which must end with it: a process that
/// still holds the output pipe was left behind.
fn finish(
    child: &mut Child,
    lines: &mpsc::Receiver<String>,
    limit: Duration,
) -> (ExitStatus, String) {
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            kill_group(child);
            panic!("the demo did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut output = String::new();
    loop {
        match lines.recv_timeout(Duration::from_secs(5)) {
            Ok(line) => {
                output.push_str(&line);
                output.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return (status, output),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                kill_group(child);
                panic!("a process of the demo still holds its output:\n{output}");
            }
        }
    }
}

fn kill_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
}

/// Every service the demo started has ended and its folder under `temp` is gone.
fn assert_cleaned_up(temp: &Path, output: &str) {
    let pids: Vec<&str> = output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("started (pid "))
        .filter_map(|rest| rest.split(',').next())
        .collect();
    assert_eq!(
        pids.len(),
        4,
        "upstream, terminate, originate, web:\n{output}"
    );
    for pid in pids {
        assert!(
            !Path::new("/proc").join(pid).exists(),
            "process {pid} is still running after the demo:\n{output}"
        );
    }
    assert!(
        output.contains("== stopped: 4 process(es) ended"),
        "{output}"
    );
    let left: Vec<_> = std::fs::read_dir(temp).unwrap().collect();
    assert!(
        left.is_empty(),
        "the demo left {left:?} in {}",
        temp.display()
    );
}
