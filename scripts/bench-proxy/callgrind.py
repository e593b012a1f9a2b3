#!/usr/bin/env python3
"""User-space instructions per proxied request of mtlskit's originate and terminate processes,
repeatable whatever the load (the wall-clock figures of `run.py` and `compare.py` are not):
the bench's pair (`peers.py`) with both processes under `valgrind --tool=callgrind
--instr-atstart=no`, a 2,000-request warm-up, then collection switched on (`callgrind_control
-i on`) around one h2load run of the bench's shape (HTTP/2 `-c 4 -m 32`, HTTP/1.1 `--h1 -c 32`).
Prints the instructions per request of each process; the profiles stay in OUT for
`callgrind_annotate`.

    python3 scripts/bench-proxy/callgrind.py target/release/mtlskit --protocol h2 --requests 5000"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402
from peers import Bench  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--protocol", choices=["h1", "h2"], default="h2")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--out", help="where the profiles go (default: a new temporary folder)")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    out = options.out or tempfile.mkdtemp(prefix="mtlskit-callgrind-")
    os.makedirs(out, exist_ok=True)
    directory = tempfile.mkdtemp(prefix="mtlskit-bench-callgrind-")
    bench = Bench(binary, directory, os.cpu_count())

    def under_callgrind(name, args, port):
        process = bench.processes.start(name, [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={out}/{name}.%p", binary, "proxy", *args,
            "--log-format", "json"], f"{directory}/{name}.log")
        peers.wait_listening(port, process, name, timeout=60)
        return process

    bench.mtlskit_proxy = under_callgrind
    shape = ["-c", "4", "-m", "32"] if options.protocol == "h2" else ["--h1", "-c", "32"]
    try:
        tool = bench.start_mtlskit()
        url = f"http://127.0.0.1:{tool.originate_h2}/"
        subprocess.run(["h2load", "-n", "2000", *shape, url], check=True, capture_output=True)
        processes = [tool.originate, tool.terminate]
        for process in processes:
            subprocess.run(["callgrind_control", "-i", "on", str(process.pid)], check=True,
                           capture_output=True)
        result = subprocess.run(["h2load", "-n", str(options.requests), *shape, url],
                                check=True, capture_output=True, text=True)
        for process in processes:
            subprocess.run(["callgrind_control", "-i", "off", str(process.pid)], check=True,
                           capture_output=True)
        print("\n".join(line for line in result.stdout.splitlines()
                        if line.startswith("requests:")))
    finally:
        bench.processes.stop_all()
        shutil.rmtree(directory, ignore_errors=True)
    time.sleep(1)  # the profiles are written at exit
    for name in ["mtlskit-originate", "mtlskit-terminate"]:
        total = 0
        for path in glob.glob(f"{out}/{name}.*"):
            with open(path) as profile:
                total += next((int(line.split()[1]) for line in profile
                               if line.startswith("totals:")), 0)
        print(f"{name}: {total / options.requests / 1000:.1f}k instructions per request")
    print(f"profiles in {out}")


if __name__ == "__main__":
    main()
