#!/usr/bin/env bash
# `make demo`: `mtlskit pki init` makes a private PKI (root, intermediate, server with SANs,
# a client with its .p12) in a temporary folder, then mtlskit inspects it as text and JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/release/mtlskit"
dir="$(mktemp -d "${TMPDIR:-/tmp}/mtlskit-demo.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
# Without a terminal, pki init makes a random .p12 password and writes it to pki/p12-password.txt.
"$bin" pki init pki --server-san test.com --server-san 127.0.0.1 --client alice </dev/null
cd pki
echo "== mtlskit inspect server.crt ca.crt (made by mtlskit pki init in $dir/pki)"
"$bin" inspect server.crt ca.crt
echo
echo "== mtlskit inspect alice.p12 --password-file p12-password.txt --json | (first lines)"
"$bin" inspect alice.p12 --password-file p12-password.txt --json | head -n 25
echo "..."
echo
echo "== a wrong password gives a coded error and exit code 2:"
echo wrong > wrong-password.txt
"$bin" inspect alice.p12 --password-file wrong-password.txt </dev/null || echo "(exit code $?)"
echo
echo "== mtlskit verify server-fullchain.crt --ca ca.crt --host test.com"
"$bin" verify server-fullchain.crt --ca ca.crt --host test.com
