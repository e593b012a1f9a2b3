// The JSON-shaped API through both builds: every function is called with the same JSON through
// the chosen runtime (MTLSKIT_RUNTIME) and the other one, and gives the same result (for the
// functions that draw random numbers: the same certificates' contents, verified by the other
// runtime, by the CLI and by openssl); where the CLI has the same command, the CLI's result too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core, other, otherName, runtime } from './runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'target', 'release', 'mtlskit');
// A minute after the samples are made (openssl starts their validity at the second it runs).
let now;
let at;
const pair = `${runtime} and ${otherName}`;
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), `mtlskit-api-${runtime}-`));
  const script = `
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.crt -days 30 \
      -subj "/CN=API Root" -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout intermediate.key -out intermediate.csr -subj "/CN=API Intermediate"
    printf 'basicConstraints=critical,CA:true\\nkeyUsage=critical,keyCertSign,cRLSign\\n' > ca.ext
    openssl x509 -req -in intermediate.csr -CA root.crt -CAkey root.key -CAcreateserial -days 20 -extfile ca.ext -out intermediate.crt
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj "/CN=api.example.com"
    printf 'subjectAltName=DNS:api.example.com\\nextendedKeyUsage=serverAuth\\n' > leaf.ext
    openssl x509 -req -in server.csr -CA intermediate.crt -CAkey intermediate.key -CAcreateserial -days 10 -extfile leaf.ext -out server.crt
    cat server.crt intermediate.crt > fullchain.pem
    openssl x509 -in server.crt -outform DER -out server.der
    openssl pkcs12 -export -in server.crt -inkey server.key -certfile intermediate.crt -passout pass:secret -out server.p12
  `;
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' });
  now = Math.floor(Date.now() / 1000) + 60;
  at = new Date(now * 1000).toISOString();
});

after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name) => readFileSync(join(dir, name));
const text = (name) => readFileSync(join(dir, name), 'utf8');
const named = (name) => ({ name, data: file(name) });

function both(fn, request, ...rest) {
  const mine = core[fn](request, ...rest);
  const theirs = other[fn](request, ...rest);
  return [mine, theirs];
}

/** The error thrown by `call`, which must carry a code. */
function thrown(call) {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof Error, 'an Error object');
    assert.equal(typeof error.code, 'string');
    return error;
  }
  assert.fail('expected an error');
}

function viaCli(args, options = {}) {
  const result = spawnSync(cli, args, { cwd: dir, encoding: options.encoding ?? 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function certificateOf(pem) {
  const [item] = core.inspect({ data: pem }, now).items;
  assert.equal(item.kind, 'certificate');
  return item;
}

test(`${pair}: verify gives the same verdict as each other and as mtlskit verify --json`, () => {
  const cases = [
    [{ leaf: named('fullchain.pem'), anchors: [named('root.crt')], host: 'api.example.com' },
      ['fullchain.pem', '--ca', 'root.crt', '--host', 'api.example.com']],
    [{ leaf: named('server.crt'), anchors: [named('root.crt')] }, ['server.crt', '--ca', 'root.crt']],
    [{ leaf: named('fullchain.pem'), anchors: [named('root.crt')], host: 'other.example.com' },
      ['fullchain.pem', '--ca', 'root.crt', '--host', 'other.example.com']],
  ];
  for (const [request, args] of cases) {
    const [mine, theirs] = both('verify', request, now);
    assert.deepEqual(mine, theirs);
    const expected = viaCli(['verify', '--json', '--at', at, ...args]);
    assert.deepEqual(mine, JSON.parse(expected.stdout));
    assert.equal(expected.status, mine.valid ? 0 : 1);
  }
  const [valid, missing, mismatch] = cases.map(([request]) => core.verify(request, now));
  assert.equal(valid.valid, true);
  assert.deepEqual(valid.path.map((entry) => entry.source), ['fullchain.pem #1', 'fullchain.pem #2', 'root.crt']);
  assert.equal(missing.failure.code, 'UnknownIssuer');
  assert.deepEqual(missing.failure.error, { code: 'UnknownIssuer', subject: 'CN=api.example.com', issuer: 'CN=API Intermediate' });
  assert.ok(!missing.failure.hint.includes('--'), missing.failure.hint);
  assert.equal(mismatch.failure.code, 'NameMismatch');
  assert.equal(typeof valid.path[0].not_after.unix, 'number');
  assert.match(valid.path[0].not_after.rfc3339, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test(`${pair}: verifySet finds the leaf, builds its chain from the dropped items and links back`, () => {
  const items = ['root.crt', 'server.crt', 'intermediate.crt'].map(named);
  const [mine, theirs] = both('verifySet', { items, host: 'api.example.com' }, now);
  assert.deepEqual(mine, theirs);
  assert.deepEqual(mine.certificates.map((entry) => [entry.label, entry.role]),
    [['root.crt', 'anchor'], ['server.crt', 'leaf'], ['intermediate.crt', 'intermediate']]);
  assert.equal(mine.verdicts.length, 1);
  assert.equal(mine.verdicts[0].valid, true);
  assert.deepEqual(mine.verdicts[0].path, [1, 2, 0]);

  const withoutIntermediate = core.verifySet({ items: [named('root.crt'), named('server.crt')] }, now);
  assert.deepEqual(withoutIntermediate, other.verifySet({ items: [named('root.crt'), named('server.crt')] }, now));
  const [verdict] = withoutIntermediate.verdicts;
  assert.equal(verdict.valid, false);
  assert.equal(verdict.failure.code, 'UnknownIssuer');
  assert.equal(verdict.failure.error.issuer, 'CN=API Intermediate');

  const dropped = core.verifySet({ items: [{ name: 'server.p12', data: file('server.p12'), password: 'secret' },
    { name: 'root.crt', data: file('root.crt'), trusted: true }, { name: 'junk.bin', data: [1, 2, 3] }] }, now);
  assert.equal(dropped.verdicts[0].valid, true);
  assert.equal(dropped.errors.length, 1);
  assert.equal(dropped.errors[0].item, 2);
  assert.equal(dropped.errors[0].error.code, 'UnrecognizedInput');
});

test(`${pair}: issue makes certificates the other runtime, mtlskit verify and openssl accept`, () => {
  const rootRequest = { profile: 'root', subject: { common_name: 'Issued Root', organization: 'mtlskit' }, key_type: 'p256' };
  const [rootMine, rootTheirs] = both('issue', rootRequest, now);
  for (const issued of [rootMine, rootTheirs]) {
    const report = certificateOf(issued.certificate);
    assert.equal(report.subject, 'CN=Issued Root,O=mtlskit');
    assert.equal(report.is_ca, true);
    assert.match(issued.key, /^-----BEGIN PRIVATE KEY-----/);
  }
  const serverRequest = {
    profile: 'server', subject_alt_names: ['issued.example.com', 'IP:127.0.0.1'], validity: { days: 30 },
    ca: { certificate: rootMine.certificate, key: rootMine.key },
  };
  const [mine, theirs] = both('issue', serverRequest, now);
  for (const issued of [mine, theirs]) {
    const report = certificateOf(issued.certificate);
    assert.deepEqual(report.subject_alt_names, [{ type: 'dns', value: 'issued.example.com' }, { type: 'ip', value: '127.0.0.1' }]);
    assert.deepEqual(report.extended_key_usage, ['serverAuth']);
    assert.equal(report.issuer, 'CN=Issued Root,O=mtlskit');
    assert.equal(report.not_after_unix - report.not_before_unix, 30 * 86400);
  }
  const verdict = other.verify({ leaf: mine.certificate, anchors: [rootMine.certificate], host: 'issued.example.com' }, now);
  assert.equal(verdict.valid, true, JSON.stringify(verdict));
  writeFileSync(join(dir, 'issued-root.crt'), rootMine.certificate);
  writeFileSync(join(dir, 'issued-server.crt'), theirs.certificate);
  assert.equal(viaCli(['verify', 'issued-server.crt', '--ca', 'issued-root.crt', '--host', 'issued.example.com']).status, 0);
  execFileSync('openssl', ['verify', '-CAfile', 'issued-root.crt', '-verify_hostname', 'issued.example.com', 'issued-server.crt'], { cwd: dir });
});

test(`${pair}: csrNew and csrSign work across runtimes`, () => {
  const created = core.csrNew({ subject: { common_name: 'csr.example.com' }, subject_alt_names: ['csr.example.com'] });
  const [report] = other.inspect({ data: created.csr }, now).items;
  assert.equal(report.kind, 'csr');
  const request = { csr: created.csr, ca: { certificate: named('intermediate.crt'), key: named('intermediate.key') }, profile: 'client' };
  const [mine, theirs] = both('csrSign', request, now);
  for (const signed of [mine, theirs]) {
    const certificate = certificateOf(signed.certificate);
    assert.equal(certificate.subject, 'CN=csr.example.com');
    assert.deepEqual(certificate.extended_key_usage, ['clientAuth']);
  }
  const withKey = other.csrNew({ key: text('server.key'), subject: { common_name: 'again' } });
  assert.equal(withKey.key, null);
});

test(`${pair}: pkiInit and bundle make a PKI whose chains verify in the other runtime and in openssl`, () => {
  const request = { server_names: ['pki.example.com', '127.0.0.1'], clients: ['alice'] };
  const [mine, theirs] = both('pkiInit', request, now);
  const names = (response) => response.files.map((entry) => [entry.name, entry.kind, entry.secret]);
  assert.deepEqual(names(mine), names(theirs));
  assert.deepEqual(mine.files.map((entry) => entry.name), ['ca.crt', 'ca.key', 'intermediate.crt', 'intermediate.key',
    'server.crt', 'server.key', 'server-fullchain.crt', 'alice.crt', 'alice.key', 'alice.p12', 'p12-password.txt']);
  const contents = Object.fromEntries(mine.files.map((entry) => [entry.name, entry.contents]));
  assert.ok(contents['alice.p12'] instanceof Uint8Array);
  const verdict = other.verify({ leaf: contents['server-fullchain.crt'], anchors: [contents['ca.crt']], host: 'pki.example.com' }, now);
  assert.equal(verdict.valid, true, JSON.stringify(verdict));

  const [bundled, bundledOther] = both('bundle', { clients: ['bob', 'carol'], key_type: 'p384' }, now);
  for (const pki of [bundled, bundledOther]) {
    assert.deepEqual(pki.clients.map((client) => client.name), ['bob', 'carol']);
    assert.equal(certificateOf(pki.server.certificate).public_key.curve, 'P-384');
  }
  writeFileSync(join(dir, 'bundle-ca.crt'), bundled.ca.certificate);
  writeFileSync(join(dir, 'bundle-chain.pem'), bundled.intermediate.certificate);
  writeFileSync(join(dir, 'bundle-server.crt'), bundled.server.certificate);
  execFileSync('openssl', ['verify', '-CAfile', 'bundle-ca.crt', '-untrusted', 'bundle-chain.pem', 'bundle-server.crt'], { cwd: dir });
  const client = core.verify({ leaf: bundled.clients[0].chain, anchors: [bundled.ca.certificate], purpose: 'client' }, now);
  assert.equal(client.valid, true);
  assert.match(bundled.p12_password, /^\S{16,}$/, 'a random .p12 password, no well-known default');
  const opened = other.fromPkcs12({ data: bundled.clients[1].p12, password: bundled.p12_password });
  assert.equal(opened.keys.length, 1);
  assert.equal(certificateOf(opened.certificates[0].pem).subject, 'CN=carol,O=mtlskit');
});

test(`${pair}: fromPkcs12 and convert give what mtlskit convert writes; toPkcs12 round-trips`, () => {
  const [opened, openedOther] = both('fromPkcs12', { data: named('server.p12'), password: 'secret' });
  assert.deepEqual(opened, openedOther);
  const cliPem = viaCli(['convert', 'server.p12', '--to', 'pem', '--password', 'secret']);
  assert.equal(cliPem.status, 0, cliPem.stderr);
  assert.equal(opened.pem, cliPem.stdout);
  const [converted, convertedOther] = both('convert', { data: named('server.p12'), to: 'pem', password: 'secret' }, now);
  assert.deepEqual(converted, convertedOther);
  assert.equal(converted.contents, cliPem.stdout);

  const [der, derOther] = both('convert', { data: text('server.crt'), to: 'der' }, now);
  assert.deepEqual(der, derOther);
  assert.deepEqual(der.contents, new Uint8Array(file('server.der')));
  assert.equal(der.kind, 'certificate');
  const pem = core.convert({ data: file('server.der'), to: 'pem' }, now);
  assert.equal(pem.contents, viaCli(['convert', 'server.der', '--to', 'pem']).stdout);

  const written = core.toPkcs12({ certificate: named('fullchain.pem'), key: named('server.key'), password: 'pw', friendly_name: 'api' });
  const reopened = other.fromPkcs12({ data: written.p12, password: 'pw' });
  assert.equal(reopened.keys[0].friendly_name, 'api');
  assert.deepEqual(reopened.certificates.map((entry) => certificateOf(entry.pem).subject), ['CN=api.example.com', 'CN=API Intermediate']);
  writeFileSync(join(dir, 'written.p12'), written.p12);
  const listed = execFileSync('openssl', ['pkcs12', '-in', 'written.p12', '-passin', 'pass:pw', '-nokeys'], { cwd: dir, encoding: 'utf8' });
  assert.match(listed, /subject=CN ?= ?api.example.com/);
});

test(`${pair}: convert writes Java keystores that keytool lists and reads them back like the CLI`, () => {
  const request = { data: named('fullchain.pem'), key: named('server.key'), to: 'jks', password: 'storepw', friendly_name: 'api' };
  const [jks, jksOther] = both('convert', request, now);
  const back = { to: 'pem', password: 'storepw' };
  for (const written of [jks, jksOther]) {
    assert.equal(written.kind, 'Java keystore (JKS)');
    assert.equal(written.secret, true);
    assert.ok(written.contents instanceof Uint8Array);
    const pem = other.convert({ data: written.contents, ...back }, now).contents;
    assert.ok(pem.endsWith(text('fullchain.pem')), 'the chain, leaf first, after the key');
    assert.deepEqual(pem.match(/-----BEGIN [A-Z ]+-----/g),
      ['-----BEGIN PRIVATE KEY-----', '-----BEGIN CERTIFICATE-----', '-----BEGIN CERTIFICATE-----']);
  }
  writeFileSync(join(dir, 'api.jks'), jks.contents);
  const listed = execFileSync('keytool', ['-list', '-keystore', 'api.jks', '-storetype', 'JKS', '-storepass', 'storepw'],
    { cwd: dir, encoding: 'utf8' });
  assert.match(listed, /^api, .*PrivateKeyEntry/m);
  const viaApi = core.convert({ data: named('api.jks'), ...back }, now);
  const cliPem = viaCli(['convert', 'api.jks', '--to', 'pem', '--password', 'storepw']);
  assert.equal(cliPem.status, 0, cliPem.stderr);
  assert.equal(viaApi.contents, cliPem.stdout);
  const [report] = other.inspect({ data: file('api.jks'), source: 'api.jks', password: 'storepw', key_password: 'storepw' }, now).items;
  assert.equal(report.kind, 'keystore');
  assert.equal(report.integrity, 'verified');

  const trust = { data: named('root.crt'), chain: [named('intermediate.crt')], to: 'p12', truststore: true, password: 'changeit' };
  const [store, storeOther] = both('convert', trust, now);
  assert.equal(store.kind, storeOther.kind);
  writeFileSync(join(dir, 'trust.p12'), store.contents);
  const trusted = execFileSync('keytool', ['-list', '-keystore', 'trust.p12', '-storetype', 'PKCS12', '-storepass', 'changeit'],
    { cwd: dir, encoding: 'utf8' });
  assert.equal(trusted.match(/trustedCertEntry/g)?.length, 2, trusted);
  const jksTrust = core.convert({ data: named('root.crt'), to: 'jks', password: 'changeit' }, now);
  assert.equal(jksTrust.kind, 'Java truststore (JKS)');
  assert.equal(jksTrust.secret, false);

  const java = other.pkiInit({ clients: ['dana'], java: true, p12_password: 'javapw' }, now);
  const files = java.files.map((entry) => entry.name);
  for (const name of ['server.jks', 'dana.jks', 'truststore.p12']) assert.ok(files.includes(name), `${name} in ${files}`);
  assert.ok(!files.includes('p12-password.txt'), 'the given password is not written');
  const verdicts = core.verifySet({ items: [{ name: 'dana.jks', data: java.files.find((entry) => entry.name === 'dana.jks').contents,
    password: 'javapw' }, { name: 'ca.crt', data: java.files.find((entry) => entry.name === 'ca.crt').contents }] }, now);
  assert.equal(verdicts.verdicts.length, 1);
  assert.equal(verdicts.verdicts[0].valid, true, JSON.stringify(verdicts));
});

test(`${pair}: errors are Errors with the same code in both runtimes and in the CLI`, () => {
  const cases = [
    ['fromPkcs12', { data: named('server.p12'), password: 'wrong' }, 'WrongPassword', ['convert', 'server.p12', '--to', 'pem', '--password', 'wrong']],
    ['issue', { profile: 'server', subject_alt_names: ['x.example'], ca: { certificate: named('server.crt'), key: named('server.key') } }, 'NotCa', null],
    ['issue', { key_type: 'rsa1024' }, 'UnknownKeyType', null],
    ['verify', { leaf: { name: 'junk', data: [1, 2, 3] }, anchors: [] }, 'UnrecognizedInput', null],
    ['inspect', { data: 'x', sauce: 'typo' }, 'InvalidRequest', null],
    ['convert', { data: named('fullchain.pem'), to: 'der' }, 'InvalidRequest', null],
    ['issue', { profile: 'intermediate' }, 'InvalidProfile', null],
  ];
  for (const [fn, request, code, args] of cases) {
    const mine = thrown(() => core[fn](request, now));
    const theirs = thrown(() => other[fn](request, now));
    assert.equal(mine.code, code, `${fn}: ${mine.message}`);
    assert.equal(theirs.code, code, `${otherName} ${fn}: ${theirs.message}`);
    assert.equal(mine.message, theirs.message);
    if (args) {
      const expected = viaCli([...args, '--json']);
      assert.equal(expected.status, 2);
      assert.equal(JSON.parse(expected.stdout).error.code, code);
    }
  }
  const typo = thrown(() => core.verify({ leaf: text('server.crt'), anchor: [] }, now));
  assert.match(typo.message, /anchor/);
  const notCa = thrown(() => core.issue({ ca: { certificate: named('server.crt'), key: named('server.key') } }, now));
  assert.equal(notCa.subject, 'CN=api.example.com');
  assert.equal(notCa.input, 'server.crt');
});
