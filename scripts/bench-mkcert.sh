#!/usr/bin/env bash
# A fresh private PKI, whole processes, mtlskit against mkcert (Debian's `mkcert`, not
# installed by `make test`): `mtlskit pki init` (root, intermediate, server for localhost and
# 127.0.0.1, client alice with .p12) and mkcert's equivalent (its CA, created on first use,
# an ECDSA server certificate for the same names, an ECDSA client certificate with .p12).
# Usage: scripts/bench-mkcert.sh [MTLSKIT_BIN] [RUNS]; figures in BENCHMARKS.md.
set -euo pipefail
bin="$(realpath "${1:-target/release/mtlskit}")"
runs="${2:-15}"
command -v mkcert >/dev/null || { echo "apt-get install mkcert first" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/mtlskit-bench-mkcert.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat >"$work/mtlskit.sh" <<SCRIPT
#!/bin/sh
set -e
d=\$(mktemp -d "$work/run.XXXXXX")
"$bin" pki init "\$d/pki" --client alice </dev/null >/dev/null
rm -rf "\$d"
SCRIPT
cat >"$work/mkcert.sh" <<SCRIPT
#!/bin/sh
set -e
d=\$(mktemp -d "$work/run.XXXXXX")
cd "\$d"
CAROOT="\$d/ca" mkcert -ecdsa -cert-file server.crt -key-file server.key localhost 127.0.0.1 2>/dev/null
CAROOT="\$d/ca" mkcert -ecdsa -client -pkcs12 -p12-file alice.p12 alice 2>/dev/null
cd / && rm -rf "\$d"
SCRIPT
chmod +x "$work/mtlskit.sh" "$work/mkcert.sh"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 2 --runs "$runs" -n "mtlskit pki init" "$work/mtlskit.sh" -n "mkcert (CA + server + client .p12)" "$work/mkcert.sh"
