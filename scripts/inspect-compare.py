#!/usr/bin/env python3
"""Compares `mtlskit inspect` of two binaries: stdout, stderr and exit code, JSON and text.

    scripts/inspect-compare.py BASE_BINARY NEW_BINARY [WORK_DIR]

Inputs (written to WORK_DIR, default target/inspect-compare): the fixtures of tests/parity/inputs
(with and without their password), every request of the parity vectors (tests/parity/vectors/
inspect.json), the fuzz corpora (core/fuzz/corpus), the system bundle and several files at once,
and mangled certificates (PEM and DER of every 9th certificate of the bundle and of some limbo
and BetterTLS certificates: truncations and one-byte changes). Used to show that a change to
inspection keeps its output byte for byte (BENCHMARKS.md "Inspection"). Exits 1 on a difference.
"""

import base64
import json
import os
import pathlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUNDLE = pathlib.Path("/etc/ssl/certs/ca-certificates.crt")
AT = "2026-12-02T00:00:00Z"


def pem_blocks(text):
    blocks, start = [], 0
    while True:
        begin = text.find("-----BEGIN CERTIFICATE-----", start)
        if begin < 0:
            return blocks
        end = text.find("-----END CERTIFICATE-----", begin)
        if end < 0:
            return blocks
        end += len("-----END CERTIFICATE-----")
        blocks.append(text[begin:end] + "\n")
        start = end


def der_of(pem):
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    return base64.b64decode(body)


def to_pem(der):
    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def limbo_certificates(every):
    found = []
    folder = ROOT / ".." / "shared" / "conformance" / "limbo"
    if not folder.is_dir():
        folder = ROOT.parent / "shared" / "conformance" / "limbo"
    for suite in ["limbo-dev.json", "bettertls-pathbuilding-dev.json"]:
        path = folder / suite
        if not path.exists():
            continue

        def walk(value):
            if isinstance(value, str) and "-----BEGIN CERTIFICATE" in value:
                found.extend(pem_blocks(value))
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)

        walk(json.loads(path.read_text()))
    return found[::every]


def inputs(work):
    """(name, [files], password) for each invocation."""
    work.mkdir(parents=True, exist_ok=True)
    cases = []

    def write(name, data):
        path = work / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(path)

    for path in sorted((ROOT / "tests" / "parity" / "inputs").iterdir()):
        if path.suffix in (".sh",):
            continue
        cases.append((path.name, [str(path)], None))
        if path.suffix in (".p12", ".key"):
            cases.append((path.name + "+password", [str(path)], "parity"))
            cases.append((path.name + "+wrong", [str(path)], "wrong"))
    vectors = json.loads((ROOT / "tests" / "parity" / "vectors" / "inspect.json").read_text())
    for number, vector in enumerate(vectors["vectors"]):
        request = vector["request"]
        data = request["data"]
        if isinstance(data, dict):
            data = bytes.fromhex(data["$hex"])
        elif isinstance(data, list):
            data = bytes(data)
        file = write(f"vector-{number}", data)
        cases.append((vector["id"], [file], request.get("password")))
    for path in sorted((ROOT / "core" / "fuzz" / "corpus").rglob("*")):
        if path.is_file():
            cases.append((str(path.relative_to(ROOT)), [str(path)], None))
    bundle_text = BUNDLE.read_text()
    cases.append(("bundle", [str(BUNDLE)], None))
    certificates = pem_blocks(bundle_text)
    cases.append(
        (
            "several files",
            [str(BUNDLE), str(ROOT / "tests" / "parity" / "inputs" / "p256.csr"), "/nonexistent"],
            None,
        )
    )
    chosen = certificates[::9] + limbo_certificates(97)
    for number, pem in enumerate(chosen):
        der = der_of(pem)
        cases.append((f"der-{number}", [write(f"der-{number}", der)], None))
        for length in sorted({0, 1, 2, 3, 4, 10, len(der) // 3, len(der) // 2, len(der) - 1}):
            name = f"der-{number}-cut-{length}"
            cases.append((name, [write(name, der[:length])], None))
        step = max(1, len(der) // 40)
        for position in range(0, len(der), step):
            for value in (0x00, 0xFF, der[position] ^ 0x01, 0x30, 0x81):
                changed = bytearray(der)
                changed[position] = value
                name = f"der-{number}-at-{position}-{value}"
                data = bytes(changed)
                if number % 2 == 0:
                    cases.append((name + ".pem", [write(name + ".pem", to_pem(data))], None))
                else:
                    cases.append((name, [write(name, data)], None))
        text = pem
        for cut in (5, len(text) // 2, len(text) - 30, len(text) - 2):
            name = f"pem-{number}-cut-{cut}"
            cases.append((name, [write(name, text[:cut])], None))
        lines = text.splitlines()
        if len(lines) > 3:
            name = f"pem-{number}-line-dropped"
            cases.append((name, [write(name, "\n".join(lines[:2] + lines[3:]) + "\n")], None))
            name = f"pem-{number}-crlf"
            cases.append((name, [write(name, text.replace("\n", "\r\n"))], None))
    return cases


def run(binary, files, password, json_output):
    command = [binary, "inspect", "--at", AT]
    if json_output:
        command.append("--json")
    if password is not None:
        command += ["--password", password]
    command += files
    done = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1"},
    )
    return done.returncode, done.stdout, done.stderr


def compare(base, new, case):
    name, files, password = case
    differences = []
    for json_output in (True, False):
        before = run(base, files, password, json_output)
        after = run(new, files, password, json_output)
        if before != after:
            differences.append(f"{name} ({'json' if json_output else 'text'})")
        if after[0] not in (0, 1, 2):
            differences.append(f"{name}: exit code {after[0]}")
    return differences


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    base, new = sys.argv[1], sys.argv[2]
    work = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else ROOT / "target" / "inspect-compare")
    cases = inputs(work)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda case: compare(base, new, case), cases))
    differences = [line for result in results for line in result]
    for line in differences[:50]:
        print("differs:", line)
    print(f"{len(cases) * 2} invocations of each binary compared: {len(differences)} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
