// The foundation issue's robustness loop (core/tests/robustness.rs) through the wasm module
// (`make test-js` runs it with MTLSKIT_RUNTIME=wasm; about 300,000 inputs): every truncation and single-byte change of a sample
// certificate, CSR, key and .p12 gives a report or an Error with a code, never a trap (in wasm
// a panic kills the module). The ASN.1 view gets the same inputs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core, runtime } from './runtime.mjs';

const names = ['cert.der', 'cert.pem', 'csr.der', 'csr.pem', 'key.der', 'key.pem', 'ec.key', 'fast.p12', 'default.p12'];
const at = '2027-01-15T08:00:00Z';
const seconds = Date.parse(at) / 1000;
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), `mtlskit-robust-${runtime}-`));
  const script = `
    openssl ecparam -name prime256v1 -genkey -noout -out ec.key
    openssl pkcs8 -topk8 -nocrypt -in ec.key -out key.pem
    openssl req -new -x509 -key key.pem -subj "/CN=robust.example/O=Test" -days 30 \
        -addext "subjectAltName=DNS:robust.example,IP:127.0.0.1" -out cert.pem
    openssl req -new -key key.pem -subj "/CN=robust.example" -addext "subjectAltName=DNS:a.example" -out csr.pem
    openssl x509 -in cert.pem -outform DER -out cert.der
    openssl req -in csr.pem -outform DER -out csr.der
    openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key.der
    openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:pw -iter 1 -nomaciter -out fast.p12
    openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:pw -out default.p12
  `;
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' });
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `call`; returns a description of the failure when it did not return or throw a coded Error. */
function survives(call) {
  try {
    call();
    return null;
  } catch (error) {
    if (error instanceof Error && typeof error.code === 'string' && error.code && error.message) return null;
    return `${error?.name ?? typeof error}: ${error?.message ?? error}`;
  }
}

test(`${runtime}: truncations and byte changes never trap`, () => {
  const failures = [];
  let inputs = 0;
  const tryInput = (bytes, what) => {
    inputs += 1;
    const inspected = survives(() => core.inspect({ data: bytes, source: 'sample', password: 'pw' }, seconds));
    if (inspected) failures.push(`${what}: inspect ${inspected}`);
    const tree = core.asn1 ? survives(() => core.asn1(bytes)) : null;
    if (tree) failures.push(`${what}: asn1 ${tree}`);
  };
  for (const name of names) {
    const original = readFileSync(join(dir, name));
    assert.ok(core.inspect({ data: original, source: name, password: 'pw' }, seconds).items.length > 0, `${name} inspects`);
    for (let length = 0; length < original.length; length += 1) tryInput(original.subarray(0, length), `${name} truncated to ${length}`);
    // As in the Rust loop: every value at every position of the DER samples, four per position
    // of the PEM texts and of the default .p12 (a real PBKDF2 run per try).
    const slow = name === 'default.p12' || !(name.endsWith('.der') || name.endsWith('.p12'));
    const changed = Buffer.from(original);
    for (let position = 0; position < original.length; position += 1) {
      const values = slow
        ? [original[position] ^ 0x01, original[position] ^ 0x80, original[position] ^ 0xff, 0x00]
        : Array.from({ length: 256 }, (_, value) => value);
      for (const value of values) {
        if (value === original[position]) continue;
        changed[position] = value;
        tryInput(changed, `${name} byte ${position} = ${value}`);
      }
      changed[position] = original[position];
    }
    if (failures.length > 20) break;
  }
  assert.ok(inputs > 300_000 || failures.length > 0, `only ${inputs} inputs tried`);
  assert.deepEqual(failures.slice(0, 20), []);
});
