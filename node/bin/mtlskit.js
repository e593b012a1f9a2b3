#!/usr/bin/env node
'use strict';
// `npx mtlskit ...`: the certificate commands of the native `mtlskit` binary (pki init, cert
// new, csr new|sign, key new, inspect, verify, convert, bundle, probe), run by the same Rust
// code through the native addon: same flags, output and exit codes.
const binding = require('../binding.js');

if (!binding.runCli) {
  process.stderr.write('error[Unsupported]: `npx mtlskit` needs the native addon, which this platform lacks '
    + `(${process.platform}-${process.arch}); the JavaScript API works here on its wasm build\n`);
  process.exitCode = 2;
} else {
  process.exitCode = binding.runCli(process.argv.slice(2));
}
