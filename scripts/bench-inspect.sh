#!/usr/bin/env bash
# Whole-process comparison (issue 8: inspect the system bundle at least 15x faster than openssl):
#   mtlskit inspect --json BUNDLE
#   openssl crl2pkcs7 -nocrl -certfile BUNDLE | openssl pkcs7 -print_certs -text -noout
# Needs hyperfine (installed by scripts/install-deps.sh) and a release build. The release build
# (target/release/mtlskit, dynamically linked with glibc) is always measured; the static musl
# binary that `make dist` ships (target/dist/mtlskit, built with fat LTO) is measured
# too when it has been built, in the same run: both figures belong in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=/etc/ssl/certs/ca-certificates.crt
shipped=target/dist/mtlskit
echo "certificates in $bundle: $(grep -c 'BEGIN CERTIFICATE' "$bundle")"
commands=(-n "mtlskit inspect --json" "target/release/mtlskit inspect --json $bundle > /dev/null")
if [ -x "$shipped" ]; then
  commands+=(-n "mtlskit inspect --json (make dist's static musl binary)" "$shipped inspect --json $bundle > /dev/null")
else
  echo "($shipped not built: run make dist to measure the shipped binary too)"
fi
hyperfine --warmup 3 --min-runs 20 --export-markdown target/bench-inspect.md "${commands[@]}" \
  -n "openssl pkcs7 -print_certs -text" "openssl crl2pkcs7 -nocrl -certfile $bundle | openssl pkcs7 -print_certs -text -noout > /dev/null"
cat target/bench-inspect.md
