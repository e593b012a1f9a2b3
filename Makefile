# mtlskit: the two commands a newcomer runs are `make demo` and `make test`.
# Every target installs what it needs through scripts/install-deps.sh (cheap when done).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
BIN := target/release/mtlskit
WASM_TARGET := target/wasm32-unknown-unknown/wasm/mtlskit_wasm.wasm
WASM_INSPECTOR := target/wasm32-unknown-unknown/wasm/mtlskit_wasm_inspector.wasm
# Both wasm modules are built on nightly with the standard library rebuilt for size
# (BENCHMARKS.md "Lean wasm"): `-Zbuild-std` with std's `optimize_for_size`, the
# immediate-abort panic strategy (a panic is the `unreachable` trap it already ended in under
# `panic = "abort"`, without the message formatting and the panic machinery before it) and no
# file/line/column of panic locations. install-deps.sh installs the toolchain and its rust-src.
# The two --cfg pick sha2's and aes's compact software backends (loops instead of unrolled
# rounds) for both modules only; native builds keep the fast ones: -5.3 KB gzipped on the
# whole-API module, -5.9 KB on the inspector's, for PBKDF2 about a quarter slower in wasm
# (BENCHMARKS.md "Lean wasm", 2026-12-03 twelfth session).
WASM_TOOLCHAIN ?= nightly
WASM_CARGO := RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg sha2_backend_soft=\"compact\" --cfg aes_backend_soft=\"compact\"" \
	$(CARGO) +$(WASM_TOOLCHAIN) build --profile wasm --target wasm32-unknown-unknown \
	-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
# --strip-producers / --strip-target-features (last step): two custom sections no runtime reads (-227 B gzipped).
# --converge repeats -Oz until the module stops shrinking; --zero-filled-memory (the module defines
# its own memory, which starts zeroed) and --low-memory-unused (the stack fills the first megabyte
# growing down, data and heap follow: the first 1 KB is reached only by a stack about to overflow)
# let it drop zero runs from the data and fold constant offsets into loads and stores: -5.1 KB
# gzipped on the whole-API module, -2.2 KB on the inspector's (BENCHMARKS.md "Lean wasm",
# 2026-12-03 eleventh session).
# Then scripts/wasm-order.py names the functions in an order that puts similar bodies side by side
# and the second wasm-opt moves them to that order (and writes the code as -Oz would, with its
# StackIR optimisation): gzip finds repeats only within 32 KB. -12.4 KB gzipped on the whole-API
# module, -7.4 KB on the inspector's (BENCHMARKS.md "Lean wasm", 2026-12-04 fifteenth session).
# The target-features section stays until the last step, which reads it.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int
WASM_OPT := node_modules/.bin/wasm-opt -Oz --converge --zero-filled-memory --low-memory-unused \
	$(WASM_FEATURES)
WASM_REORDER := node_modules/.bin/wasm-opt --reorder-functions-by-name -ol 2 -s 2 --generate-stack-ir \
	--optimize-stack-ir --strip-debug --strip-producers --strip-target-features $(WASM_FEATURES)
# $(call wasm_shrink,MODULE): MODULE optimised and reordered in place.
define wasm_shrink
$(WASM_OPT) $(1) -o $(1)
python3 scripts/wasm-order.py $(1) $(1).named
$(WASM_REORDER) $(1).named -o $(1)
rm $(1).named
endef
NODE_ADDON := node/mtlskit.linux-x64-gnu.node

.PHONY: parity parity-runners parity-vectors
.PHONY: demo test test-demo deps build dist test-dist wasm wasm-inspector wasm-size wasm-opt node node-pack bench-npm lint test-rust test-js types test-web bench bench-web bench-proxy bench-pathological limbo web fuzz clean

## demo: the whole product: builds the CLI with the inspector page, makes a PKI, runs a
## terminate + originate proxy pair in front of a small upstream, sends accepted and refused
## requests, serves the inspector; Ctrl-C stops everything. DEMO_ONCE=1: exits by itself.
demo: deps web build
	@scripts/demo.sh

## test: everything CI checks (formatting, lints, Rust tests, Node and wasm parity tests, the
## inspector page in Chromium, `DEMO_ONCE=1 make demo`, the server release of `make dist`, the
## cross-runtime parity vectors)
test: deps lint test-rust test-js test-web test-demo test-dist parity-runners

# After each stage of `make test` (with the prerequisites it ran): the seconds since this make
# started (sub-makes count from the same start), so CI's log shows where its time goes
# (budget: 60 minutes on a fresh machine).
ifndef MAKE_START
MAKE_START := $(shell date +%s)
endif
export MAKE_START
stage_done = @echo "== make $@ done, $$(( $$(date +%s) - $(MAKE_START) )) s after make started"

deps:
	@scripts/install-deps.sh
	$(stage_done)

build:
	$(CARGO) build --release -p mtlskit-proxy

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(stage_done)

# One optimised build serves everything: the Rust tests run with --release, so the CLI that
# the JS and browser tests call and the test binaries share their dependencies with the
# release binary (no second, debug build of the workspace). The napi addon cannot link a test
# harness outside Node, so it is tested from JavaScript.
test-rust: web
	$(CARGO) test --release --workspace --exclude mtlskit-node
	$(stage_done)

test-js: build wasm node node-pack
	node_modules/.bin/tsc --noEmit -p tests/js/types
	MTLSKIT_RUNTIME=node node --test tests/js/
	MTLSKIT_RUNTIME=wasm MTLSKIT_FORCE_WASM=1 node --test tests/js/
	MTLSKIT_RUNTIME=wasm node --test tests/js/robustness.mjs
	$(stage_done)

## test-web: the inspector page in Debian's Chromium (playwright-core) against `mtlskit web`;
## screenshots of each state in target/web-e2e/
test-web: web build
	node --test --test-concurrency=1 tests/web/
	$(stage_done)

## parity: the cross-runtime parity vectors (tests/parity/README.md): the checked-in vectors
## must be what the generator makes; every runtime runs them (the ring signature list in Rust
## and in the CLI's `mtlskit api`, the npm package on its Node addon and on its wasm fallback,
## the page's worker in Chromium) and `compare` fails on any difference; every client-purpose
## vector is replayed as a TLS handshake against `mtlskit proxy terminate`.
parity: deps
	$(CARGO) test --release -p mtlskit-tests --test parity
	$(CARGO) test --release -p mtlskit-proxy --test proxy replay
	$(MAKE) parity-runners

# The runners and compare (`make test` runs the cargo tests above in test-rust).
parity-runners: web build node
	node tests/parity/run.mjs cli
	node tests/parity/run.mjs node
	node tests/parity/run.mjs wasm
	node tests/parity/chromium.mjs
	node tests/parity/compare.mjs
	$(stage_done)

## parity-vectors: rewrite tests/parity/vectors/ after an intended change (review the diff)
parity-vectors:
	MTLSKIT_UPDATE_VECTORS=1 $(CARGO) test --release -p mtlskit-tests --test parity vectors_are

## dist: the server release in target/dist/: the static x86_64-unknown-linux-musl `mtlskit`,
## its man pages and a .deb (binary, systemd units, example /etc/mtlskit/mtlskit.toml, man pages);
## see native-proxy/deploy/README.md
dist: deps web
	scripts/dist.sh

## test-demo: `DEMO_ONCE=1 make demo` as a newcomer runs it (the script exits non-zero when a
## request is answered the wrong way); its output must show both an accepted and a refused request
test-demo: web build
	DEMO_ONCE=1 $(MAKE) --no-print-directory demo 2>&1 | tee target/demo-once.log
	grep -q -- '-> ACCEPTED' target/demo-once.log
	grep -q -- '-> REFUSED' target/demo-once.log
	$(stage_done)

## test-dist: the .deb's contents, its units (systemd-analyze verify), and the demo run with the
## packaged musl binary
test-dist: dist
	scripts/test-dist.sh
	$(stage_done)

## types: regenerate node/api.d.ts from the API's Rust types (`make test` fails when it is stale)
types:
	MTLSKIT_UPDATE_TYPES=1 $(CARGO) test -p mtlskit-tests --test typescript

## wasm: the browser module (wasm/pkg) and a Node copy of it for the tests (wasm/pkg-node)
wasm:
	$(WASM_CARGO) -p mtlskit-wasm
	wasm-bindgen --target web --out-dir wasm/pkg $(WASM_TARGET)
	wasm-bindgen --target nodejs --out-dir wasm/pkg-node $(WASM_TARGET)

## wasm-inspector: the module the inspector page loads first (wasm/inspector/: the inspection
## functions of wasm/ without issuance)
wasm-inspector:
	$(WASM_CARGO) -p mtlskit-wasm-inspector

## wasm-size: where the module's bytes go (code per crate, largest functions; BENCHMARKS.md),
## and what the page's two modules weigh after `make web`
wasm-size: web
	python3 scripts/wasm-size.py $(WASM_TARGET)
	@echo "whole API: $$(gzip -9 < $(WASM_TARGET) | wc -c) bytes gzipped before wasm-bindgen and wasm-opt"
	@for module in web-demo/pkg/mtlskit_wasm_bg.wasm web-demo/pkg/full/mtlskit_wasm_bg.wasm; do \
	  echo "$$module: $$(wc -c < $$module) bytes, $$(gzip -9 < $$module | wc -c) gzipped"; done

## wasm-opt: shrink the browser module with binaryen's wasm-opt (npm; Debian's is too old)
wasm-opt: wasm
	$(call wasm_shrink,wasm/pkg/mtlskit_wasm_bg.wasm)

## node: the npm package's builds: the napi-rs addon (node/mtlskit.linux-x64-gnu.node, the
## napi-rs file name) and the wasm fallback (node/wasm/)
node: wasm
	$(CARGO) build --release -p mtlskit-node
	cp target/release/libmtlskit_node.so $(NODE_ADDON)
	mkdir -p node/wasm
	cp wasm/pkg-node/mtlskit_wasm.js wasm/pkg-node/mtlskit_wasm_bg.wasm node/wasm/

## node-pack: the npm tarballs `mtlskit` and `mtlskit-linux-x64-gnu` in target/npm/ (S8 test)
node-pack: node
	cp $(NODE_ADDON) node/npm/linux-x64-gnu/
	rm -rf target/npm && mkdir -p target/npm
	cd node && npm pack --silent --pack-destination ../target/npm
	cd node/npm/linux-x64-gnu && npm pack --silent --pack-destination ../../../target/npm

## bench: criterion benches and the whole-process comparison with openssl (see BENCHMARKS.md)
bench: deps build
	$(CARGO) bench -p mtlskit --bench inspect
	scripts/bench-inspect.sh
	$(CARGO) bench -p mtlskit --bench verify
	scripts/bench-verify.sh
	$(CARGO) bench -p mtlskit --bench pathological
	$(CARGO) bench -p mtlskit --bench issue
	core/benches/pki_init_vs_openssl.sh $(BIN) 20

## bench-web: what the page loads (gzipped), drop-to-verdict, first load, and the main thread's
## longest task while a 2,880-certificate bundle is inspected (figures in BENCHMARKS.md)
bench-web: web build
	node tests/web/bench.mjs

## bench-proxy: mtlskit proxy against Debian's nginx and HAProxy 2.6, each terminating and
## originating mTLS with the same P-256 certificates: server CPU per handshake, requests/s
## (HTTP/1.1, HTTP/2), p99 added, memory per idle connection (BENCHMARKS.md "Proxy"). Not in
## CI: installs haproxy and h2load (install-deps.sh bench). ARGS="--rounds 1" for a short run.
bench-proxy: build
	@scripts/install-deps.sh bench
	python3 scripts/bench-proxy/run.py --mtlskit $(BIN) $(ARGS)

## bench-pathological: release timings of the worst verification inputs (issue 7 point 3)
bench-pathological:
	$(CARGO) bench -p mtlskit --bench pathological

## limbo: x509-limbo conformance of the verifier: match / unexpected success / unexpected failure
## / skipped per namespace (the thresholds are asserted by `cargo test --test limbo`)
limbo:
	$(CARGO) run --release -p mtlskit-tests --bin limbo -- --report ../shared/conformance/limbo/limbo-dev.json ../shared/conformance/limbo/bettertls-pathbuilding-dev.json

## fuzz: a fuzzing campaign on nightly (cargo-fuzz, installed pinned), one target at a time
## under nice: FUZZ_SECONDS per target (default 300), FUZZ_TARGETS to choose; not part of
## `make test`, which replays the corpora on stable (core/fuzz/README.md)
fuzz:
	core/fuzz/campaign.sh

## web: the inspector site, ready to serve as static files: web-demo/ with the optimised modules
## in web-demo/pkg/ (not committed): the inspector module, loaded first, and in pkg/full/ the
## whole API, loaded when the page creates a test PKI. `mtlskit web` serves the same files
## from the binary.
web: wasm wasm-inspector web-demo/pkg/main.js

# Rebuilt only when cargo produced a new module (wasm-opt takes a minute each); a failed step
# removes the half-made file (.DELETE_ON_ERROR) so that the next run starts again.
.DELETE_ON_ERROR:
web-demo/pkg/mtlskit_wasm_bg.wasm: $(WASM_TARGET) $(WASM_INSPECTOR)
	rm -rf web-demo/pkg
	wasm-bindgen --target web --no-typescript --out-name mtlskit_wasm --out-dir web-demo/pkg $(WASM_INSPECTOR)
	wasm-bindgen --target web --no-typescript --out-dir web-demo/pkg/full $(WASM_TARGET)
	$(call wasm_shrink,web-demo/pkg/full/mtlskit_wasm_bg.wasm)
	$(call wasm_shrink,web-demo/pkg/mtlskit_wasm_bg.wasm)
	rm -f web-demo/pkg/package.json web-demo/pkg/.gitignore web-demo/pkg/full/package.json web-demo/pkg/full/.gitignore

# The page's two scripts, web-demo/src/ bundled with esbuild (scripts/web-build.mjs, under a
# second), and the check of the inline script's hash in the page's policy: again whenever a
# source, the page or the module's JavaScript changed.
web-demo/pkg/main.js web-demo/pkg/worker.js &: web-demo/pkg/mtlskit_wasm_bg.wasm $(wildcard web-demo/src/*.js) web-demo/index.html scripts/web-build.mjs
	node scripts/web-build.mjs
	@echo "web-demo/ is ready: serve it with 'mtlskit web' (after a build) or any static server"

clean:
	$(CARGO) clean
	rm -rf wasm/pkg wasm/pkg-node web-demo/pkg target/dist $(NODE_ADDON) node/wasm node/npm/*/*.node
