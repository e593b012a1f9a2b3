// Cross-runtime parity for inspection: the Node addon or the wasm module (MTLSKIT_RUNTIME)
// must give exactly the report that `mtlskit inspect --json` gives for the same bytes, and the
// same error codes. Inputs are made by the real openssl and keytool in a temporary folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core, runtime } from './runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'target', 'release', 'mtlskit');
// A day after the samples are made, to the second, so that every runtime judges validity alike.
const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000).toISOString();
let dir;

const samples = [
  ['server.crt'], ['ca.crt'], ['chain.pem'], ['server.der'], ['server.csr'], ['server.key'],
  ['rsa.key'], ['encrypted.key', 'pw'], ['public.pem'], ['bundle.p7b'], ['client.p12', 'secret'],
  ['client.jks', 'secret'], ['client.jks'], ['app.jceks', 'secret'],
];

before(() => {
  dir = mkdtempSync(join(tmpdir(), `mtlskit-js-${runtime}-`));
  const script = `
    openssl req -x509 -utf8 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/C=CN/O=Ünïcode, Inc./CN=Parity Root" -addext "basicConstraints=critical,CA:true"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
      -subj "/CN=test.com" -addext "subjectAltName=DNS:test.com,IP:127.0.0.1,IP:::1"
    printf 'subjectAltName=DNS:test.com,IP:127.0.0.1\\nextendedKeyUsage=serverAuth,clientAuth\\n' > ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile ext -out server.crt
    openssl x509 -in server.crt -outform DER -out server.der
    cat server.crt ca.crt > chain.pem
    openssl genrsa -out rsa.key 2048
    openssl pkcs8 -topk8 -in server.key -passout pass:pw -out encrypted.key
    openssl pkey -in rsa.key -pubout -out public.pem
    openssl crl2pkcs7 -nocrl -certfile chain.pem -out bundle.p7b
    openssl pkcs12 -export -in server.crt -inkey server.key -certfile ca.crt -passout pass:secret -out client.p12
    keytool -importkeystore -noprompt -srckeystore client.p12 -srcstoretype PKCS12 -srcstorepass secret \
      -destkeystore client.jks -deststoretype JKS -deststorepass secret 2>/dev/null
    keytool -importcert -noprompt -storetype JKS -keystore client.jks -storepass secret -alias root -file ca.crt
    keytool -genkeypair -noprompt -storetype JCEKS -keystore app.jceks -storepass secret -keypass secret \
      -alias app -keyalg RSA -keysize 2048 -dname CN=app.example -validity 30 2>/dev/null
    keytool -genseckey -storetype JCEKS -keystore app.jceks -storepass secret -keypass secret -alias aes \
      -keyalg AES -keysize 256 2>/dev/null
  `;
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'garbage.bin'), Buffer.from([0x17, 0x03, 0x03, 0x00, 0x10, 0xde, 0xad]));
  writeFileSync(join(dir, 'empty.pem'), '');
});

after(() => rmSync(dir, { recursive: true, force: true }));

function viaCli(file, password) {
  const args = ['inspect', '--json', '--at', at, file];
  if (password !== undefined) args.push('--password', password);
  const result = spawnSync(cli, args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, json: JSON.parse(result.stdout) };
}

function viaRuntime(file, password) {
  const request = { data: readFileSync(join(dir, file)), source: file, password };
  return core.inspect(request, Date.parse(at) / 1000);
}

for (const [file, password] of samples) {
  test(`${runtime}: ${file} gives the CLI's report`, () => {
    const expected = viaCli(file, password);
    assert.equal(expected.status, 0, JSON.stringify(expected.json));
    assert.deepEqual(viaRuntime(file, password), expected.json);
  });
}

test(`${runtime}: certificate reports carry the contract fields`, () => {
  const [leaf] = viaRuntime('chain.pem').items;
  for (const field of ['kind', 'source', 'version', 'serial', 'signature_algorithm', 'subject', 'issuer',
    'subject_attributes', 'issuer_attributes', 'not_before', 'not_after', 'validity', 'public_key',
    'subject_alt_names', 'is_ca', 'path_len', 'key_usage', 'extended_key_usage', 'self_signed',
    'fingerprints', 'extensions', 'pem']) {
    assert.ok(field in leaf, `missing ${field}`);
  }
  assert.equal(leaf.kind, 'certificate');
  assert.equal(leaf.subject, 'CN=test.com');
  assert.equal(leaf.issuer, 'CN=Parity Root,O=Ünïcode\\, Inc.,C=CN');
  assert.deepEqual(leaf.subject_alt_names, [{ type: 'dns', value: 'test.com' }, { type: 'ip', value: '127.0.0.1' }]);
  assert.deepEqual(leaf.validity, { status: 'valid', days_remaining: leaf.validity.days_remaining });
  assert.equal(leaf.public_key.curve, 'P-256');
  assert.match(leaf.fingerprints.sha256, /^[0-9a-f]{64}$/);
});

test(`${runtime}: Java keystores list their entries and open their keys`, () => {
  const [store, ...items] = viaRuntime('app.jceks', 'secret').items;
  assert.equal(store.kind, 'keystore');
  assert.equal(store.integrity, 'verified');
  const aes = store.entries.find((entry) => entry.alias === 'aes');
  assert.deepEqual(aes.secret_key, { algorithm: 'AES', bits: 256 });
  const key = items.find((item) => item.kind === 'private_key');
  assert.equal(key.source.alias, 'app');
  assert.equal(key.public_key.bits, 2048);
  assert.equal(viaRuntime('client.jks').items[0].integrity, 'unverified');
});

test(`${runtime}: errors carry the core's codes`, () => {
  const cases = [
    ['client.p12', 'wrong', 'WrongPassword'],
    ['client.p12', undefined, 'PasswordRequired'],
    ['client.jks', 'wrong', 'WrongPassword'],
    ['app.jceks', 'wrong', 'WrongPassword'],
    ['garbage.bin', undefined, 'UnrecognizedInput'],
    ['empty.pem', undefined, 'EmptyInput'],
  ];
  for (const [file, password, code] of cases) {
    const expected = viaCli(file, password);
    assert.equal(expected.status, 2);
    assert.equal(expected.json.error.code, code);
    assert.throws(() => viaRuntime(file, password), (error) => error.code === code, `${file}: expected ${code}`);
  }
});
