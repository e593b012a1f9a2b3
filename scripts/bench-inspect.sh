#!/usr/bin/env bash
# Whole-process comparison (issue: inspect the system bundle at least 2x faster than openssl):
#   mtlskit inspect --json BUNDLE
#   openssl crl2pkcs7 -nocrl -certfile BUNDLE | openssl pkcs7 -print_certs -text -noout
# Needs hyperfine (installed by scripts/install-deps.sh) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=/etc/ssl/certs/ca-certificates.crt
echo "certificates in $bundle: $(grep -c 'BEGIN CERTIFICATE' "$bundle")"
hyperfine --warmup 3 --min-runs 20 --export-markdown target/bench-inspect.md \
  -n "mtlskit inspect --json" "target/release/mtlskit inspect --json $bundle > /dev/null" \
  -n "openssl pkcs7 -print_certs -text" "openssl crl2pkcs7 -nocrl -certfile $bundle | openssl pkcs7 -print_certs -text -noout > /dev/null"
cat target/bench-inspect.md
