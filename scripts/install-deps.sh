#!/usr/bin/env bash
# Installs everything `make test` needs on a fresh Debian machine, skipping what is already
# there so that reruns are cheap. Every version is pinned here or in a lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
CARGO_DEB_VERSION=3.8.0
# chromium: the browser the inspector's end-to-end tests drive (playwright-core, from npm).
# python3-venv: the venv of the proxy's gRPC peer (grpcio); systemd: systemd-socket-activate
# for the proxy's socket activation test.
# openjdk-17-jdk-headless: javac for the Java keystore tests (keytool comes with the JRE).
# musl-tools: musl-gcc, which builds ring's C for the static binary of `make dist`.
APT_PACKAGES=(openssl ca-certificates curl default-jre-headless openjdk-17-jdk-headless hyperfine nginx chromium python3-venv systemd musl-tools)
# `install-deps.sh bench` (make bench-proxy, not CI): the proxy's benchmark peers, HAProxy 2.6
# and h2load (nghttp2-client).
if [ "${1:-}" = "bench" ]; then
  APT_PACKAGES+=(haproxy nghttp2-client)
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
rustup target list --installed | grep -q '^x86_64-unknown-linux-musl$' || rustup target add x86_64-unknown-linux-musl
# The wasm modules are built on nightly with `-Zbuild-std` (Makefile WASM_TOOLCHAIN; measured
# with rustc 1.97.0-nightly 2026-05-19): the toolchain and the standard library's source. The
# standard library is compiled from that source, so no prebuilt wasm32 target is needed.
WASM_TOOLCHAIN=${WASM_TOOLCHAIN:-nightly}
rustup run "$WASM_TOOLCHAIN" rustc --version >/dev/null 2>&1 || rustup toolchain install "$WASM_TOOLCHAIN" --profile minimal
rustup +"$WASM_TOOLCHAIN" component list --installed | grep -q '^rust-src' || rustup +"$WASM_TOOLCHAIN" component add rust-src
# The flags (-Cpanic=immediate-abort, -Zlocation-detail=none, -Zbuild-std-features) are unstable:
# say which nightly builds the modules, so a size change or a refused flag is traced to it.
wasm_rustc=$(rustup run "$WASM_TOOLCHAIN" rustc --version)
case "$wasm_rustc" in
  *"2026-05-19"*) ;;
  *) echo "note: the wasm modules are built with $wasm_rustc; sizes in BENCHMARKS.md were measured with rustc 1.97.0-nightly (e50aa6fba 2026-05-19)" ;;
esac

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# cargo-deb for `make dist` (the .deb), without its optional xz (liblzma) dependency.
if [ "$(cargo deb --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DEB_VERSION" ]; then
  echo "installing cargo-deb $CARGO_DEB_VERSION (a minute or two, once)"
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked --no-default-features
fi

# Node tools (binaryen's wasm-opt, playwright-core) from the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Python peers of the proxy tests (grpcio), pinned in native-proxy/tests/proxy/requirements.txt.
REQUIREMENTS=native-proxy/tests/proxy/requirements.txt
if [ ! -x .tools/venv/bin/python ] || [ "$REQUIREMENTS" -nt .tools/venv/.installed ]; then
  echo "creating .tools/venv (grpcio, for the proxy gRPC tests)"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  touch .tools/venv/.installed
fi
