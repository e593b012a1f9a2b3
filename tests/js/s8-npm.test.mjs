// Scenario S8 end to end: the packed npm package (`make node-pack` -> target/npm/) installed
// offline, from the tarballs only, into a fresh project; `npx mtlskit pki init .certs`; then
// `await bundle(...)` feeding a Node https server with requestCert and rejectUnauthorized:
// a request with the client certificate gets 200, one without is refused; openssl verifies
// the certificates. With MTLSKIT_FORCE_WASM=1 only the main package is installed (no native
// build for "this platform"), so the same app runs on the wasm fallback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packed = join(root, 'target', 'npm');
const wasm = process.env.MTLSKIT_FORCE_WASM === '1';
const main = join(packed, 'mtlskit-0.1.0.tgz');
const platform = join(packed, 'mtlskit-linux-x64-gnu-0.1.0.tgz');
let project;

/** Runs a command in the project, where nothing forces the wasm build (the install decides). */
function run(command, args, options = {}) {
  const env = { ...process.env, npm_config_cache: join(project, '.npm-cache') };
  delete env.MTLSKIT_FORCE_WASM;
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? project, encoding: 'utf8', timeout: options.timeout ?? 60_000, env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

before(() => {
  assert.ok(existsSync(main) && existsSync(platform), 'the tarballs exist: run `make node-pack`');
  project = mkdtempSync(join(tmpdir(), `mtlskit-s8-${wasm ? 'wasm' : 'native'}-`));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 's8-app', version: '1.0.0', private: true }));
  // an empty cache and --offline: nothing can come from a registry
  const tarballs = wasm ? [main] : [main, platform];
  const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...tarballs], { timeout: 180_000 });
  assert.equal(installed.status, 0, `npm install: ${installed.stderr}`);
});

after(() => rmSync(project, { recursive: true, force: true }));

test('the tarball ships only the package files, no install scripts, no native code in the main package', () => {
  const listing = spawnSync('tar', ['tzf', main], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
  assert.deepEqual(listing, [
    'package/README.md', 'package/api.d.ts', 'package/bin/mtlskit.js', 'package/binding.js',
    'package/index.d.mts', 'package/index.d.ts', 'package/index.js', 'package/index.mjs',
    'package/package.json', 'package/wasm-worker.js', 'package/wasm/mtlskit_wasm.js',
    'package/wasm/mtlskit_wasm_bg.wasm',
  ]);
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'mtlskit', 'package.json'), 'utf8'));
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
    assert.equal(manifest.scripts?.[hook], undefined, hook);
  }
  const platformListing = spawnSync('tar', ['tzf', platform], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
  assert.deepEqual(platformListing, ['package/README.md', 'package/mtlskit.linux-x64-gnu.node', 'package/package.json']);
  assert.equal(existsSync(join(project, 'node_modules', 'mtlskit-linux-x64-gnu')), !wasm);
});

test('npx mtlskit pki init .certs: the native CLI\'s files, keys 0600, accepted by openssl verify', () => {
  const result = run('npx', ['--offline', 'mtlskit', 'pki', 'init', '.certs']);
  if (wasm) {
    // without the native addon the command line refuses clearly (the API runs on wasm)
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^error\[Unsupported\]: `npx mtlskit` needs the native addon/);
    return;
  }
  assert.equal(result.status, 0, result.stderr);
  const certs = join(project, '.certs');
  const files = readdirSync(certs).sort();
  for (const name of ['ca.crt', 'ca.key', 'intermediate.crt', 'server.crt', 'server.key', 'client.crt', 'client.key', 'client.p12']) {
    assert.ok(files.includes(name), `${name} in ${files}`);
  }
  for (const name of files.filter((file) => file.endsWith('.key') || file.endsWith('.p12'))) {
    assert.equal(statSync(join(certs, name)).mode & 0o777, 0o600, name);
  }
  for (const leaf of ['server.crt', 'client.crt']) {
    const verified = run('openssl', ['verify', '-CAfile', 'ca.crt', '-untrusted', 'intermediate.crt', leaf], { cwd: certs });
    assert.equal(verified.stdout, `${leaf}: OK\n`, verified.stderr);
  }
  const key = readFileSync(join(certs, 'ca.key'), 'utf8');
  const again = run('npx', ['--offline', 'mtlskit', 'pki', 'init', '.certs']);
  assert.equal(again.status, 2, 'existing files are not overwritten');
  assert.match(again.stderr, /^error\[/);
  assert.equal(readFileSync(join(certs, 'ca.key'), 'utf8'), key);
  const inspected = run('npx', ['--offline', 'mtlskit', 'inspect', '--json', '.certs/server.crt']);
  assert.equal(inspected.status, 0, inspected.stderr);
  assert.equal(JSON.parse(inspected.stdout).items[0].kind, 'certificate');
});

const app = `
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import { bundle, runtime } from 'mtlskit';

const { ca, intermediate, server, client } = await bundle({ hosts: ['localhost', '127.0.0.1'] });
for (const [name, pem] of [['ca.pem', ca.certificate], ['intermediate.pem', intermediate.certificate],
  ['server.pem', server.certificate], ['client.pem', client.certificate]]) writeFileSync(name, pem);
const listener = https.createServer({ key: server.key, cert: server.chain, ca: ca.certificate,
  requestCert: true, rejectUnauthorized: true }, (request, response) => {
  response.end('hello ' + request.socket.getPeerCertificate().subject.CN);
});
await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
const { port } = listener.address();
function get(options) {
  return new Promise((resolve) => {
    const request = https.get({ host: '127.0.0.1', servername: 'localhost', port, ca: ca.certificate, timeout: 5000, ...options },
      (response) => {
        let body = '';
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => resolve({ status: response.statusCode, body }));
      });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ error: error.code ?? error.message }));
  });
}
const withCertificate = await get({ key: client.key, cert: client.chain });
const without = await get({});
listener.close();
console.log(JSON.stringify({ runtime, withCertificate, without }));
`;

test('await bundle() feeds an https server with requestCert: 200 with the client certificate, refused without', () => {
  writeFileSync(join(project, 'app.mjs'), app);
  const result = run('node', ['app.mjs']);
  assert.equal(result.status, 0, result.stderr);
  const outcome = JSON.parse(result.stdout);
  assert.equal(outcome.runtime, wasm ? 'wasm' : 'native');
  assert.deepEqual(outcome.withCertificate, { status: 200, body: 'hello client' });
  assert.equal(outcome.without.status, undefined, `refused: ${JSON.stringify(outcome.without)}`);
  assert.match(outcome.without.error, /ECONNRESET|EPROTO|ERR_SSL/);
  for (const leaf of ['server.pem', 'client.pem']) {
    const verified = run('openssl', ['verify', '-CAfile', 'ca.pem', '-untrusted', 'intermediate.pem', leaf]);
    assert.equal(verified.stdout, `${leaf}: OK\n`, verified.stderr);
  }
});

test('require("mtlskit") from CommonJS in the installed project gives the same API', () => {
  const script = `const m = require('mtlskit'); const k = m.generateKeySync(); console.log(JSON.stringify({ runtime: m.runtime, keyType: k.key_type, functions: Object.keys(m).length }));`;
  const result = run('node', ['-e', script]);
  assert.equal(result.status, 0, result.stderr);
  const outcome = JSON.parse(result.stdout);
  assert.equal(outcome.runtime, wasm ? 'wasm' : 'native');
  assert.equal(outcome.keyType, 'p256');
  assert.ok(outcome.functions >= 30);
});
