// A CA + server + client certificate bundle (each with its own key; server and client signed by
// the CA; SANs; SHA-256) made by mtlskit's native addon, its wasm fallback, and the JavaScript
// libraries people use today, for P-256 and RSA-2048, side by side in one run. Prints a
// Markdown table of the median and the fastest run per library (BENCHMARKS.md).
//
//   make node && cd node/bench && npm ci && node bench.mjs [runs]
import 'reflect-metadata'; // @peculiar/x509 2 expects it loaded
import { createRequire } from 'node:module';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';
import selfsigned from 'selfsigned';

const require = createRequire(import.meta.url);
const runs = Number(process.argv[2] ?? 15);
const native = loadMtlskit('0');
const wasm = loadMtlskit('1');

/** The package on the native build (`force` '0') or the wasm fallback ('1'). */
function loadMtlskit(force) {
  process.env.MTLSKIT_FORCE_WASM = force;
  for (const path of Object.keys(require.cache)) {
    if (!path.includes('node_modules')) delete require.cache[path];
  }
  const mtlskit = require('../index.js');
  delete process.env.MTLSKIT_FORCE_WASM;
  return mtlskit;
}

/** mtlskit: three createCertificate calls (each makes its key), as a JS user composes them. */
async function mtlskitBundle(mtlskit, keyType, sync) {
  const create = sync ? mtlskit.createCertificateSync : mtlskit.createCertificate;
  const key_type = keyType === 'p256' ? 'p256' : 'rsa2048';
  const root = await create({ profile: 'root', subject: { common_name: 'Bench CA' }, key_type });
  const ca = { certificate: root.certificate, key: root.key };
  const server = await create({ profile: 'server', subject_alt_names: ['localhost', '127.0.0.1'], key_type, ca });
  const client = await create({ profile: 'client', subject: { common_name: 'client' }, key_type, ca });
  return [root, server, client];
}

/** mtlskit's own `bundle()` (root + intermediate + server + client + client.p12). */
function mtlskitFullBundle(mtlskit, keyType) {
  return mtlskit.bundle({ keyType: keyType === 'p256' ? 'p256' : 'rsa2048' });
}

/** selfsigned 5: a CA, then server and client signed by it. */
async function selfsignedBundle(keyType) {
  const key = keyType === 'p256' ? { keyType: 'ec', curve: 'P-256' } : { keyType: 'rsa', keySize: 2048 };
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Bench CA' }],
    { ...key, algorithm: 'sha256', extensions: [{ name: 'basicConstraints', cA: true, critical: true }] });
  const signer = { key: ca.private, cert: ca.cert };
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    ...key, algorithm: 'sha256', ca: signer,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  const client = await selfsigned.generate([{ name: 'commonName', value: 'client' }], { ...key, algorithm: 'sha256', ca: signer });
  return [ca, server, client];
}

/** node-forge: RSA only (no ECDSA); keys generated in JavaScript. */
function forgeBundle(keyType) {
  if (keyType !== 'rsa2048') return undefined;
  const make = (subject, issuer, issuerKey, extensions) => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = keys.publicKey;
    certificate.serialNumber = forge.util.bytesToHex(forge.random.getBytesSync(16)).replace(/^[89a-f]/, '1');
    certificate.validity.notBefore = new Date();
    certificate.validity.notAfter = new Date(Date.now() + 398 * 86_400_000);
    certificate.setSubject([{ name: 'commonName', value: subject }]);
    certificate.setIssuer([{ name: 'commonName', value: issuer }]);
    certificate.setExtensions(extensions);
    certificate.sign(issuerKey ?? keys.privateKey, forge.md.sha256.create());
    return { keys, pem: forge.pki.certificateToPem(certificate), key: forge.pki.privateKeyToPem(keys.privateKey) };
  };
  const ca = make('Bench CA', 'Bench CA', undefined, [{ name: 'basicConstraints', cA: true, critical: true }]);
  const server = make('localhost', 'Bench CA', ca.keys.privateKey,
    [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }]);
  const client = make('client', 'Bench CA', ca.keys.privateKey, [{ name: 'extKeyUsage', clientAuth: true }]);
  return [ca, server, client];
}

/** @peculiar/x509 on Node's WebCrypto. */
async function peculiarBundle(keyType) {
  const algorithm = keyType === 'p256'
    ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = () => webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const notBefore = new Date();
  const notAfter = new Date(Date.now() + 398 * 86_400_000);
  const serial = () => Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
  const caKeys = await keys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: 'CN=Bench CA', notBefore, notAfter, keys: caKeys, signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const leaf = async (name, extensions) => {
    const leafKeys = await keys();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serial(), subject: `CN=${name}`, issuer: ca.subject, notBefore, notAfter,
      signingKey: caKeys.privateKey, publicKey: leafKeys.publicKey, signingAlgorithm: algorithm, extensions,
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
    return { certificate: certificate.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
  };
  const server = await leaf('localhost', [new x509.SubjectAlternativeNameExtension([
    { type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }])]);
  const client = await leaf('client', [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]);
  const caKey = await webcrypto.subtle.exportKey('pkcs8', caKeys.privateKey);
  return [{ certificate: ca.toString('pem'), key: x509.PemConverter.encode(caKey, 'PRIVATE KEY') }, server, client];
}

async function measure(make) {
  if ((await make()) === undefined) return undefined; // warm-up; undefined: not supported
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await make();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], fastest: times[0] };
}

x509.cryptoProvider.set(webcrypto);
const contenders = {
  'mtlskit (native addon, async)': (keyType) => mtlskitBundle(native, keyType, false),
  'mtlskit (native addon, sync)': (keyType) => mtlskitBundle(native, keyType, true),
  'mtlskit (wasm fallback, sync)': (keyType) => mtlskitBundle(wasm, keyType, true),
  'mtlskit bundle() with intermediate + .p12 (native)': (keyType) => mtlskitFullBundle(native, keyType),
  'selfsigned 5.5.0': selfsignedBundle,
  'node-forge 1.4.3': forgeBundle,
  '@peculiar/x509 2.2.0 (Node WebCrypto)': peculiarBundle,
};

console.log(`CA + server + client, ${runs} runs each, Node ${process.version}, ${native.runtime}/${wasm.runtime}\n`);
console.log('| library | P-256 median (fastest) | RSA-2048 median (fastest) |');
console.log('|---|---|---|');
for (const [name, make] of Object.entries(contenders)) {
  const cells = [];
  for (const keyType of ['p256', 'rsa2048']) {
    const result = await measure(() => make(keyType));
    cells.push(result ? `${result.median.toFixed(2)} ms (${result.fastest.toFixed(2)})` : 'not supported');
  }
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
