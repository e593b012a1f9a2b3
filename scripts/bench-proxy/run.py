#!/usr/bin/env python3
"""`make bench-proxy`: mtlskit proxy against Debian's nginx and HAProxy, side by side in one
run, with the same P-256 certificates, each tool configured as an mTLS terminate listener in
front of a fast plain upstream and an originate listener (plain in, mTLS out) in front of its
own terminate listener. Measures, per tool:

- server CPU per full mTLS handshake: utime+stime of the terminate process(es) from
  /proc/PID/stat over N new connections (Python ssl clients, no resumption, one small request
  each so that the server has finished the handshake), and the same per kept-alive request;
- requests/s through originate -> terminate over kept-alive HTTP/1.1 and HTTP/2 (h2load);
- p50/p99 latency at a moderate fixed rate (h2load --rps, HTTP/1.1), minus a direct
  connection to the upstream;
- resident memory per idle mTLS connection (RSS delta over many connections held open).

Rounds interleave the tools (mtlskit, nginx, HAProxy, mtlskit, ...) and report medians, so
that the load of other processes on the machine hits all of them alike. Every process is
started here, on 127.0.0.1, and stopped at the end."""

import argparse
import json
import os
import re
import resource
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import Bench  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def main():
    options = arguments()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    directory = tempfile.mkdtemp(prefix="mtlskit-bench-proxy-")
    bench = None
    try:
        bench = Bench(os.path.abspath(options.mtlskit), directory, options.workers)
        tools = [bench.start_mtlskit(), bench.start_nginx(), bench.start_haproxy()]
        results = {"environment": environment(options)}
        results["rounds"] = [one_round(bench, tools, options, index)
                             for index in range(options.rounds)]
        results["environment"]["load_average_after"] = os.getloadavg()
        summary = summarize(results["rounds"], [tool.name for tool in tools])
        results["summary"] = summary
        os.makedirs(os.path.dirname(options.json) or ".", exist_ok=True)
        with open(options.json, "w") as file:
            json.dump(results, file, indent=2)
        print(report(results, summary, options))
    finally:
        if bench is not None:
            bench.processes.stop_all()
        if options.keep:
            print(f"files kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mtlskit", default="target/release/mtlskit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--handshakes", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40000)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=100, help="latency: requests/s per client")
    parser.add_argument("--clients", type=int, default=4, help="latency: clients")
    parser.add_argument("--latency-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--json", default="target/bench-proxy/results.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args()


def one_round(bench, tools, options, index):
    print(f"round {index + 1}/{options.rounds}, load average {os.getloadavg()}", flush=True)
    result = {"load_average": os.getloadavg()}
    result["idle_memory"] = {t.name: idle_memory(bench, t, options.idle) for t in tools}
    result["handshake"] = {t.name: handshakes(bench, t, options.handshakes) for t in tools}
    for protocol in ["h1", "h2"]:
        result[f"rps_{protocol}"] = {t.name: throughput(t, protocol, options.requests)
                                     for t in tools}
    direct = latency(f"http://127.0.0.1:{bench.upstream_port}/", options, bench.dir)
    result["latency"] = {"direct": direct}
    for tool in tools:
        result["latency"][tool.name] = latency(f"http://127.0.0.1:{tool.originate_h1}/",
                                               options, bench.dir)
    print(json.dumps(result), flush=True)
    return result


# --- /proc: CPU time and resident memory of a process and its children (nginx workers) ---

def process_tree(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children.setdefault(read_stat(int(entry))[0], []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children.get(current, []))
    return pids


def read_stat(pid):
    """(parent pid, utime + stime in seconds) of /proc/PID/stat (all threads)."""
    with open(f"/proc/{pid}/stat") as file:
        text = file.read()
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds(*processes):
    total = 0.0
    for process in processes:
        for pid in process_tree(process.pid):
            try:
                total += read_stat(pid)[1]
            except OSError:
                continue
    return total


def rss_kib(process):
    total = 0
    for pid in process_tree(process.pid):
        try:
            with open(f"/proc/{pid}/status") as file:
                for line in file:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


# --- measurements ---

def client_context(pki):
    context = ssl.create_default_context(cafile=pki.ca)
    context.load_cert_chain(pki.client_chain, pki.client_key)
    return context


def one_request(context, port):
    """A new mTLS connection (full handshake: Python never resumes unless asked), one
    HTTP/1.1 request with `Connection: close`; True on 200."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            response = b""
            try:
                while chunk := tls.recv(4096):
                    response += chunk
            except (ssl.SSLEOFError, ConnectionResetError):
                pass
    return response.startswith(b"HTTP/1.1 200")


def handshakes(bench, tool, count, threads=4):
    context = client_context(bench.pki)
    failures = []

    def worker(share):
        for _ in range(share):
            try:
                if not one_request(context, tool.terminate_port):
                    failures.append("status")
            except OSError as error:
                failures.append(str(error))

    for _ in range(20):  # warm-up: lazy initialisation, upstream connections
        one_request(context, tool.terminate_port)
    before, started = cpu_seconds(tool.terminate), time.monotonic()
    workers = [threading.Thread(target=worker, args=(count // threads,)) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed, used = time.monotonic() - started, cpu_seconds(tool.terminate) - before
    done = (count // threads) * threads
    return {"connections": done, "failures": len(failures), "first_failure": failures[:1],
            "server_cpu_us": used / done * 1e6, "client_bound_per_s": done / elapsed}


def h2load(args, timeout=300):
    output = subprocess.run(["h2load", *args], capture_output=True, text=True, timeout=timeout)
    text = output.stdout
    finished = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text)
    requests = re.search(r"requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded", text)
    codes = re.search(r"status codes: (\d+) 2xx", text)
    if not (finished and requests and codes):
        raise RuntimeError(f"h2load {' '.join(args)}: {text}{output.stderr}")
    return {"rps": float(finished.group(1)), "total": int(requests.group(1)),
            "ok": int(codes.group(1))}


def throughput(tool, protocol, count):
    if protocol == "h1":
        url, shape = f"http://127.0.0.1:{tool.originate_h1}/", ["--h1", "-c", "32", "-m", "1"]
    else:
        url, shape = f"http://127.0.0.1:{tool.originate_h2}/", ["-c", "4", "-m", "32"]
    h2load(["-n", "2000", *shape, url])  # warm-up: upstream pools
    before = cpu_seconds(tool.originate), cpu_seconds(tool.terminate)
    result = h2load(["-n", str(count), *shape, url])
    originate = (cpu_seconds(tool.originate) - before[0]) / count * 1e6
    terminate = (cpu_seconds(tool.terminate) - before[1]) / count * 1e6
    result.update({"proxy_cpu_us_per_request": originate + terminate,
                   "terminate_cpu_us_per_request": terminate})
    return result


def latency(url, options, directory):
    log = os.path.join(directory, "latency.log")
    count = options.rate * options.clients * options.latency_seconds
    result = h2load(["--h1", "-c", str(options.clients), "--rps", str(options.rate),
                     "-n", str(count), "--log-file", log, url])
    with open(log) as file:
        rows = sorted(tuple(int(field) for field in line.split("\t")[:3]) for line in file
                      if line.strip())
    # The first 5 % (connections and upstream pools being set up) are not steady state.
    durations = sorted(row[2] for row in rows[len(rows) // 20:])
    result["p50_us"] = durations[len(durations) // 2]
    result["p99_us"] = durations[min(len(durations) - 1, (len(durations) * 99) // 100)]
    result["rate"] = options.rate * options.clients
    return result


def idle_memory(bench, tool, count):
    context = client_context(bench.pki)
    for _ in range(20):
        one_request(context, tool.terminate_port)
    time.sleep(0.5)
    before = rss_kib(tool.terminate)
    held = []
    try:
        for _ in range(count):
            raw = socket.create_connection(("127.0.0.1", tool.terminate_port), timeout=10)
            held.append(context.wrap_socket(raw, server_hostname="localhost"))
        time.sleep(2)  # the server has read every client Finished
        after = rss_kib(tool.terminate)
        alive = sum(1 for tls in held if still_open(tls))
    finally:
        for tls in held:
            tls.close()
    return {"connections": count, "still_open": alive, "rss_before_kib": before,
            "rss_after_kib": after, "kib_per_connection": (after - before) / count}


def still_open(tls):
    tls.setblocking(False)
    try:
        return tls.recv(1) != b""
    except ssl.SSLWantReadError:
        return True
    except (OSError, ssl.SSLError):
        return False
    finally:
        tls.setblocking(True)


# --- the report ---

def environment(options):
    def first_line(argv):
        try:
            output = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return (output.stdout + output.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"

    with open("/proc/cpuinfo") as file:
        cpu = next((line.split(":", 1)[1].strip() for line in file
                    if line.startswith("model name")), "?")
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": cpu,
            "cores": os.cpu_count(), "load_average_before": os.getloadavg(),
            "mtlskit": first_line([options.mtlskit, "--version"]),
            "nginx": first_line(["nginx", "-v"]), "haproxy": first_line(["haproxy", "-v"]),
            "h2load": first_line(["h2load", "--version"]),
            "openssl": first_line(["openssl", "version"]),
            "python": sys.version.split()[0], "kernel": os.uname().release}


def summarize(rounds, names):
    def median(phase, key, name):
        values = [one[phase][name][key] for one in rounds]
        return statistics.median(values)

    summary = {}
    for name in names + ["direct"]:
        entry = {"p50_us": median("latency", "p50_us", name),
                 "p99_us": median("latency", "p99_us", name)}
        if name != "direct":
            entry.update({
                "handshake_cpu_us": median("handshake", "server_cpu_us", name),
                "request_cpu_us_h1": median("rps_h1", "proxy_cpu_us_per_request", name),
                "terminate_request_cpu_us_h1": median("rps_h1", "terminate_cpu_us_per_request",
                                                      name),
                "request_cpu_us_h2": median("rps_h2", "proxy_cpu_us_per_request", name),
                "rps_h1": median("rps_h1", "rps", name),
                "rps_h2": median("rps_h2", "rps", name),
                # Round 1 only: later rounds reuse what the allocators kept from earlier
                # phases, so their RSS barely grows.
                "idle_kib": rounds[0]["idle_memory"][name]["kib_per_connection"],
                "failures": sum(one["handshake"][name]["failures"] for one in rounds)
                + sum(one[p][name]["total"] - one[p][name]["ok"] for one in rounds
                      for p in ["rps_h1", "rps_h2"]),
            })
        summary[name] = entry
    for name in names:
        summary[name]["p99_added_us"] = summary[name]["p99_us"] - summary["direct"]["p99_us"]
    return summary


def report(results, summary, options):
    names = [name for name in summary if name != "direct"]
    rows = [
        ("server CPU per full mTLS handshake + 1 request (µs, terminate)", "handshake_cpu_us",
         "{:.0f}"),
        ("of which one kept-alive HTTP/1.1 request (µs, terminate)",
         "terminate_request_cpu_us_h1", "{:.0f}"),
        ("proxy CPU per kept-alive HTTP/1.1 request (µs, originate + terminate)",
         "request_cpu_us_h1", "{:.0f}"),
        ("proxy CPU per HTTP/2 request (µs, originate + terminate)", "request_cpu_us_h2",
         "{:.0f}"),
        ("requests/s, HTTP/1.1 (h2load -c 32)", "rps_h1", "{:.0f}"),
        ("requests/s, HTTP/2 (h2load -c 4 -m 32)", "rps_h2", "{:.0f}"),
        (f"p50 latency at {options.rate * options.clients} req/s (µs)", "p50_us", "{:.0f}"),
        (f"p99 latency at {options.rate * options.clients} req/s (µs)", "p99_us", "{:.0f}"),
        ("p99 added over direct (µs)", "p99_added_us", "{:.0f}"),
        ("memory per idle mTLS connection (KiB RSS, fresh processes)", "idle_kib", "{:.1f}"),
        ("failed requests or handshakes", "failures", "{}"),
    ]
    lines = [f"| | {' | '.join(names)} |", "|---|" + "---|" * len(names)]
    for label, key, form in rows:
        lines.append(f"| {label} | " + " | ".join(form.format(summary[n][key]) for n in names)
                     + " |")
    env = results["environment"]
    lines.append(f"\ndirect to the upstream: p50 {summary['direct']['p50_us']} µs, p99 "
                 f"{summary['direct']['p99_us']} µs; {options.rounds} rounds (medians); load "
                 f"average {env['load_average_before']} before, {env['load_average_after']} after")
    lines.append(", ".join(f"{key}: {env[key]}" for key in
                           ["mtlskit", "nginx", "haproxy", "h2load", "openssl", "cpu", "cores"]))
    ours, others = summary["mtlskit"], [summary[n] for n in names if n != "mtlskit"]
    targets = [
        ("less CPU per handshake than both", all(ours["handshake_cpu_us"] < o["handshake_cpu_us"]
                                                 for o in others)),
        ("more requests/s (HTTP/1.1) than both", all(ours["rps_h1"] > o["rps_h1"]
                                                     for o in others)),
        ("more requests/s (HTTP/2) than both", all(ours["rps_h2"] > o["rps_h2"]
                                                   for o in others)),
        ("p99 added < 1 ms", ours["p99_added_us"] < 1000),
        ("< 64 KiB per idle connection", ours["idle_kib"] < 64),
        ("no failures", ours["failures"] == 0),
    ]
    lines.append("\n" + "\n".join(f"target: {label}: {'met' if ok else 'MISSED'}"
                                  for label, ok in targets))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
