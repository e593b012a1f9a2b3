#!/usr/bin/env bash
# Which rustls crypto provider (BENCHMARKS.md "rustls crypto provider"): for ring and aws-lc-rs,
#   1. a clean build, 2 jobs, of a crate depending on rustls-webpki with that provider (dev
#      profile with dependencies at opt-level 2 as in this workspace, then release);
#   2. user CPU time of 15 000 verifications of one P-256 and one RSA-2048 SHA-256 signature.
# Needs network access to crates.io (first run) and openssl. Takes about 10 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
cat > Cargo.toml <<'TOML'
[package]
name = "provider-measure"
version = "0.1.0"
edition = "2024"

[dependencies]
rustls-webpki = { version = "0.103", default-features = false, features = ["std"] }
rustls-pki-types = "1.12"

[features]
ring = ["rustls-webpki/ring"]
aws = ["rustls-webpki/aws-lc-rs"]

[profile.dev]
opt-level = 1
[profile.dev.package."*"]
opt-level = 2
TOML
mkdir src
cp "$here/bench-provider/main.rs" src/main.rs
head -c 600 /dev/urandom > msg.bin
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
for key in p256 rsa; do
  openssl pkey -in "$key.key" -pubout -outform DER -out "$key.spki"
  openssl dgst -sha256 -sign "$key.key" -out "$key.sig" msg.bin
done
cargo fetch --quiet
for provider in ring aws; do
  for profile in dev release; do
    flag=$([ "$profile" = release ] && echo --release || true)
    /usr/bin/time -f "clean build, $provider, $profile, -j2: %e s wall, %U s user + %S s sys" \
      cargo build --quiet -j2 $flag --features "$provider" --target-dir "target-$provider"
  done
done
cargo build --quiet --release --features ring,aws --target-dir target-aws
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for case in "ring p256" "aws-lc-rs p256" "ring rsa" "aws-lc-rs rsa"; do
  /usr/bin/time -f "$case: %U s user CPU for 15000 verifications" \
    target-aws/release/provider-measure "$case" > /dev/null
done
