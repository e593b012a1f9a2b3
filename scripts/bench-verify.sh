#!/usr/bin/env bash
# Whole-process comparison (verification issue: faster than `openssl verify` per chain):
# 100 different root -> intermediate -> leaf P-256 chains made with openssl, each verified once by
#   openssl verify -CAfile root.crt -untrusted intN.crt -purpose sslserver -verify_hostname H leafN.crt
#   mtlskit verify leafN.crt --untrusted intN.crt --ca root.crt --host H
# Needs openssl and a release build (make build).
set -euo pipefail
cd "$(dirname "$0")/.."
mtlskit="$PWD/target/release/mtlskit"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
printf '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > ca.ext
printf '[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:chain.example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > leaf.ext
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
key root
openssl req -new -key root.key -subj /CN=Timing-Root -out root.csr
openssl x509 -req -in root.csr -signkey root.key -days 3650 -sha256 -extfile ca.ext -extensions v3 -out root.crt 2>/dev/null
for i in $(seq 1 100); do
  key "int$i"; key "leaf$i"
  openssl req -new -key "int$i.key" -subj "/CN=Timing-Int-$i" -out "int$i.csr"
  openssl x509 -req -in "int$i.csr" -CA root.crt -CAkey root.key -CAcreateserial -days 3650 -sha256 -extfile ca.ext -extensions v3 -out "int$i.crt" 2>/dev/null
  openssl req -new -key "leaf$i.key" -subj /CN=chain.example.com -out "leaf$i.csr"
  openssl x509 -req -in "leaf$i.csr" -CA "int$i.crt" -CAkey "int$i.key" -CAcreateserial -days 365 -sha256 -extfile leaf.ext -extensions v3 -out "leaf$i.crt" 2>/dev/null
done
time_it() {
  local start end
  start=$(date +%s%N)
  "$@"
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 ))"
}
run_openssl() { for i in $(seq 1 100); do openssl verify -CAfile root.crt -untrusted "int$i.crt" -purpose sslserver -verify_hostname chain.example.com "leaf$i.crt" > /dev/null; done; }
run_mtlskit() { for i in $(seq 1 100); do "$mtlskit" verify "leaf$i.crt" --untrusted "int$i.crt" --ca root.crt --host chain.example.com > /dev/null; done; }
echo "openssl verify, 100 chains: $(time_it run_openssl) ms"
echo "mtlskit verify, 100 chains: $(time_it run_mtlskit) ms"
