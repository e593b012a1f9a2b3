#!/usr/bin/env bash
# `make test-dist` (part of `make test`): checks what `make dist` made. The .deb holds the
# binary, both units, the example configuration (a conffile) and the man pages (dpkg-deb -c /
# -I); the units pass `systemd-analyze verify` against the unpacked package; the binary is
# static; and the binary from the package runs the demo (pki init, the terminate + originate
# pair, accepted and refused requests, the inspector) with DEMO_ONCE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=target/dist
debs=("$DIST"/mtlskit_*_amd64.deb)
deb="${debs[0]}"
[ -f "$deb" ] || { echo "test-dist: no .deb in $DIST: run make dist" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/mtlskit-test-dist.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

echo "== dpkg-deb -c $deb"
dpkg-deb -c "$deb" | tee "$work/contents"
for path in ./usr/bin/mtlskit ./lib/systemd/system/mtlskit.service \
  ./lib/systemd/system/mtlskit.socket ./etc/mtlskit/mtlskit.toml \
  ./usr/share/man/man1/mtlskit.1.gz ./usr/share/man/man1/mtlskit-proxy-run.1.gz \
  ./usr/share/doc/mtlskit/README.md; do
  grep -q " $path\$" "$work/contents" || fail "$path is not in the package"
done
grep -q '^-rwxr-xr-x .* ./usr/bin/mtlskit$' "$work/contents" || fail "usr/bin/mtlskit is not 0755"

echo "== dpkg-deb -I $deb"
dpkg-deb -I "$deb" | tee "$work/info"
grep -q '^ Package: mtlskit$' "$work/info" || fail "package name"
grep -q '^ Architecture: amd64$' "$work/info" || fail "architecture"
grep -q '^ Depends: *[^ ]' "$work/info" && fail "a static binary needs no Depends"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/mtlskit/mtlskit.toml ||
  fail "/etc/mtlskit/mtlskit.toml is not a conffile"

root="$work/root"
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin/mtlskit"
echo "== the binary: $(ldd "$bin" 2>&1 | tr -d '\t')"
ldd "$bin" 2>&1 | grep -Eq 'not a dynamic executable|statically linked' || fail "the binary is not static"
"$bin" --version

echo "== systemd-analyze verify (units as installed)"
unit_dir="$root/lib/systemd/system"
grep -qx 'Type=notify' "$unit_dir/mtlskit.service" || fail "Type=notify"
for directive in NoNewPrivileges=yes ProtectSystem=strict DynamicUser=yes; do
  grep -qx "$directive" "$unit_dir/mtlskit.service" || fail "$directive missing"
done
if command -v systemd-analyze >/dev/null; then
  # The units as installed, with ExecStart pointing at the unpacked binary (verify checks
  # that it exists); any warning (unknown key, bad value) fails.
  mkdir "$work/units"
  for unit in mtlskit.service mtlskit.socket; do
    sed "s#/usr/bin/mtlskit#$bin#g" "$unit_dir/$unit" >"$work/units/$unit"
  done
  systemd-analyze verify --man=no "$work/units/mtlskit.service" "$work/units/mtlskit.socket" \
    >"$work/verify" 2>&1 || fail "systemd-analyze verify"
  cat "$work/verify"
  grep -q . "$work/verify" && fail "systemd-analyze verify printed warnings"
  systemd-analyze security --offline=yes "$work/units/mtlskit.service" 2>/dev/null | tail -n 1 || true
else
  fail "systemd-analyze is missing (Debian package systemd)"
fi

echo "== man pages"
zcat "$root/usr/share/man/man1/mtlskit-proxy-run.1.gz" | grep -q '^\.TH mtlskit-proxy-run 1' ||
  fail "mtlskit-proxy-run.1 has no .TH header"

echo "== the demo with the packaged binary (pki init, proxy round trip, inspector)"
DEMO_ONCE=1 MTLSKIT_BIN="$bin" scripts/demo.sh | tee "$work/demo"
[ "$(grep -c -- '-> ACCEPTED' "$work/demo")" = 3 ] || fail "the demo's accepted requests"
[ "$(grep -c -- '-> REFUSED' "$work/demo")" = 2 ] || fail "the demo's refused requests"

if [ "$failures" -ne 0 ]; then
  echo "test-dist: $failures failure(s)" >&2
  exit 1
fi
echo "test-dist: ok"
