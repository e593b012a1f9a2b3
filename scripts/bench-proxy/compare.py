#!/usr/bin/env python3
"""Same-run comparison of mtlskit builds (e.g. a copy of the binary before a change against the
new one): each build gets its own originate -> terminate pair in front of the same upstream
(`peers.py`), and rounds interleave the builds, so that the load of other processes hits them
alike. Prints, per build and protocol, the medians of the proxy CPU per request
(utime+stime of both processes, as `run.py` measures it) and of requests/s.

    python3 scripts/bench-proxy/compare.py /tmp/mtlskit-before target/release/mtlskit"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import Bench  # noqa: E402
from run import throughput  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10000)
    options = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="mtlskit-bench-compare-")
    bench = Bench(os.path.abspath(options.binaries[0]), directory, os.cpu_count())
    try:
        tools = []
        for index, binary in enumerate(options.binaries):
            bench.mtlskit = os.path.abspath(binary)
            tool = bench.start_mtlskit()
            tool.name = f"{index}: {binary}"
            tools.append(tool)
        results = {(tool.name, protocol): [] for tool in tools for protocol in ["h1", "h2"]}
        for round_index in range(options.rounds):
            for protocol in ["h1", "h2"]:
                for tool in tools:
                    results[(tool.name, protocol)].append(
                        throughput(tool, protocol, options.requests))
            print(f"round {round_index + 1}/{options.rounds}, load average {os.getloadavg()}",
                  flush=True)
        for (name, protocol), rows in results.items():
            cpu = [row["proxy_cpu_us_per_request"] for row in rows]
            failures = sum(row["total"] - row["ok"] for row in rows)
            print(f"{name} {protocol}: CPU per request {statistics.median(cpu):.0f} µs "
                  f"(rounds {', '.join(f'{value:.0f}' for value in cpu)}), "
                  f"{statistics.median(row['rps'] for row in rows):.0f} req/s, "
                  f"{failures} failures")
    finally:
        bench.processes.stop_all()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
