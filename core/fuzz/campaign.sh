#!/usr/bin/env bash
# A fuzzing campaign (`make fuzz`): every target in turn on nightly, one job at a time under
# `nice`, for FUZZ_SECONDS each (default 300; FUZZ_TARGETS chooses targets, FUZZ_LONG_SECONDS
# is given to decode, verify and pkcs12, default 2 x FUZZ_SECONDS). Inputs that add coverage
# go to corpus/TARGET/ (minimise with `cargo +nightly fuzz cmin --fuzz-dir core/fuzz TARGET`
# before committing), crashes to artifacts/TARGET/. Prints one Markdown row per target for
# BENCHMARKS.md: target, seconds, executions, executions/s, crashes.
set -euo pipefail
cd "$(dirname "$0")/../.."
CARGO_FUZZ_VERSION=0.13.1
FUZZ_SECONDS=${FUZZ_SECONDS:-300}
FUZZ_LONG_SECONDS=${FUZZ_LONG_SECONDS:-$((2 * FUZZ_SECONDS))}
ALL="decode certificate csr crl keys pkcs12 keystore inspect verify trust_store differential api proxy_config proxy_protocol"
FUZZ_TARGETS=${FUZZ_TARGETS:-$ALL}

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "make fuzz needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    nice -n 10 cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
nice -n 10 cargo +nightly fuzz build --fuzz-dir core/fuzz
logs=target/fuzz-logs
mkdir -p "$logs"
echo "| target | seconds | executions | executions/s | crashes |"
echo "|---|---:|---:|---:|---:|"
for target in $FUZZ_TARGETS; do
    seconds=$FUZZ_SECONDS
    case $target in decode | verify | pkcs12) seconds=$FUZZ_LONG_SECONDS ;; esac
    log="$logs/$target.log"
    # -timeout: the KDF limits allow ~3 s of derivation per file; 20 s is a hang.
    status=0
    (cd "$logs" && nice -n 10 cargo +nightly fuzz run --fuzz-dir ../../core/fuzz "$target" -- \
        -max_total_time="$seconds" -jobs=1 -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 >/dev/null 2>&1) || status=$?
    cat "$logs/fuzz-0.log" > "$log" 2>/dev/null || true
    executions=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
    crashes=$(find "core/fuzz/artifacts/$target" -type f 2>/dev/null | wc -l)
    echo "| $target | $seconds | $executions | $((executions / seconds)) | $crashes |"
    if [ "$status" -ne 0 ]; then
        echo "  $target stopped with status $status: see $log and core/fuzz/artifacts/$target/" >&2
    fi
done
