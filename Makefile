# mtlskit: the two commands a newcomer runs are `make demo` and `make test`.
# Every target installs what it needs through scripts/install-deps.sh (cheap when done).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
BIN := target/release/mtlskit
WASM_TARGET := target/wasm32-unknown-unknown/release/mtlskit_wasm.wasm
NODE_ADDON := node/mtlskit.node

.PHONY: demo test deps build wasm wasm-opt node lint test-rust test-js bench bench-pathological limbo web clean

## demo: build the CLI, make a PKI with `mtlskit pki init` and inspect it
demo: build
	@scripts/demo.sh

## test: everything CI checks (formatting, lints, Rust tests, Node and wasm parity tests)
test: deps lint test-rust test-js

deps:
	@scripts/install-deps.sh

build:
	$(CARGO) build --release -p mtlskit-proxy

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# The napi addon cannot link a test harness outside Node, so it is tested from JavaScript.
test-rust: build
	$(CARGO) test --workspace --exclude mtlskit-node

test-js: build wasm node
	MTLSKIT_RUNTIME=node node --test tests/js/
	MTLSKIT_RUNTIME=wasm node --test tests/js/

## wasm: the browser module (wasm/pkg) and a Node copy of it for the tests (wasm/pkg-node)
wasm:
	$(CARGO) build --release -p mtlskit-wasm --target wasm32-unknown-unknown
	wasm-bindgen --target web --out-dir wasm/pkg $(WASM_TARGET)
	wasm-bindgen --target nodejs --out-dir wasm/pkg-node $(WASM_TARGET)

## wasm-opt: shrink the browser module with binaryen's wasm-opt (npm; Debian's is too old)
wasm-opt: wasm
	node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int wasm/pkg/mtlskit_wasm_bg.wasm -o wasm/pkg/mtlskit_wasm_bg.wasm

## node: the napi-rs addon, next to node/index.js
node:
	$(CARGO) build --release -p mtlskit-node
	cp target/release/libmtlskit_node.so $(NODE_ADDON)

## bench: criterion benches and the whole-process comparison with openssl (see BENCHMARKS.md)
bench: deps build
	$(CARGO) bench -p mtlskit --bench inspect
	scripts/bench-inspect.sh
	$(CARGO) bench -p mtlskit --bench verify
	scripts/bench-verify.sh
	$(CARGO) bench -p mtlskit --bench pathological
	$(CARGO) bench -p mtlskit --bench issue
	core/benches/pki_init_vs_openssl.sh $(BIN) 20

## bench-pathological: release timings of the worst verification inputs (issue 7 point 3)
bench-pathological:
	$(CARGO) bench -p mtlskit --bench pathological

## limbo: x509-limbo conformance of the verifier: match / unexpected success / unexpected failure
## / skipped per namespace (the thresholds are asserted by `cargo test --test limbo`)
limbo:
	$(CARGO) run --release -p mtlskit-tests --bin limbo -- --report ../shared/conformance/limbo/limbo-dev.json ../shared/conformance/limbo/bettertls-pathbuilding-dev.json

## web: serve the inspector page on http://127.0.0.1:8000/web-demo/
web: wasm-opt
	python3 -m http.server --bind 127.0.0.1 8000

clean:
	$(CARGO) clean
	rm -rf wasm/pkg wasm/pkg-node $(NODE_ADDON)
