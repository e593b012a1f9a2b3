// Hostile input from JavaScript (issue 7, points 2 and 8): encrypted keys and .p12 files whose
// KDF parameters ask for hours of work or terabytes of memory give the coded error
// KdfParameterOutOfBounds in under a second, from the Node addon and the wasm module
// (MTLSKIT_RUNTIME), exactly as the CLI does; times that are NaN, infinite or out of range
// are InvalidTime rather than a silent 1970.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binding, core, runtime } from './runtime.mjs';
import { cases } from './hostile.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'target', 'release', 'mtlskit');
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), `mtlskit-hostile-${runtime}-`));
  for (const [file, bytes] of cases) writeFileSync(join(dir, file), bytes);
});

after(() => rmSync(dir, { recursive: true, force: true }));

for (const [file, bytes, parameter] of cases) {
  test(`${runtime}: ${file} is refused with ${parameter} in under a second`, () => {
    const started = performance.now();
    assert.throws(
      () => core.inspect({ data: bytes, source: file, password: 'pw' }, Date.parse('2026-01-01T00:00:00Z') / 1000),
      (error) => error.code === 'KdfParameterOutOfBounds' && error.message.includes(parameter),
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `${elapsed} ms`);

    const cliStarted = performance.now();
    const result = spawnSync(cli, ['inspect', '--json', '--password', 'pw', join(dir, file)], { encoding: 'utf8' });
    assert.ok(performance.now() - cliStarted < 1000);
    assert.equal(result.status, 2);
    assert.equal(JSON.parse(result.stdout).error.code, 'KdfParameterOutOfBounds');
  });
}

// The error's `value` is the number as Rust's `Display` writes it (the Node addon and the CLI
// format it in Rust; the wasm module with JavaScript's formatting, which must give the same
// text: every digit instead of an exponent, and on a tie between two shortest texts the one
// larger in magnitude, where `String(x)` takes the even one).
const badTimes = [
  [NaN, 'NaN'],
  [Infinity, 'inf'],
  [-Infinity, '-inf'],
  [1e300, `1${'0'.repeat(300)}`],
  [-1e300, `-1${'0'.repeat(300)}`],
  [253402300800, '253402300800'],
  [253402300800.5, '253402300800.5'],
  [-62167219201.25, '-62167219201.25'],
  [1658206780088562.25, '1658206780088562.3'],
  [-1052730259603333.25, '-1052730259603333.3'],
  [1.5e21, '1500000000000000000000'],
  [1.2345678901234567e25, '12345678901234566000000000'],
];

test(`${runtime}: times that are not finite or out of range are InvalidTime`, () => {
  const input = Buffer.from(cases[0][1]);
  for (const [at, value] of badTimes) {
    for (const fn of ['inspect', 'verify', 'convert']) {
      const request = fn === 'verify' ? { leaf: input } : fn === 'convert' ? { data: input, to: 'pem' } : { data: input };
      assert.throws(() => binding[fn](request, at), (error) => {
        assert.equal(error.code, 'InvalidTime', `${fn} at = ${at}`);
        assert.equal(error.input, 'time');
        assert.equal(error.value, value, `${fn} at = ${at}`);
        return true;
      });
    }
  }
});
