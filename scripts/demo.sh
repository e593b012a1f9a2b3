#!/usr/bin/env bash
# `make demo`: a small PKI made with openssl (root, intermediate, server with SANs, client
# with a .p12) in a temporary folder, then inspected by mtlskit, once as text and once as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/release/mtlskit"
dir="$(mktemp -d "${TMPDIR:-/tmp}/mtlskit-demo.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
{
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
    -days 3650 -subj "/CN=Demo Root CA" -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj "/CN=test.com"
  printf 'subjectAltName=DNS:test.com,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 398 -extfile server.ext -out server.crt
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout alice.key -out alice.csr -subj "/CN=alice"
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' > client.ext
  openssl x509 -req -in alice.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 398 -extfile client.ext -out alice.crt
  openssl pkcs12 -export -in alice.crt -inkey alice.key -certfile ca.crt -passout pass:demo -out alice.p12
} 2>/dev/null
echo "== mtlskit inspect server.crt ca.crt (a PKI made with openssl in $dir)"
"$bin" inspect server.crt ca.crt
echo
echo "== mtlskit inspect alice.p12 --password demo --json | (first lines)"
"$bin" inspect alice.p12 --password demo --json | head -n 25
echo "..."
echo
echo "== a wrong password gives a coded error and exit code 2:"
"$bin" inspect alice.p12 --password wrong || echo "(exit code $?)"
