// Browser end-to-end tests of the inspector (issue 10, scenario S7): the real `mtlskit web`
// server, Debian's Chromium, files made by the real openssl with the commands of field note
// 002. Each state is saved as a screenshot in target/web-e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, openPage, drop, settled, clear, screenshot, cardTitles } from './harness.mjs';

let dir;
let server;
let browser;
let page;
const file = (name) => [name, readFileSync(join(dir, name))];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtlskit-web-'));
  // Field note 002, "root.crt → intermediate1.crt → intermediate2.crt → server.crt", verbatim
  // (kept in note/), plus the note's `openssl pkcs12 -export` (password 123456). The note's
  // `openssl x509 -req` writes version 1 intermediates, which cannot be CAs (openssl verify
  // refuses them too), so the intermediates are re-issued from the same keys and requests
  // with a v3_ca section, as tests/tests/verify_scenario_s2.rs does.
  const script = `
    openssl genrsa -out root.key 4096
    openssl req -new -x509 -days 3650 -key root.key -out root.crt -subj "/CN=Root CA"
    openssl genrsa -out intermediate1.key 4096
    openssl req -new -key intermediate1.key -out intermediate1.csr -subj "/CN=Intermediate CA 1"
    openssl x509 -req -in intermediate1.csr -CA root.crt -CAkey root.key -CAcreateserial -out intermediate1.crt -days 3650
    openssl genrsa -out intermediate2.key 4096
    openssl req -new -key intermediate2.key -out intermediate2.csr -subj "/CN=Intermediate CA 2"
    openssl x509 -req -in intermediate2.csr -CA intermediate1.crt -CAkey intermediate1.key -CAcreateserial -out intermediate2.crt -days 3650
    openssl genrsa -out server.key 4096
    openssl req -new -key server.key -out server.csr -subj "/CN=server.example.com"
    openssl x509 -req -in server.csr -CA intermediate2.crt -CAkey intermediate2.key -CAcreateserial -out server.crt -days 365
    openssl pkcs12 -export -clcerts -in server.crt -inkey server.key -passout pass:123456 -out server.p12
    mkdir note && cp root.crt intermediate1.crt intermediate2.crt server.crt note/
    printf '[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n' > v3_ca.ext
    openssl x509 -req -in intermediate1.csr -CA root.crt -CAkey root.key -CAcreateserial -out intermediate1.crt -days 3650 -extfile v3_ca.ext -extensions v3_ca
    openssl x509 -req -in intermediate2.csr -CA intermediate1.crt -CAkey intermediate1.key -CAcreateserial -out intermediate2.crt -days 3650 -extfile v3_ca.ext -extensions v3_ca
  `;
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'random.bin'), randomBytes(3000));
  server = await startServer();
  browser = await launch();
  page = await openPage(browser, server.url);
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the field note 002 chain: four cards with the right subjects, verdict valid', async () => {
  await drop(page, ['server.crt', 'intermediate2.crt', 'intermediate1.crt', 'root.crt'].map(file));
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['server.example.com', 'Intermediate CA 2', 'Intermediate CA 1', 'Root CA']);
  const verdict = page.locator('.verdict');
  assert.equal(await verdict.count(), 1);
  assert.equal(await verdict.locator('.verdict-word').textContent(), 'Valid');
  assert.deepEqual(await verdict.locator('.step button').allTextContents(),
    ['server.example.com', 'Intermediate CA 2', 'Intermediate CA 1', 'Root CA']);
  assert.deepEqual(await verdict.locator('.step .role').allTextContents(), ['leaf', 'intermediate', 'intermediate', 'trust anchor']);
  await screenshot(page, '1-chain-valid');
});

test('the note chain exactly as its commands make it: not valid, and how to re-issue', async () => {
  await clear(page);
  await drop(page, ['server.crt', 'intermediate2.crt', 'intermediate1.crt', 'root.crt'].map((name) => [name, readFileSync(join(dir, 'note', name))]));
  await settled(page);
  assert.equal(await page.locator('#cards .card').count(), 4);
  const verdict = page.locator('.verdict');
  assert.equal(await verdict.locator('.verdict-word').first().textContent(), 'Not valid');
  assert.match(await verdict.first().locator('.fix').textContent(), /extfile|CA:TRUE/);
  await screenshot(page, '1b-note-chain-version-1-intermediates');
});

test('without intermediate1: not valid, and the missing issuer is named', async () => {
  await clear(page);
  await drop(page, ['server.crt', 'intermediate2.crt', 'root.crt'].map(file));
  await settled(page);
  const verdict = page.locator('.verdict');
  assert.equal(await verdict.count(), 1);
  assert.equal(await verdict.locator('.verdict-word').textContent(), 'Not valid');
  assert.equal(await verdict.locator('.code').textContent(), 'UnknownIssuer');
  assert.match(await verdict.locator('.explanation').textContent(), /Intermediate CA 1/);
  assert.match(await verdict.locator('.fix').textContent(), /Intermediate CA 1/);
  await screenshot(page, '2-chain-missing-intermediate');
});

test('a .p12: a password prompt in the page, then its contents', async () => {
  await clear(page);
  await drop(page, [file('server.p12')]);
  const dialog = page.locator('#password-dialog');
  await dialog.waitFor({ state: 'visible' });
  await screenshot(page, '3a-p12-password-prompt');
  await page.fill('#password', 'wrong');
  await page.click('#password-ok');
  await page.waitForFunction(() => document.getElementById('password-error').textContent.includes('does not open'));
  await page.fill('#password', '123456');
  await page.click('#password-ok');
  await settled(page);
  const kinds = await page.$$eval('#cards .card', (cards) => cards.map((card) => card.className));
  assert.ok(kinds.some((kind) => kind.includes('certificate')), kinds.join());
  assert.ok(kinds.some((kind) => kind.includes('private_key')), kinds.join());
  assert.ok((await cardTitles(page)).includes('server.example.com'));
  assert.match(await page.locator('#cards .card.private_key').textContent(), /never shown/);
  // The first module reads .p12 files itself: the whole API's module is for issuance only
  // (the page's 400 KB budget; the test PKI below checks that its loading is seen here).
  assert.deepEqual(page.requests.filter((url) => url.includes('/pkg/full/')), []);
  await screenshot(page, '3b-p12-contents');
});

test('a random binary: a readable error, and the page still works', async () => {
  await clear(page);
  await drop(page, [file('random.bin')]);
  await settled(page);
  const error = page.locator('#errors .card.error');
  assert.equal(await error.count(), 1);
  const text = await error.textContent();
  assert.match(text, /random\.bin/);
  assert.match(text, /Expected a certificate/);
  assert.match(text, /UnrecognizedInput/);
  await drop(page, [file('root.crt')]);
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['Root CA']);
  await screenshot(page, '4-random-binary');
  assert.deepEqual(page.errors, []);
});

test('a pasted PEM', async () => {
  await clear(page);
  await page.fill('#paste', `some text before\n${readFileSync(join(dir, 'intermediate1.crt'), 'utf8')}`);
  await page.evaluate(() => { document.body.dataset.state = 'busy'; });
  await page.click('#paste-go');
  await settled(page);
  assert.deepEqual(await cardTitles(page), ['Intermediate CA 1']);
  assert.match(await page.locator('#cards .card .source').textContent(), /pasted text/);
  await screenshot(page, '5-pasted-pem');
});

test('the ASN.1 tree names the RFC 5280 fields and shows the hex of a node', async () => {
  await page.click('#cards .card .asn1 summary');
  await page.waitForSelector('.asn1-tree');
  const fields = await page.$$eval('.asn1-tree .field', (nodes) => nodes.map((node) => node.textContent));
  for (const field of ['Certificate', 'tbsCertificate', 'serialNumber', 'issuer', 'validity', 'notAfter', 'subjectPublicKeyInfo', 'signatureValue']) {
    assert.ok(fields.includes(field), `missing ${field}`);
  }
  await page.locator('.asn1-tree .node', { hasText: 'serialNumber' }).first().click();
  assert.match(await page.locator('.hex-actions').textContent(), /serialNumber: 2 header/);
  await screenshot(page, '6-asn1-tree');
});

test('compare two certificates', async () => {
  await clear(page);
  await drop(page, ['server.crt', 'intermediate2.crt'].map(file));
  await settled(page);
  await page.locator('#cards .card').nth(0).locator('button', { hasText: 'Compare' }).click();
  await page.locator('#cards .card').nth(1).locator('button', { hasText: 'Compare' }).click();
  const table = page.locator('#compare-table');
  await table.locator('table').waitFor();
  assert.match(await table.locator('.compare-summary').textContent(), /\d+ fields differ/);
  const subject = table.locator('tr', { hasText: 'Subject' }).first();
  assert.match(await subject.getAttribute('class'), /differs/);
  assert.match(await subject.textContent(), /server\.example\.com.*Intermediate CA 2/s);
  await screenshot(page, '7-compare');
});

test('create a test PKI in the page and inspect the downloaded server certificate', async () => {
  await clear(page);
  await page.click('#pki-open');
  await page.fill('#pki-sans', 'test.example, 127.0.0.1');
  await page.click('#pki-form button[type="submit"]');
  const serverButton = page.locator('#pki-result button', { hasText: /server.*\.crt$/ }).first();
  await serverButton.waitFor();
  assert.ok(page.requests.some((url) => url.endsWith('/pkg/full/mtlskit_wasm_bg.wasm')), 'the whole module was loaded for issuance');
  const [download] = await Promise.all([page.waitForEvent('download'), serverButton.click()]);
  const saved = join(dir, 'downloaded-server.crt');
  await download.saveAs(saved);
  await screenshot(page, '8a-test-pki');
  const pem = readFileSync(saved, 'utf8');
  assert.match(pem, /-----BEGIN CERTIFICATE-----/);
  await drop(page, [['downloaded-server.crt', Buffer.from(pem)]]);
  await settled(page);
  const card = page.locator('#cards .card.certificate').last();
  assert.match(await card.textContent(), /DNS: test\.example/);
  assert.match(await card.textContent(), /IP: 127\.0\.0\.1/);
  await screenshot(page, '8b-test-pki-server-certificate');
});

test('nothing leaves the page: every request is to the page itself, none with a query', async () => {
  const origin = new URL(server.url).origin;
  const foreign = page.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(page.requests.filter((url) => url.includes('?')), []);
  assert.deepEqual(page.errors, []);
});
