#!/usr/bin/env bash
# `make dist`: the server release in target/dist/: the static x86_64-unknown-linux-musl
# `mtlskit` (ring's C and assembly built with Debian's musl-gcc), its man pages generated from
# the clap definition (native-proxy/examples/manpages.rs) and the .deb made by cargo-deb from
# [package.metadata.deb] in native-proxy/Cargo.toml (binary, systemd units, example
# configuration, man pages). Only mtlskit-proxy is built for musl, in the `dist` profile
# (release with fat LTO in one codegen unit: root Cargo.toml), so it lands in
# target/x86_64-unknown-linux-musl/dist/; the man page generator reuses the host release build
# that the tests made.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO="${CARGO:-cargo}"
TARGET=x86_64-unknown-linux-musl
PROFILE=dist
DIST=target/dist

export CC_x86_64_unknown_linux_musl=musl-gcc
# The musl binary's memcpy, memmove and memcmp (native-proxy/musl/fastmem.c, linked by
# native-proxy/build.rs) against byte loops, compiled as build.rs compiles them.
mkdir -p target
musl-gcc -O2 -static -ffreestanding -fno-tree-loop-distribute-patterns \
  native-proxy/musl/fastmem-test.c native-proxy/musl/fastmem.c -o target/fastmem-test
target/fastmem-test
"$CARGO" build --profile "$PROFILE" --locked -p mtlskit-proxy --target "$TARGET"

# The man pages go beside the musl binary, where cargo-deb looks for `target/release/...`
# assets when packaging for the musl target in that profile.
MAN="target/$TARGET/$PROFILE/man"
rm -rf "$DIST" "$MAN"
"$CARGO" run --release --locked --quiet -p mtlskit-proxy --example manpages -- "$MAN"
gzip -9n "$MAN"/*.1
mkdir -p "$DIST"
cp "target/$TARGET/$PROFILE/mtlskit" "$DIST/mtlskit"
cp -r "$MAN" "$DIST/man"
"$CARGO" deb --locked -p mtlskit-proxy --target "$TARGET" --profile "$PROFILE" --no-build --output "$DIST/"
echo "target/dist/: $(cd "$DIST" && echo mtlskit *.deb) and $(ls "$DIST/man" | wc -l) man pages"
